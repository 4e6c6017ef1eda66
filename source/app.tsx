import {useApp, useInput, useStdin, type Key} from 'ink';
import React, {useCallback, useEffect, useRef, useState} from 'react';
import {stepInterval} from './domain/interval-ladder';
import {usePoll} from './hooks/use-poll';
import {useNow, useTerminalSize} from './hooks/use-terminal-size';
import {commandFor, PANES, scrollMove, type Command, type PaneId, type Scope} from './keymap';
import {computeLayout, visibleRows} from './layout';
import type {PaneController, PaneEnv} from './panes/controller';
import {ALL_BINDINGS, controllerOf, detailBindings, initialPaneStates, type PaneStates} from './panes/registry';
import {Screen} from './screen';
import {clampHelpOffset, helpLineCount} from './ui/help-overlay';
import {graphemes} from './ui/fit';
import {uiCapabilitiesFor, type UiCapabilities} from './sources/capabilities';
import type {Source} from './sources/source';
import {moveCursor, scrollBy, type ListCursor} from './ui/list-cursor';

export type AppProps = {
	source: Source;
	intervalMs: number;
	prefix: string;
	allowWrite?: boolean;
	/** Fixed size (tests); otherwise the terminal's, following resizes. */
	size?: {columns: number; rows: number};
	initialPane?: PaneId;
	/** The four panes of the grid below 160 columns (`--panes`). */
	grid?: readonly PaneId[];
	/** On-demand reads (key browser, probe), owned by the source set; the App makes and closes its own when not given. */
	capabilities?: UiCapabilities;
	onQuit?: () => void;
};

const MESSAGE_MS = 4000;

/** Control characters inside a chunk of keys, as Ink reports them alone. */
const CHUNK_CONTROLS: Record<string, [string, Partial<Key>]> = {
	'\r': ['', {return: true}],
	'\n': ['', {return: true}],
	'\t': ['', {tab: true}],
	'\u007F': ['', {backspace: true}],
	'\b': ['', {backspace: true}],
	'\u0003': ['c', {ctrl: true}],
};

/** Everything a key can change, held in one place so each key sees what the key before it made. */
export type UiState = {
	active: PaneId;
	cursors: Partial<Record<PaneId, ListCursor>>;
	paneStates: PaneStates;
	showHelp: boolean;
	helpOffset: number;
	paused: boolean;
	intervalMs: number;
	/** `z`: the active pane alone on the whole body. */
	zoom: boolean;
};

export const App = ({source, intervalMs: initialInterval, prefix, allowWrite = false, size, initialPane = 'stats', grid, capabilities: given, onQuit}: AppProps) => {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const terminal = useTerminalSize();
	const {columns, rows} = size ?? terminal;
	// Keys arrive faster than renders (tmux send-keys, a paste, fast typing), and
	// the input handler may still be the one of an older render: every key reads
	// and writes this ref, never a rendered value, so `g` then `j` Enter opens
	// the row `j` moved to. The state below only makes React draw it.
	const ui = useRef<UiState>({
		active: initialPane,
		cursors: {},
		paneStates: initialPaneStates(),
		showHelp: false,
		helpOffset: 0,
		paused: false,
		intervalMs: initialInterval,
		zoom: false,
	});
	const [view, setView] = useState(ui.current);
	// Effects reducers queued (env.effect): run after the state they go with is stored.
	const queued = useRef<(() => void)[]>([]);
	const reducing = useRef(false);
	const change = (next: (s: UiState) => UiState) => {
		reducing.current = true;
		let after: UiState;
		try {
			after = next(ui.current);
		} finally {
			reducing.current = false;
		}
		if (after !== ui.current) {
			ui.current = after;
			setView(after);
		}
		const run = queued.current;
		queued.current = [];
		for (const effect of run) effect();
	};
	const [own] = useState(() => (given ? null : uiCapabilitiesFor(source, allowWrite)));
	const capabilities = given ?? own!;
	useEffect(() => () => own?.close(), [own]);
	const [message, setMessage] = useState<string | undefined>();
	const messageTimer = useRef<NodeJS.Timeout | null>(null);
	const poll = usePoll(source, view.intervalMs, view.paused);
	// What the handler needs from the latest render (the snapshot, the size).
	const live = useRef({snapshot: poll.snapshot, columns, rows, refresh: poll.refresh});
	live.current = {snapshot: poll.snapshot, columns, rows, refresh: poll.refresh};
	// Between polls only a paused, stale or slow view needs its ages to move.
	// (And a poll still waiting for its store: its age must be seen to grow.)
	const now = useNow(view.paused || poll.slowSince !== null || poll.snapshot?.source.stale || !poll.snapshot?.source.connected || view.intervalMs > 1000 ? 1000 : null);

	const quit = useCallback(() => {
		onQuit?.();
		exit();
	}, [exit, onQuit]);

	const notify = useCallback((text: string) => {
		setMessage(text);
		if (messageTimer.current) clearTimeout(messageTimer.current);
		messageTimer.current = setTimeout(() => setMessage(undefined), MESSAGE_MS);
		messageTimer.current.unref?.();
	}, []);

	const layoutNow = () => computeLayout(live.current.columns, live.current.rows, ui.current.active, grid, ui.current.zoom);
	const boxOf = (id: PaneId) => layoutNow().panes.find(p => p.id === id);
	const setPane = <K extends PaneId>(id: K, change1: (state: PaneStates[K]) => PaneStates[K]) =>
		change(s => {
			const before = s.paneStates[id];
			const after = change1(before);
			return after === before ? s : {...s, paneStates: {...s.paneStates, [id]: after}};
		});
	const env = <K extends PaneId>(id: K): PaneEnv<PaneStates[K]> => ({
		snapshot: live.current.snapshot,
		visibleRows: visibleRows(boxOf(id)),
		cursorIndex: ui.current.cursors[id]?.index ?? 0,
		capabilities,
		prefix,
		allowWrite,
		update: next => setPane(id, next),
		// A reducer's message is an effect too: it shows once its state is stored.
		notify: text => (reducing.current ? queued.current.push(() => notify(text)) : notify(text)),
		effect: run => queued.current.push(run),
	});
	/** Runs a controller hook on one pane's current state and stores what it returns. */
	const withPane = <K extends PaneId>(id: K, run: (controller: PaneController<PaneStates[K]>, state: PaneStates[K], env: PaneEnv<PaneStates[K]>) => PaneStates[K]) =>
		setPane(id, state => run(controllerOf(id), state, env(id)));

	const activate = (id: PaneId) => {
		const hook = controllerOf(id).activate;
		if (hook) withPane(id, (c, state, e) => c.activate!(state, e));
	};
	const switchTo = (id: PaneId) => {
		if (id === ui.current.active) return;
		change(s => ({...s, active: id}));
		// A pane that becomes active may start lazy work (the key browser's indexing).
		activate(id);
	};
	// eslint-disable-next-line react-hooks/exhaustive-deps
	useEffect(() => activate(ui.current.active), []);

	// Effects of what keys did, after the render that shows it (never inside a reducer).
	const activeState = view.paneStates[view.active];
	const activeCursor = view.cursors[view.active];
	const settle = <K extends PaneId>(id: K) => controllerOf(id).settle?.(ui.current.paneStates[id], env(id));
	useEffect(() => {
		settle(view.active);
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [view.active, activeState, activeCursor]);

	// A new read: panes that follow the store (the JSON key tree) catch up.
	useEffect(() => {
		if (!poll.snapshot) return;
		for (const {id} of PANES) {
			if (controllerOf(id).snapshotChanged) withPane(id, (c, state, e) => c.snapshotChanged!(state, e, id === ui.current.active));
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [poll.snapshot]);

	// The store's data was replaced without writes (REPLICAOF, SWAPDB…): what panes walked is void.
	const dataset = poll.snapshot?.source.dataset;
	const seenDataset = useRef(dataset);
	useEffect(() => {
		const before = seenDataset.current;
		seenDataset.current = dataset;
		if (before === undefined || dataset === undefined || before === dataset) return;
		for (const {id} of PANES) {
			if (controllerOf(id).datasetReplaced) withPane(id, (c, state, e) => c.datasetReplaced!(state, e, id === ui.current.active));
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [dataset]);

	const runGlobal = (command: Command | string) => {
		const {active} = ui.current;
		const index = PANES.findIndex(p => p.id === active);
		switch (command) {
			case 'app.quit':
				return quit();
			case 'app.help':
				return change(s => ({...s, showHelp: !s.showHelp, helpOffset: 0}));
			case 'app.back':
				return change(s => ({...s, showHelp: false}));
			case 'pane.next':
				return switchTo(PANES[(index + 1) % PANES.length]!.id);
			case 'pane.prev':
				return switchTo(PANES[(index + PANES.length - 1) % PANES.length]!.id);
			case 'pane.1':
			case 'pane.2':
			case 'pane.3':
			case 'pane.4':
			case 'pane.5':
				return switchTo(PANES[Number(command.slice(5)) - 1]!.id);
			case 'pane.zoom':
				return change(s => ({...s, zoom: !s.zoom}));
			case 'poll.pause':
				return change(s => ({...s, paused: !s.paused}));
			case 'poll.refresh':
				return live.current.refresh();
			case 'poll.faster':
				return change(s => ({...s, intervalMs: stepInterval(s.intervalMs, -1)}));
			case 'poll.slower':
				return change(s => ({...s, intervalMs: stepInterval(s.intervalMs, 1)}));
			default:
				const move = scrollMove(command);
				if (move) {
					const count = controllerOf(active).rowCount(live.current.snapshot, ui.current.paneStates[active]);
					const visible = visibleRows(boxOf(active));
					change(s => ({...s, cursors: {...s.cursors, [active]: moveCursor(s.cursors[active] ?? {index: 0, offset: 0}, move, count, visible)}}));
				}
		}
	};

	const onKey = (input: string, key: Key): void => {
		// Keys that arrive together (tmux send-keys, a paste, fast typing) come
		// as one string: they mean one key each, typed in order.
		if (input.length > 1 && !key.ctrl && !key.meta && !input.includes('\u001B')) {
			for (const {segment} of graphemes(input)) {
				const control = CHUNK_CONTROLS[segment];
				if (control) onKey(control[0], {...key, ...control[1]});
				else if (!/[\u0000-\u001F\u007F]/.test(segment)) onKey(segment, {...key, shift: segment !== segment.toLowerCase()});
			}
			return;
		}
		const {active, showHelp} = ui.current;
		if (showHelp) {
			// In help, list keys scroll it, anything else closes it; Ctrl-C still quits.
			const command = commandFor(ALL_BINDINGS, input, key, ['help', 'list']) ?? (input === '?' ? 'app.back' : key.ctrl && input === 'c' ? 'app.quit' : null);
			const move = command ? scrollMove(command) : null;
			if (move) {
				const room = Math.max(1, layoutNow().bodyHeight - 3);
				const total = helpLineCount();
				const last = Math.max(0, total - room);
				return change(s => ({...s, helpOffset: Math.min(last, scrollBy(clampHelpOffset(s.helpOffset, total, room), move, last + 1, room))}));
			}
			if (command) runGlobal(command);
			return;
		}
		if (key.ctrl && input === 'c') return quit();
		const controller = controllerOf(active);
		const state = ui.current.paneStates[active];
		// A pane's open prompt takes every key.
		const taken = controller.input?.(state, input, key, env(active));
		if (taken !== undefined && taken !== null) return setPane(active, () => taken);
		const modal = controller.modal?.(state) ?? false;
		const scopes: Scope[] = modal ? ['help', active, 'list'] : [active, 'global', 'list'];
		const command = commandFor(modal ? detailBindings(active) : ALL_BINDINGS, input, key, scopes);
		if (!command) return;
		if (modal) {
			if (command === 'app.back') return setPane(active, s => (controller.back ? controller.back(s) : s));
			// A detail view scrolls itself; the list behind it stays where it was.
			const move = scrollMove(command);
			if (move) return withPane(active, (c, s, e) => (c.scroll ? c.scroll(s, move, e) : s));
		}
		if (controller.bindings.some(b => b.command === command) && controller.command) {
			return withPane(active, (c, s, e) => c.command!(s, command, e));
		}
		runGlobal(command);
	};

	useInput(onKey, {isActive: isRawModeSupported === true});

	return (
		<Screen
			snapshot={poll.snapshot}
			history={poll.history}
			width={columns}
			height={rows}
			active={view.active}
			grid={grid}
			zoom={view.zoom}
			cursors={view.cursors}
			paneStates={view.paneStates}
			showHelp={view.showHelp}
			helpOffset={view.helpOffset}
			intervalMs={view.intervalMs}
			paused={view.paused}
			allowWrite={allowWrite}
			now={now}
			prefix={prefix}
			message={message}
		/>
	);
};
