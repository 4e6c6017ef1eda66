// The lookups tcmon counts from its replies (domain/own-reads.ts) are the
// ones the server counts in keyspace_hits / keyspace_misses: checked command
// by command, on a present, a missing and a wrong-type key, on a real server.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {countLookup, type LookupKind, type OwnLookups} from '../../source/domain/own-reads';
import {fetchDetails} from '../../source/sources/key-index';
import {loadMore, openValue} from '../../source/sources/key-reader';
import {RedisServer} from '../support/redis-server';

let server: RedisServer;
beforeAll(async () => {
	server = await RedisServer.start();
	const r = server.client();
	await r.set('str', 'abc');
	await r.hset('hash', 'f', 'v');
	await r.zadd('zset', 1, 'a');
});
afterAll(async () => {
	await server.stop();
});

const serverLookups = async (): Promise<OwnLookups> => {
	const info = (await server.client().info('stats')) as string;
	const n = (f: string) => Number(new RegExp(`${f}:(\\d+)`).exec(info)![1]);
	return {hits: n('keyspace_hits'), misses: n('keyspace_misses')};
};

const CASES: [string, LookupKind, string[]][] = [
	['GETRANGE', 'value', ['0', '10']],
	['GET', 'value', []],
	['STRLEN', 'length', []],
	['HLEN', 'length', []],
	['ZCARD', 'length', []],
	['TYPE', 'type', []],
	['PTTL', 'ttl', []],
	['HGETALL', 'list', []],
	['ZRANGE', 'list', ['0', '-1']],
	['HSCAN', 'scan', ['0', 'COUNT', '10']],
];

describe("tcmon's own lookups", () => {
	it.each(CASES.flatMap(([cmd, kind, args]) => ['str', 'hash', 'zset', 'missing'].map(key => [cmd, key, kind, args] as const)))('%s on %s counts as the server does', async (cmd, key, kind, args) => {
		const r = server.client();
		const before = await serverLookups();
		const [error, reply] = await r.call(cmd, key, ...args).then(
			(v): [Error | null, unknown] => [null, v],
			(e: Error): [Error | null, unknown] => [e, null],
		);
		const after = await serverLookups();
		const own: OwnLookups = {hits: 0, misses: 0};
		countLookup(own, kind, error, reply);
		expect(own).toEqual({hits: after.hits - before.hits, misses: after.misses - before.misses});
	});

	it('commands that look no key up count none', async () => {
		const r = server.client();
		const before = await serverLookups();
		await r.scan('0', 'COUNT', '10');
		await r.dbsize();
		await r.call('MEMORY', 'USAGE', 'str');
		await r.call('SLOWLOG', 'GET', '1');
		expect(await serverLookups()).toEqual(before);
	});

	it("the key browser's reads are counted too", async () => {
		const r = server.client();
		await r.rpush('list', ...Array.from({length: 250}, (_, i) => String(i)));
		const own: OwnLookups = {hits: 0, misses: 0};
		const before = await serverLookups();
		const refs = ['str', 'hash', 'zset', 'list', 'missing'].map(name => ({name, raw: Buffer.from(name)}));
		for (const ref of refs) {
			const data = await openValue(r, ref, 'tmux-claude', own);
			if (data.next !== null) await loadMore(r, ref, data, own);
		}
		await fetchDetails(r, refs, own);
		const after = await serverLookups();
		expect(own).toEqual({hits: after.hits - before.hits, misses: after.misses - before.misses});
		expect(own.hits).toBeGreaterThan(10);
	});
});
