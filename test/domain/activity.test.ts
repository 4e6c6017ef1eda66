import {describe, expect, it} from 'vitest';
import {MAX_ACTIVITY, publishedEvent, pushActivity, transitions} from '../../source/domain/activity';
import {decodeInstanceMap} from '../../source/domain/layouts';
import type {ActivityEvent, Snapshot, TmuxView} from '../../source/domain/types';
import {instanceJson, jobJson, redisSnapshot, T0} from '../support/fixtures';

const tmux = (sessions: string[]): TmuxView => ({state: 'ok', sessions, detail: null, socket: '/s', readAt: T0});
const snap = (entries: [string, string][], at: number, sessions?: string[]): Snapshot => {
	const {instances, jobs} = decodeInstanceMap(entries, 'instances-hash');
	return {...redisSnapshot({instances, jobs, ...(sessions ? {tmux: tmux(sessions)} : {})}), takenAt: at};
};

describe('activity: transitions tcmon saw', () => {
	it('nothing on the first poll; then status changes, arrivals, removals, tmux sessions and jobs, in order', () => {
		const a = snap(
			[
				['exec_1', instanceJson('exec_1', 'executive', 'active')],
				['spec_1', instanceJson('spec_1', 'specialist', 'initializing', 'exec_1')],
				['spec_2', instanceJson('spec_2', 'specialist', 'active', 'exec_1')],
				['job:j1', jobJson('j1', 'pending')],
			],
			T0,
			['claude_exec_1', 'claude_spec_1', 'claude_spec_2'],
		);
		const b = snap(
			[
				['exec_1', instanceJson('exec_1', 'executive', 'active')],
				['spec_1', instanceJson('spec_1', 'specialist', 'active', 'exec_1')],
				['spec_3', instanceJson('spec_3', 'specialist', 'initializing', 'exec_1')],
				['job:j1', jobJson('j1', 'failed', 75, {lastError: 'boom'})],
				['job:j2', jobJson('j2', 'pending')],
			],
			T0 + 1000,
			['claude_spec_1', 'claude_spec_3'],
		);
		expect(transitions(null, a)).toEqual([]);
		expect(transitions(a, b).map(e => [e.kind, e.id, e.text])).toEqual([
			['tmux', 'exec_1', 'tmux session gone (ghost)'],
			['status', 'spec_1', 'initializing → active'],
			['appeared', 'spec_3', 'specialist appeared (initializing)'],
			['gone', 'spec_2', 'removed from the store'],
			['job', 'j1', 'pending → failed: boom'],
			['job', 'j2', 'enqueued (pending)'],
		]);
		expect(transitions(a, b).every(e => e.at === T0 + 1000)).toBe(true);
	});

	it('no liveness change is claimed when either read could not ask tmux', () => {
		const entries: [string, string][] = [['exec_1', instanceJson('exec_1', 'executive', 'active')]];
		expect(transitions(snap(entries, T0, ['claude_exec_1']), snap(entries, T0 + 1000))).toEqual([]);
	});
});

describe('activity: instance-updates messages', () => {
	it('reads the writer`s message, keeps anything else raw and bounded', () => {
		expect(publishedEvent('{"action":"save","instanceId":"spec_1","timestamp":"2026-11-26T09:00:00.000Z"}', T0)).toEqual({at: T0, kind: 'published', id: 'spec_1', text: 'save at 2026-11-26T09:00:00.000Z'});
		expect(publishedEvent('{"action":"delete","instanceId":"spec_1"}', T0).text).toBe('delete');
		expect(publishedEvent('not json \u001b[2J', T0)).toEqual({at: T0, kind: 'published', id: null, text: 'unrecognised message: not json \u001b[2J'});
		expect(publishedEvent('x'.repeat(10_000), T0).text.length).toBeLessThan(600);
		expect(publishedEvent('[1,2]', T0).id).toBeNull();
	});

	it('the feed is newest first and capped', () => {
		const ev = (i: number): ActivityEvent => ({at: i, kind: 'job', id: `j${i}`, text: ''});
		let feed: ActivityEvent[] = [];
		for (let i = 0; i < 300; i += 3) feed = pushActivity(feed, [ev(i), ev(i + 1), ev(i + 2)]);
		expect(feed).toHaveLength(MAX_ACTIVITY);
		expect(feed[0]!.at).toBe(299);
		expect(feed.at(-1)!.at).toBe(100);
	});
});
