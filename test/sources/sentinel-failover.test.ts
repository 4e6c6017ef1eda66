// redis-sentinel://: a master that hangs (SIGSTOP) is left for the one
// Sentinel promotes. ioredis asks Sentinel again only when its connection
// drops, so a poll past its deadline drops it. Real processes: a master, its
// replica and one Sentinel (quorum 1, down after 1 s).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {infoField} from '../../source/domain/info';
import {RedisSource} from '../../source/sources/redis-source';
import type {Snapshot} from '../../source/domain/types';
import {instanceJson} from '../support/fixtures';
import {RedisSentinel, RedisServer} from '../support/redis-server';
import {P} from '../support/store';

let master: RedisServer;
let replica: RedisServer;
let sentinel: RedisSentinel;
let source: RedisSource | null = null;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

beforeAll(async () => {
	master = await RedisServer.start();
	replica = await RedisServer.start({args: ['--replicaof', '127.0.0.1', String(master.port)]});
	await master.client().set(`${P}:instance:exec_100001`, instanceJson('exec_100001', 'executive', 'active'));
	const r = replica.client();
	const deadline = Date.now() + 10_000;
	while (!/master_link_status:up/.test(await r.info('replication')) && Date.now() < deadline) await sleep(50);
	sentinel = await RedisSentinel.start(master.port);
	// Sentinel learns of the replica from the master's INFO (every 10 s at first, then faster): wait for it.
	const c = new (await import('ioredis')).Redis({port: sentinel.port, host: '127.0.0.1'});
	c.on('error', () => {});
	while (Date.now() < deadline + 15_000) {
		const replicas = (await c.call('SENTINEL', 'REPLICAS', 'mymaster')) as unknown[];
		if (replicas.length > 0) break;
		await sleep(100);
	}
	c.disconnect();
}, 40_000);
afterAll(async () => {
	master.resume();
	await source?.close();
	await sentinel.stop();
	await Promise.all([master.stop(), replica.stop()]);
});

const port = (s: Snapshot) => (s.info ? infoField(s.info, 'tcp_port') : undefined);

describe('redis-sentinel:// with a hung master', () => {
	it('leaves a SIGSTOPped master for the one Sentinel promotes, within a bounded time', async () => {
		source = new RedisSource({url: `redis-sentinel://127.0.0.1:${sentinel.port}/mymaster`, prefix: P});
		const poll = () => source!.poll({deadlineMs: 500});
		let snap = await poll();
		expect(snap.source.connected).toBe(true);
		expect(port(snap)).toBe(String(master.port));
		expect(snap.server?.role).toBe('master');
		master.pause();
		const stoppedAt = Date.now();
		// Promoted: Sentinel names the replica; tcmon must follow without a restart.
		while (Date.now() - stoppedAt < 25_000) {
			await sleep(250);
			snap = await poll();
			if (snap.source.connected && port(snap) === String(replica.port) && snap.server?.role === 'master') break;
		}
		const took = Date.now() - stoppedAt;
		expect(await sentinel.master()).toBe(replica.port);
		expect(port(snap)).toBe(String(replica.port));
		expect(snap.server?.role).toBe('master');
		// The promoted master's data, written after the promotion, shows (new keys: at the next discovery cycle, 3 s).
		await replica.client().set(`${P}:instance:exec_200002`, instanceJson('exec_200002', 'executive', 'active'));
		for (let i = 0; i < 40 && !snap.instances.some(x => x.id === 'exec_200002'); i++) {
			await sleep(200);
			snap = await poll();
		}
		expect(snap.instances.map(x => x.id).sort()).toEqual(['exec_100001', 'exec_200002']);
		expect(took).toBeLessThan(25_000);
	}, 60_000);
});
