// The activity feed against a real redis-server: a read-only SUBSCRIBE to
// instance-updates, and the changes between polls.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ActivitySource} from '../../source/sources/activity-feed';
import {RedisSource} from '../../source/sources/redis-source';
import {instanceJson} from '../support/fixtures';
import {RedisServer} from '../support/redis-server';
import {P} from '../support/store';

let server: RedisServer;
beforeAll(async () => {
	server = await RedisServer.start();
});
afterAll(async () => {
	await server.stop();
});

const waitFor = async (check: () => Promise<boolean>, ms = 5000) => {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await check()) return;
		await new Promise(r => setTimeout(r, 50));
	}
	throw new Error('timed out');
};

describe('activity feed', () => {
	it('shows what the writer published and the status changes it saw, and never writes', async () => {
		const r = server.client();
		await r.hset(`${P}:instances`, 'spec_1', instanceJson('spec_1', 'specialist', 'initializing'));
		const source = new ActivitySource(new RedisSource({url: server.url, prefix: P}));
		try {
			let snap = await source.poll();
			expect(snap.activity).toEqual([]);
			await waitFor(async () => (await source.poll()).activityNote === 'instance-updates: subscribed (read-only)');
			await r.hset(`${P}:instances`, 'spec_1', instanceJson('spec_1', 'specialist', 'active'));
			await r.publish('instance-updates', JSON.stringify({action: 'save', instanceId: 'spec_1', timestamp: '2026-11-26T09:00:00.000Z'}));
			await r.publish('instance-updates', 'garbage\u001b]0;x\u0007');
			await waitFor(async () => {
				snap = await source.poll();
				return (snap.activity ?? []).filter(e => e.kind === 'published').length === 2;
			});
			const kinds = (snap.activity ?? []).map(e => [e.kind, e.id, e.text]);
			expect(kinds).toContainEqual(['published', 'spec_1', 'save at 2026-11-26T09:00:00.000Z']);
			expect(kinds).toContainEqual(['status', 'spec_1', 'initializing → active']);
			expect(kinds).toContainEqual(['published', null, 'unrecognised message: garbage\u001b]0;x\u0007']);
			// Read-only: the store holds exactly what the test wrote.
			expect(await r.dbsize()).toBe(1);
		} finally {
			await source.close();
		}
	});
});
