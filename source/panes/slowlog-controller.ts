// Slowlog pane behaviour, as a pure reducer over its state: sort cycle, the
// shared `/` prompt, per-command summary, and an entry's detail view
// (scrolled one argument at a time with the shared scroll moves).
import {promptKey, promptLine} from '../ui/prompt';
import {scrollBy} from '../ui/list-cursor';
import type {PaneController, PaneEnv} from './controller';
import {findEntry, hasServerSlowlog, initialSlowlogState, listRows, summaryOf, SORTS, viewRowCount, type SlowlogState} from './slowlog-view';

/** Lines of the detail view above its argument list (header, time, took, client, args line, frame). */
const DETAIL_HEAD = 6;

const open = (state: SlowlogState, env: PaneEnv<SlowlogState>): SlowlogState => {
	const snapshot = env.snapshot;
	if (!snapshot || !hasServerSlowlog(snapshot)) return state;
	if (state.view === 'summary') {
		// Enter on a command: the list filtered to it.
		const row = summaryOf(snapshot)[env.cursorIndex];
		return row ? {...state, view: 'list', filter: row.command.split(' ')[0]!, sort: 'slowest'} : state;
	}
	const row = listRows(snapshot, state)[env.cursorIndex];
	if (row?.kind !== 'entry') return state;
	return {...state, detail: {epoch: row.entry.epoch, id: row.entry.id, scroll: 0}};
};

export const slowlogController: PaneController<SlowlogState> = {
	id: 'slowlog',
	initial: initialSlowlogState,
	bindings: [
		{command: 'slowlog.sort', keys: [{input: 's'}], label: 's', description: 'cycle the sort: newest / slowest (a new filter starts slowest)', scope: 'slowlog', hint: 'sort'},
		{command: 'slowlog.filter', keys: [{input: '/'}], label: '/', description: 'filter by command name or argument (Enter applies, empty clears)', scope: 'slowlog', hint: 'filter'},
		{command: 'slowlog.summary', keys: [{input: 'c'}], label: 'c', description: 'per-command summary (count, p50, p95, max) / back to the list', scope: 'slowlog'},
		{command: 'slowlog.open', keys: [{key: 'return'}], label: 'Enter', description: 'open the entry (every argument, full timestamp)', scope: 'slowlog', hint: 'open', hintKeys: '⏎'},
	],
	command: (state, command, env) => {
		switch (command) {
			case 'slowlog.sort':
				return {...state, sort: SORTS[(SORTS.indexOf(state.sort) + 1) % SORTS.length]!};
			case 'slowlog.filter':
				return {...state, prompt: state.filter};
			case 'slowlog.summary':
				return {...state, view: state.view === 'list' ? 'summary' : 'list'};
			case 'slowlog.open':
				return open(state, env);
			default:
				return state;
		}
	},
	input: (state, input, key) => {
		if (state.prompt === null) return null;
		const result = promptKey(state.prompt, input, key);
		if (result.kind === 'cancel') return {...state, prompt: null};
		// A new filter starts slowest first (what is slow of these?); `s` goes back to newest.
		if (result.kind === 'apply') {
			const filter = result.text.trim();
			return {...state, filter, prompt: null, detail: null, sort: filter && filter !== state.filter ? 'slowest' : state.sort};
		}
		return {...state, prompt: result.text};
	},
	scroll: (state, move, env) => {
		const detail = state.detail;
		if (!detail) return state;
		const entry = env.snapshot ? findEntry(env.snapshot, detail) : null;
		const scroll = scrollBy(detail.scroll, move, entry?.args.length ?? 1, Math.max(1, env.visibleRows - DETAIL_HEAD));
		return scroll === detail.scroll ? state : {...state, detail: {...detail, scroll}};
	},
	modal: state => state.detail !== null || state.prompt !== null,
	prompting: state => state.prompt !== null,
	back: state => (state.prompt !== null ? {...state, prompt: null} : {...state, detail: null}),
	rowCount: (snapshot, state) => (state.detail ? 0 : viewRowCount(snapshot, state)),
	// Sort, view and filter show in the pane's title; the bar shows the prompt being typed.
	status: state => (state.prompt !== null ? promptLine('filter /', state.prompt, 'apply (empty clears)') : undefined),
};
