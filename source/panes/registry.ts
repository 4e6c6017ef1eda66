// Every pane in one place: its component (render) and controller (behaviour),
// typed by one map of pane states, so no pane casts its state back.
// Adding a pane's keys = adding them to its controller; help, hints and input
// all read ALL_BINDINGS.
import type React from 'react';
import {GLOBAL_BINDINGS, PANES, type Binding, type PaneId} from '../keymap';
import {AgentsPane} from './agents-pane';
import {agentsController, type AgentsState} from './agents-controller';
import type {PaneController} from './controller';
import {KeysPane} from './keys-pane';
import {keysController, type KeysState} from './keys-controller';
import {LocksPane} from './locks-pane';
import {locksController} from './locks-controller';
import type {LocksState} from './locks-view';
import type {PaneProps} from './pane-props';
import {SlowlogPane} from './slowlog-pane';
import {slowlogController} from './slowlog-controller';
import type {SlowlogState} from './slowlog-view';
import {StatsPane} from './stats-pane';
import {statsController, type StatsState} from './stats-controller';

/** Each pane's own UI state (filters, sort, detail view, prompt). */
export type PaneStates = {stats: StatsState; slowlog: SlowlogState; keys: KeysState; locks: LocksState; agents: AgentsState};

const CONTROLLERS: {[K in PaneId]: PaneController<PaneStates[K]>} = {
	stats: statsController,
	slowlog: slowlogController,
	keys: keysController,
	locks: locksController,
	agents: agentsController,
};

export const COMPONENTS: {[K in PaneId]: React.ComponentType<PaneProps<PaneStates[K]>>} = {
	stats: StatsPane,
	slowlog: SlowlogPane,
	keys: KeysPane,
	locks: LocksPane,
	agents: AgentsPane,
};

export const controllerOf = <K extends PaneId>(id: K): PaneController<PaneStates[K]> => CONTROLLERS[id];

export const ALL_BINDINGS: readonly Binding[] = [...GLOBAL_BINDINGS, ...PANES.flatMap(p => CONTROLLERS[p.id].bindings)];

/** The bindings that work while `pane` shows a detail view: the pane's own only where marked `detail`. */
export const detailBindings = (pane: PaneId): readonly Binding[] => ALL_BINDINGS.filter(b => b.scope !== pane || b.detail);

export const initialPaneStates = (): PaneStates => ({
	stats: statsController.initial(),
	slowlog: slowlogController.initial(),
	keys: keysController.initial(),
	locks: locksController.initial(),
	agents: agentsController.initial(),
});
