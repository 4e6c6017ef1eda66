// Data replaced without a write tcmon can name (issue 12): REPLICAOF, SWAPDB,
// a restart with another dump, a new master. What tcmon reuses while the
// write mark stands still (values, locks, key lists, tracking's view) must be
// read again at once: the new data shows within two polls.
import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/app';
import type {Redis} from 'ioredis';
import {RedisSource} from '../../source/sources/redis-source';
import type {Snapshot} from '../../source/domain/types';
import {instanceJson} from '../support/fixtures';
import {renderTui} from '../support/render';
import {RedisServer} from '../support/redis-server';
import {P} from '../support/store';

const servers: RedisServer[] = [];
const sources: RedisSource[] = [];
afterAll(async () => {
	await Promise.all(sources.map(s => s.close()));
	await Promise.all(servers.map(s => s.stop()));
});

const start = async (): Promise<RedisServer> => {
	const s = await RedisServer.start();
	servers.push(s);
	return s;
};
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** One instance key and one lock, named after `tag`: the dataset's fingerprint in a snapshot. */
const writeDataset = async (r: Redis, tag: string) => {
	await r.set(`${P}:instance:exec_${tag}`, instanceJson(`exec_${tag}`, 'executive', 'active'));
	await r.set(`${P}:lock:res-${tag}`, `${Date.now()}-0.5`);
};
const ids = (s: Snapshot) => s.instances.map(i => i.id).sort();
const lockNames = (s: Snapshot) => s.locks.map(l => l.resource).sort();
const keyNames = (s: Snapshot) => s.keys.map(k => k.key).sort();

/** A source polled into its steady state: change tracking on, reads reused while nothing is written. */
const steady = async (url: string): Promise<{source: RedisSource; poll: () => Promise<Snapshot>}> => {
	const source = new RedisSource({url, prefix: P});
	sources.push(source);
	const poll = () => source.poll({deadlineMs: 3000});
	for (let i = 0; i < 8 && !(source.keyTrackingOff === null && i >= 3); i++) {
		await poll();
		await sleep(100);
	}
	expect(source.keyTrackingOff).toBeNull();
	return {source, poll};
};

/** Polls at most twice (100 ms apart) for `want`; the last snapshot. */
const withinTwoPolls = async (poll: () => Promise<Snapshot>, want: (s: Snapshot) => boolean): Promise<Snapshot> => {
	let snap = await poll();
	if (!want(snap)) {
		await sleep(100);
		snap = await poll();
	}
	return snap;
};

const until = async (check: () => Promise<boolean>, ms = 10_000) => {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (await check()) return;
		await sleep(50);
	}
	throw new Error('condition not reached');
};
const synced = (r: Redis) => until(async () => /master_link_status:up/.test(await r.info('replication')));

describe('data replaced without writes tcmon can name', () => {
	let a: RedisServer;
	let b: RedisServer;
	let c: RedisServer;
	beforeAll(async () => {
		[a, b, c] = await Promise.all([start(), start(), start()]);
		await writeDataset(a.client(), 'aaaaaa');
		await writeDataset(b.client(), 'bbbbbb');
		await writeDataset(c.client(), 'cccccc');
	}, 30_000);

	it('REPLICAOF another server: its data shows within two polls of the sync', async () => {
		const {poll} = await steady(a.url);
		expect(ids(await poll())).toEqual(['exec_aaaaaa']);
		const admin = a.client();
		await admin.call('REPLICAOF', '127.0.0.1', String(b.port));
		await synced(admin);
		const snap = await withinTwoPolls(poll, s => ids(s).includes('exec_bbbbbb'));
		expect(ids(snap)).toEqual(['exec_bbbbbb']);
		expect(lockNames(snap)).toEqual(['res-bbbbbb']);
		expect(keyNames(snap)).toEqual([`${P}:instance:exec_bbbbbb`, `${P}:lock:res-bbbbbb`]);
	}, 30_000);

	it('a new master (REPLICAOF another one): its data shows within two polls of the sync', async () => {
		// `a` is now b's replica; it is handed to c.
		const {poll} = await steady(a.url);
		expect(ids(await poll())).toEqual(['exec_bbbbbb']);
		const admin = a.client();
		await admin.call('REPLICAOF', '127.0.0.1', String(c.port));
		await until(async () => new RegExp(`master_port:${c.port}[\\s\\S]*master_link_status:up`).test(await admin.info('replication')));
		const snap = await withinTwoPolls(poll, s => ids(s).includes('exec_cccccc'));
		expect(ids(snap)).toEqual(['exec_cccccc']);
		expect(lockNames(snap)).toEqual(['res-cccccc']);
		expect(keyNames(snap)).toEqual([`${P}:instance:exec_cccccc`, `${P}:lock:res-cccccc`]);
	}, 30_000);

	it('SWAPDB 0 1: the other database shows within two polls', async () => {
		const s = await start();
		await writeDataset(s.client(), 'db0000');
		await writeDataset(s.client({db: 1}), 'db1111');
		const {poll} = await steady(s.url);
		expect(ids(await poll())).toEqual(['exec_db0000']);
		await s.client().call('SWAPDB', '0', '1');
		const snap = await withinTwoPolls(poll, s => ids(s).includes('exec_db1111'));
		expect(ids(snap)).toEqual(['exec_db1111']);
		expect(lockNames(snap)).toEqual(['res-db1111']);
		expect(keyNames(snap)).toEqual([`${P}:instance:exec_db1111`, `${P}:lock:res-db1111`]);
	}, 30_000);

	it('a restart on the same port with another dump: the dump shows within two polls of the reconnect', async () => {
		const s = await start();
		const admin = s.client();
		// The dump the restart will load, then other data in memory (not saved).
		await writeDataset(admin, 'dump00');
		await admin.call('SAVE');
		await admin.call('FLUSHALL');
		await writeDataset(admin, 'memory');
		const {source, poll} = await steady(s.url);
		expect(ids(await poll())).toEqual(['exec_memory']);
		await s.restart();
		await until(async () => {
			await poll();
			return source.ready;
		});
		const snap = await withinTwoPolls(poll, s => ids(s).includes('exec_dump00'));
		expect(ids(snap)).toEqual(['exec_dump00']);
		expect(lockNames(snap)).toEqual(['res-dump00']);
		expect(keyNames(snap)).toEqual([`${P}:instance:exec_dump00`, `${P}:lock:res-dump00`]);
	}, 30_000);
});

describe("the Keys pane's walked tree", () => {
	it('SWAPDB: the tree is walked again within two polls, no `s` needed', async () => {
		const s = await start();
		const db0 = s.client();
		const db1 = s.client({db: 1});
		for (let i = 0; i < 3; i++) await db0.set(`${P}:alpha:${i}`, 'x');
		for (let i = 0; i < 5; i++) await db1.set(`${P}:omega:${i}`, 'x');
		const redis = new RedisSource({url: s.url, prefix: P});
		sources.push(redis);
		const interval = 300;
		const ui = renderTui(<App source={redis} intervalMs={interval} prefix={P} size={{columns: 100, rows: 30}} />, {columns: 100, rows: 30});
		await ui.waitFor(f => /updated/.test(f), 5000);
		await ui.press('3');
		await ui.waitFor(f => f.includes('alpha'), 5000);
		await sleep(4 * interval); // past the first ticks: tracking on, reads reused
		await db0.call('SWAPDB', '0', '1');
		const swappedAt = Date.now();
		const frame = await ui.waitFor(f => f.includes('omega') && !f.includes('alpha'), 5000);
		expect(Date.now() - swappedAt).toBeLessThan(2 * interval + 500);
		expect(frame).toMatch(/omega/);
	}, 20_000);
});
