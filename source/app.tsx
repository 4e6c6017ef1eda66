import {useApp, useInput, useStdin} from 'ink';
import React, {useCallback, useState} from 'react';
import {MAX_INTERVAL_MS, MIN_INTERVAL_MS} from './config';
import type {Snapshot} from './domain/types';
import {usePoll} from './hooks/use-poll';
import {useNow, useTerminalSize} from './hooks/use-terminal-size';
import {commandFor, PANES, type Command, type PaneId} from './keymap';
import {computeLayout, visibleRows} from './layout';
import {Screen} from './screen';
import type {Source} from './sources/source';
import {moveCursor, type CursorMove, type ListCursor} from './ui/list-cursor';

export type AppProps = {
	source: Source;
	intervalMs: number;
	prefix: string;
	/** Fixed size (tests); otherwise the terminal's, following resizes. */
	size?: {columns: number; rows: number};
	initialPane?: PaneId;
	onQuit?: () => void;
};

/** How many selectable rows a pane has in a snapshot. */
export const rowCount = (pane: PaneId, snapshot: Snapshot | null): number => {
	if (!snapshot) return 0;
	if (pane === 'slowlog') return snapshot.slowlog.length;
	if (pane === 'keys') return snapshot.keys.length;
	if (pane === 'locks') return snapshot.locks.length;
	return 0;
};

const CURSOR_MOVES: readonly Command[] = ['up', 'down', 'pageUp', 'pageDown', 'top', 'bottom'];

export const App = ({source, intervalMs: initialInterval, prefix, size, initialPane = 'stats', onQuit}: AppProps) => {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const terminal = useTerminalSize();
	const {columns, rows} = size ?? terminal;
	const [active, setActive] = useState<PaneId>(initialPane);
	const [cursors, setCursors] = useState<Partial<Record<PaneId, ListCursor>>>({});
	const [showHelp, setShowHelp] = useState(false);
	const [paused, setPaused] = useState(false);
	const [intervalMs, setIntervalMs] = useState(initialInterval);
	const poll = usePoll(source, intervalMs, paused);
	const now = useNow(1000);

	const quit = useCallback(() => {
		onQuit?.();
		exit();
	}, [exit, onQuit]);

	const run = (command: Command) => {
		const index = PANES.findIndex(p => p.id === active);
		switch (command) {
			case 'quit':
				return quit();
			case 'help':
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
					const box = computeLayout(columns, rows, active).panes.find(p => p.id === active);
					const count = rowCount(active, poll.snapshot);
					setCursors(c => ({...c, [active]: moveCursor(c[active] ?? {index: 0, offset: 0}, command as CursorMove, count, visibleRows(box))}));
				}
		}
	};

	useInput(
		(input, key) => {
			if (showHelp) {
				// Ctrl-C always quits; anything else in help only closes it.
				const command = commandFor(input, key, ['help']) ?? (input === '?' ? 'back' : commandFor(input, key, ['global']) === 'quit' ? 'quit' : null);
				if (command) run(command);
				return;
			}
			const command = commandFor(input, key, active === 'stats' ? ['global'] : ['global', 'list']);
			if (command) run(command);
		},
		{isActive: isRawModeSupported === true},
	);

	return (
		<Screen
			snapshot={poll.snapshot}
			history={poll.history}
			width={columns}
			height={rows}
			active={active}
			cursors={cursors}
			showHelp={showHelp}
			intervalMs={intervalMs}
			paused={paused}
			now={now}
			prefix={prefix}
		/>
	);
};
