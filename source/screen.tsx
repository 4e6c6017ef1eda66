import {Box} from 'ink';
import React from 'react';
import type {Sample} from './domain/rates';
import type {Snapshot} from './domain/types';
import {emptySnapshot} from './domain/types';
import {PANES, type PaneId, type Scope} from './keymap';
import {computeLayout, visibleRows} from './layout';
import type {PaneProps} from './panes/pane-props';
import {REGISTRY} from './panes/registry';
import {Header} from './ui/header';
import {HelpOverlay} from './ui/help-overlay';
import {clampCursor, initialCursor, type ListCursor} from './ui/list-cursor';
import {StatusBar} from './ui/status-bar';
import {TabStrip} from './ui/tab-strip';

// Memoised: a pane re-renders only when its own props change.
const MemoPanes = Object.fromEntries(PANES.map(p => [p.id, React.memo(REGISTRY[p.id].component)])) as unknown as Record<
	PaneId,
	React.ComponentType<PaneProps>
>;

export type ScreenProps = {
	snapshot: Snapshot | null;
	history: readonly Sample[];
	width: number;
	height: number;
	active: PaneId;
	/** The four panes of the grid below 160 columns (`--panes`). */
	grid?: readonly PaneId[];
	cursors: Partial<Record<PaneId, ListCursor>>;
	/** Each pane's controller state (filters, sort, detail views). */
	paneStates?: Partial<Record<PaneId, unknown>>;
	showHelp: boolean;
	/** First help line shown (help scrolls on small terminals). */
	helpOffset?: number;
	intervalMs: number;
	paused: boolean;
	now: number;
	prefix: string;
	message?: string;
};

const placeholder = emptySnapshot({kind: 'redis', target: '', connected: false, error: null, fallbackReason: null, stale: false, dataAt: null}, 0);

const controllerOf = (id: PaneId) => REGISTRY[id].controller;
const stateOf = (props: ScreenProps, id: PaneId): unknown => props.paneStates?.[id] ?? controllerOf(id).initial();

/** Hints for what the keys do right now: help, a modal pane, or the pane and the app. */
const statusScopes = (props: ScreenProps, data: Snapshot): Scope[] => {
	if (props.showHelp) return ['help'];
	const controller = controllerOf(props.active);
	const state = stateOf(props, props.active);
	if (controller.modal?.(state)) return ['help', props.active];
	return controller.rowCount(data, state) > 0 ? [props.active, 'global', 'list'] : [props.active, 'global'];
};

/** The whole frame, from props only: used by the live app, `--once` and tests. */
export const Screen = (props: ScreenProps) => {
	const {snapshot, history, width, height, active, cursors, showHelp} = props;
	const layout = computeLayout(width, height, active, props.grid);
	const data = snapshot ?? placeholder;
	const paneOf = (box: (typeof layout.panes)[number]) => {
		const Pane = MemoPanes[box.id];
		return (
			<Pane
				key={box.id}
				snapshot={data}
				history={history}
				width={box.width}
				height={box.height}
				focused={box.id === active}
				// A list that shrank (a filter, keys gone) keeps the cursor on a row that exists.
				cursor={clampCursor(cursors[box.id] ?? initialCursor, controllerOf(box.id).rowCount(data, stateOf(props, box.id)), visibleRows(box))}
				state={stateOf(props, box.id)}
				index={PANES.findIndex(p => p.id === box.id) + 1}
			/>
		);
	};
	let body: React.ReactNode;
	if (showHelp) body = <HelpOverlay width={width} height={layout.bodyHeight} offset={props.helpOffset} />;
	else if (layout.wide) {
		const grid = (
			<Box flexDirection="column" height={layout.bodyHeight}>
				<Box flexDirection="row">{layout.panes.slice(0, 2).map(paneOf)}</Box>
				<Box flexDirection="row">{layout.panes.slice(2, 4).map(paneOf)}</Box>
			</Box>
		);
		body = layout.side ? (
			<Box flexDirection="row" height={layout.bodyHeight}>
				{grid}
				{paneOf(layout.side)}
			</Box>
		) : (
			grid
		);
	} else {
		body = (
			<Box flexDirection="column" height={layout.bodyHeight}>
				<TabStrip active={active} width={width} />
				{layout.panes.map(paneOf)}
			</Box>
		);
	}
	return (
		<Box flexDirection="column" width={width} height={layout.rootHeight} overflow="hidden">
			<Header snapshot={snapshot} width={width} now={props.now} intervalMs={props.intervalMs} paused={props.paused} prefix={props.prefix} />
			{body}
			<StatusBar width={width} scopes={statusScopes(props, data)} message={props.message ?? controllerOf(active).status?.(stateOf(props, active))} />
		</Box>
	);
};
