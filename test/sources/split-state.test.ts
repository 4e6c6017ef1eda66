// The state dir read beside a real Redis: the writer's split-off entries.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {agentsView} from '../../source/domain/agents';
import {RedisSource} from '../../source/sources/redis-source';
import {SplitStateSource} from '../../source/sources/split-state';
import {instanceJson} from '../support/fixtures';
import {RedisServer} from '../support/redis-server';
import {P} from '../support/store';

let server: RedisServer;
let dir: string;
beforeAll(async () => {
	server = await RedisServer.start();
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-split-'));
});
afterAll(async () => {
	await server.stop();
	rmSync(dir, {recursive: true, force: true});
});

describe('split state', () => {
	it('adds the state dir`s entries beside Redis, keeps the last good read through a mid-write, and none without a file', async () => {
		const r = server.client();
		await r.hset(`${P}:instances`, 'exec_1', instanceJson('exec_1', 'executive', 'active'));
		const file = path.join(dir, 'instances.json');
		const source = new SplitStateSource(new RedisSource({url: server.url, prefix: P}), dir, {agentsEveryMs: 0});
		try {
			expect((await source.poll()).stateDirAgents).toBeUndefined();
			writeFileSync(file, JSON.stringify({exec_1: JSON.parse(instanceJson('exec_1', 'executive', 'terminated')), spec_1_1_2: JSON.parse(instanceJson('spec_1_1_2', 'specialist', 'active', 'exec_1'))}, null, 2));
			let snap = await source.poll();
			expect(snap.stateDirAgents?.instances.map(i => i.id)).toEqual(['exec_1', 'spec_1_1_2']);
			const view = agentsView(snap);
			expect(view.rows.map(row => [row.agent.id, row.agent.status, row.agent.stateDirOnly])).toEqual([
				['exec_1', 'active', false],
				['spec_1_1_2', 'active', true],
			]);
			// The writer rewrites in place: a reader can see it empty.
			writeFileSync(file, '');
			snap = await source.poll();
			expect(snap.stateDirAgents?.instances.map(i => i.id)).toEqual(['exec_1', 'spec_1_1_2']);
			rmSync(file);
			expect((await source.poll()).stateDirAgents).toBeUndefined();
		} finally {
			await source.close();
		}
	});
});
