// Every pane in one place: its component (render) and controller (behaviour).
// Adding a pane's keys = adding them to its controller; help, hints and input
// all read ALL_BINDINGS.
import type React from 'react';
import {GLOBAL_BINDINGS, PANES, type Binding, type PaneId} from '../keymap';
import {AgentsPane} from './agents-pane';
import {agentsController} from './agents-controller';
import type {PaneController} from './controller';
import {KeysPane} from './keys-pane';
import {keysController} from './keys-controller';
import {LocksPane} from './locks-pane';
import {locksController} from './locks-controller';
import type {PaneProps} from './pane-props';
import {SlowlogPane} from './slowlog-pane';
import {slowlogController} from './slowlog-controller';
import {StatsPane} from './stats-pane';
import {statsController} from './stats-controller';

export type PaneEntry = {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	component: React.ComponentType<PaneProps<any>>;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	controller: PaneController<any>;
};

export const REGISTRY: Record<PaneId, PaneEntry> = {
	stats: {component: StatsPane, controller: statsController},
	slowlog: {component: SlowlogPane, controller: slowlogController},
	keys: {component: KeysPane, controller: keysController},
	locks: {component: LocksPane, controller: locksController},
	agents: {component: AgentsPane, controller: agentsController},
};

export const ALL_BINDINGS: readonly Binding[] = [...GLOBAL_BINDINGS, ...PANES.flatMap(p => REGISTRY[p.id].controller.bindings)];

export const initialPaneStates = (): Record<PaneId, unknown> =>
	Object.fromEntries(PANES.map(p => [p.id, REGISTRY[p.id].controller.initial()])) as Record<PaneId, unknown>;
