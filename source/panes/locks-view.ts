// The Locks pane's own state and the pure view logic both its controller (row
// counts, what Enter opens) and its component (what is drawn) use.
import {byTtlLeft, DEFAULT_LOCK_TTL_MS, lockState, type LockState} from '../domain/locks';
import {compareText} from '../domain/order';
import {sanitize} from '../domain/sanitize';
import type {Lock, LockEvent, LockLayout, Snapshot} from '../domain/types';

export type LockSort = 'ttl' | 'age' | 'resource';

export const SORTS: readonly LockSort[] = ['ttl', 'age', 'resource'];
export const SORT_LABEL: Record<LockSort, string> = {ttl: 'TTL left', age: 'age', resource: 'resource'};

export type LocksPrompt = {kind: 'filter'; text: string} | {kind: 'release'; text: string; lock: Lock};

export type LocksDetail = {
	key: string;
	layout: LockLayout;
	/** The lock as it was when opened (shown if it has gone since). */
	lock: Lock;
	scroll: number;
	/** Whether force-release is enabled (--allow-write), for the hint. */
	allowWrite: boolean;
};

export type LocksState = {
	sort: LockSort;
	/** Case-insensitive substring of the resource. */
	filter: string;
	prompt: LocksPrompt | null;
	detail: LocksDetail | null;
	/** The list shows the event history instead of the locks. */
	events: boolean;
};

export const initialLocksState = (): LocksState => ({sort: 'ttl', filter: '', prompt: null, detail: null, events: false});

/** The full TTL a lock is measured against: the tracker's estimate, else the writer's default. */
export const fullTtlOf = (lock: Lock): number => lock.fullTtlMs ?? DEFAULT_LOCK_TTL_MS;

export const stateOf = (lock: Lock): LockState => lockState(lock, fullTtlOf(lock));

const byAge = (a: Lock, b: Lock): number =>
	(a.acquiredAt ?? Number.POSITIVE_INFINITY) - (b.acquiredAt ?? Number.POSITIVE_INFINITY) || compareText(a.resource, b.resource);
const byResource = (a: Lock, b: Lock): number => compareText(a.resource, b.resource) || compareText(a.layout, b.layout);

const matchesFilter = (resource: string, filter: string): boolean => !filter || sanitize(resource).toLowerCase().includes(filter.toLowerCase());

/** The rows of the lock list: filtered by resource, in the chosen order (oldest first for age). */
export const visibleLocks = (locks: readonly Lock[], state: Pick<LocksState, 'sort' | 'filter'>): Lock[] => {
	const sort = state.sort === 'age' ? byAge : state.sort === 'resource' ? byResource : byTtlLeft;
	return locks.filter(l => matchesFilter(l.resource, state.filter)).sort(sort);
};

/** The rows of the event list (newest first), with the same resource filter. */
export const visibleEvents = (snapshot: Snapshot | null, state: Pick<LocksState, 'filter'>): LockEvent[] =>
	(snapshot?.lockHistory?.events ?? []).filter(e => matchesFilter(e.resource, state.filter));

export const rowCountOf = (snapshot: Snapshot | null, state: LocksState): number =>
	state.events ? visibleEvents(snapshot, state).length : visibleLocks(snapshot?.locks ?? [], state).length;

/** Start of the visible window: the given offset, moved only as far as needed to show `index` in `rows` rows. */
export const windowStart = (index: number, offset: number, rows: number, count: number): number => {
	let start = Math.min(offset, Math.max(0, count - 1));
	if (rows <= 0) return start;
	if (index < start) start = index;
	if (index >= start + rows) start = index - rows + 1;
	return Math.max(0, start);
};

/** A countdown bar: the share of the full TTL left. */
export const ttlBar = (ttlMs: number | null, fullMs: number, width: number): string => {
	if (width <= 0) return '';
	if (ttlMs === null) return '∞'.padEnd(width, ' ');
	const share = fullMs > 0 ? Math.max(0, Math.min(1, ttlMs / fullMs)) : 0;
	const filled = ttlMs > 0 ? Math.max(1, Math.round(share * width)) : 0;
	return '█'.repeat(filled) + '░'.repeat(width - filled);
};
