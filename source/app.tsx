import {useApp, useInput, useStdin, type Key} from 'ink';
import React, {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import {MAX_INTERVAL_MS, MIN_INTERVAL_MS} from './config';
import {usePoll} from './hooks/use-poll';
import {useNow, useTerminalSize} from './hooks/use-terminal-size';
import {commandFor, PANES, type Command, type PaneId, type Scope} from './keymap';
import {computeLayout, visibleRows} from './layout';
import type {PaneEnv} from './panes/controller';
import {ALL_BINDINGS, initialPaneStates, REGISTRY} from './panes/registry';
import {Screen} from './screen';
import {clampHelpOffset, helpLineCount} from './ui/help-overlay';
import {graphemes} from './ui/fit';
import type {Source} from './sources/source';
import {moveCursor, type CursorMove, type ListCursor} from './ui/list-cursor';

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
	onQuit?: () => void;
};

const CURSOR_MOVES: readonly string[] = ['up', 'down', 'pageUp', 'pageDown', 'top', 'bottom'];
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

export const App = ({source, intervalMs: initialInterval, prefix, allowWrite = false, size, initialPane = 'stats', grid, onQuit}: AppProps) => {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const terminal = useTerminalSize();
	const {columns, rows} = size ?? terminal;
	const [active, setActiveState] = useState<PaneId>(initialPane);
	// Keys typed between a pane switch and its render belong to the new pane,
	// but this render's handler still closes over the old one: they wait in
	// `deferredKeys` and replay once the switch has rendered.
	const activeRef = useRef(active);
	const deferredKeys = useRef<[string, Key][]>([]);
	const setActive = (id: PaneId) => {
		activeRef.current = id;
		setActiveState(id);
	};
	const [cursors, setCursorsState] = useState<Partial<Record<PaneId, ListCursor>>>({});
	// As with pane states: `j` then Enter in one chunk must open the row `j` moved to.
	const cursorsRef = useRef(cursors);
	const setCursors = (change: (c: Partial<Record<PaneId, ListCursor>>) => Partial<Record<PaneId, ListCursor>>) => {
		cursorsRef.current = change(cursorsRef.current);
		setCursorsState(cursorsRef.current);
	};
	const [paneStates, setPaneStates] = useState<Record<PaneId, unknown>>(initialPaneStates);
	// Keys can arrive faster than renders (typing or pasting into a prompt): each
	// key must see the state the previous key made, not the last rendered one.
	const paneStatesRef = useRef(paneStates);
	const changePaneStates = (change: (s: Record<PaneId, unknown>) => Record<PaneId, unknown>) => {
		paneStatesRef.current = change(paneStatesRef.current);
		setPaneStates(paneStatesRef.current);
	};
	const [showHelp, setShowHelp] = useState(false);
	const [helpOffset, setHelpOffset] = useState(0);
	const [paused, setPaused] = useState(false);
	const [intervalMs, setIntervalMs] = useState(initialInterval);
	const [message, setMessage] = useState<string | undefined>();
	const messageTimer = useRef<NodeJS.Timeout | null>(null);
	const poll = usePoll(source, intervalMs, paused);
	// Between polls only a paused, stale or slow view needs its ages to move.
	// (And a poll still waiting for its store: its age must be seen to grow.)
	const now = useNow(paused || poll.slowSince !== null || poll.snapshot?.source.stale || !poll.snapshot?.source.connected || intervalMs > 1000 ? 1000 : null);

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

	const box = useMemo(() => computeLayout(columns, rows, active, grid).panes.find(p => p.id === active), [columns, rows, active, grid]);
	const controller = REGISTRY[active].controller;
	const paneState = paneStates[active];
	const env = (id: PaneId): PaneEnv<unknown> => ({
		snapshot: poll.snapshot,
		visibleRows: visibleRows(box),
		cursorIndex: cursorsRef.current[id]?.index ?? 0,
		source,
		prefix,
		allowWrite,
		update: change => changePaneStates(s => ({...s, [id]: change(s[id])})),
		notify,
	});
	// An unchanged state is not written back: it may be older than async updates not yet rendered.
	const setPaneState = (value: unknown) => {
		if (value !== paneStatesRef.current[active]) changePaneStates(s => ({...s, [active]: value}));
	};
	// A pane that becomes active may start lazy work (the key browser's indexing).
	useEffect(() => {
		const activate = REGISTRY[active].controller.activate;
		if (!activate) return;
		const current = paneStatesRef.current[active];
		const next = activate(current, env(active));
		if (next !== current) changePaneStates(s => ({...s, [active]: next}));
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [active]);
	// The store's data was replaced without writes (REPLICAOF, SWAPDB…): what panes walked is void.
	const dataset = poll.snapshot?.source.dataset;
	const seenDataset = useRef(dataset);
	useEffect(() => {
		const before = seenDataset.current;
		seenDataset.current = dataset;
		if (before === undefined || dataset === undefined || before === dataset) return;
		for (const {id} of PANES) {
			const replaced = REGISTRY[id].controller.datasetReplaced;
			if (!replaced) continue;
			const current = paneStatesRef.current[id];
			const next = replaced(current, env(id), id === active);
			if (next !== current) changePaneStates(s => ({...s, [id]: next}));
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [dataset]);

	const runGlobal = (command: Command | string) => {
		const index = PANES.findIndex(p => p.id === active);
		switch (command) {
			case 'quit':
				return quit();
			case 'help':
				setHelpOffset(0);
				return setShowHelp(v => !v);
			case 'back':
				return setShowHelp(false);
			case 'nextPane':
				return setActive(PANES[(index + 1) % PANES.length]!.id);
			case 'prevPane':
				return setActive(PANES[(index + PANES.length - 1) % PANES.length]!.id);
			case 'pane1':
			case 'pane2':
			case 'pane3':
			case 'pane4':
			case 'pane5':
				return setActive(PANES[Number(command.slice(4)) - 1]!.id);
			case 'pause':
				return setPaused(v => !v);
			case 'refresh':
				return poll.refresh();
			case 'faster':
				return setIntervalMs(v => Math.max(MIN_INTERVAL_MS, Math.round(v / 2)));
			case 'slower':
				return setIntervalMs(v => Math.min(MAX_INTERVAL_MS, v * 2));
			default:
				if (CURSOR_MOVES.includes(command)) {
					const count = controller.rowCount(poll.snapshot, paneState);
					setCursors(c => ({...c, [active]: moveCursor(c[active] ?? {index: 0, offset: 0}, command as CursorMove, count, visibleRows(box))}));
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
		if (activeRef.current !== active) {
			deferredKeys.current.push([input, key]);
			return;
		}
		if (showHelp) {
			// In help, list keys scroll it, anything else closes it; Ctrl-C still quits.
			const command = commandFor(ALL_BINDINGS, input, key, ['help', 'list']) ?? (input === '?' ? 'back' : key.ctrl && input === 'c' ? 'quit' : null);
			if (command && CURSOR_MOVES.includes(command)) {
				const room = Math.max(1, computeLayout(columns, rows, active, grid).bodyHeight - 3);
				const total = helpLineCount();
				const step: Record<string, number> = {up: -1, down: 1, pageUp: -room, pageDown: room, top: -total, bottom: total};
				return setHelpOffset(o => clampHelpOffset(clampHelpOffset(o, total, room) + step[command]!, total, room));
			}
			if (command) runGlobal(command);
			return;
		}
		if (key.ctrl && input === 'c') return quit();
		const paneState = paneStatesRef.current[active];
		// A pane in a text prompt or detail view sees keys first.
		const taken = controller.input?.(paneState, input, key, env(active));
		if (taken !== undefined && taken !== null) return setPaneState(taken);
		const modal = controller.modal?.(paneState) ?? false;
		const scopes: Scope[] = modal ? ['help', active, 'list'] : [active, 'global', 'list'];
		const command = commandFor(ALL_BINDINGS, input, key, scopes);
		if (!command) return;
		if (modal && command === 'back') return setPaneState(controller.back ? controller.back(paneState) : paneState);
		if (controller.bindings.some(b => b.command === command) && controller.command) {
			return setPaneState(controller.command(paneState, command, env(active)));
		}
		runGlobal(command);
	};

	useInput(onKey, {isActive: isRawModeSupported === true});
	useEffect(() => {
		const keys = deferredKeys.current;
		deferredKeys.current = [];
		// A replayed key that switches again defers the rest to the next render.
		for (const [input, key] of keys) onKey(input, key);
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [active]);

	return (
		<Screen
			snapshot={poll.snapshot}
			history={poll.history}
			width={columns}
			height={rows}
			active={active}
			grid={grid}
			cursors={cursors}
			paneStates={paneStates}
			showHelp={showHelp}
			helpOffset={helpOffset}
			intervalMs={intervalMs}
			paused={paused}
			now={now}
			prefix={prefix}
			message={message}
		/>
	);
};
