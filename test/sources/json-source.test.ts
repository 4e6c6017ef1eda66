import {appendFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {JsonSource} from '../../source/sources/json-source';
import {instanceJson, jobJson} from '../support/fixtures';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-json-'));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const writeInstances = (entries: Record<string, string>) =>
	writeFileSync(path.join(dir, 'instances.json'), JSON.stringify(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, JSON.parse(v)])), null, 2));

const metricLine = (metric: string, value: unknown, at: number) => `${JSON.stringify({metric, value, timestamp: new Date(at).toISOString()})}\n`;

describe('JsonSource', () => {
	it('reads instances, job: entries, lock files and metrics', async () => {
		writeInstances({exec_1: instanceJson('exec_1', 'executive', 'active'), 'job:job_9': jobJson('job_9', 'assigned', 50)});
		const now = Date.now();
		writeFileSync(path.join(dir, 'git-main.lock'), `${now - 1000}-0.42`);
		writeFileSync(path.join(dir, 'old.lock'), `${now - 900_000}-0.1`);
		const old = new Date(now - 900_000);
		utimesSync(path.join(dir, 'old.lock'), old, old);
		appendFileSync(path.join(dir, 'metrics.jsonl'), metricLine('queue_depth', 3, now - 2000) + metricLine('queue_depth', 5, now - 1000) + 'not json\n');

		const snap = await new JsonSource({dir}).poll();
		expect(snap.source).toMatchObject({kind: 'json', target: dir, connected: true, error: null});
		expect(snap.instances).toMatchObject([{id: 'exec_1', role: 'executive', origin: 'json-file'}]);
		expect(snap.jobs).toMatchObject([{id: 'job_9', status: 'assigned', priority: 50}]);
		const locks = Object.fromEntries(snap.locks.map(l => [l.resource, l]));
		expect(locks['git-main']!.ttlMs).toBeGreaterThan(25_000);
		expect(locks['old']!.ttlMs).toBeLessThan(-800_000);
		expect(snap.metrics).toMatchObject([{name: 'queue_depth', count: 2}]);
		expect(snap.metrics[0]!.samples.map(s => s.value)).toEqual([3, 5]);
		expect(snap.stateDir).toMatchObject({exists: true, metricsLines: 3, metricsBadLines: 1});
		expect(snap.errors.metrics).toMatch(/1 unparsable line/);
	});

	it('keeps the last good state when instances.json is truncated or empty mid-write', async () => {
		const source = new JsonSource({dir});
		writeInstances({exec_1: instanceJson('exec_1', 'executive', 'active')});
		expect((await source.poll()).instances).toHaveLength(1);

		writeFileSync(path.join(dir, 'instances.json'), '{\n  "exec_1": {\n    "instanceId": "ex');
		let snap = await source.poll();
		expect(snap.instances.map(i => i.id)).toEqual(['exec_1']);
		expect(snap.errors.state).toMatch(/instances\.json: invalid JSON.*showing the last good read/);
		expect(snap.source.stale).toBe(true);

		writeFileSync(path.join(dir, 'instances.json'), '');
		snap = await source.poll();
		expect(snap.errors.state).toMatch(/empty \(mid-write\?\)/);
		expect(snap.instances).toHaveLength(1);

		writeInstances({exec_1: instanceJson('exec_1', 'executive', 'terminated'), exec_2: instanceJson('exec_2', 'executive', 'active')});
		snap = await source.poll();
		expect(snap.errors.state).toBeUndefined();
		expect(snap.source.stale).toBe(false);
		expect(snap.instances.map(i => i.status)).toEqual(['terminated', 'active']);
	});

	it('reports a missing directory without throwing, and picks it up when it appears', async () => {
		const missing = path.join(dir, 'nope');
		const source = new JsonSource({dir: missing});
		const snap = await source.poll();
		expect(snap.source.connected).toBe(false);
		expect(snap.errors.state).toBe(`state directory ${missing} does not exist`);
		expect(snap.instances).toEqual([]);
	});

	it('tails metrics.jsonl instead of re-reading it, and restarts when it is truncated', async () => {
		const source = new JsonSource({dir});
		const file = path.join(dir, 'metrics.jsonl');
		const t = Date.now();
		appendFileSync(file, metricLine('a', 1, t));
		expect((await source.poll()).metrics[0]!.count).toBe(1);
		appendFileSync(file, metricLine('a', 2, t + 1) + '{"metric":"a","value":3,"timest');
		let snap = await source.poll();
		expect(snap.metrics[0]!.count).toBe(2); // the half-written line waits
		appendFileSync(file, `amp":"${new Date(t + 2).toISOString()}"}\n`);
		snap = await source.poll();
		expect(snap.metrics[0]!.count).toBe(3);
		expect(snap.metrics[0]!.samples.at(-1)!.value).toBe(3);
		writeFileSync(file, metricLine('b', 9, t));
		snap = await source.poll();
		expect(snap.metrics.map(m => [m.name, m.count])).toEqual([['b', 1]]);
	});

	it('reads only the tail of a huge metrics.jsonl on first sight', async () => {
		const file = path.join(dir, 'metrics.jsonl');
		const t = Date.now();
		const lines = Array.from({length: 20_000}, (_, i) => metricLine('big', i, t + i)).join('');
		writeFileSync(file, lines);
		const snap = await new JsonSource({dir, metricsInitialBytes: 64 * 1024}).poll();
		const series = snap.metrics[0]!;
		expect(series.count).toBeLessThan(20_000);
		expect(series.count).toBeGreaterThan(500);
		expect(series.samples.at(-1)!.value).toBe(19_999);
		expect(snap.stateDir?.metricsBadLines).toBe(0);
	});
});
