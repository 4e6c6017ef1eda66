import React from 'react';
import {describe, expect, it} from 'vitest';
import type {LockHistory, Snapshot} from '../../source/domain/types';
import {LocksPane} from '../../source/panes/locks-pane';
import {initialLocksState, ttlBar, visibleLocks, windowStart, type LocksState} from '../../source/panes/locks-view';
import {history, locks, redisSnapshot, T0} from '../support/fixtures';
import {frameOf, WIDTHS} from '../support/render';

const lockHistory = (over: Partial<LockHistory> = {}): LockHistory => ({
	since: T0 - 600_000,
	events: [
		{at: T0 - 1000, kind: 'acquired', resource: 'git-main', key: 'tmux-claude:locks:git-main', layout: 'locks', token: `${T0 - 4000}-0.5488135039273248`, heldMs: null, contended: true, via: 'poll'},
		{at: T0 - 1500, kind: 'released', resource: 'git-main', key: 'tmux-claude:locks:git-main', layout: 'locks', token: `${T0 - 9000}-0.1`, heldMs: 7500, contended: false, via: 'poll'},
		{at: T0 - 20_000, kind: 'expired', resource: 'build', key: 'tmux-claude:lock:build', layout: 'lock', token: `${T0 - 50_000}-0.2`, heldMs: 30_000, contended: false, via: 'notification'},
		{at: T0 - 50_000, kind: 'acquired', resource: 'build', key: 'tmux-claude:lock:build', layout: 'lock', token: null, heldMs: null, contended: false, via: 'notification'},
	],
	resources: [
		{resource: 'git-main', key: 'tmux-claude:locks:git-main', layout: 'locks', acquisitions: 2, releases: 1, expiries: 0, contention: 1, holdP50Ms: 7500, holdMaxMs: 7500, lastEventAt: T0 - 1000},
		{resource: 'build', key: 'tmux-claude:lock:build', layout: 'lock', acquisitions: 1, releases: 0, expiries: 1, contention: 0, holdP50Ms: 30_000, holdMaxMs: 30_000, lastEventAt: T0 - 20_000},
	],
	totals: {acquisitions: 3, releases: 1, expiries: 1, contention: 1},
	notifications: {state: 'off', detail: 'keyspace notifications off'},
	pollGapMs: 1000,
	...over,
});

const withHistory = (over: Partial<LockHistory> = {}): Snapshot => {
	const snap = redisSnapshot({lockHistory: lockHistory(over)});
	return {...snap, locks: snap.locks.map(l => (l.resource === 'git-main' ? {...l, fullTtlMs: 30_000} : l))};
};

const pane = (snapshot: Snapshot, width: number, state: Partial<LocksState> = {}, height = 24, cursor = {index: 0, offset: 0}) =>
	frameOf(<LocksPane snapshot={snapshot} history={history()} width={width} height={height} focused cursor={cursor} index={4} state={{...initialLocksState(), ...state}} />, width);

const check = (frame: string, width: number, height: number) => {
	const lines = frame.split('\n');
	expect(lines).toHaveLength(height);
	for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
	// eslint-disable-next-line no-control-regex
	expect(frame).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
};

const gitMain = () => locks()[0]!;

/** A state dir with a symlinked and a directory lock file, over the read cap. */
const jsonLocks = (): Snapshot => {
	const snap = redisSnapshot();
	const dir = '/home/me/app/state';
	return {
		...snap,
		locks: [
			{resource: 'shadow', key: `${dir}/shadow.lock`, token: '', acquiredAt: T0 - 5000, ttlMs: 25_000, layout: 'file', foreignToken: true, error: 'shadow.lock is a symlink: not followed'},
			{resource: 'odd', key: `${dir}/odd.lock`, token: '', acquiredAt: T0 - 5000, ttlMs: 25_000, layout: 'file', foreignToken: true, error: 'odd.lock is a directory, not a regular file: not read'},
			{resource: 'build', key: `${dir}/build.lock`, token: `${T0 - 1000}-0.5`, acquiredAt: T0 - 1000, ttlMs: 29_000, layout: 'file', foreignToken: false},
		],
		lockFiles: {dir, total: 5012, shown: 3},
	};
};
const evil = () => locks()[4]!;

describe('Locks pane', () => {
	it.each(WIDTHS)('every state, the alert summary, the recent events and the notification note at %i columns', width => {
		const frame = pane(withHistory(), width);
		check(frame, width, 24);
		expect(frame).toMatch(/1 NO TTL · 1 stale file · 1 expiring · 1 held · 1 foreign/);
		expect(frame).toMatch(/no TTL\s+∞\s+NO TTL/);
		expect(frame).toMatch(/-9m30s\s+░+\s+stale file/);
		expect(frame).toMatch(/recent events \(e: all 4\)/);
		expect(frame).toMatch(/released\s+git-main \(locks\) after 7\.5s/);
		expect(frame).toMatch(/no keyspace notifications: locks held < 1\.0s can be missed/);
		expect(frame).toMatchSnapshot();
	});

	it.each(WIDTHS)('the event list at %i columns', width => {
		const frame = pane(withHistory(), width, {events: true});
		check(frame, width, 24);
		expect(frame).toMatch(/08:59:59\s+acquired\s+git-main\s+locks\s+contended/);
		expect(frame).toMatch(/08:59:40\s+expired\s+build\s+lock\s+30s\s+notified/);
		expect(frame).toMatchSnapshot();
	});

	it.each(WIDTHS)('the detail of a held lock with its history at %i columns', width => {
		const lock = gitMain();
		const frame = pane(withHistory(), width, {detail: {key: lock.key, layout: lock.layout, lock, scroll: 0, allowWrite: false}});
		check(frame, width, 24);
		expect(frame).toMatch(/git-main · locks · held/);
		expect(frame).toMatch(/token\s+1795683596000-0\.5488135039273248/);
		expect(frame).toMatch(/TTL left\s+26s of ~30s/);
		expect(frame).toMatch(/history\s+2 acquired · 1 released · 0 expired · 1 contended/);
		expect(frame).toMatch(/held\s+p50 7\.5s · max 7\.5s/);
		expect(frame).toMatch(/force-release needs tcmon --allow-write/);
		expect(frame).toMatchSnapshot();
	});

	it.each(WIDTHS)('the detail of a hostile foreign lock, with the release prompt, at %i columns', width => {
		const lock = evil();
		const frame = pane(withHistory(), width, {detail: {key: lock.key, layout: lock.layout, lock, scroll: 0, allowWrite: true}, prompt: {kind: 'release', text: 'evil', lock}}, 16);
		check(frame, width, 16);
		expect(frame).toMatch(/not-a-\\e\]0;pwned\\x07token/);
		expect(frame).toMatch(/foreign token/);
		expect(frame).toMatch(/force-release evil\\e\[31mred\? type its name, Enter: evil/);
		expect(frame).toMatchSnapshot();
	});

	const splitSnapshot = (): Snapshot => {
		const snap = redisSnapshot();
		const fileLock = {resource: 'merge-queue', key: '/home/me/app/state/merge-queue.lock', token: `${T0 - 2000}-0.3`, acquiredAt: T0 - 2000, ttlMs: 28_000, layout: 'file' as const, foreignToken: false};
		return {
			...snap,
			locks: [...snap.locks.filter(l => l.layout !== 'file'), fileLock],
			lockFiles: {dir: '/home/me/app/state', total: 1, shown: 1},
			splitState: {dir: '/home/me/app/state', lockFiles: 1},
		};
	};

	it.each(WIDTHS)('split state: a state-dir lock file beside the Redis locks, marked, at %i columns', width => {
		const frame = pane(splitSnapshot(), width);
		check(frame, width, 24);
		expect(frame).toMatch(/SPLIT STATE: 1 lock file in \/home\/me\/app\/state beside Redis/);
		expect(frame).toMatch(/merge-queue\s+split\s/);
		expect(frame).toMatch(/git-main\s+locks\s/);
		expect(frame).toMatchSnapshot();
	});

	it.each(WIDTHS)('the detail of a split-state lock file says so at %i columns', width => {
		const snap = splitSnapshot();
		const lock = snap.locks.find(l => l.layout === 'file')!;
		const frame = pane(snap, width, {detail: {key: lock.key, layout: lock.layout, lock, scroll: 0, allowWrite: false}});
		check(frame, width, 24);
		expect(frame).toMatch(/split\s+a lock file in the state dir while Redis is the source/);
	});

	it.each(WIDTHS)('unreadable lock files are marked with why, and a capped count says N of M at %i columns', width => {
		const snap = jsonLocks();
		const frame = pane(snap, width);
		check(frame, width, 24);
		expect(frame).toMatch(/Locks · 3 · 3 of 5012 lock files shown/);
		expect(frame).toMatch(/2 UNREADABLE · 1 held/);
		expect(frame).toMatch(/shadow\s+file\s.*UNREADABLE/);
		if (width >= 100) expect(frame).toMatch(/! shadow\.lock is a sym/);
		expect(frame).toMatchSnapshot();
	});

	it('the detail of an unreadable lock file shows the error, not a token', () => {
		const snap = jsonLocks();
		const lock = snap.locks[0]!;
		const frame = pane(snap, 100, {detail: {key: lock.key, layout: lock.layout, lock, scroll: 0, allowWrite: false}});
		expect(frame).toMatch(/shadow · file · UNREADABLE/);
		expect(frame).toMatch(/error\s+shadow\.lock is a symlink: not followed/);
		expect(frame).not.toMatch(/foreign token/);
	});

	it('the detail of a lock that has gone since it was opened', () => {
		const lock = {...gitMain(), token: `${T0 - 9000}-0.1`};
		const snap = withHistory();
		const frame = pane({...snap, locks: snap.locks.filter(l => l.resource !== 'git-main')}, 80, {detail: {key: lock.key, layout: lock.layout, lock, scroll: 0, allowWrite: false}});
		expect(frame).toMatch(/gone: released at 08:59:58 after 7\.5s/);
		expect(frame).not.toMatch(/TTL left/);
		const retaken = pane(snap, 80, {detail: {key: lock.key, layout: lock.layout, lock, scroll: 0, allowWrite: false}});
		expect(retaken).toMatch(/taken again by a new token/);
		expect(retaken).toMatch(/token\s+1795683596000-0\.5488135039273248/);
	});

	it('scrolls a long detail', () => {
		const lock = gitMain();
		const top = pane(withHistory(), 80, {detail: {key: lock.key, layout: lock.layout, lock, scroll: 0, allowWrite: false}}, 8);
		const down = pane(withHistory(), 80, {detail: {key: lock.key, layout: lock.layout, lock, scroll: 3, allowWrite: false}}, 8);
		expect(top).toMatch(/git-main · locks/);
		expect(down).not.toMatch(/git-main · locks/);
	});

	it('filters by resource (the prompt itself is in the status bar), sorts by age and by resource', () => {
		const filtering = pane(withHistory(), 80, {filter: 'git'}, 12);
		expect(filtering).toMatch(/Locks · 1 of 5/);
		expect(filtering).not.toMatch(/job-queue/);
		expect(filtering).toMatchSnapshot();
		const all = locks();
		expect(visibleLocks(all, {sort: 'age', filter: ''}).map(l => l.resource)).toEqual(['forever', 'worktree-pool', 'job-queue', 'git-main', 'evil\u001b[31mred']);
		expect(visibleLocks(all, {sort: 'resource', filter: ''}).map(l => l.resource)[0]).toBe('evil\u001b[31mred');
		expect(visibleLocks(all, {sort: 'ttl', filter: 'E'}).map(l => l.resource)).toEqual(['worktree-pool', 'job-queue', 'evil\u001b[31mred', 'forever']);
		expect(pane(withHistory(), 80, {filter: 'zzz'}, 12)).toMatch(/No lock's resource matches \/zzz\./);
	});

	it('says when notifications record short locks, or cannot be checked', () => {
		expect(pane(withHistory({notifications: {state: 'on', detail: ''}}), 120)).toMatch(/keyspace notifications on: locks between polls are recorded/);
		expect(pane(withHistory({notifications: {state: 'unknown', detail: ''}}), 120)).toMatch(/notifications unknown \(CONFIG GET denied\?\): locks held < 1\.0s may be missed/);
	});

	it('draws countdown bars and keeps the cursor row in view', () => {
		expect(ttlBar(15_000, 30_000, 10)).toBe('█████░░░░░');
		expect(ttlBar(10, 30_000, 4)).toBe('█░░░');
		expect(ttlBar(-5, 30_000, 4)).toBe('░░░░');
		expect(ttlBar(null, 30_000, 3)).toBe('∞  ');
		expect(windowStart(9, 0, 5, 20)).toBe(5);
		expect(windowStart(2, 5, 5, 20)).toBe(2);
	});
});
