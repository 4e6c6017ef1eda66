// Lock history across polls: which lock appeared and went, whether it was
// released (gone before its TTL ran out) or expired (gone at its end), and
// per-resource figures. Pure: driven only by the snapshots (and keyspace
// notices) it is given, with their own clocks, so it is unit-testable.
import {compareText} from './order';
import {DEFAULT_LOCK_TTL_MS, lockResource} from './locks';
import type {Lock, LockEvent, LockEventKind, LockHistory, LockLayout, LockNotice, LockResourceStats, Snapshot} from './types';

/** Events kept for the pane and --json. */
export const LOCK_EVENT_LIMIT = 200;
/** A new token on a resource within this long of its last holder leaving is contention. */
export const CONTENTION_WINDOW_MS = 3000;
/** Hold times kept per resource for the p50. */
const HOLD_SAMPLES = 500;
/** Slack when deciding "gone at the end of its TTL" (clock and read jitter). */
const EXPIRY_SLACK_MS = 150;

/** What we remember of a lock between polls. */
export type LiveLock = {
	key: string;
	resource: string;
	layout: LockLayout;
	token: string | null;
	acquiredAt: number;
	/** Poll (takenAt) or notice time it was first seen. */
	firstSeen: number;
	lastSeen: number;
	/** TTL left at lastSeen; null = no TTL. */
	lastTtlMs: number | null;
	fullTtlMs: number | undefined;
};

/**
 * How a lock that is no longer there ended. It was last seen at `lastSeen`
 * with `lastTtlMs` left; it was found missing at `missingAt`. If its TTL had
 * run out by then it expired (a release in that last stretch cannot be told
 * apart without keyspace notifications), otherwise someone released it.
 */
export const classifyGone = (live: Pick<LiveLock, 'lastSeen' | 'lastTtlMs'>, missingAt: number): {kind: 'released' | 'expired'; at: number} => {
	if (live.lastTtlMs === null) return {kind: 'released', at: missingAt};
	const expiresAt = live.lastSeen + live.lastTtlMs;
	if (missingAt + EXPIRY_SLACK_MS >= expiresAt) return {kind: 'expired', at: Math.max(live.lastSeen, Math.min(expiresAt, missingAt))};
	return {kind: 'released', at: missingAt};
};

/**
 * The full TTL of a lock, which PTTL alone does not tell: the largest of the
 * previous estimate, the TTL seen now, and (when the token dates the
 * acquisition plausibly) the time since acquisition plus the TTL left.
 */
export const estimateFullTtl = (previous: number | undefined, lock: Pick<Lock, 'ttlMs' | 'acquiredAt' | 'layout'>, observedAt: number): number | undefined => {
	if (lock.layout === 'file') return DEFAULT_LOCK_TTL_MS; // the file writer's timer
	if (lock.ttlMs === null) return previous;
	let best = Math.max(previous ?? 0, lock.ttlMs);
	if (lock.acquiredAt !== null) {
		const elapsed = observedAt - lock.acquiredAt;
		if (elapsed >= 0 && elapsed < 86_400_000) best = Math.max(best, elapsed + lock.ttlMs);
	}
	return best > 0 ? best : previous;
};

/** A new holder soon after the previous one left (or replacing it between two polls). */
export const isContention = (previousEnd: number | undefined, acquiredAt: number): boolean =>
	previousEnd !== undefined && acquiredAt - previousEnd <= CONTENTION_WINDOW_MS;

/** Median of a list (lower middle for even counts); null when empty. */
export const median = (values: readonly number[]): number | null => {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

type ResourceBook = {
	resource: string;
	key: string;
	layout: LockLayout;
	acquisitions: number;
	releases: number;
	expiries: number;
	contention: number;
	holds: number[];
	holdMax: number | null;
	lastEnd: number | undefined;
	lastEventAt: number;
};

const lockIdentity = (lock: Pick<Lock, 'layout' | 'key'>): string => `${lock.layout}\u0000${lock.key}`;

/**
 * The session's lock book. `observe` takes each snapshot in poll order and
 * returns it with `lockHistory` and each lock's `fullTtlMs` filled in.
 */
export class LockBook {
	private live = new Map<string, LiveLock>();
	private books = new Map<string, ResourceBook>();
	private events: LockEvent[] = [];
	private totals = {acquisitions: 0, releases: 0, expiries: 0, contention: 0};
	private since: number | null = null;
	private lastPoll: number | null = null;
	private pollGapMs: number | null = null;
	private sourceKind: string | null = null;
	private notifyState: LockHistory['notifications'] = {state: 'n/a', detail: ''};

	constructor(private readonly prefix: string) {}

	observe(snapshot: Snapshot): Snapshot {
		const usable = snapshot.source.connected && !snapshot.source.stale && !snapshot.errors.locks;
		this.since ??= snapshot.takenAt;
		this.notifyState = notificationsOf(snapshot);
		if (usable) {
			// A switch between Redis and the state dir is a different set of locks, not churn.
			const first = this.sourceKind !== snapshot.source.kind;
			if (first) this.live.clear();
			this.sourceKind = snapshot.source.kind;
			const readAt = snapshot.lockWatch?.readAt ?? snapshot.takenAt;
			const notices = snapshot.lockWatch?.notices ?? [];
			for (const n of notices) if (n.at <= readAt) this.notice(n);
			this.poll(snapshot.locks, snapshot.takenAt, first);
			// Rounded to 100 ms: the gap jitters, and an unchanged snapshot must stay equal (no re-render).
			if (this.lastPoll !== null) this.pollGapMs = Math.max(100, Math.round((snapshot.takenAt - this.lastPoll) / 100) * 100);
			this.lastPoll = snapshot.takenAt;
			for (const n of notices) if (n.at > readAt) this.notice(n);
		}
		const locks = snapshot.locks.map(lock => {
			const full = this.live.get(lockIdentity(lock))?.fullTtlMs;
			return full === undefined ? lock : {...lock, fullTtlMs: full};
		});
		return {...snapshot, locks, lockHistory: this.history()};
	}

	history(): LockHistory {
		const resources: LockResourceStats[] = [...this.books.values()]
			.sort((a, b) => b.lastEventAt - a.lastEventAt || compareText(a.key, b.key))
			.map(b => ({
				resource: b.resource,
				key: b.key,
				layout: b.layout,
				acquisitions: b.acquisitions,
				releases: b.releases,
				expiries: b.expiries,
				contention: b.contention,
				holdP50Ms: median(b.holds),
				holdMaxMs: b.holdMax,
				lastEventAt: b.lastEventAt,
			}));
		return {
			since: this.since ?? 0,
			events: [...this.events],
			resources,
			totals: {...this.totals},
			notifications: this.notifyState,
			pollGapMs: this.pollGapMs,
		};
	}

	private poll(locks: readonly Lock[], now: number, first: boolean): void {
		const seen = new Set<string>();
		for (const lock of locks) {
			const id = lockIdentity(lock);
			seen.add(id);
			const live = this.live.get(id);
			if (live && live.token === null) {
				// Known from a notification only: the poll tells its token.
				live.token = lock.token;
				if (lock.acquiredAt !== null && Math.abs(lock.acquiredAt - live.acquiredAt) < 5000) live.acquiredAt = lock.acquiredAt;
			}
			if (live && live.token === lock.token) {
				live.lastSeen = now;
				live.lastTtlMs = lock.ttlMs;
				live.fullTtlMs = estimateFullTtl(live.fullTtlMs, lock, now);
				continue;
			}
			if (live) {
				// A new token on the same key between two polls: the old holder is gone.
				const end = classifyGone(live, now);
				this.end(live, end.kind, Math.min(end.at, lock.acquiredAt ?? end.at), 'poll');
			}
			const acquiredAt = Math.min(now, lock.acquiredAt ?? now);
			const fresh: LiveLock = {
				key: lock.key,
				resource: lock.resource,
				layout: lock.layout,
				token: lock.token,
				acquiredAt,
				firstSeen: now,
				lastSeen: now,
				lastTtlMs: lock.ttlMs,
				fullTtlMs: estimateFullTtl(undefined, lock, now),
			};
			this.live.set(id, fresh);
			// Locks already held when tcmon started are not acquisitions it saw.
			if (!first) this.acquire(fresh, acquiredAt, 'poll');
		}
		for (const [id, live] of this.live) {
			if (seen.has(id)) continue;
			const end = classifyGone(live, now);
			this.end(live, end.kind, end.at, 'poll');
		}
	}

	private notice(n: LockNotice): void {
		const where = lockResource(n.key, this.prefix);
		if (!where) return;
		const id = lockIdentity({layout: where.layout, key: n.key});
		const live = this.live.get(id);
		if (n.event === 'set') {
			// The notice of a SET this very poll already found (it arrived during the read).
			if (live && live.firstSeen === this.lastPoll) return;
			if (live) this.end(live, 'released', n.at, 'notification');
			const fresh: LiveLock = {...where, key: n.key, token: null, acquiredAt: n.at, firstSeen: n.at, lastSeen: n.at, lastTtlMs: null, fullTtlMs: undefined};
			this.live.set(id, fresh);
			this.acquire(fresh, n.at, 'notification');
		} else if ((n.event === 'del' || n.event === 'expired' || n.event === 'evicted' || n.event === 'rename_from') && live) {
			this.end(live, n.event === 'expired' ? 'expired' : 'released', n.at, 'notification');
		}
	}

	private book(live: LiveLock): ResourceBook {
		const id = lockIdentity(live);
		let book = this.books.get(id);
		if (!book) {
			book = {resource: live.resource, key: live.key, layout: live.layout, acquisitions: 0, releases: 0, expiries: 0, contention: 0, holds: [], holdMax: null, lastEnd: undefined, lastEventAt: 0};
			this.books.set(id, book);
		}
		return book;
	}

	private acquire(live: LiveLock, at: number, via: LockEvent['via']): void {
		const book = this.book(live);
		const contended = isContention(book.lastEnd, at);
		book.acquisitions++;
		this.totals.acquisitions++;
		if (contended) {
			book.contention++;
			this.totals.contention++;
		}
		this.push(book, {at, kind: 'acquired', resource: live.resource, key: live.key, layout: live.layout, token: live.token, heldMs: null, contended, via});
	}

	private end(live: LiveLock, kind: Exclude<LockEventKind, 'acquired'>, at: number, via: LockEvent['via']): void {
		this.live.delete(lockIdentity(live));
		const book = this.book(live);
		const heldMs = Math.max(0, at - live.acquiredAt);
		if (kind === 'expired') {
			book.expiries++;
			this.totals.expiries++;
		} else {
			book.releases++;
			this.totals.releases++;
		}
		book.holds.push(heldMs);
		if (book.holds.length > HOLD_SAMPLES) book.holds.shift();
		book.holdMax = Math.max(book.holdMax ?? 0, heldMs);
		book.lastEnd = at;
		this.push(book, {at, kind, resource: live.resource, key: live.key, layout: live.layout, token: live.token, heldMs, contended: false, via});
	}

	private push(book: ResourceBook, event: LockEvent): void {
		book.lastEventAt = Math.max(book.lastEventAt, event.at);
		// Newest first; events from one poll can be out of order (notices vs poll).
		let i = 0;
		while (i < this.events.length && this.events[i]!.at > event.at) i++;
		this.events.splice(i, 0, event);
		if (this.events.length > LOCK_EVENT_LIMIT) this.events.length = LOCK_EVENT_LIMIT;
	}
}

const notificationsOf = (snapshot: Snapshot): LockHistory['notifications'] => {
	if (snapshot.source.kind !== 'redis') return {state: 'n/a', detail: 'lock files are read each poll: one shorter than the interval can be missed'};
	const watch = snapshot.lockWatch;
	if (!watch) return {state: 'unknown', detail: 'keyspace notifications not checked yet'};
	return {state: watch.state, detail: watch.detail};
};

/** Events of one lock key, newest first. */
export const eventsOf = (history: LockHistory | undefined, key: string): LockEvent[] => (history?.events ?? []).filter(e => e.key === key);

export const statsOf = (history: LockHistory | undefined, key: string): LockResourceStats | undefined => history?.resources.find(r => r.key === key);
