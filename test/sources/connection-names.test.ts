// Every connection tcmon opens names itself (CLIENT SETNAME), so an operator
// looking at CLIENT LIST sees which are tcmon's and what each is for.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {ActivitySource} from '../../source/sources/activity-feed';
import {RedisSource} from '../../source/sources/redis-source';
import {RedisServer} from '../support/redis-server';
import {P, writeLayout1} from '../support/store';

let server: RedisServer;
beforeAll(async () => {
	// Keyspace notifications on: the lock watcher opens its subscriber too.
	server = await RedisServer.start({args: ['--notify-keyspace-events', 'KEA']});
	await writeLayout1(server.client());
});
afterAll(async () => {
	await server.stop();
});

const names = async (): Promise<string[]> => {
	const list = (await server.client().call('CLIENT', 'LIST')) as string;
	return list
		.split('\n')
		.map(line => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '')
		.filter(name => name.startsWith('tcmon'))
		.sort();
};

it('names the main connection tcmon and each subscriber by its use', async () => {
	const redis = new RedisSource({url: server.url, prefix: P});
	const source = new ActivitySource(redis);
	try {
		await redis.connect();
		for (let i = 0; i < 4; i++) {
			await source.poll();
			await new Promise(r => setTimeout(r, 100));
		}
		const seen = await names();
		expect(seen).toContain('tcmon');
		expect(seen).toContain('tcmon:track');
		expect(seen).toContain('tcmon:feed');
		expect(seen).toContain('tcmon:locks');
	} finally {
		source.detach();
		await redis.close();
	}
});
