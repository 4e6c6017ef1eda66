// A server that stops answering mid-session (SIGSTOP): the UI's ages keep
// moving, STALE and "not answering for N s" show within two intervals, one
// read stays in flight, auto falls back to the state dir, and all of it
// recovers by itself once the server goes on (SIGCONT).
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/app';
import {AutoSource} from '../../source/sources/choose-source';
import {JsonSource} from '../../source/sources/json-source';
import {RedisSource} from '../../source/sources/redis-source';
import {defaultTrackers, TrackedSource} from '../../source/sources/tracked-source';
import {instanceJson} from '../support/fixtures';
import {renderTui} from '../support/render';
import {QuietProxy, RedisServer} from '../support/redis-server';
import {P, writeLayout1} from '../support/store';

let server: RedisServer;
let dir: string;
const sources: {close(): Promise<void>}[] = [];

beforeAll(async () => {
	server = await RedisServer.start();
	await writeLayout1(server.client());
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-hung-'));
	writeFileSync(path.join(dir, 'instances.json'), JSON.stringify({exec_777777: JSON.parse(instanceJson('exec_777777', 'executive', 'active'))}));
}, 20_000);
afterEach(async () => {
	server.resume();
	await Promise.all(sources.splice(0).map(s => s.close()));
});
afterAll(async () => {
	server.resume();
	await server.stop();
	rmSync(dir, {recursive: true, force: true});
});

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('a server that stops answering mid-session', () => {
	it('UI: STALE and "not answering for N s" within two intervals, the age ticking; back by itself after SIGCONT', async () => {
		const redis = new RedisSource({url: server.url, prefix: P});
		sources.push(redis);
		const interval = 500;
		const ui = renderTui(<App source={new TrackedSource(redis, defaultTrackers({prefix: P}))} intervalMs={interval} prefix={P} size={{columns: 120, rows: 30}} />, {columns: 120, rows: 30});
		await ui.waitFor(f => /updated \S+ ago/.test(f) && !f.includes('STALE'), 10_000);
		// Commands sent to the stopped server while a read is stuck: at most one tick's pipeline, not one per interval.
		const commandsBefore = Number((await server.client().info('stats')).match(/total_commands_processed:(\d+)/)![1]);
		server.pause();
		const stoppedAt = Date.now();
		const stale = await ui.waitFor(f => f.includes('STALE') && /not answering for \d+ s/.test(f), 2 * interval + 1500);
		const staleAfter = Date.now() - stoppedAt;
		// Two intervals, plus a little for the frame to follow on a busy machine.
		expect(staleAfter).toBeLessThan(2 * interval + 300);
		expect(stale).toContain(`did not answer within 0.5 s`);
		// The age moves while the read stays stuck: "not answering for 2 s" and a growing "updated … ago".
		const later = await ui.waitFor(f => /not answering for [2-9] s/.test(f), 5000);
		expect(later).toMatch(/updated [2-9]\.\ds ago/);
		server.resume();
		const back = await ui.waitFor(f => !f.includes('STALE') && !f.includes('not answering'), 5000);
		expect(back).toMatch(/updated \d+ms ago|updated 0\.\ds ago/);
		const commandsAfter = Number((await server.client().info('stats')).match(/total_commands_processed:(\d+)/)![1]);
		// ~3 s stopped at a 500 ms interval: without the one-read rule that would be 6+ ticks' commands piled up.
		expect(commandsAfter - commandsBefore).toBeLessThan(400);
	}, 30_000);

	it('auto: falls back to the state dir while Redis does not answer, back to Redis after SIGCONT', async () => {
		const redis = new RedisSource({url: server.url, prefix: P});
		const auto = new AutoSource(redis, new JsonSource({dir}), 0);
		sources.push(auto);
		const first = await auto.poll({deadlineMs: 500});
		expect(first.source).toMatchObject({kind: 'redis', connected: true});
		server.pause();
		let snap = await auto.poll({deadlineMs: 500});
		for (let i = 0; i < 5 && snap.source.kind !== 'json'; i++) snap = await auto.poll({deadlineMs: 500});
		expect(snap.source.kind).toBe('json');
		expect(snap.source.fallbackReason).toMatch(new RegExp(`^Redis ${server.url} did not answer within 0.5 s: not answering for \\d+ s$`));
		expect(snap.instances.map(i => i.id)).toEqual(['exec_777777']);
		// While the read stays stuck, polls answer at once from the state dir (no new read each time).
		const t0 = Date.now();
		snap = await auto.poll({deadlineMs: 500});
		expect(Date.now() - t0).toBeLessThan(300);
		expect(snap.source.kind).toBe('json');
		server.resume();
		for (let i = 0; i < 20 && !(snap.source.kind === 'redis' && snap.source.connected); i++) {
			await sleep(100);
			snap = await auto.poll({deadlineMs: 500});
		}
		expect(snap.source).toMatchObject({kind: 'redis', connected: true, fallbackReason: null});
	}, 20_000);
});

describe('a connection that goes quiet for good (a proxy whose far side is gone)', () => {
	it('is dropped after dropStuckMs and made again: a new connection answers', async () => {
		// Only the first connection through the proxy goes quiet (after the handshake and the first replies).
		const proxy = await QuietProxy.start(server.port, 4, 1);
		const redis = new RedisSource({url: proxy.url, prefix: P, dropStuckMs: 1500});
		sources.push(redis, {close: () => proxy.stop()});
		let snap = await redis.poll({deadlineMs: 300});
		const started = Date.now();
		while (Date.now() - started < 8000 && !snap.source.connected) {
			await sleep(100);
			snap = await redis.poll({deadlineMs: 300});
		}
		expect(snap.source.connected).toBe(true);
		expect(snap.instances.length).toBeGreaterThan(0);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	}, 15_000);
});
