import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {demoSource} from '../source/demo/demo-source';
import {DemoSimulator} from '../source/demo/simulator';
import {agentsView} from '../source/domain/agents';
import {JsonSource} from '../source/sources/json-source';

let dir: string;
afterEach(() => rmSync(dir, {recursive: true, force: true}));

describe('demo simulator', () => {
	it('writes the JSON fallback format exactly, and its state moves', async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-sim-'));
		let now = Date.UTC(2026, 10, 26, 9);
		const sim = new DemoSimulator(dir, {seed: 7, now: () => now});
		sim.seed();
		const text = readFileSync(path.join(dir, 'instances.json'), 'utf8');
		expect(text).toMatch(/^\{\n {2}"/); // 2-space indent, like the writer
		const state = JSON.parse(text) as Record<string, Record<string, unknown>>;
		const ids = Object.keys(state);
		expect(ids.some(id => /^exec_\d{6}$/.test(id))).toBe(true);
		expect(ids.some(id => /^mgr_1_\d{6}$/.test(id))).toBe(true);
		expect(ids.some(id => /^spec_1_\d_\d{6}$/.test(id))).toBe(true);
		expect(ids.some(id => /^job:job_\d+_\d+$/.test(id))).toBe(true);
		for (const line of readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')) {
			expect(Object.keys(JSON.parse(line))).toEqual(['metric', 'value', 'timestamp']);
		}
		expect(readdirSync(dir)).toContain('stale-writer.lock');

		const source = new JsonSource({dir, kind: 'demo'});
		const before = await source.poll();
		const statuses = new Set<string>();
		for (let i = 0; i < 60; i++) {
			now += 1000;
			sim.step();
			const snap = await source.poll();
			for (const j of snap.jobs) statuses.add(j.status ?? '');
		}
		const after = await source.poll();
		expect(after.source.kind).toBe('demo');
		expect(after.errors.state).toBeUndefined();
		expect(['assigned', 'active', 'completed'].every(s => statuses.has(s))).toBe(true);
		expect(after.metrics.find(m => m.name === 'queue_depth')!.count).toBeGreaterThan(before.metrics.find(m => m.name === 'queue_depth')!.count);
		sim.stop();
	});
});

describe('demo agents', () => {
	it('exercises every Agents-pane state from the first poll: alive, ghost, orphan, error, unregistered, failed job', async () => {
		const set = demoSource({seed: 11, stepMs: 60_000});
		dir = set.dir;
		try {
			const snap = await set.source.poll();
			expect(snap.tmux?.state).toBe('ok');
			const view = agentsView(snap);
			expect(view.summary.alive).toBeGreaterThan(0);
			expect(view.summary.ghost).toBeGreaterThanOrEqual(1);
			expect(view.summary.orphan).toBeGreaterThanOrEqual(1);
			expect(view.summary.error).toBeGreaterThanOrEqual(1);
			expect(view.unregistered).toEqual(['claude_spec_1_9_424242']);
			expect(view.queue.failed.some(j => j.lastError === 'npm test: 3 failing (auth.spec.ts)')).toBe(true);
			expect(view.queue.pending.length).toBeGreaterThan(0);
		} finally {
			await set.close();
		}
	});
});
