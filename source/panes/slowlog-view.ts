// What the Slowlog pane shows, as pure functions of (snapshot, pane state):
// the controller (cursor bounds, Enter) and the pane (rendering) both use
// these, so the row under the cursor is the row on screen.
import {touchesPrefix} from '../domain/slowlog';
import {slowestDurations, summarize, type DurationSample} from '../domain/slowlog-stats';
import type {Snapshot, SlowlogCommandSummary, SlowlogHistory, SlowlogHistoryEntry, SlowlogMark} from '../domain/types';

export type SlowlogSort = 'newest' | 'slowest';
export const SORTS: readonly SlowlogSort[] = ['newest', 'slowest'];

export type SlowlogDetail = {epoch: number; id: number; scroll: number};

export type SlowlogState = {
	sort: SlowlogSort;
	/** Applied filter: command name or argument substring, case-insensitive. */
	filter: string;
	/** The `/` prompt while typing, else null. */
	prompt: string | null;
	view: 'list' | 'summary';
	detail: SlowlogDetail | null;
};

export const initialSlowlogState = (): SlowlogState => ({sort: 'newest', filter: '', prompt: null, view: 'list', detail: null});

export type SlowlogRow = {kind: 'entry'; entry: SlowlogHistoryEntry} | {kind: 'mark'; mark: SlowlogMark};

/** Where the pane is: a server with a slowlog, or a source without one. */
export const hasServerSlowlog = (snapshot: Snapshot): boolean => snapshot.source.kind === 'redis';

/**
 * The session history, or (a snapshot that never went through the tracker,
 * e.g. a fixture) the server's current list as a one-poll history.
 */
export const historyOf = (snapshot: Snapshot, prefix = 'tmux-claude'): SlowlogHistory =>
	snapshot.slowlogHistory ?? {
		since: snapshot.takenAt,
		entries: snapshot.slowlog.map(e => ({...e, epoch: 0, firstSeenAt: snapshot.takenAt, touchesPrefix: touchesPrefix(e.args, prefix)})),
		marks: [],
		evicted: 0,
		seen: snapshot.slowlog.length,
	};

export const summaryOf = (snapshot: Snapshot): SlowlogCommandSummary[] => snapshot.slowlogSummary ?? summarize(historyOf(snapshot).entries);

export const matchesFilter = (entry: SlowlogHistoryEntry, filter: string): boolean => {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return entry.args.some(a => a.toLowerCase().includes(needle)) || entry.client.toLowerCase().includes(needle);
};

/** A mark sits above the entries logged before it. */
const before = (entry: SlowlogHistoryEntry, mark: SlowlogMark): boolean =>
	entry.epoch < mark.epoch || (entry.epoch === mark.epoch && entry.id <= mark.afterId);

const markOrder = (a: SlowlogMark, b: SlowlogMark): number => b.epoch - a.epoch || b.afterId - a.afterId || b.at - a.at;

/** The order the list is in (a filter, when applied, starts it slowest first; `s` still cycles). */
export const shownSort = (state: Pick<SlowlogState, 'sort'>): SlowlogSort => state.sort;

/** List rows: filtered, sorted; newest-first with resets, restarts and gaps marked where they happened. */
export const listRows = (snapshot: Snapshot, state: SlowlogState): SlowlogRow[] => {
	const history = historyOf(snapshot);
	const entries = history.entries.filter(e => matchesFilter(e, state.filter));
	// Marks place entries in time: only in the newest-first list.
	if (shownSort(state) === 'slowest') {
		return [...entries].sort((a, b) => b.durationMicros - a.durationMicros || b.epoch - a.epoch || b.id - a.id).map(entry => ({kind: 'entry', entry}));
	}
	const marks = [...history.marks].sort(markOrder);
	const rows: SlowlogRow[] = [];
	let m = 0;
	for (const entry of entries) {
		while (m < marks.length && before(entry, marks[m]!)) rows.push({kind: 'mark', mark: marks[m++]!});
		rows.push({kind: 'entry', entry});
	}
	while (m < marks.length) rows.push({kind: 'mark', mark: marks[m++]!});
	return rows;
};

/** Rows of the current view, whatever it is: list, summary or (no server) duration samples. */
export const viewRowCount = (snapshot: Snapshot | null, state: SlowlogState): number => {
	if (!snapshot) return 0;
	if (!hasServerSlowlog(snapshot)) return durationRows(snapshot).length;
	return state.view === 'summary' ? summaryOf(snapshot).length : listRows(snapshot, state).length;
};

export const durationRows = (snapshot: Snapshot): DurationSample[] => slowestDurations(snapshot.metrics);

export const findEntry = (snapshot: Snapshot, detail: SlowlogDetail): SlowlogHistoryEntry | null =>
	historyOf(snapshot).entries.find(e => e.epoch === detail.epoch && e.id === detail.id) ?? null;

/** "2026-11-26 09:00:05 +00:00": the full local timestamp with its offset. */
export const formatTimestamp = (epochMs: number): string => {
	const d = new Date(epochMs);
	const two = (n: number) => String(n).padStart(2, '0');
	const off = -d.getTimezoneOffset();
	const sign = off >= 0 ? '+' : '-';
	return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${sign}${two(Math.floor(Math.abs(off) / 60))}:${two(Math.abs(off) % 60)}`;
};
