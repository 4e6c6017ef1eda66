import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {TickPipeline} from '../../source/sources/tick-pipeline';
import {RedisServer} from '../support/redis-server';

let server: RedisServer;
beforeAll(async () => {
	server = await RedisServer.start();
	const writer = server.client();
	await writer.set('a', '1');
	await writer.set('b', '2');
	await writer.rpush('list', 'x', 'y', 'z');
});
afterAll(async () => {
	await server.stop();
});

describe('TickPipeline', () => {
	it('gives each section only the replies of the commands it queued, in one round trip', async () => {
		const client = server.client();
		const tick = new TickPipeline(client.pipeline());
		// A section of a varying size between two others: neither of them counts its replies.
		const first = tick.add(pipe => {
			pipe.get('a');
			return r => [r.length, r.next()[1]];
		});
		const middle = tick.add(pipe => {
			for (let i = 0; i < 3; i++) pipe.lindex('list', i);
			return r => [r.next()[1], r.next()[1]]; // reads only two of its three
		});
		const empty = tick.add(() => r => r.length);
		const last = tick.add(pipe => {
			pipe.get('b');
			pipe.get('missing');
			return (r, tag: string) => [tag, r.next()[1], r.next()[1]];
		});
		const replies = await tick.exec();
		expect(replies).toHaveLength(6);
		// Parsed in any order, each from its own slots.
		expect(last('last')).toEqual(['last', '2', null]);
		expect(middle()).toEqual(['x', 'y']);
		expect(first()).toEqual([1, '1']);
		expect(empty()).toBe(0);
	});

	it('answers an error past a section\'s own replies, and refuses a parse before the pipeline ran', async () => {
		const tick = new TickPipeline(server.client().pipeline());
		const one = tick.add(pipe => {
			pipe.get('a');
			return r => [r.next(), r.next()] as const;
		});
		tick.add(pipe => {
			pipe.get('b');
			return () => null;
		});
		expect(() => one()).toThrow(/before the pipeline ran/);
		await tick.exec();
		const [own, past] = one();
		expect(own).toEqual([null, '1']);
		expect(past[0]).toBeInstanceOf(Error); // not the next section's '2'
		expect(past[1]).toBeNull();
	});
});
