// The Locks pane's keys, as a pure reducer (effects: the release, a notice): sort,
// the shared `/` prompt, event list, detail (shared scroll moves), and
// (with --allow-write only: the lock admin capability) force-release after
// typing the resource name; the controller never reaches the source.
import {sanitize} from '../domain/sanitize';
import type {Lock} from '../domain/types';
import type {Binding} from '../keymap';
import type {LockAdmin} from '../sources/capabilities';
import {scrollBy} from '../ui/list-cursor';
import {promptKey, promptLine} from '../ui/prompt';
import type {PaneController, PaneEnv} from './controller';
import {detailLines} from './locks-detail';
import {initialLocksState, rowCountOf, SORT_LABEL, SORTS, visibleEvents, visibleLocks, type LocksState} from './locks-view';

const bindings: readonly Binding[] = [
	{command: 'locks.sort', keys: [{input: 's'}], label: 's', description: 'sort locks by TTL left / age / resource', scope: 'locks', hint: 'sort'},
	{command: 'locks.filter', keys: [{input: '/'}], label: '/', description: 'filter locks by resource (Enter applies, empty clears)', scope: 'locks', hint: 'filter'},
	{command: 'locks.detail', keys: [{key: 'return'}], label: 'Enter', description: 'lock detail: full token, key, timings, its history', scope: 'locks', hint: 'detail'},
	{command: 'locks.events', keys: [{input: 'e'}], label: 'e', description: 'show the lock event history / the locks', scope: 'locks', hint: 'events'},
	{
		command: 'locks.release',
		keys: [{input: 'x'}],
		label: 'x',
		description: 'force-release the lock (only with --allow-write; you type the resource name)',
		scope: 'locks',
		detail: true,
	},
];

/** The lock under the cursor (in the event list: the event's lock, live or as it was). */
const lockAtCursor = (state: LocksState, env: PaneEnv<LocksState>): Lock | null => {
	const snapshot = env.snapshot;
	if (!snapshot) return null;
	if (!state.events) return visibleLocks(snapshot.locks, state)[env.cursorIndex] ?? null;
	const event = visibleEvents(snapshot, state)[env.cursorIndex];
	if (!event) return null;
	const live = snapshot.locks.find(l => l.key === event.key && l.layout === event.layout);
	if (live) return live;
	return {resource: event.resource, key: event.key, token: event.token ?? '?', acquiredAt: null, ttlMs: null, layout: event.layout, foreignToken: false};
};

const WRITE_OFF = 'force-release is off: start tcmon with --allow-write to enable it (you then type the resource name to confirm)';

const release = (state: LocksState, lock: Lock, admin: LockAdmin, env: PaneEnv<LocksState>): LocksState => {
	env.effect(() => {
		env.notify(`releasing ${sanitize(lock.resource)}…`);
		void admin.release(lock).then(result => env.notify(sanitize(result.message)));
	});
	return {...state, prompt: null};
};

export const locksController: PaneController<LocksState> = {
	id: 'locks',
	initial: initialLocksState,
	bindings,
	command: (state, command, env) => {
		switch (command) {
			case 'locks.sort':
				return {...state, sort: SORTS[(SORTS.indexOf(state.sort) + 1) % SORTS.length]!};
			case 'locks.filter':
				return {...state, prompt: {kind: 'filter', text: state.filter}};
			case 'locks.events':
				return {...state, events: !state.events, detail: null};
			case 'locks.detail': {
				if (state.detail) return state;
				const lock = lockAtCursor(state, env);
				return lock ? {...state, detail: {key: lock.key, layout: lock.layout, lock, scroll: 0, allowWrite: env.allowWrite}} : state;
			}
			case 'locks.release': {
				// The capability is the gate: it exists only with --allow-write.
				if (!env.capabilities.locks) {
					env.notify(WRITE_OFF);
					return state;
				}
				const lock = state.detail ? (env.snapshot?.locks.find(l => l.key === state.detail!.key && l.layout === state.detail!.layout) ?? null) : lockAtCursor(state, env);
				if (!lock) {
					env.notify('no live lock here to release');
					return state;
				}
				return {...state, prompt: {kind: 'release', text: '', lock}};
			}
			default:
				return state;
		}
	},
	input: (state, input, key, env) => {
		const prompt = state.prompt;
		if (!prompt) return null;
		const result = promptKey(prompt.text, input, key);
		if (result.kind === 'cancel') return {...state, prompt: null};
		if (result.kind === 'edit') return {...state, prompt: {...prompt, text: result.text}};
		if (prompt.kind === 'filter') return {...state, prompt: null, filter: result.text.trim()};
		const admin = env.capabilities.locks;
		if (!admin) return {...state, prompt: null};
		if (result.text === prompt.lock.resource || result.text === sanitize(prompt.lock.resource)) return release(state, prompt.lock, admin, env);
		env.notify('the name does not match: nothing released');
		return {...state, prompt: null};
	},
	scroll: (state, move, env) => {
		const d = state.detail;
		if (!d || !env.snapshot) return state;
		// Counted at the narrowest pane: an upper bound, the view clamps to what it draws.
		const total = detailLines(env.snapshot, d, 40).length;
		const scroll = scrollBy(d.scroll, move, total, env.visibleRows);
		return scroll === d.scroll ? state : {...state, detail: {...d, scroll}};
	},
	modal: state => state.detail !== null || state.prompt !== null,
	prompting: state => state.prompt !== null,
	back: state => (state.prompt ? {...state, prompt: null} : {...state, detail: null}),
	rowCount: (snapshot, state) => rowCountOf(snapshot, state ?? initialLocksState()),
	status: state => {
		if (state.prompt?.kind === 'filter') return promptLine('filter /', sanitize(state.prompt.text), 'apply (empty clears)');
		if (state.prompt?.kind === 'release') return promptLine(`force-release ${sanitize(state.prompt.lock.resource)}? type its name: `, sanitize(state.prompt.text), 'release');
		return state.filter || state.sort !== 'ttl' ? `locks: sort ${SORT_LABEL[state.sort]}${state.filter ? ` · filter /${sanitize(state.filter)}` : ''}` : undefined;
	},
};
