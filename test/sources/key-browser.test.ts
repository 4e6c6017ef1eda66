// The key browser's reads on a real redis-server: SCAN-only indexing, typed
// pages, binary and hostile keys, a 32 MiB string and a big hash.
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {findNode} from '../../source/domain/namespaces';
import {databasesInUse, fetchDetails, KeyIndexer, PARALLEL_RANGES, type IndexView} from '../../source/sources/key-index';
import {loadMore, openValue, previousStreamId} from '../../source/sources/key-reader';
import {parseInfo} from '../../source/domain/info';
import {decodeBytes} from '../../source/domain/sanitize';
import {RedisServer} from '../support/redis-server';
import {P, writeLayout1, writeLayout2} from '../support/store';

let server: RedisServer;
beforeAll(async () => {
	server = await RedisServer.start();
});
afterAll(async () => {
	await server.stop();
});
beforeEach(async () => {
	await server.client().flushall();
});

const BIN = Buffer.from([...Buffer.from(`${P}:tmp:bin`), 0xff, 0x00, 0x1b, 0x5b, 0x32, 0x4a]);
const HOSTILE = `${P}:tmp:\u001b[31mhostile\u0000\u009b`;

const writeEveryType = async () => {
	const r = server.client();
	await writeLayout1(r);
	await writeLayout2(r);
	await r.set(BIN, Buffer.from([0, 1, 2, 0xff, 0x1b]));
	await r.set(HOSTILE, 'v\u0007\u009b1m');
	await r.set(`${P}:tmp:${'L'.repeat(5000)}`, 'long');
	await r.rpush('app:list', ...Array.from({length: 450}, (_, i) => `item ${i}`));
	await r.sadd('app:set', ...Array.from({length: 450}, (_, i) => `m${i}`));
	await r.zadd('app:zset', ...Array.from({length: 450}, (_, i) => [i, `z${i}`]).flat());
	for (let i = 0; i < 450; i++) await r.xadd('app:stream', `${1000 + i}-0`, 'n', String(i));
	await r.hset('app:hash', Object.fromEntries(Array.from({length: 450}, (_, i) => [`f${i}`, `v${i}`])));
	return r;
};

const index = (over: Partial<ConstructorParameters<typeof KeyIndexer>[1]> = {}): Promise<IndexView> =>
	new KeyIndexer(server.client(), {match: null, type: null, count: 100, ...over}).run();

describe('KeyIndexer on a real redis-server', () => {
	it('counts every key of the database with SCAN only, binary names byte-exact', async () => {
		const r = await writeEveryType();
		const view = await index();
		expect(view.status).toBe('done');
		expect(view.tree.total).toBe(await r.dbsize());
		expect(view.progress).toMatchObject({done: true, dbsize: await r.dbsize()});
		expect(findNode(view.tree, P)!.count).toBe(15);
		expect(findNode(view.tree, 'app')!.count).toBe(5);
		expect(view.tree.list.some(ref => ref.raw?.equals(BIN))).toBe(true);
		const info = parseInfo(await r.info('commandstats'));
		const called = Object.keys(info['commandstats'] ?? {});
		for (const banned of ['keys', 'monitor', 'flushdb', 'debug']) expect(called).not.toContain(`cmdstat_${banned}`);
	});

	it('scans under the prefix with MATCH and filters by TYPE', async () => {
		await writeEveryType();
		const prefix = await index({match: `${P}:*`});
		expect(prefix.tree.total).toBe(15);
		const zsets = await index({type: 'zset'});
		expect(zsets.typeFilter).toBe('server');
		expect(zsets.tree.total).toBe(3);
		const locks = await index({match: `${P}:lock*`});
		expect(locks.tree.total).toBe(3);
	});

	it('reports progress while it walks, and stops when cancelled', async () => {
		const r = server.client();
		const pipe = r.pipeline();
		for (let i = 0; i < 5000; i++) pipe.set(`bulk:${i % 7}:${i}`, '1');
		await pipe.exec();
		const updates: IndexView[] = [];
		const done = await index({count: 50, updateEveryMs: 0, yieldBetween: true, onUpdate: v => updates.push(v)});
		expect(done.tree.total).toBe(5000);
		expect(updates.length).toBeGreaterThan(10);
		const mid = updates[Math.floor(updates.length / 2)]!;
		expect(mid.status).toBe('scanning');
		expect(mid.progress.examined).toBeGreaterThan(0);
		expect(mid.progress.examined).toBeLessThan(5000);
		const indexer = new KeyIndexer(r, {match: null, type: null, count: 50, yieldBetween: true, updateEveryMs: 0, onUpdate: v => v.progress.found > 500 && indexer.cancel()});
		const cancelled = await indexer.run();
		expect(cancelled.status).toBe('cancelled');
		expect(cancelled.tree.total).toBeLessThan(5000);
		// The same with four ranges walking at once: every range stops.
		const ranged = new KeyIndexer(r, {match: null, type: null, count: 50, ranges: 4, yieldBetween: true, updateEveryMs: 0, onUpdate: v => v.progress.found > 500 && ranged.cancel()});
		const rangedView = await ranged.run();
		expect(rangedView.status).toBe('cancelled');
		expect(rangedView.tree.total).toBeLessThan(5000);
		const calls = rangedView.progress.calls;
		await new Promise(res => setTimeout(res, 100));
		expect(ranged.current.progress.calls).toBe(calls);
	});

	it('walks cursor ranges at once without counting a key twice or missing one', async () => {
		const r = server.client();
		const pipe = r.pipeline();
		for (let i = 0; i < 6000; i++) pipe.set(`bulk:${i % 7}:${i}`, '1');
		for (let i = 0; i < 300; i++) pipe.hset(`h:${i}`, 'f', '1');
		await pipe.exec();
		await writeEveryType();
		const total = await r.dbsize();
		// COUNT from a tenth of a range to bigger than the store: each range's last
		// SCAN runs on into the next range, by a little or across all of them.
		for (const count of [10, 97, 400, 2500, 10_000]) {
			for (const ranges of [2, 4, 8]) {
				const view = await index({count, ranges});
				expect({count, ranges, status: view.status, total: view.tree.total}).toEqual({count, ranges, status: 'done', total});
			}
		}
		const ranged = await index({ranges: 4, count: 50});
		expect(findNode(ranged.tree, 'bulk')!.count).toBe(6000);
		expect(ranged.tree.list.some(ref => ref.raw?.equals(BIN))).toBe(true);
		expect((await index({ranges: 4, count: 50, match: 'bulk:3:*'})).tree.total).toBe(Math.ceil((6000 - 3) / 7));
		expect((await index({ranges: 4, count: 50, type: 'hash'})).tree.total).toBe((await index({ranges: 1, type: 'hash'})).tree.total);
		expect(ranged.ranges).toBe(4);
		// Unforced: one walk on a small store, PARALLEL_RANGES on a big one.
		expect((await index()).ranges).toBe(1);
		const more = r.pipeline();
		for (let i = 0; i < 10_000; i++) more.set(`more:${i}`, '1');
		await more.exec();
		const auto = await index();
		expect({ranges: auto.ranges, total: auto.tree.total}).toEqual({ranges: PARALLEL_RANGES, total: total + 10_000});
	});

	it('ends in error, every range stopped, when SCAN is denied', async () => {
		const r = server.client();
		await r.set('a', '1');
		await r.call('ACL', 'SETUSER', 'noscan', 'on', '>pw', '~*', '&*', '+@all', '-scan');
		try {
			const view = await new KeyIndexer(server.client({username: 'noscan', password: 'pw'}), {match: null, type: null, ranges: 4}).run();
			expect(view.status).toBe('error');
			expect(view.error).toMatch(/NOPERM/);
		} finally {
			await r.call('ACL', 'DELUSER', 'noscan');
		}
	});

	it('samples MEMORY USAGE per namespace when asked', async () => {
		await writeEveryType();
		const view = await index({memorySamples: 4});
		expect(view.memoryError).toBeNull();
		expect(findNode(view.tree, 'app')!.memSamples).toBeGreaterThan(0);
	});

	it('fetches type, TTL and memory of a screenful in one pipeline', async () => {
		await writeEveryType();
		const view = await index({match: `${P}:lock*`});
		const details = await fetchDetails(server.client(), view.tree.list);
		const byName = Object.fromEntries([...details].map(([ref, d]) => [ref.name, d]));
		expect(byName[`${P}:lock:git-main`]).toMatchObject({type: 'string'});
		expect(byName[`${P}:lock:git-main`]!.ttlMs).toBeGreaterThan(20_000);
		expect(byName[`${P}:locks:forever`]).toMatchObject({type: 'string', ttlMs: null});
		expect(byName[`${P}:locks:forever`]!.memory).toBeGreaterThan(0);
	});

	it('lists the databases in use from INFO keyspace', async () => {
		await server.client().set('a', '1');
		await server.client({db: 3}).set('b', '1');
		expect(databasesInUse(parseInfo(await server.client().info('keyspace')))).toEqual([0, 3]);
	});
});

describe('opening keys', () => {
	it('opens a binary key by its raw name and shows a hostile one escaped', async () => {
		const r = await writeEveryType();
		const bin = await openValue(r, {name: decodeBytes(BIN), raw: BIN}, P);
		expect(bin).toMatchObject({type: 'string', size: 5, error: null, kind: 'temporary'});
		expect(bin.bytes).toEqual(Buffer.from([0, 1, 2, 0xff, 0x1b]));
		const hostile = await openValue(r, {name: HOSTILE, raw: Buffer.from(HOSTILE)}, P);
		expect(hostile.bytes?.toString()).toBe('v\u0007\u009b1m');
		const gone = await openValue(r, {name: 'gone', raw: Buffer.from('gone')}, P);
		expect(gone.error).toBe('the key no longer exists');
	});

	it('reads at most 64 KiB of a 32 MiB string, quickly, and says its full size', async () => {
		const r = server.client();
		// SETRANGE past the end zero-fills: a 32 MiB value without sending 32 MiB.
		await r.setrange('big', 32 * 1024 * 1024 - 5, 'tail!');
		await r.setrange('big', 0, '{"head":');
		const started = Date.now();
		const view = await openValue(r, {name: 'big', raw: Buffer.from('big')}, P);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(view.size).toBe(32 * 1024 * 1024);
		expect(view.bytes).toHaveLength(64 * 1024);
	});

	it('opens a 200k-field hash as one HLEN and one HSCAN page, then pages on', async () => {
		const r = server.client();
		for (let b = 0; b < 200; b++) {
			const fields: string[] = [];
			for (let i = 0; i < 1000; i++) fields.push(`field:${b * 1000 + i}`, `value ${b * 1000 + i}`);
			await r.hset('bighash', ...fields);
		}
		await r.hset('smallhash', {a: '1', b: '2'});
		const t0 = Date.now();
		const big = await openValue(r, {name: 'bighash', raw: Buffer.from('bighash')}, P);
		const bigMs = Date.now() - t0;
		expect(big.size).toBe(200_000);
		expect(big.items.length).toBeGreaterThan(0);
		expect(big.items.length).toBeLessThan(1000);
		expect(big.next).not.toBeNull();
		expect(bigMs).toBeLessThan(200);
		const more = await loadMore(r, {name: 'bighash', raw: Buffer.from('bighash')}, big);
		expect(more.items.length).toBeGreaterThan(big.items.length);
		const small = await openValue(r, {name: 'smallhash', raw: Buffer.from('smallhash')}, P);
		expect(small).toMatchObject({size: 2, next: null});
	});

	it('pages lists, sets, sorted sets and streams', async () => {
		const r = await writeEveryType();
		for (const [name, type] of [
			['app:list', 'list'],
			['app:set', 'set'],
			['app:zset', 'zset'],
			['app:stream', 'stream'],
			['app:hash', 'hash'],
		] as const) {
			const ref = {name, raw: Buffer.from(name)};
			let view = await openValue(r, ref, P);
			expect(view).toMatchObject({type, size: 450, error: null});
			while (view.next !== null) view = await loadMore(r, ref, view);
			const labels = new Set(view.items.map(i => i.label));
			expect(labels.size, `${type} pages cover every element once`).toBe(450);
		}
		const list = await openValue(r, {name: 'app:list', raw: Buffer.from('app:list')}, P);
		expect(list.items[0]).toMatchObject({label: '0', value: Buffer.from('item 0')});
		const stream = await openValue(r, {name: 'app:stream', raw: Buffer.from('app:stream')}, P);
		expect(stream.items[0]?.label).toBe('1449-0');
		const zset = await openValue(r, {name: 'app:zset', raw: Buffer.from('app:zset')}, P);
		expect(zset.items[1]).toMatchObject({label: 'z1', score: 1});
		expect(previousStreamId('5-0')).toBe('4-18446744073709551615');
		expect(previousStreamId('5-3')).toBe('5-2');
		expect(previousStreamId('0-0')).toBeNull();
	});
});
