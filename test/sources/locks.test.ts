// The lock inspector against a real redis-server and a real state dir: a
// driver takes locks the way tmux-claude does (SET NX PX, lock files), lets
// some expire, releases others, and every state and history class is checked.
import {mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync, existsSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import type {Snapshot} from '../../source/domain/types';
import {stateOf} from '../../source/panes/locks-view';
import {JsonSource} from '../../source/sources/json-source';
import {forceRelease} from '../../source/sources/lock-release';
import {lockTracker} from '../../source/sources/lock-tracker';
import {LockScanner} from '../../source/sources/lock-scan';
import {RedisSource} from '../../source/sources/redis-source';
import {TrackedSource} from '../../source/sources/tracked-source';
import {RedisServer} from '../support/redis-server';
import {P} from '../support/store';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
let server: RedisServer;
let r: Redis;
const opened: {close: () => Promise<void>}[] = [];

beforeAll(async () => {
	server = await RedisServer.start();
	r = server.client();
});
afterAll(async () => {
	await server.stop();
});
beforeEach(async () => {
	await r.flushall();
	await r.config('SET', 'notify-keyspace-events', '');
});
afterEach(async () => {
	while (opened.length > 0) await opened.pop()!.close();
});

const tracked = (url = server.url) => {
	const source = new TrackedSource(new RedisSource({url, prefix: P}), [lockTracker({prefix: P})]);
	opened.push(source);
	return source;
};

/** Takes a lock as the reference writer does: SET key token NX PX ttl. */
const acquire = async (layout: 'lock' | 'locks', resource: string, ttlMs: number | null, token = `${Date.now()}-${Math.random()}`) => {
	const key = `${P}:${layout}:${resource}`;
	const ok = ttlMs === null ? await r.set(key, token, 'NX') : await r.set(key, token, 'PX', ttlMs, 'NX');
	expect(ok).toBe('OK');
	return {key, token};
};

const byResource = (snap: Snapshot) => Object.fromEntries(snap.locks.map(l => [l.resource, l]));
const events = (snap: Snapshot) => snap.lockHistory!.events.map(e => `${e.kind}:${e.resource}${e.contended ? ':contended' : ''}`);

describe('Redis locks on a real server', () => {
	it('shows every state and classifies released, expired and contended locks', async () => {
		const source = tracked();
		await acquire('locks', 'pre-existing', 60_000);
		let snap = await source.poll();
		expect(snap.lockHistory!.totals.acquisitions).toBe(0); // held before tcmon looked

		await acquire('locks', 'worktree', 30_000);
		await acquire('lock', 'git-main', 30_000);
		await acquire('locks', 'short', 300);
		await acquire('lock', 'forever', null);
		await acquire('locks', 'ending', 2000, `${Date.now() - 28_000}-0.42`); // 28 s into a 30 s lock
		await acquire('lock', 'alien', 20_000, 'uuid:7f3e');
		snap = await source.poll();
		const locks = byResource(snap);
		expect(stateOf(locks['worktree']!)).toBe('held');
		expect(locks['worktree']!.layout).toBe('locks');
		expect(locks['git-main']!.layout).toBe('lock');
		expect(stateOf(locks['forever']!)).toBe('no-ttl');
		expect(locks['forever']!.ttlMs).toBeNull();
		expect(stateOf(locks['ending']!)).toBe('expiring');
		expect(locks['ending']!.fullTtlMs).toBeGreaterThanOrEqual(29_500);
		expect(stateOf(locks['alien']!)).toBe('foreign');
		expect(locks['alien']!.acquiredAt).toBeNull();
		expect(snap.lockHistory!.totals.acquisitions).toBe(6);

		// Release one the way the reference store does (get, then del), let `short` expire,
		// and re-take git-main with a new token right after releasing it.
		await r.del(`${P}:locks:worktree`);
		await r.del(`${P}:lock:git-main`);
		await acquire('lock', 'git-main', 30_000);
		await sleep(450);
		snap = await source.poll();
		expect(events(snap)).toEqual(expect.arrayContaining(['released:worktree', 'expired:short', 'released:git-main', 'acquired:git-main:contended']));
		const h = snap.lockHistory!;
		expect(h.totals).toMatchObject({acquisitions: 7, releases: 2, expiries: 1, contention: 1});
		const short = h.resources.find(x => x.resource === 'short')!;
		expect(short.expiries).toBe(1);
		expect(short.holdMaxMs).toBeGreaterThanOrEqual(250);
		expect(short.holdMaxMs).toBeLessThan(1000);
		expect(h.notifications.state).toBe('off');
		expect(h.notifications.detail).toMatch(/can be missed/);
	});

	it('records locks shorter than the interval through keyspace notifications when the server has them on', async () => {
		await r.config('SET', 'notify-keyspace-events', 'Kgx$'); // test setup only; tcmon never sets config
		const source = tracked();
		let snap = await source.poll();
		expect(snap.lockWatch?.state).toBe('on');
		await acquire('locks', 'blink', 60_000);
		await r.del(`${P}:locks:blink`);
		await acquire('lock', 'flash', 40);
		await sleep(300); // active expiry runs 10 times a second
		snap = await source.poll();
		const via = snap.lockHistory!.events.map(e => `${e.kind}:${e.resource}:${e.via}`);
		expect(via).toEqual(expect.arrayContaining(['acquired:blink:notification', 'released:blink:notification', 'acquired:flash:notification', 'expired:flash:notification']));
		expect(snap.locks).toHaveLength(0);
	});

	it('says plainly when CONFIG GET is denied, and still reads the locks', async () => {
		await r.call('ACL', 'SETUSER', 'mon', 'on', '>pw', '~*', '&*', '+@all', '-@dangerous');
		await acquire('locks', 'x', 30_000);
		const snap = await tracked(`redis://mon:pw@127.0.0.1:${server.port}`).poll();
		expect(snap.lockWatch?.state).toBe('unknown');
		expect(snap.lockWatch?.detail).toMatch(/CONFIG GET not permitted.*NOPERM/);
		expect(snap.locks.map(l => l.resource)).toEqual(['x']);
	});

	it('discovers locks with SCAN MATCH on the lock namespaces within a budget, and re-discovers new ones', async () => {
		const pipe = r.pipeline();
		for (let i = 0; i < 4000; i++) pipe.set(`noise:${i}`, '1');
		for (let i = 0; i < 20; i++) pipe.set(`${P}:locks:r${i}`, `${Date.now()}-0.1`, 'PX', 60_000);
		pipe.set(`${P}:lockstep:not-a-lock`, 'x');
		await pipe.exec();
		const scanner = new LockScanner(r, P, {scanCount: 200, scanCalls: 2, scanMs: 1000, smallStore: 0, rediscoverMs: 0});
		let polls = 0;
		while (scanner.cycles === 0 && polls < 100) {
			await scanner.advance(Date.now(), 4021);
			polls++;
		}
		expect(polls).toBeGreaterThan(3); // a bounded slice per tick, not one walk
		expect(scanner.keys().map(([k]) => k)).toHaveLength(20);
		await r.set(`${P}:lock:late`, `${Date.now()}-0.2`, 'PX', 60_000);
		for (let i = 0; i < 100 && !scanner.keys().some(([k]) => k.endsWith(':late')); i++) await scanner.advance(Date.now(), 4022);
		expect(scanner.keys().map(([k]) => k)).toContain(`${P}:lock:late`);
		const info = (await r.info('commandstats')) as string;
		expect(info).not.toMatch(/cmdstat_keys:/);
	});

	it('force-release deletes only while the token is the one on screen', async () => {
		const source = tracked();
		const {token} = await acquire('locks', 'job-queue', 30_000);
		const snap = await source.poll();
		const shown = snap.locks.find(l => l.resource === 'job-queue')!;
		expect(shown.token).toBe(token);
		// Someone re-took it meanwhile: the stale one on screen must not delete the new holder.
		await r.del(shown.key);
		const {token: other} = await acquire('locks', 'job-queue', 30_000, `${Date.now()}-0.999`);
		expect((await forceRelease(source, shown)).released).toBe(false);
		expect(await r.get(shown.key)).toBe(other);
		const current = (await source.poll()).locks.find(l => l.resource === 'job-queue')!;
		const result = await forceRelease(source, current);
		expect(result).toMatchObject({released: true});
		expect(await r.exists(shown.key)).toBe(0);
	});
});

describe('lock files in the state dir', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-locks-'));
	});
	afterEach(() => rmSync(dir, {recursive: true, force: true}));

	const writeLock = (resource: string, ageMs: number) => {
		const file = path.join(dir, `${resource}.lock`);
		const at = Date.now() - ageMs;
		writeFileSync(file, `${at}-0.5`, {flag: 'wx'});
		utimesSync(file, at / 1000, at / 1000);
		return file;
	};

	it('shows fresh files as held, old ones as stale, and records their release', async () => {
		const source = new TrackedSource(new JsonSource({dir}), [lockTracker({prefix: P})]);
		await source.poll();
		const fresh = writeLock('fresh', 1000);
		writeLock('abandoned', 600_000);
		let snap = await source.poll();
		const locks = byResource(snap);
		expect(stateOf(locks['fresh']!)).toBe('held');
		expect(stateOf(locks['abandoned']!)).toBe('stale');
		expect(locks['abandoned']!.ttlMs).toBeLessThan(-500_000);
		const timed = writeLock('timed', 29_700); // its writer's 30 s timer is about to fire
		snap = await source.poll();
		expect(stateOf(byResource(snap)['timed']!)).toBe('expiring');
		await sleep(400);
		unlinkSync(fresh);
		unlinkSync(timed); // the timer fired: gone at the end of its TTL
		snap = await source.poll();
		expect(events(snap)).toContain('released:fresh');
		expect(events(snap)).toContain('expired:timed');
		expect(snap.lockHistory!.notifications.state).toBe('n/a');
	});

	it('force-releases a lock file only when its content is still the token shown', async () => {
		const source = new JsonSource({dir});
		const file = writeLock('pool', 1000);
		const shown = (await source.poll()).locks[0]!;
		writeFileSync(file, `${Date.now()}-0.7`);
		expect((await forceRelease(source, shown)).released).toBe(false);
		expect(existsSync(file)).toBe(true);
		const now = (await source.poll()).locks[0]!;
		expect((await forceRelease(source, now)).released).toBe(true);
		expect(existsSync(file)).toBe(false);
	});
});
