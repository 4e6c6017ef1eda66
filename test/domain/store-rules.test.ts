import {describe, expect, it} from 'vitest';
import {decodeInstanceMap} from '../../source/domain/layouts';
import {QUEUE_STALL_MS, storeAlerts} from '../../source/domain/store-rules';
import type {Snapshot, TmuxView} from '../../source/domain/types';
import {instanceJson, jobJson, locks, redisSnapshot, T0} from '../support/fixtures';

const tmux = (sessions: string[]): TmuxView => ({state: 'ok', sessions, detail: null, socket: '/s', readAt: T0});

const store = (entries: [string, string][], over: Partial<Snapshot> = {}): Snapshot => {
	const {instances, jobs} = decodeInstanceMap(entries, 'instances-hash');
	return redisSnapshot({instances, jobs, locks: [], ...over});
};

describe('store rules', () => {
	it('a healthy store fires nothing', () => {
		const s = store([['exec_1', instanceJson('exec_1', 'executive', 'active')], ['job:j1', jobJson('j1', 'active', 75)]], {tmux: tmux(['claude_exec_1'])});
		expect(storeAlerts(s)).toEqual([]);
	});

	it('ghosts only when tmux was asked; error instances; failed jobs with their error', () => {
		const entries: [string, string][] = [
			['exec_1', instanceJson('exec_1', 'executive', 'active')],
			['spec_1_1_1', instanceJson('spec_1_1_1', 'specialist', 'error', 'exec_1')],
			['job:j1', jobJson('j1', 'failed', 75, {lastError: 'npm test failed\u001b[2J'})],
		];
		const withTmux = storeAlerts(store(entries, {tmux: tmux([])}));
		expect(withTmux.map(a => [a.name, a.severity, a.value])).toEqual([
			['AgentGhost', 'warning', '1: exec_1'],
			['InstanceError', 'warning', '1: spec_1_1_1'],
			['JobFailed', 'warning', '1: j1 (npm test failed\\e[2J)'],
		]);
		expect(withTmux.every(a => a.status === 'firing' && a.forMs === 0)).toBe(true);
		expect(storeAlerts(store(entries)).map(a => a.name)).toEqual(['InstanceError', 'JobFailed']);
	});

	it('a queue that has not moved: pending for the stall time and nothing running', () => {
		const old = new Date(T0 - QUEUE_STALL_MS - 1000).toISOString();
		const fresh = new Date(T0 - 1000).toISOString();
		const stalled = store([['job:j1', jobJson('j1', 'pending', 75, {enqueuedAt: old})], ['job:j2', jobJson('j2', 'pending', 75, {enqueuedAt: fresh})]]);
		expect(storeAlerts(stalled).map(a => [a.name, a.value])).toEqual([['QueueStalled', '2 pending, none running, oldest waited 10m01s']]);
		const moving = store([['job:j1', jobJson('j1', 'pending', 75, {enqueuedAt: old})], ['job:j3', jobJson('j3', 'active', 75)]]);
		expect(storeAlerts(moving)).toEqual([]);
		expect(storeAlerts(store([['job:j2', jobJson('j2', 'pending', 75, {enqueuedAt: fresh})]]))).toEqual([]);
	});

	it('locks with no TTL and stale lock files', () => {
		const alerts = storeAlerts(redisSnapshot({instances: [], jobs: [], locks: locks()}));
		expect(alerts.map(a => [a.name, a.severity, a.value])).toEqual([
			['LockNoTtl', 'critical', '1: forever'],
			['LockFileStale', 'critical', '1: worktree-pool'],
		]);
	});
});
