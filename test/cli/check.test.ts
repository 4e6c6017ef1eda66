// `tcmon check` end to end, built CLI against real redis-servers.
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort, RedisServer} from '../support/redis-server';
import {writeLayout1, writeLayout2} from '../support/store';
import {CLI, runCli} from '../support/cli';


const run = (args: string[], command: string[] = ['check']) => runCli([...command, ...args]);

let full: RedisServer;
let healthy: RedisServer;

beforeAll(async () => {
	[full, healthy] = await Promise.all([RedisServer.start({args: ['--maxmemory', '4mb', '--maxmemory-policy', 'noeviction']}), RedisServer.start()]);
	// Fill past 90 % of maxmemory (noeviction: writes fail at 100 %, so stop at 92 %).
	const r = full.client();
	const value = 'x'.repeat(8 * 1024);
	for (let i = 0; i < 800; i++) {
		const info = (await r.info('memory')) as string;
		const used = Number(/used_memory:(\d+)/.exec(info)![1]);
		if (used / (4 * 1024 * 1024) > 0.93) break;
		await r.set(`filler:${i}`, value).catch(() => {});
	}
	// A healthy store with a few thousand keys and both tmux-claude layouts.
	const h = healthy.client();
	await writeLayout1(h);
	await writeLayout2(h);
	const pipe = h.pipeline();
	for (let i = 0; i < 3000; i++) pipe.set(`tmux-claude:tmp:k${i}`, `v${i}`, 'EX', 600);
	await pipe.exec();
	for (let i = 0; i < 50; i++) await h.get(`tmux-claude:tmp:k${i}`);
}, 30_000);
afterAll(async () => {
	await Promise.all([full.stop(), healthy.stop()]);
});

const fast = ['--samples', '2', '--interval', '200', '--source', 'redis'];

describe('tcmon check', () => {
	it('a server past 90 % of maxmemory: --alert-for 0 exits 1 naming RedisMemoryHigh', async () => {
		const r = await run(['-p', String(full.port), '--alert-for', '0', ...fast]);
		expect(r.code).toBe(1);
		// Past 90 % (client buffers of the check itself may push it a little further).
		expect(r.stdout).toMatch(/^FIRING RedisMemoryHigh \[critical\] (9\d|1\d\d)\.\d% of 4\.00M \(held \S+\)$/m);
		expect(r.stderr).toBe('');
	});

	it('the guide\'s 5m: the same server is only pending, exit 0', async () => {
		const r = await run(['-p', String(full.port), '--samples', '1', '--source', 'redis']);
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/^PENDING RedisMemoryHigh \[critical\] .* of 5m00s\)$/m);
	});

	it('--json gives the same as a document', async () => {
		const r = await run(['-p', String(full.port), '--alert-for', '0', '--json', ...fast]);
		expect(r.code).toBe(1);
		const doc = JSON.parse(r.stdout);
		expect(doc).toMatchObject({version: 1, samples: 2, source: {kind: 'redis', connected: true}});
		expect(doc.firing).toBeGreaterThanOrEqual(1);
		expect(doc.alerts.find((a: {name: string}) => a.name === 'RedisMemoryHigh')).toMatchObject({status: 'firing', severity: 'critical', forMs: 0});
	});

	it('a threshold raised by flag clears it', async () => {
		const r = await run(['-p', String(full.port), '--alert-for', '0', '--alert-threshold', 'RedisMemoryHigh=2', ...fast]);
		expect(r.code).toBe(0);
		expect(r.stdout).toBe('');
	});

	it('a healthy server with a few thousand keys fires no Redis rule; its store`s findings are the only lines', async () => {
		const r = await run(['-p', String(healthy.port), '--alert-for', '0', ...fast]);
		// The fixture store has a job pending since 2026-11-26 with none running, and
		// tmux-claude:locks:forever without a TTL: store rules, not Redis ones.
		expect(r.stdout).toMatch(/^FIRING QueueStalled \[warning\] 1 pending, none running, oldest waited \S+\nFIRING LockNoTtl \[critical\] 1: forever\n$/);
		expect(r.code).toBe(1);
	});

	it('an unreachable Redis is RedisDown', async () => {
		const r = await run(['-p', String(await freePort()), '--alert-for', '0', '--samples', '1', '--source', 'redis']);
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(/^FIRING RedisDown \[critical\] .*ECONNREFUSED/m);
	});

	it('the JSON source alone: no Redis rules apply, exit 0', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-check-'));
		try {
			const r = await run(['--source', 'json', '--state-dir', dir, '--alert-for', '0', '--samples', '1']);
			expect(r.code).toBe(0);
			expect(r.stdout).toBe('');
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('tcmon --json carries alerts, keyspace, audit and the memory check', async () => {
		const r = await run(['-p', String(full.port), '--source', 'redis', '--alert-for', '0', '--json'], []);
		expect(r.code).toBe(0);
		const doc = JSON.parse(r.stdout);
		expect(doc.alerts.map((a: {name: string}) => a.name)).toContain('RedisMemoryHigh');
		expect(doc.keyspace[0]).toMatchObject({db: 0, keys: expect.any(Number)});
		expect(doc.audit.config).toBe('CONFIG GET permitted');
		expect(doc.audit.items.find((i: {check: string}) => i.check === 'maxmemory')).toMatchObject({status: 'ok'});
		expect(doc.memoryCheck).toMatchObject({limit: 'set'});
	});

	it.each([
		[['--samples', '0'], /--samples must be a whole number from 1 to 60/],
		[['--alert-for', 'soon'], /not a duration: "soon"/],
		[['--alert-threshold', 'Nope=1'], /--alert-threshold wants RULE=NUMBER/],
		[['--alert-config', '/nonexistent/alerts.json'], /cannot read --alert-config/],
		[['--bogus'], /unknown flag --bogus/],
	])('usage error %j exits 2 with one line', async (args, message) => {
		const r = await run(args);
		expect(r.code).toBe(2);
		expect(r.stderr.split('\n')[0]).toMatch(message);
		expect(r.stdout).toBe('');
	});
});
