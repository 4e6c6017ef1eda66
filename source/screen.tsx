import {Box, Text} from 'ink';
import React from 'react';
import type {Sample} from './domain/rates';
import type {Snapshot} from './domain/types';
import {emptySnapshot} from './domain/types';
import {hintsFor, PANES, type PaneId} from './keymap';
import {computeLayout, visibleRows} from './layout';
import type {PaneProps} from './panes/pane-props';
import {ALL_BINDINGS, COMPONENTS, controllerOf, detailBindings, initialPaneStates, type PaneStates} from './panes/registry';
import {Header} from './ui/header';
import {HelpOverlay} from './ui/help-overlay';
import {clampCursor, initialCursor, type ListCursor} from './ui/list-cursor';
import {PaneFrame} from './ui/pane-frame';
import {StatusBar} from './ui/status-bar';
import {theme} from './theme';
import {sanitize} from './domain/sanitize';
import {TabStrip} from './ui/tab-strip';

// Memoised: a pane re-renders only when its own props change.
const MemoPanes: {[K in PaneId]: React.ComponentType<PaneProps<PaneStates[K]>>} = {
	stats: React.memo(COMPONENTS.stats),
	slowlog: React.memo(COMPONENTS.slowlog),
	keys: React.memo(COMPONENTS.keys),
	locks: React.memo(COMPONENTS.locks),
	agents: React.memo(COMPONENTS.agents),
};

export type ScreenProps = {
	snapshot: Snapshot | null;
	history: readonly Sample[];
	width: number;
	height: number;
	active: PaneId;
	/** The four panes of the grid below 160 columns (`--panes`). */
	grid?: readonly PaneId[];
	/** `z`: the active pane alone on the whole body. */
	zoom?: boolean;
	cursors: Partial<Record<PaneId, ListCursor>>;
	/** Each pane's controller state (filters, sort, detail views). */
	paneStates?: Partial<PaneStates>;
	showHelp: boolean;
	/** First help line shown (help scrolls on small terminals). */
	helpOffset?: number;
	intervalMs: number;
	paused: boolean;
	/** --allow-write: the header says so on every pane. */
	allowWrite?: boolean;
	now: number;
	prefix: string;
	message?: string;
};

const placeholder = emptySnapshot({kind: 'redis', target: '', connected: false, error: null, fallbackReason: null, stale: false, dataAt: null}, 0);

const INITIAL = initialPaneStates();
const stateOf = <K extends PaneId>(props: ScreenProps, id: K): PaneStates[K] => props.paneStates?.[id] ?? INITIAL[id];

/** Hints for what the keys do right now: none while a prompt shows its own, help, a detail view, or the pane and the app. */
export const statusHints = (props: ScreenProps, data: Snapshot): {keys: string; hint: string}[] => {
	if (props.showHelp) return hintsFor(ALL_BINDINGS, ['help']);
	const controller = controllerOf(props.active);
	const state = stateOf(props, props.active);
	if (controller.prompting?.(state)) return [];
	if (controller.modal?.(state)) return hintsFor(detailBindings(props.active), ['help', props.active, 'list']);
	return hintsFor(ALL_BINDINGS, controller.rowCount(data, state) > 0 ? [props.active, 'global', 'list'] : [props.active, 'global']);
};

/** The whole frame, from props only: used by the live app, `--once` and tests. */
/** An open prompt shows over a notice (a notice would hide what is typed for its 4 s); else the notice, else the pane's own line. */
const statusMessage = (message: string | undefined, own: string | undefined, prompting: boolean): string | undefined => (prompting ? (own ?? message) : (message ?? own));

export const Screen = (props: ScreenProps) => {
	const {snapshot, history, width, height, active, cursors, showHelp} = props;
	const layout = computeLayout(width, height, active, props.grid, props.zoom);
	const data = snapshot ?? placeholder;
	// Nothing read yet (before the first poll, or a store unreachable from the
	// start): a pane would say "no locks held", "slowlog is empty"; say what is true.
	const unread = !snapshot || (snapshot.source.kind === 'redis' && !snapshot.source.connected && snapshot.source.dataAt === null);
	const paneOf = (box: (typeof layout.panes)[number]) => {
		if (unread) {
			const title = PANES.find(p => p.id === box.id)!.title;
			return (
				<PaneFrame key={box.id} title={title} index={PANES.findIndex(p => p.id === box.id) + 1} focused={box.id === active} width={box.width} height={box.height}>
					<Text color={theme.muted} wrap="truncate">
						{!snapshot ? 'waiting for the first read…' : `no data yet: ${snapshot.source.error ? sanitize(snapshot.source.error) : 'the store has not answered'}`}
					</Text>
				</PaneFrame>
			);
		}
		// One generic pane: its component, controller and state share the id's type.
		const Pane = MemoPanes[box.id] as React.ComponentType<PaneProps<PaneStates[typeof box.id]>>;
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
				{layout.zoomed ? null : <TabStrip active={active} width={width} />}
				{layout.panes.map(paneOf)}
			</Box>
		);
	}
	return (
		<Box flexDirection="column" width={width} height={layout.rootHeight} overflow="hidden">
			<Header snapshot={snapshot} width={width} now={props.now} intervalMs={props.intervalMs} paused={props.paused} writable={props.allowWrite} prefix={props.prefix} />
			{body}
			<StatusBar width={width} hints={statusHints(props, data)} message={statusMessage(props.message, controllerOf(active).status?.(stateOf(props, active)), controllerOf(active).prompting?.(stateOf(props, active)) ?? false)} />
		</Box>
	);
};
