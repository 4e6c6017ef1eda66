// The Keys pane's behaviour: a SCAN-only key browser. Its I/O goes through the
// key browser capability (sources/capabilities.ts), which owns the walk, the
// connections and the timers; this file keeps no module state but memos.
// Indexing starts when
// the pane is first focused and runs in small asynchronous slices (results
// arrive through env.update), so keys are never blocked. The rows on screen
// get TYPE / PTTL / MEMORY USAGE in one pipeline; Enter opens a namespace or
// the typed value viewer (a modal state with its own scrolling and paging).
// On a Redis Cluster the walk covers every master into one tree and each
// key's reads go to the master holding its slot (database 0 only: `n` says so).
import type {Key} from 'ink';
import {jsonTree, jsonValue, NO_ENTRIES} from '../domain/json-keys';
import {valueLines, type ValueData} from '../domain/key-view';
import {NamespaceTree, treeRows, type KeyRef, type TreeRow} from '../domain/namespaces';
import type {Snapshot} from '../domain/types';
import type {Binding} from '../keymap';
import {databasesInUse, type IndexView, type KeyDetail} from '../sources/key-index';
import {escapeGlob} from '../domain/scan-cursor';
import type {Source} from '../sources/source';
import {copyToClipboard} from '../ui/clipboard';
import {scrollBy, type CursorMove} from '../ui/list-cursor';
import {promptKey, promptLine} from '../ui/prompt';
import {sparkline} from '../ui/sparkline';
import type {PaneController, PaneEnv} from './controller';

export const TYPE_FILTERS = [null, 'string', 'hash', 'list', 'set', 'zset', 'stream'] as const;
export const DELIMITERS = [':', '/', '.', '|', '_', '-'] as const;

export type ViewerState = {ref: KeyRef; data: ValueData | null; scroll: number};

export type KeysState = {
	view: 'tree' | 'list';
	/** The whole database instead of the prefix. */
	all: boolean;
	/** Glob passed to SCAN MATCH (under the prefix unless `all`). */
	pattern: string | null;
	/** Text being typed after `/`, or null. */
	prompt: string | null;
	type: string | null;
	/** Database browsed; null = the connection's own. */
	db: number | null;
	/** Namespace delimiter of the tree (Redis). */
	delimiter: string;
	expanded: ReadonlySet<string>;
	index: IndexView | null;
	details: ReadonlyMap<KeyRef, KeyDetail>;
	viewer: ViewerState | null;
	/** Bumped on every (re)start, so late results of an old scan are dropped. */
	generation: number;
	/** The source the index was built from (auto fallback switches it). */
	built: Source | null;
	/** JSON source: the snapshot time the tree was built from. */
	jsonAt: number | null;
	/** The prefix and the scope (MATCH glob, or the state dir) of the index shown. */
	builtPrefix: string | null;
	builtScope: string | null;
	/** When the index shown was last whole (a walk finished, the state dir read). */
	walkedAt: number | null;
	/** Writes reach the index shown (change tracking, or a state dir read each poll); else it says how old it is. */
	following: boolean;
	/** A walk again after writes is running; the old tree stays until it is whole. */
	refreshing: boolean;
};

export const initialKeysState = (): KeysState => ({
	view: 'tree',
	all: false,
	pattern: null,
	prompt: null,
	type: null,
	db: null,
	delimiter: ':',
	expanded: new Set(),
	index: null,
	details: new Map(),
	viewer: null,
	generation: 0,
	built: null,
	jsonAt: null,
	builtPrefix: null,
	builtScope: null,
	walkedAt: null,
	following: false,
	refreshing: false,
});

// --- rows -------------------------------------------------------------------

type RowMemo = {version: number; expanded: ReadonlySet<string>; view: string; rows: TreeRow[]};
// Keyed by the tree: a memo per walk, gone with it (not a pane-wide singleton).
const rowMemo = new WeakMap<NamespaceTree, RowMemo>();

/** The rows the pane lists, for the cursor and for rendering (memoised on the tree's version). */
export const keysRows = (state: KeysState): TreeRow[] => {
	const tree = state.index?.tree;
	if (!tree) return [];
	const c = rowMemo.get(tree);
	if (c && c.version === tree.version && c.expanded === state.expanded && c.view === state.view) return c.rows;
	const rows: TreeRow[] = state.view === 'tree' ? treeRows(tree, state.expanded) : tree.list.map(ref => ({kind: 'key', ref, depth: 0}));
	rowMemo.set(tree, {version: tree.version, expanded: state.expanded, view: state.view, rows});
	return rows;
};

/** The MATCH glob a state scans with. */
export const scanMatch = (state: Pick<KeysState, 'all' | 'pattern'>, prefix: string): string | null =>
	state.all ? state.pattern : `${escapeGlob(prefix)}:${state.pattern ?? '*'}`;

// --- I/O, through the key browser capability -----------------------------------

const DETAILS_TTL_MS = 10_000;

/** Fetches type/TTL/memory for the rows around `center` (two screenfuls), debounced. */
const requestDetails = (env: PaneEnv<KeysState>, state: KeysState, center: number) => {
	const browser = env.capabilities.keys;
	if (!browser.scannable || !state.index) return;
	browser.debounce(() => {
		const rows = keysRows(state);
		const span = Math.max(10, env.visibleRows * 2);
		const now = Date.now();
		const refs: KeyRef[] = [];
		for (let i = Math.max(0, center - span); i < Math.min(rows.length, center + span); i++) {
			const row = rows[i]!;
			if (row.kind !== 'key') continue;
			const known = state.details.get(row.ref);
			if (!known || now - known.fetchedAt > DETAILS_TTL_MS) refs.push(row.ref);
		}
		if (refs.length === 0) return;
		const generation = state.generation;
		browser
			.details(state.db, refs)
			.then(found =>
				env.update(s => {
					if (s.generation !== generation) return s;
					const details = new Map(s.details.size > 5000 ? [] : s.details);
					for (const [ref, d] of found) details.set(ref, d);
					return {...s, details};
				}),
			)
			.catch(() => {});
	}, 40);
};

/** Whether a walk can follow writes: the prefix's own keys, unfiltered, in the connection's database (what tracking names). */
const followable = (state: KeysState): boolean => !state.all && state.pattern === null && state.type === null && state.db === null;

/**
 * Walks again when writes created or deleted keys the walk covers (EXISTS on
 * the keys tracking named, against the tree): a write to a key already listed
 * costs one EXISTS, not a walk.
 */
const followWrites = (env: PaneEnv<KeysState>, generation: number, tree: NamespaceTree, prefix: string): boolean => {
	const browser = env.capabilities.keys;
	return browser.watch(changes => {
		const check = async (): Promise<boolean> => {
			if (changes === 'all') return true;
			const names = [...changes].filter(n => n.startsWith(`${prefix}:`)).slice(0, 1000);
			if (names.length === 0) return false;
			const listed = new Set(tree.list.map(r => r.name));
			const exist = await browser.existing(null, names);
			return names.some(n => exist.has(n) !== listed.has(n));
		};
		void check()
			.then(moved => {
				if (moved) env.update(s => (s.generation === generation && s.index ? startIndex({...s, refreshing: true}, env) : s));
			})
			.catch(() => {});
	});
};

/** What the pane shows between a walk being asked for and its first view. */
const emptyWalk = (delimiter: string): IndexView => ({
	tree: new NamespaceTree({delimiter}),
	status: 'scanning',
	progress: {found: 0, examined: 0, dbsize: null, elapsedMs: 0, calls: 0, done: false},
	error: null,
	typeFilter: null,
	memoryError: null,
	ranges: 1,
});

/** Starts (or restarts) indexing with the state's scope and filters. */
export const startIndex = (state: KeysState, env: PaneEnv<KeysState>): KeysState => {
	const browser = env.capabilities.keys;
	// Never reused, even when a key press acts on a state older than the last render.
	const generation = browser.nextGeneration();
	const src = browser.current;
	const scannable = browser.scannable;
	const base = {...state, generation, details: new Map(), viewer: null, built: src, builtPrefix: env.prefix, builtScope: scannable ? (scanMatch(state, env.prefix) ?? '*') : 'state dir'};
	if (!scannable) {
		env.effect(() => browser.cancel());
		const snapshot = env.snapshot;
		const tree = jsonTree(snapshot ?? NO_ENTRIES);
		const index: IndexView = {
			tree,
			status: 'done',
			progress: {found: tree.total, examined: tree.total, dbsize: tree.total, elapsedMs: 0, calls: 0, done: true},
			error: snapshot ? null : 'waiting for the first read of the state directory',
			typeFilter: null,
			ranges: 1,
			memoryError: null,
		};
		const expanded = state.built === src ? state.expanded : new Set(['instances.json', 'locks', 'metrics.jsonl']);
		// Rebuilt from every poll: it follows the state dir.
		return {...base, index, expanded, jsonAt: snapshot?.takenAt ?? null, walkedAt: snapshot?.takenAt ?? null, following: true, refreshing: false};
	}
	const refreshing = state.refreshing && state.index !== null;
	const following = followable(state) && browser.followOff !== 'disabled';
	// The walk starts once this state is stored (an effect, not part of the reduction);
	// until its first view lands the pane shows an empty walk under way.
	env.effect(() => {
		const first = browser.index(state.db, {
			match: scanMatch(state, env.prefix),
			type: state.type,
			tree: {delimiter: state.delimiter},
			yieldBetween: true,
			updateEveryMs: 500,
			onUpdate: view => {
				env.update(s => {
					if (s.generation !== generation) return s;
					// A walk again after writes keeps the old tree on screen until it is whole.
					if (s.refreshing && view.status === 'scanning') return s;
					// New rows may now be on screen: `settle` reads their details after the render.
					return {...s, index: view, refreshing: false, walkedAt: view.status === 'done' ? Date.now() : s.walkedAt};
				});
			},
		});
		if (!first) return;
		if (following) followWrites(env, generation, first.tree, env.prefix);
		if (!refreshing) env.update(s => (s.generation === generation && s.index?.status === 'scanning' && s.index.progress.calls === 0 ? {...s, index: first} : s));
	});
	// Open the prefix namespace at first (and after a switch from the state
	// dir's tree, whose open namespaces mean nothing here), so tmux-claude's keys show at once.
	const expanded = state.expanded.size > 0 && state.built === src ? state.expanded : new Set(state.delimiter === ':' ? [env.prefix] : []);
	if (refreshing) return {...base, details: state.details, viewer: state.viewer, index: state.index, expanded, following, refreshing: true};
	return {...base, index: emptyWalk(state.delimiter), expanded, following, refreshing: false, walkedAt: null};
};

// --- viewer -----------------------------------------------------------------

const lineCountCache = new WeakMap<ValueData, number>();
/** Lines of the viewer body (counted at the narrowest pane width: an upper bound). */
const viewerLines = (data: ValueData | null): number => {
	if (!data) return 0;
	let n = lineCountCache.get(data);
	if (n === undefined) {
		n = valueLines(data, 56, data.fetchedAt, sparkline).length;
		lineCountCache.set(data, n);
	}
	return n;
};

const openViewer = (state: KeysState, ref: KeyRef, env: PaneEnv<KeysState>): KeysState => {
	const browser = env.capabilities.keys;
	if (!browser.scannable) return {...state, viewer: {ref, data: jsonValue(env.snapshot, ref), scroll: 0}};
	env.effect(() => {
		void browser
			.open(state.db, ref, env.prefix)
			.then(data => env.update(s => (s.viewer?.ref === ref ? {...s, viewer: {...s.viewer, data}} : s)))
			.catch(() => {});
	});
	return {...state, viewer: {ref, data: null, scroll: 0}};
};

const scrollViewer = (state: KeysState, viewer: ViewerState, move: CursorMove, env: PaneEnv<KeysState>): KeysState => {
	const total = viewerLines(viewer.data);
	const scroll = scrollBy(viewer.scroll, move, total, env.visibleRows);
	let data = viewer.data;
	const browser = env.capabilities.keys;
	// Near the end of what is loaded: fetch the next page.
	if (data && data.next !== null && !data.loading && scroll + env.visibleRows * 2 >= total && browser.scannable) {
		const ref = viewer.ref;
		data = {...data, loading: true};
		const from = data;
		env.effect(() => {
			void browser
				.more(state.db, ref, from)
				.then(more => env.update(s => (s.viewer?.ref === ref && more ? {...s, viewer: {...s.viewer, data: more}} : s)))
				.catch(() => {});
		});
	}
	return {...state, viewer: {...viewer, scroll, data}};
};

// --- the controller -----------------------------------------------------------

const bindings: readonly Binding[] = [
	{command: 'keys.open', keys: [{key: 'return'}, {input: 'o'}], label: 'Enter o', description: 'open a namespace / view a key', scope: 'keys', hint: 'open', hintKeys: '⏎'},
	{command: 'keys.view', keys: [{input: 'v'}], label: 'v', description: 'namespace tree / flat list', scope: 'keys', hint: 'tree/list'},
	{command: 'keys.all', keys: [{input: 'a'}], label: 'a', description: 'prefix only / whole database', scope: 'keys', hint: 'all'},
	{command: 'keys.filter', keys: [{input: '/'}], label: '/', description: 'glob filter (SCAN MATCH)', scope: 'keys', hint: 'filter'},
	{command: 'keys.type', keys: [{input: 't'}], label: 't', description: 'cycle the type filter', scope: 'keys', hint: 'type'},
	{command: 'keys.db', keys: [{input: 'n'}], label: 'n', description: 'next database in use (a cluster has db 0 only)', scope: 'keys'},
	{command: 'keys.delimiter', keys: [{input: 'd'}], label: 'd', description: 'cycle the namespace delimiter (: / . | _ -)', scope: 'keys'},
	{command: 'keys.cancel', keys: [{input: 'x'}], label: 'x', description: 'cancel indexing', scope: 'keys'},
	{command: 'keys.rescan', keys: [{input: 's'}], label: 's', description: 'scan again', scope: 'keys'},
	{command: 'keys.copy', keys: [{input: 'y'}], label: 'y', description: 'copy the key name (OSC 52)', scope: 'keys', detail: true},
	{command: 'keys.collapse', keys: [{key: 'leftArrow'}], label: '←', description: 'collapse the namespace (h, Tab and 1-5 still change panes)', scope: 'keys'},
	{command: 'keys.expand', keys: [{key: 'rightArrow'}], label: '→', description: 'expand the namespace', scope: 'keys'},
];

const rowAt = (state: KeysState, env: PaneEnv<KeysState>): TreeRow | undefined => keysRows(state)[env.cursorIndex];

const command = (state: KeysState, name: string, env: PaneEnv<KeysState>): KeysState => {
	switch (name) {
		case 'keys.open': {
			if (!state.index) return startIndex(state, env);
			const row = rowAt(state, env);
			if (!row) return state;
			if (row.kind === 'ns') {
				const expanded = new Set(state.expanded);
				if (expanded.has(row.node.path)) expanded.delete(row.node.path);
				else expanded.add(row.node.path);
				return {...state, expanded};
			}
			if (row.kind === 'key') return openViewer(state, row.ref, env);
			env.notify(`${row.hidden} more keys are counted but not kept in memory: narrow with / or t`);
			return state;
		}
		case 'keys.collapse':
		case 'keys.expand': {
			const row = rowAt(state, env);
			if (row?.kind !== 'ns' || state.view !== 'tree') return state;
			const open = state.expanded.has(row.node.path);
			if (open === (name === 'keys.expand')) return state;
			const expanded = new Set(state.expanded);
			if (open) expanded.delete(row.node.path);
			else expanded.add(row.node.path);
			return {...state, expanded};
		}
		case 'keys.view': {
			return {...state, view: state.view === 'tree' ? 'list' : 'tree'};
		}
		case 'keys.all':
			return startIndex({...state, all: !state.all}, env);
		case 'keys.filter':
			return {...state, prompt: state.pattern ?? ''};
		case 'keys.type': {
			const i = TYPE_FILTERS.indexOf(state.type as (typeof TYPE_FILTERS)[number]);
			return startIndex({...state, type: TYPE_FILTERS[(i + 1) % TYPE_FILTERS.length] ?? null}, env);
		}
		case 'keys.db': {
			const browser = env.capabilities.keys;
			if (browser.cluster) {
				env.notify('a Redis Cluster has database 0 only: no other database to browse');
				return state;
			}
			const dbs = databasesInUse(env.snapshot?.info ?? null);
			if (!browser.redis || dbs.length === 0) {
				env.notify('no other database in use');
				return state;
			}
			const own = browser.ownDb;
			const current = state.db ?? own;
			const choices = [...new Set([own, ...dbs])].sort((a, b) => a - b);
			if (choices.length <= 1) {
				env.notify(`only database ${current} is in use`);
				return state;
			}
			const next = choices[(choices.indexOf(current) + 1) % choices.length]!;
			return startIndex({...state, db: next === own ? null : next, expanded: new Set()}, env);
		}
		case 'keys.delimiter': {
			const i = DELIMITERS.indexOf(state.delimiter as (typeof DELIMITERS)[number]);
			return startIndex({...state, delimiter: DELIMITERS[(i + 1) % DELIMITERS.length]!, expanded: new Set()}, env);
		}
		case 'keys.cancel':
			env.effect(() => env.capabilities.keys.cancel());
			return state;
		case 'keys.rescan':
			return startIndex(state, env);
		case 'keys.copy': {
			if (state.viewer) {
				const ref = state.viewer.ref;
				env.effect(() => env.notify(copyToClipboard(ref.raw ?? Buffer.from(ref.name))));
				return state;
			}
			const row = rowAt(state, env);
			if (row?.kind === 'key') env.effect(() => env.notify(copyToClipboard(row.ref.raw ?? Buffer.from(row.ref.name))));
			else if (row?.kind === 'ns') env.effect(() => env.notify(copyToClipboard(Buffer.from(row.node.path))));
			return state;
		}
		default:
			return state;
	}
};

export const keysController: PaneController<KeysState> = {
	id: 'keys',
	initial: initialKeysState,
	bindings,
	command,
	activate: (state, env) => (state.index && state.built === env.capabilities.keys.current ? state : startIndex(state, env)),
	// A walk of data since replaced: walk again now when on screen, else when next shown.
	datasetReplaced: (state, env, active) => {
		if (!state.index || state.jsonAt !== null) return state;
		return active ? {...startIndex(state, env), view: state.view} : {...state, index: null, viewer: null};
	},
	// The JSON source changes under us: rebuild its (small) tree from each newer read,
	// here and not in a key handler, so no key is ever taken for it.
	snapshotChanged: (state, env, active) => {
		if (!state.index) return state;
		if (state.built !== env.capabilities.keys.current) return active ? {...startIndex(state, env), view: state.view} : {...state, index: null, viewer: null};
		if (state.jsonAt === null || !env.snapshot || env.snapshot.takenAt === state.jsonAt) return state;
		const rebuilt = startIndex(state, env);
		// An open value stays open, read again from the new snapshot.
		const viewer = state.viewer ? {...state.viewer, data: jsonValue(env.snapshot, state.viewer.ref)} : null;
		return {...rebuilt, view: state.view, viewer};
	},
	input: (state, input, key, env) => {
		if (state.prompt !== null) {
			const result = promptKey(state.prompt, input, key);
			if (result.kind === 'cancel') return {...state, prompt: null};
			if (result.kind === 'apply') return startIndex({...state, prompt: null, pattern: result.text.trim() === '' ? null : result.text}, env);
			return {...state, prompt: result.text};
		}
		return null;
	},
	// After a render that moved the cursor or changed the rows: read type/TTL/memory of the rows now on screen.
	settle: (state, env) => {
		if (state.index && !state.viewer && state.prompt === null) requestDetails(env, state, env.cursorIndex);
	},
	scroll: (state, move, env) => (state.viewer ? scrollViewer(state, state.viewer, move, env) : state),
	modal: state => state.viewer !== null || state.prompt !== null,
	prompting: state => state.prompt !== null,
	back: state => (state.prompt !== null ? {...state, prompt: null} : {...state, viewer: null}),
	rowCount: (snapshot, state) => (state?.index ? keysRows(state).length : snapshot?.keys.length ?? 0),
	status: state => {
		if (state.prompt !== null) return promptLine(`SCAN MATCH ${state.all ? '' : '<prefix>:'}… /`, state.prompt);
		return undefined;
	},
};
