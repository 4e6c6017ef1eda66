// Issue 12: reads whose cost grows with the data are bounded, and the figures
// tcmon shows measure the store, not tcmon. All on a real redis-server.
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {defaultAlertSettings} from '../../source/domain/alerts';
import {detailLines, keyFigures} from '../../source/domain/health';
import type {Sample} from '../../source/domain/rates';
import {TOKEN_CAP, VALUE_CAP} from '../../source/domain/state-merge';
import type {Snapshot} from '../../source/domain/types';
import {toDocument} from '../../source/document';
import {alertTracker} from '../../source/sources/alert-tracker';
import {HASH_HGETALL_MAX, HASH_HOLD, RedisSource} from '../../source/sources/redis-source';
import {instanceJson, jobJson} from '../support/fixtures';
import {RedisServer} from '../support/redis-server';
import {P} from '../support/store';

let server: RedisServer;
let source: RedisSource | null = null;

beforeAll(async () => {
	server = await RedisServer.start();
});
afterAll(async () => {
	await server.stop();
});
beforeEach(async () => {
	const r = server.client();
	await r.flushall();
	await r.config('RESETSTAT');
	await r.call('SLOWLOG', 'RESET');
});
afterEach(async () => {
	await source?.close();
	source = null;
});

const open = (over: Partial<ConstructorParameters<typeof RedisSource>[0]> = {}) => (source = new RedisSource({url: server.url, prefix: P, ...over}));

const commandCalls = async (name: string): Promise<number> => {
	const stats = (await server.client().info('commandstats')) as string;
	return Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
};

/** `count` fields in the instances hash, written in pipelined batches. */
const fillHash = async (count: number) => {
	const r = server.client();
	for (let n = 0; n < count; ) {
		const pipe = r.pipeline();
		for (let j = 0; j < 2000 && n < count; j++, n++) pipe.hset(`${P}:instances`, `spec_1_1_${n}`, instanceJson(`spec_1_1_${n}`, 'specialist', 'active'));
		await pipe.exec();
	}
};

describe('the instances hash', () => {
	it('is paged with bounded HSCANs, never HGETALLed when large, even on the first tick, and says how much was read', async () => {
		const fields = HASH_HOLD + 5000;
		await fillHash(fields);
		const r = server.client();
		await r.config('SET', 'slowlog-log-slower-than', '0');
		await r.config('SET', 'slowlog-max-len', '10000');
		await r.call('SLOWLOG', 'RESET');
		const s = open();
		const first = await s.poll();
		// A first tick used to HGETALL whatever was there (HLEN unknown): a million fields took 0.8–2.8 s.
		expect(await commandCalls('hgetall')).toBe(0);
		expect(await commandCalls('hscan')).toBeGreaterThan(0);
		expect(first.instancesHash?.fields).toBe(fields);
		expect(first.instancesHash!.read).toBeGreaterThan(0);
		expect(first.instancesHash!.read).toBeLessThanOrEqual(HASH_HOLD);
		expect(first.instances).toHaveLength(first.instancesHash!.read);
		let snap = first;
		for (let i = 0; i < 10 && snap.instancesHash!.read < HASH_HOLD; i++) snap = await s.poll();
		expect(snap.instancesHash).toEqual({fields, read: HASH_HOLD});
		expect(snap.instances).toHaveLength(HASH_HOLD);
		expect(new Set(snap.instances.map(i => i.id)).size).toBe(HASH_HOLD);
		expect(await commandCalls('hgetall')).toBe(0);
		// Every read of the hash was a bounded HSCAN page (COUNT 250), none a whole read.
		const log = (await r.call('SLOWLOG', 'GET', '-1')) as [number, number, number, string[]][];
		await r.config('SET', 'slowlog-log-slower-than', '10000');
		const hashReads = log.map(e => [e[3][0]!.toUpperCase(), ...e[3].slice(1)]).filter(args => args[1] === `${P}:instances`);
		expect(hashReads.length).toBeGreaterThan(HASH_HOLD / 250 - 1);
		for (const args of hashReads) expect({args, bounded: ['HLEN', 'TYPE', 'PTTL'].includes(args[0]!) || (args[0] === 'HSCAN' && args[3] === 'COUNT' && Number(args[4]) <= 250)}).toEqual({args, bounded: true});
		const doc = toDocument(snap);
		expect(doc.instancesHash).toEqual({fields, read: HASH_HOLD});
	});

	it('is read by HGETALL once HLEN says it is small, and whole', async () => {
		await fillHash(50);
		const s = open({keyTracking: false});
		const first = await s.poll();
		expect(first.instances).toHaveLength(50);
		expect(first.instancesHash).toEqual({fields: 50, read: 50});
		await server.client().hset(`${P}:instances`, 'spec_x', instanceJson('spec_x', 'specialist', 'active'));
		const second = await s.poll();
		expect(second.instances).toHaveLength(51);
		expect(await commandCalls('hgetall')).toBeGreaterThan(0);
		expect(HASH_HGETALL_MAX).toBeGreaterThanOrEqual(50);
	});
});

describe('huge values', () => {
	const big = (bytes: number, id: string) => JSON.stringify({instanceId: id, id, status: 'active', pad: 'x'.repeat(bytes)});

	it('reads at most a bounded prefix of instance, job, lock and hash values and marks them truncated', async () => {
		const r = server.client();
		const mib = 1024 * 1024;
		await r.set(`${P}:instance:huge_1`, big(mib, 'huge_1'));
		await r.set(`${P}:instance:small_1`, instanceJson('small_1', 'executive', 'active'));
		await r.set(`${P}:job:huge_job`, big(mib, 'huge_job'));
		await r.set(`${P}:lock:huge`, `${Date.now()}-${'7'.repeat(100_000)}`, 'PX', 30_000);
		await r.hset(`${P}:instances`, {huge_h: big(mib, 'huge_h'), 'job:hj': jobJson('hj', 'pending')});
		const s = open();
		const snap = await s.poll();
		const instance = snap.instances.find(i => i.id === 'huge_1')!;
		expect(instance).toMatchObject({truncated: true, bytes: (await r.strlen(`${P}:instance:huge_1`)), raw: null, status: null});
		expect(instance.parseError).toMatch(/^value truncated: first 64\.0K of 1,048,\d{3} bytes read, not decoded$/);
		expect(snap.instances.find(i => i.id === 'small_1')).toMatchObject({status: 'active', parseError: null});
		expect(snap.instances.find(i => i.id === 'small_1')?.truncated).toBeUndefined();
		expect(snap.jobs.find(j => j.id === 'huge_job')).toMatchObject({truncated: true, bytes: await r.strlen(`${P}:job:huge_job`)});
		expect(snap.instances.find(i => i.id === 'huge_h')).toMatchObject({truncated: true, bytes: await r.hstrlen(`${P}:instances`, 'huge_h'), origin: 'instances-hash'});
		expect(snap.jobs.find(j => j.id === 'hj')).toMatchObject({status: 'pending'});
		const lock = snap.locks.find(l => l.resource === 'huge')!;
		expect(lock.token).toHaveLength(TOKEN_CAP);
		expect(lock).toMatchObject({truncated: true, bytes: await r.strlen(`${P}:lock:huge`)});
		// No MGET carries a whole value; the document stays small.
		expect(await commandCalls('mget')).toBe(0);
		const doc = JSON.stringify(toDocument(snap));
		expect(doc.length).toBeLessThan(2 * VALUE_CAP);
		expect(toDocument(snap).locks.find(l => l.resource === 'huge')).toMatchObject({truncated: true});
		expect(toDocument(snap).instances.find(i => i.id === 'huge_1')).toMatchObject({truncated: true, bytes: instance.bytes});
		// Read again unchanged: the same objects; a value that shrinks is read whole again.
		await r.set(`${P}:instance:huge_1`, instanceJson('huge_1', 'manager', 'terminated'));
		let later = await s.poll();
		for (let i = 0; i < 20 && later.instances.find(x => x.id === 'huge_1')?.status !== 'terminated'; i++) {
			await new Promise(res => setTimeout(res, 20));
			later = await s.poll();
		}
		expect(later.instances.find(x => x.id === 'huge_1')).toMatchObject({status: 'terminated', parseError: null});
		expect(later.instances.find(x => x.id === 'huge_1')?.truncated).toBeUndefined();
	});

	it('a hash field once seen huge is not carried again: the other fields by HMGET, its length by HSTRLEN', async () => {
		const r = server.client();
		const mib = 1024 * 1024;
		await r.hset(`${P}:instances`, {huge_h: big(mib, 'huge_h'), spec_1: instanceJson('spec_1', 'specialist', 'active')});
		const s = open({keyTracking: false});
		await s.poll();
		const whole = (await commandCalls('hgetall')) + (await commandCalls('hscan'));
		const sent = async () => Number(/total_net_output_bytes:(\d+)/.exec((await r.info('stats')) as string)![1]);
		for (let i = 0; i < 3; i++) {
			await r.hset(`${P}:instances`, 'spec_1', instanceJson('spec_1', 'specialist', `s${i}`));
			const before = await sent();
			const snap = await s.poll();
			// The server sent far less than the huge field (INFO and SLOWLOG aside).
			expect((await sent()) - before).toBeLessThan(mib / 4);
			expect(snap.instances.find(x => x.id === 'spec_1')?.status).toBe(`s${i}`);
			expect(snap.instances.find(x => x.id === 'huge_h')).toMatchObject({truncated: true, bytes: await r.hstrlen(`${P}:instances`, 'huge_h')});
		}
		expect((await commandCalls('hgetall')) + (await commandCalls('hscan'))).toBe(whole);
		expect(await commandCalls('hkeys')).toBeGreaterThanOrEqual(3);
		// Shrunk: read and decoded again.
		await r.hset(`${P}:instances`, 'huge_h', instanceJson('huge_h', 'manager', 'active'));
		const shrunk = await s.poll();
		expect(shrunk.instances.find(x => x.id === 'huge_h')).toMatchObject({role: 'manager', parseError: null});
		expect(shrunk.instances).toHaveLength(2);
	});

	it('a walk of a hash of big values takes a bounded number of bytes a tick', async () => {
		const r = server.client();
		const value = big(100 * 1024, 'x');
		for (let n = 0; n < 300; n += 50) {
			const pipe = r.pipeline();
			for (let j = n; j < n + 50; j++) pipe.hset(`${P}:instances`, `spec_${j}`, value);
			await pipe.exec();
		}
		const s = open();
		// One HSCAN page (~250 fields, ~25 MB) is past the tick's 4 MiB: the rest waits for the next tick.
		const first = await s.poll();
		expect(first.instancesHash!.read).toBeLessThan(300);
		let snap = first;
		for (let i = 0; i < 5 && snap.instancesHash!.read < 300; i++) snap = await s.poll();
		expect(snap.instancesHash).toEqual({fields: 300, read: 300});
		expect(snap.instances.every(i => i.truncated && i.bytes === value.length)).toBe(true);
	});

	it('a value of another type under an instance or lock key is skipped, not an error', async () => {
		const r = server.client();
		await r.hset(`${P}:instance:odd`, 'a', '1');
		await r.hset(`${P}:lock:odd`, 'a', '1');
		await r.set(`${P}:instance:ok_1`, instanceJson('ok_1', 'executive', 'active'));
		const snap = await open().poll();
		expect(snap.instances.map(i => i.id)).toEqual(['ok_1']);
		expect(snap.locks).toEqual([]);
		expect(snap.errors).toEqual({});
	});
});

describe("figures that measure tcmon's own reads", () => {
	/** Polls `n` times, 30 ms apart, through the alert tracker (every rule fires at once): samples and the last snapshot. */
	const pollTracked = async (s: RedisSource, n: number, between: () => Promise<void> = async () => {}) => {
		const settings = {...defaultAlertSettings(), hitRateMinLookups: 5};
		settings.rules.RedisHitRateLow = {...settings.rules.RedisHitRateLow, forMs: 0};
		const tracker = alertTracker(settings);
		const history: Sample[] = [];
		let last: Snapshot | null = null;
		for (let i = 0; i < n; i++) {
			if (i > 0) await between();
			last = tracker.observe(await s.poll());
			if (last.stats) history.push({at: last.takenAt, stats: last.stats});
			await new Promise(res => setTimeout(res, 30));
		}
		return {history, last: last!};
	};
	const hitRate = (snap: Snapshot, history: Sample[]) => keyFigures(snap, history).find(f => f.label === 'hit rate')!;

	it('an idle store only tcmon reads shows no hit rate and no hit-rate alert', async () => {
		const r = server.client();
		// A lock just released, an instance key, an empty hash position: tcmon's reads of them miss.
		await r.set(`${P}:instance:exec_1`, instanceJson('exec_1', 'executive', 'active'));
		await r.set(`${P}:lock:gone`, `${Date.now()}-0.1`, 'PX', 30_000);
		const s = open({keyTracking: false});
		await s.poll();
		await r.del(`${P}:lock:gone`);
		const {history, last} = await pollTracked(s, 12);
		const figure = hitRate(last, history);
		expect(figure.value).toBe("n/a: only tcmon's reads");
		expect(figure.value).not.toMatch(/0\.0%/);
		expect(last.alerts.filter(a => a.name === 'RedisHitRateLow')).toEqual([]);
		expect(detailLines(last, history).map(l => l.text)).toContainEqual(expect.stringMatching(/^ {2}\d+ keyspace lookups by tcmon left out of the hit rate$/));
		// The server did count lookups meanwhile: all of them tcmon's.
		const a = history[0]!.stats;
		const b = history.at(-1)!.stats;
		expect(b.keyspaceMisses! - a.keyspaceMisses!).toBeGreaterThan(5);
		expect(b.ownMisses! - a.ownMisses!).toBe(b.keyspaceMisses! - a.keyspaceMisses!);
		expect(b.ownHits! - a.ownHits!).toBe(b.keyspaceHits! - a.keyspaceHits!);
	});

	it("another client's hits and misses still show, exactly, and alert", async () => {
		const r = server.client();
		await r.set('app:present', '1');
		await r.set(`${P}:instance:exec_1`, instanceJson('exec_1', 'executive', 'active'));
		await r.hset(`${P}:instances`, 'spec_1', instanceJson('spec_1', 'specialist', 'active'));
		await r.set(`${P}:lock:held`, `${Date.now()}-0.1`, 'PX', 30_000);
		const s = open({keyTracking: false});
		await s.poll();
		// Between polls another client looks up 1 present and 3 missing keys: 25 %.
		const other = server.client();
		const {history, last} = await pollTracked(s, 6, async () => {
			await other.get('app:present');
			await other.get('app:missing:1');
			await other.get('app:missing:2');
			await other.get('app:missing:3');
		});
		expect(hitRate(last, history).value).toBe('25.0% of 20');
		const alert = last.alerts.find(a => a.name === 'RedisHitRateLow');
		expect(alert?.status).toBe('firing');
		expect(alert?.value).toBe('25.0% of 20 lookups');
	});
});

describe('both key layouts', () => {
	it('counts an instance or job present in both layouts once, the hash copy winning, and says so', async () => {
		const r = server.client();
		const ids = Array.from({length: 32}, (_, i) => `spec_1_1_${100_000 + i}`);
		for (const id of ids) {
			await r.set(`${P}:instance:${id}`, instanceJson(id, 'specialist', 'active'));
			await r.hset(`${P}:instances`, id, instanceJson(id, 'specialist', 'active'));
		}
		await r.set(`${P}:job:job_1`, jobJson('job_1', 'pending'));
		await r.hset(`${P}:instances`, 'job:job_1', jobJson('job_1', 'pending'));
		// One copy differs: the hash's (what the reference writer writes) is shown.
		await r.set(`${P}:instance:${ids[0]}`, instanceJson(ids[0]!, 'specialist', 'terminated'));
		const snap = await open().poll();
		expect(snap.instances).toHaveLength(32);
		expect(snap.jobs).toHaveLength(1);
		expect(snap.instances.find(i => i.id === ids[0])).toMatchObject({status: 'active', origin: 'instances-hash'});
		expect(snap.duplicates).toEqual({instances: 32, jobs: 1, differ: 1});
		expect(toDocument(snap).duplicates).toEqual({instances: 32, jobs: 1, differ: 1});
	});
});
