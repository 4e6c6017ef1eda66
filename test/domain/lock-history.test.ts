import {describe, expect, it} from 'vitest';
import {classifyGone, CONTENTION_WINDOW_MS, estimateFullTtl, isContention, LockBook, median} from '../../source/domain/lock-history';
import type {Lock, LockNotice, Snapshot} from '../../source/domain/types';
import {redisSnapshot, redisSourceInfo, T0} from '../support/fixtures';

const P = 'tmux-claude';
const lock = (resource: string, token: string, ttlMs: number | null, over: Partial<Lock> = {}): Lock => ({
	resource,
	key: `${P}:locks:${resource}`,
	token,
	acquiredAt: Number(token.split('-')[0]) || null,
	ttlMs,
	layout: 'locks',
	foreignToken: !/^\d+-/.test(token),
	...over,
});
const snap = (at: number, locks: Lock[], notices: LockNotice[] = [], readAt = at - 5): Snapshot =>
	redisSnapshot({takenAt: at, locks, lockWatch: {state: notices.length ? 'on' : 'off', detail: '', notices, readAt}});

describe('classifyGone', () => {
	it('released when gone before the TTL could run out', () => {
		expect(classifyGone({lastSeen: 1000, lastTtlMs: 20_000}, 2000)).toEqual({kind: 'released', at: 2000});
	});
	it('expired when the TTL had run out by the time it was missed, dated at the TTL end', () => {
		expect(classifyGone({lastSeen: 1000, lastTtlMs: 300}, 2000)).toEqual({kind: 'expired', at: 1300});
	});
	it('a lock without TTL can only be released', () => {
		expect(classifyGone({lastSeen: 1000, lastTtlMs: null}, 90_000).kind).toBe('released');
	});
});

describe('estimateFullTtl', () => {
	it('uses time since acquisition plus TTL left when the token dates it', () => {
		expect(estimateFullTtl(undefined, {ttlMs: 26_000, acquiredAt: T0 - 4000, layout: 'locks'}, T0)).toBe(30_000);
	});
	it('keeps the largest PTTL seen for foreign tokens, and never shrinks', () => {
		expect(estimateFullTtl(undefined, {ttlMs: 5000, acquiredAt: null, layout: 'lock'}, T0)).toBe(5000);
		expect(estimateFullTtl(5000, {ttlMs: 4000, acquiredAt: null, layout: 'lock'}, T0)).toBe(5000);
	});
	it('ignores an acquisition time from the future (clock skew) and keeps files at the default', () => {
		expect(estimateFullTtl(undefined, {ttlMs: 10_000, acquiredAt: T0 + 60_000, layout: 'lock'}, T0)).toBe(10_000);
		expect(estimateFullTtl(undefined, {ttlMs: -5000, acquiredAt: T0 - 35_000, layout: 'file'}, T0)).toBe(30_000);
	});
});

describe('contention and medians', () => {
	it('is contention only within the window after the last holder left', () => {
		expect(isContention(undefined, 5000)).toBe(false);
		expect(isContention(1000, 1000 + CONTENTION_WINDOW_MS)).toBe(true);
		expect(isContention(1000, 1001 + CONTENTION_WINDOW_MS)).toBe(false);
	});
	it('median', () => {
		expect(median([])).toBeNull();
		expect(median([5, 1, 3])).toBe(3);
		expect(median([4, 1, 3, 2])).toBe(2);
	});
});

describe('LockBook', () => {
	it('records acquisitions, releases, expiries, contention and hold figures across polls', () => {
		const book = new LockBook(P);
		const pre = lock('pre', `${T0 - 10_000}-0.1`, 20_000);
		book.observe(snap(T0, [pre])); // already held at start: not an acquisition
		const a = lock('a', `${T0 + 500}-0.2`, 29_500);
		const b = lock('b', `${T0 + 600}-0.3`, 300);
		let s = book.observe(snap(T0 + 1000, [pre, a, b]));
		expect(s.lockHistory!.totals).toEqual({acquisitions: 2, releases: 0, expiries: 0, contention: 0});
		expect(s.locks.find(l => l.resource === 'a')!.fullTtlMs).toBe(30_000);
		// a released early, b's 300 ms ran out, pre taken over by a new token.
		const pre2 = lock('pre', `${T0 + 1500}-0.4`, 29_500);
		s = book.observe(snap(T0 + 2000, [pre2]));
		const h = s.lockHistory!;
		expect(h.totals).toEqual({acquisitions: 3, releases: 2, expiries: 1, contention: 1});
		const kinds = h.events.map(e => `${e.kind}:${e.resource}${e.contended ? '!' : ''}`);
		expect(kinds).toEqual(expect.arrayContaining(['released:a', 'expired:b', 'released:pre', 'acquired:pre!']));
		expect(h.events.map(e => e.at)).toEqual([...h.events.map(e => e.at)].sort((x, y) => y - x));
		const bStats = h.resources.find(r => r.resource === 'b')!;
		expect(bStats).toMatchObject({acquisitions: 1, expiries: 1, holdMaxMs: 700, holdP50Ms: 700}); // T0+600 → TTL end at T0+1300
		expect(h.resources.find(r => r.resource === 'a')).toMatchObject({releases: 1, holdMaxMs: 1500});
		expect(h.pollGapMs).toBe(1000);
	});

	it('uses keyspace notices for locks that came and went between polls, in time order', () => {
		const book = new LockBook(P);
		book.observe(snap(T0, []));
		const key = `${P}:lock:short`;
		const s = book.observe(
			snap(T0 + 1000, [], [
				{at: T0 + 100, key, event: 'set'},
				{at: T0 + 101, key, event: 'expire'},
				{at: T0 + 150, key, event: 'expired'},
				{at: T0 + 200, key: `${P}:locks:quick`, event: 'set'},
				{at: T0 + 230, key: `${P}:locks:quick`, event: 'del'},
				{at: T0 + 240, key: `${P}:other:x`, event: 'set'},
			]),
		);
		const h = s.lockHistory!;
		expect(h.events.map(e => [e.kind, e.resource, e.layout, e.heldMs, e.via])).toEqual([
			['released', 'quick', 'locks', 30, 'notification'],
			['acquired', 'quick', 'locks', null, 'notification'],
			['expired', 'short', 'lock', 50, 'notification'],
			['acquired', 'short', 'lock', null, 'notification'],
		]);
		expect(h.notifications.state).toBe('on');
	});

	it('a notice after the read does not undo what the read saw, and one for a lock the read just found is not counted twice', () => {
		const book = new LockBook(P);
		book.observe(snap(T0, []));
		const a = lock('a', `${T0 + 100}-0.1`, 29_000);
		// The read (sent at T0+990) saw `a`; its SET notice and then a DEL arrived during the read.
		const s = book.observe(snap(T0 + 1000, [a], [{at: T0 + 995, key: a.key, event: 'set'}, {at: T0 + 998, key: a.key, event: 'del'}], T0 + 990));
		expect(s.lockHistory!.totals).toMatchObject({acquisitions: 1, releases: 1});
	});

	it('ignores stale and failed reads, and a switch of source is not churn', () => {
		const book = new LockBook(P);
		const a = lock('a', `${T0}-0.1`, 29_000);
		book.observe(snap(T0, [a]));
		let s = book.observe({...snap(T0 + 1000, []), source: redisSourceInfo({connected: false, stale: true})});
		expect(s.lockHistory!.totals.releases).toBe(0);
		s = book.observe({...snap(T0 + 2000, []), errors: {locks: 'NOPERM'}});
		expect(s.lockHistory!.totals.releases).toBe(0);
		s = book.observe({...snap(T0 + 3000, []), source: {...redisSourceInfo(), kind: 'json'}});
		expect(s.lockHistory!.totals.releases).toBe(0);
		expect(s.lockHistory!.notifications.state).toBe('n/a');
	});

	it('keeps the newest 200 events', () => {
		const book = new LockBook(P);
		book.observe(snap(T0, []));
		let s = snap(T0, []);
		for (let i = 1; i <= 250; i++) s = book.observe(snap(T0 + i * 1000, i % 2 ? [lock('r', `${T0 + i * 1000 - 10}-0.${i}`, 20_000)] : []));
		expect(s.lockHistory!.events).toHaveLength(200);
		expect(s.lockHistory!.events[0]!.at).toBeGreaterThan(s.lockHistory!.events[199]!.at);
	});
});
