// The session-long slowlog: each poll's SLOWLOG GET merged by entry id into
// one history, so entries survive the server's ring buffer rolling over.
//
// Slowlog ids are a per-server counter, +1 per logged command, never reused
// and never reset by SLOWLOG RESET; the server keeps the newest max-len of
// them. So the list read at a poll is always a contiguous run of ids ending at
// the newest. With M = the newest id of the previous poll:
// - M still listed: nothing was lost; ids above M are new.
// - M gone, whole list read, and shorter than the buffer holds: a SLOWLOG RESET.
// - M gone and the list full: the buffer rolled over between polls (a gap of
//   entries logged and dropped before tcmon could read them).
// - M gone and only the newest `count` read: the entries between were not
//   read (they may still be on the server): a gap too.
// - the run id changed, or ids went backwards: the server restarted; ids
//   start again, so entries are keyed by (epoch, id).
// Without slowlog-max-len (CONFIG denied) the buffer's size is known only as
// the largest whole list seen, so a reset followed by more entries than that
// shows as a gap. The history keeps HISTORY_CAP entries; the per-command
// summary counts every entry seen (slowlog-stats.ts thins its samples past
// GROUP_CAP of one command). That tcmon's own polling stays out of this log
// is measured by test/bench/slowlog.mjs (see redis-source.ts).
import {touchesPrefix} from './slowlog';
import {addSamples, summaryOf, type CommandGroup} from './slowlog-stats';
import type {SlowlogCommandSummary, SlowlogEntry, SlowlogHistory, SlowlogHistoryEntry, SlowlogMark} from './types';

export const HISTORY_CAP = 5000;
export const MARKS_CAP = 200;

export type Observation = {
	/** Poll time, epoch ms. */
	at: number;
	entries: readonly SlowlogEntry[];
	/** The n of SLOWLOG GET n: a reply that long may not be the whole list. */
	count: number;
	runId: string | null;
	/** slowlog-max-len when CONFIG GET is permitted, else null. */
	maxLen: number | null;
	prefix: string;
};

export type HistoryState = {
	history: SlowlogHistory;
	summary: SlowlogCommandSummary[];
	epoch: number;
	runId: string | null;
	/** Newest id read in the current epoch. */
	lastMaxId: number | null;
	/** Largest whole list seen this epoch: a lower bound of slowlog-max-len. */
	maxSize: number;
	/** Per-command durations of every entry seen (evicted ones too), for the summary. */
	groups: ReadonlyMap<string, CommandGroup>;
};

const byNewest = (a: SlowlogEntry, b: SlowlogEntry): number => b.id - a.id;

export const initialHistory = (at: number): HistoryState => ({
	history: {since: at, entries: [], marks: [], evicted: 0, seen: 0},
	summary: [],
	epoch: 0,
	runId: null,
	lastMaxId: null,
	maxSize: 0,
	groups: new Map(),
});

/** Merges one poll's SLOWLOG GET into the session history. Pure: returns a new state. */
export const mergeSlowlog = (previous: HistoryState | null, obs: Observation, cap = HISTORY_CAP): HistoryState => {
	const state = previous ?? initialHistory(obs.at);
	const entries = [...obs.entries].sort(byNewest);
	const newest = entries[0]?.id ?? null;
	const marks: SlowlogMark[] = [];
	let {epoch, lastMaxId, maxSize} = state;

	const runChanged = obs.runId !== null && state.runId !== null && obs.runId !== state.runId;
	const wentBack = newest !== null && lastMaxId !== null && newest < lastMaxId;
	if (runChanged || wentBack) {
		epoch++;
		marks.push({
			kind: 'restart',
			at: obs.at,
			epoch,
			afterId: -1,
			missed: 0,
			detail: runChanged ? `run id ${short(state.runId)} → ${short(obs.runId)}, ids start again` : `slowlog ids went back from ${lastMaxId} to ${newest}`,
		});
		lastMaxId = null;
		maxSize = 0;
	} else if (lastMaxId !== null && !entries.some(e => e.id === lastMaxId)) {
		const whole = entries.length < obs.count;
		const logged = newest === null ? 0 : newest - lastMaxId;
		const capacity = obs.maxLen ?? maxSize;
		if (whole && entries.length < capacity) {
			epoch++;
			marks.push({kind: 'reset', at: obs.at, epoch, afterId: lastMaxId, missed: 0, detail: `the server's list was emptied after id ${lastMaxId}`});
			maxSize = 0;
		} else {
			const oldest = entries.at(-1)?.id ?? lastMaxId + 1;
			const missed = Math.max(0, oldest - lastMaxId - 1);
			if (missed > 0 || logged > entries.length) {
				marks.push({
					kind: 'gap',
					at: obs.at,
					epoch,
					afterId: lastMaxId,
					missed,
					detail: whole
						? `${missed} entries rolled out of the server's list (max-len ${capacity || '?'}) between polls`
						: `${missed} entries between polls not read: raise --slowlog-count or poll faster`,
				});
			}
		}
	}
	if (entries.length < obs.count) maxSize = Math.max(maxSize, entries.length);

	const fresh: SlowlogHistoryEntry[] = [];
	for (const e of entries) {
		if (lastMaxId !== null && e.id <= lastMaxId) break;
		fresh.push({...e, epoch, firstSeenAt: obs.at, touchesPrefix: touchesPrefix(e.args, obs.prefix)});
	}
	if (newest !== null && (lastMaxId === null || newest > lastMaxId)) lastMaxId = newest;

	if (fresh.length === 0 && marks.length === 0 && obs.runId === state.runId && lastMaxId === state.lastMaxId && maxSize === state.maxSize) return state;

	let all = fresh.length > 0 ? [...fresh, ...state.history.entries] : state.history.entries;
	let evicted = state.history.evicted;
	if (all.length > cap) {
		evicted += all.length - cap;
		all = all.slice(0, cap);
	}
	const groups = fresh.length > 0 ? addSamples(state.groups, fresh) : state.groups;
	return {
		history: {
			since: state.history.since,
			entries: all,
			marks: marks.length > 0 ? [...state.history.marks, ...marks].slice(-MARKS_CAP) : state.history.marks,
			evicted,
			seen: state.history.seen + fresh.length,
		},
		summary: fresh.length > 0 ? summaryOf(groups) : state.summary,
		epoch,
		runId: obs.runId ?? state.runId,
		lastMaxId,
		maxSize,
		groups,
	};
};

const short = (id: string | null): string => (id ? id.slice(0, 8) : '?');

/** How long an entry stays highlighted as new after the poll that first saw it. */
export const NEW_FOR_MS = 3000;

/** New = first seen after the session's first poll, and within NEW_FOR_MS of `now`. */
export const isNew = (entry: SlowlogHistoryEntry, history: SlowlogHistory, now: number): boolean =>
	entry.firstSeenAt > history.since && now - entry.firstSeenAt < NEW_FOR_MS;


/**
 * Epochs of the combined cluster history: node i's epoch e becomes
 * i * NODE_EPOCHS + e, so (epoch, id), which the Slowlog pane's selection and
 * detail view look an entry up by, is unique across nodes (two nodes log
 * the same ids: they are per node). `serverEpoch` gives back e (the resets
 * and restarts seen on the entry's own node).
 */
export const NODE_EPOCHS = 1_000_000;
export const serverEpoch = (epoch: number): number => epoch % NODE_EPOCHS;

/**
 * Redis Cluster: each node's history kept apart (ids are per node) and shown
 * as one: entries newest first by time, each naming its node (entry.node),
 * marks naming their node, the summary over every node's durations. Nodes
 * keep their place in `states` (insertion order) for the session, and with
 * it their epochs (see NODE_EPOCHS).
 */
export const combineHistories = (states: ReadonlyMap<string, HistoryState>, cap = HISTORY_CAP): {history: SlowlogHistory; summary: SlowlogCommandSummary[]} => {
	const entries: SlowlogHistoryEntry[] = [];
	const marks: SlowlogMark[] = [];
	const groups = new Map<string, CommandGroup>();
	let since = Number.POSITIVE_INFINITY;
	let evicted = 0;
	let seen = 0;
	let index = 0;
	for (const [node, state] of states) {
		const base = index++ * NODE_EPOCHS;
		since = Math.min(since, state.history.since);
		evicted += state.history.evicted;
		seen += state.history.seen;
		for (const entry of state.history.entries) entries.push(entry.node === node && base === 0 ? entry : {...entry, node, epoch: base + entry.epoch});
		for (const mark of state.history.marks) marks.push({...mark, epoch: base + mark.epoch, detail: `${node}: ${mark.detail}`});
		for (const [command, g] of state.groups) {
			const had = groups.get(command);
			groups.set(
				command,
				had
					? {sorted: [...had.sorted, ...g.sorted].sort((a, b) => a - b), count: had.count + g.count, prefix: had.prefix + g.prefix, max: Math.max(had.max, g.max), stride: Math.max(had.stride, g.stride)}
					: g,
			);
		}
	}
	entries.sort((a, b) => b.time - a.time || (a.node! < b.node! ? -1 : a.node! > b.node! ? 1 : 0) || b.id - a.id);
	marks.sort((a, b) => b.at - a.at);
	const kept = entries.slice(0, cap);
	return {
		history: {since: Number.isFinite(since) ? since : 0, entries: kept, marks: marks.slice(0, MARKS_CAP), evicted: evicted + entries.length - kept.length, seen},
		summary: summaryOf(groups),
	};
};
