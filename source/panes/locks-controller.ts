// The Locks pane's keys: sort, filter by resource, event list, detail, and
// (with --allow-write only) force-release after typing the resource name.
import {sanitize} from '../domain/sanitize';
import type {Lock} from '../domain/types';
import type {Binding} from '../keymap';
import {forceRelease} from '../sources/lock-release';
import type {PaneController, PaneEnv} from './controller';
import {initialLocksState, rowCountOf, SORT_LABEL, SORTS, visibleEvents, visibleLocks, type LocksState} from './locks-view';

const bindings: readonly Binding[] = [
	{command: 'locksSort', keys: [{input: 's'}], label: 's', description: 'sort locks by TTL left / age / resource', scope: 'locks', hint: 'sort'},
	{command: 'locksFilter', keys: [{input: '/'}], label: '/', description: 'filter locks by resource (Enter keeps, Esc clears)', scope: 'locks', hint: 'filter'},
	{command: 'locksDetail', keys: [{key: 'return'}], label: 'Enter', description: 'lock detail: full token, key, timings, its history', scope: 'locks', hint: 'detail'},
	{command: 'locksEvents', keys: [{input: 'e'}], label: 'e', description: 'show the lock event history / the locks', scope: 'locks', hint: 'events'},
	{
		command: 'locksRelease',
		keys: [{input: 'x'}],
		label: 'x',
		description: 'force-release the lock (only with --allow-write; you type the resource name)',
		scope: 'locks',
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

const release = (state: LocksState, lock: Lock, env: PaneEnv<LocksState>): LocksState => {
	env.notify(`releasing ${sanitize(lock.resource)}…`);
	void forceRelease(env.source, lock).then(result => env.notify(sanitize(result.message)));
	return {...state, prompt: null};
};

export const locksController: PaneController<LocksState> = {
	id: 'locks',
	initial: initialLocksState,
	bindings,
	command: (state, command, env) => {
		switch (command) {
			case 'locksSort':
				return {...state, sort: SORTS[(SORTS.indexOf(state.sort) + 1) % SORTS.length]!};
			case 'locksFilter':
				return {...state, prompt: {kind: 'filter', text: state.filter}};
			case 'locksEvents':
				return {...state, events: !state.events, detail: null};
			case 'locksDetail': {
				if (state.detail) return state;
				const lock = lockAtCursor(state, env);
				return lock ? {...state, detail: {key: lock.key, layout: lock.layout, lock, scroll: 0, allowWrite: env.allowWrite}} : state;
			}
			case 'locksRelease': {
				if (!env.allowWrite) {
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
		if (prompt) {
			if (key.escape) return prompt.kind === 'filter' ? {...state, prompt: null, filter: ''} : {...state, prompt: null};
			if (key.return) {
				if (prompt.kind === 'filter') return {...state, prompt: null, filter: prompt.text};
				if (prompt.text === prompt.lock.resource || prompt.text === sanitize(prompt.lock.resource)) return release(state, prompt.lock, env);
				env.notify('the name does not match: nothing released');
				return {...state, prompt: null};
			}
			if (key.backspace || key.delete) {
				const text = [...prompt.text].slice(0, -1).join('');
				return prompt.kind === 'filter' ? {...state, prompt: {...prompt, text}, filter: text} : {...state, prompt: {...prompt, text}};
			}
			if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || !input) return state;
			const text = prompt.text + input;
			return prompt.kind === 'filter' ? {...state, prompt: {...prompt, text}, filter: text} : {...state, prompt: {...prompt, text}};
		}
		if (state.detail) {
			const d = state.detail;
			if (input === 'j' || key.downArrow) return {...state, detail: {...d, scroll: d.scroll + 1}};
			if (input === 'k' || key.upArrow) return {...state, detail: {...d, scroll: Math.max(0, d.scroll - 1)}};
			if (input === 'g') return {...state, detail: {...d, scroll: 0}};
		}
		return null;
	},
	modal: state => state.detail !== null || state.prompt !== null,
	back: state => (state.prompt ? {...state, prompt: null} : {...state, detail: null}),
	rowCount: (snapshot, state) => rowCountOf(snapshot, state ?? initialLocksState()),
	status: state => {
		if (state.prompt?.kind === 'filter') return `/${sanitize(state.prompt.text)}`;
		if (state.prompt?.kind === 'release') return `type ${sanitize(state.prompt.lock.resource)} then Enter to force-release · Esc cancels`;
		return state.filter || state.sort !== 'ttl' ? `locks: sort ${SORT_LABEL[state.sort]}${state.filter ? ` · filter /${sanitize(state.filter)}` : ''}` : undefined;
	},
};
