import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {resolveConfig} from '../../source/config';
import {AutoSource, chooseSource, type SourceSet} from '../../source/sources/choose-source';
import {JsonSource} from '../../source/sources/json-source';
import {RedisSource} from '../../source/sources/redis-source';
import {instanceJson} from '../support/fixtures';
import {freePort, RedisServer} from '../support/redis-server';

let set: SourceSet | null = null;
let server: RedisServer | null = null;
let dir: string | null = null;
afterEach(async () => {
	await set?.close();
	await server?.stop();
	if (dir) rmSync(dir, {recursive: true, force: true});
	set = null;
	server = null;
	dir = null;
});

describe('--source auto', () => {
	it('falls back to the state dir within a second, then switches back when Redis appears', async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-auto-'));
		writeFileSync(path.join(dir, 'instances.json'), JSON.stringify({json_1: JSON.parse(instanceJson('json_1', 'executive', 'active'))}));
		const port = await freePort();
		set = chooseSource(resolveConfig({port, stateDir: dir}, {}));

		const started = Date.now();
		let snap = await set.source.poll();
		expect(Date.now() - started).toBeLessThan(1000);
		expect(snap.source.kind).toBe('json');
		expect(snap.source.fallbackReason).toMatch(new RegExp(`Redis redis://127\\.0\\.0\\.1:${port} unreachable \\(.*ECONNREFUSED`));
		expect(snap.instances.map(i => i.id)).toEqual(['json_1']);

		server = await RedisServer.start({port});
		await server.client().set('tmux-claude:instance:redis_1', instanceJson('redis_1', 'executive', 'active'));
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline && snap.source.kind !== 'redis') {
			await new Promise(r => setTimeout(r, 100));
			snap = await set.source.poll();
		}
		expect(snap.source).toMatchObject({kind: 'redis', connected: true, fallbackReason: null});
		expect(snap.instances.map(i => i.id)).toEqual(['redis_1']);
	});

	it('uses Redis straight away when it answers', async () => {
		server = await RedisServer.start();
		set = chooseSource(resolveConfig({port: server.port, stateDir: '/nonexistent'}, {}));
		const snap = await set.source.poll();
		expect(snap.source).toMatchObject({kind: 'redis', connected: true, fallbackReason: null});
	});

	it('shows stale Redis data for a grace period when Redis drops, then the state dir if there is one', async () => {
		server = await RedisServer.start();
		dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-auto-'));
		writeFileSync(path.join(dir, 'instances.json'), JSON.stringify({json_1: JSON.parse(instanceJson('json_1', 'executive', 'active'))}));
		await server.client().set('tmux-claude:instance:redis_1', instanceJson('redis_1', 'executive', 'active'));
		const redis = new RedisSource({url: server.url, prefix: 'tmux-claude'});
		const auto = new AutoSource(redis, new JsonSource({dir}), 600);
		set = {source: auto, redis, close: () => auto.close()};
		expect((await auto.poll()).source.kind).toBe('redis');
		await server.kill();
		await new Promise(r => setTimeout(r, 100));
		let snap = await auto.poll();
		expect(snap.source).toMatchObject({kind: 'redis', connected: false, stale: true});
		expect(snap.instances.map(i => i.id)).toEqual(['redis_1']);
		await new Promise(r => setTimeout(r, 700));
		snap = await auto.poll();
		expect(snap.source.kind).toBe('json');
		expect(snap.source.fallbackReason).toMatch(/unreachable/);
		expect(snap.instances.map(i => i.id)).toEqual(['json_1']);
	});
});
