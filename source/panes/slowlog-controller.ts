// Slowlog pane behaviour: sort cycle, `/` filter prompt, per-command summary,
// and an entry's detail view (scrolled one argument at a time).
import type {Key} from 'ink';
import type {PaneController, PaneEnv} from './controller';
import {findEntry, hasServerSlowlog, initialSlowlogState, listRows, summaryOf, SORTS, viewRowCount, type SlowlogState} from './slowlog-view';

const printable = (input: string, key: Key): boolean =>
	input.length > 0 && !key.ctrl && !key.meta && !key.return && !key.escape && !key.tab && !/[\u0000-\u001f\u007f]/.test(input);

/** The `/` prompt takes every key: Enter applies, Esc cancels, Backspace edits. */
const promptInput = (state: SlowlogState, prompt: string, input: string, key: Key): SlowlogState => {
	if (key.return) return {...state, filter: prompt.trim(), prompt: null, detail: null};
	if (key.escape) return {...state, prompt: null};
	if (key.backspace || key.delete) return {...state, prompt: prompt.slice(0, -1)};
	if (key.ctrl && input === 'u') return {...state, prompt: ''};
	if (printable(input, key)) return {...state, prompt: (prompt + input).slice(0, 200)};
	return state;
};

/** The detail view scrolls by argument; back keys fall through to `back`. */
const detailInput = (state: SlowlogState, input: string, key: Key, env: PaneEnv<SlowlogState>): SlowlogState | null => {
	const detail = state.detail!;
	const entry = env.snapshot ? findEntry(env.snapshot, detail) : null;
	const last = Math.max(0, (entry?.args.length ?? 1) - 1);
	const page = Math.max(1, env.visibleRows - 6);
	let scroll: number | null = null;
	if (input === 'j' || key.downArrow) scroll = detail.scroll + 1;
	else if (input === 'k' || key.upArrow) scroll = detail.scroll - 1;
	else if (key.pageDown || input === ' ' || (key.ctrl && input === 'd')) scroll = detail.scroll + page;
	else if (key.pageUp || (key.ctrl && input === 'u')) scroll = detail.scroll - page;
	else if (input === 'g' || key.home) scroll = 0;
	else if (input === 'G' || key.end) scroll = last;
	if (scroll === null) return null;
	return {...state, detail: {...detail, scroll: Math.min(last, Math.max(0, scroll))}};
};

const open = (state: SlowlogState, env: PaneEnv<SlowlogState>): SlowlogState => {
	const snapshot = env.snapshot;
	if (!snapshot || !hasServerSlowlog(snapshot)) return state;
	if (state.view === 'summary') {
		// Enter on a command: the list filtered to it.
		const row = summaryOf(snapshot)[env.cursorIndex];
		return row ? {...state, view: 'list', filter: row.command.split(' ')[0]!} : state;
	}
	const row = listRows(snapshot, state)[env.cursorIndex];
	if (row?.kind !== 'entry') return state;
	return {...state, detail: {epoch: row.entry.epoch, id: row.entry.id, scroll: 0}};
};

export const slowlogController: PaneController<SlowlogState> = {
	id: 'slowlog',
	initial: initialSlowlogState,
	bindings: [
		{command: 'slowlogSort', keys: [{input: 's'}], label: 's', description: 'cycle the sort: newest / slowest', scope: 'slowlog', hint: 'sort'},
		{command: 'slowlogFilter', keys: [{input: '/'}], label: '/', description: 'filter by command name or argument (Enter applies, empty clears)', scope: 'slowlog', hint: 'filter'},
		{command: 'slowlogSummary', keys: [{input: 'c'}], label: 'c', description: 'per-command summary (count, p50, p95, max) / back to the list', scope: 'slowlog'},
		{command: 'slowlogOpen', keys: [{key: 'return'}], label: 'Enter', description: 'open the entry (every argument, full timestamp)', scope: 'slowlog', hint: 'open', hintKeys: '⏎'},
	],
	command: (state, command, env) => {
		switch (command) {
			case 'slowlogSort':
				return {...state, sort: SORTS[(SORTS.indexOf(state.sort) + 1) % SORTS.length]!};
			case 'slowlogFilter':
				return {...state, prompt: state.filter};
			case 'slowlogSummary':
				return {...state, view: state.view === 'list' ? 'summary' : 'list'};
			case 'slowlogOpen':
				return open(state, env);
			default:
				return state;
		}
	},
	input: (state, input, key, env) => {
		if (state.prompt !== null) return promptInput(state, state.prompt, input, key);
		if (state.detail) return detailInput(state, input, key, env);
		return null;
	},
	modal: state => state.detail !== null || state.prompt !== null,
	back: state => (state.prompt !== null ? {...state, prompt: null} : {...state, detail: null}),
	rowCount: (snapshot, state) => (state.detail ? 0 : viewRowCount(snapshot, state)),
	status: state => {
		// Sort, view and filter show in the pane's title; the bar shows the prompt being typed.
		if (state.prompt !== null) return `filter: ${state.prompt}▏ (Enter apply · Esc cancel · empty clears)`;
		return undefined;
	},
};
