import React from 'react';
import {describe, expect, it} from 'vitest';
import {decodeInstanceMap} from '../../source/domain/layouts';
import type {Snapshot, TmuxView} from '../../source/domain/types';
import {agentsController, agentsLines, agentsViewOf, switchTarget} from '../../source/panes/agents-controller';
import {AgentsPane} from '../../source/panes/agents-pane';
import {history, instanceJson, jobJson, redisSnapshot, T0} from '../support/fixtures';
import {frameOf, WIDTHS} from '../support/render';

const withExtra = (json: string, extra: Record<string, unknown>) => JSON.stringify({...JSON.parse(json), ...extra});

/** Every agent state: alive, ghost, gone, error, orphan, unparsable, an unregistered session; every job state. */
export const agentsSnapshot = (tmux?: TmuxView): Snapshot => {
	const {instances, jobs} = decodeInstanceMap(
		[
			['exec_483920', withExtra(instanceJson('exec_483920', 'executive', 'active'), {lastUpdated: new Date(T0 - 5000).toISOString()})],
			['mgr_1_201938', instanceJson('mgr_1_201938', 'manager', 'active', 'exec_483920')],
			['mgr_2_201939', instanceJson('mgr_2_201939', 'manager', 'error', 'exec_483920')],
			['spec_1_1_100001', instanceJson('spec_1_1_100001', 'specialist', 'active', 'mgr_1_201938')],
			['spec_1_2_100003', instanceJson('spec_1_2_100003', 'specialist', 'terminated', 'mgr_1_201938')],
			['spec_1_3_100004', instanceJson('spec_1_3_100004', 'specialist', 'initializing', 'mgr_1_201938')],
			['spec_9_1_900001', instanceJson('spec_9_1_900001', 'specialist', 'active', 'mgr_9_999999')],
			['spec_1_1_100002', '{"instanceId": "spec_1_1_100002", "status": "act'],
			['evil\u001b[31m', instanceJson('evil\u001b[31m', 'specialist', 'active', 'mgr_1_201938')],
			['job:job_p_crit', jobJson('job_p_crit', 'pending', 100, {enqueuedAt: new Date(T0 - 90_000).toISOString()})],
			['job:job_p_low', jobJson('job_p_low', 'pending', 25, {nextRetryAt: new Date(T0 + 30_000).toISOString(), attempts: 2})],
			['job:job_a', jobJson('job_a', 'active', 75, {managerId: 'mgr_1_201938', startedAt: new Date(T0 - 60_000).toISOString()})],
			['job:job_f', jobJson('job_f', 'failed', 75, {attempts: 3, maxAttempts: 3, lastError: 'worktree locked by spec_1_1_100001\u001b[2J'})],
			['job:job_c', jobJson('job_c', 'completed', 50, {managerId: 'mgr_1_201938', duration: 41_230, completedAt: new Date(T0 - 10_000).toISOString()})],
		],
		'instances-hash',
	);
	const base = redisSnapshot();
	return redisSnapshot({
		instances,
		jobs,
		locks: [...base.locks, {resource: 'worktree:spec_1_1_100001', key: 'tmux-claude:locks:worktree:spec_1_1_100001', token: `${T0 - 2000}-0.3`, acquiredAt: T0 - 2000, ttlMs: 28_000, layout: 'locks', foreignToken: false}],
		tmux: tmux ?? {state: 'ok', sessions: ['claude_exec_483920', 'claude_mgr_1_201938', 'claude_mgr_2_201939', 'claude_spec_1_1_100001', 'claude_spec_5_5_555555', 'dev'], detail: null, socket: '/tmp/tmux-1000/default', readAt: T0},
	});
};

const pane = (snapshot: Snapshot, width: number, height = 30, cursor = {index: 0, offset: 0}, feed = false) =>
	frameOf(<AgentsPane snapshot={snapshot} history={history()} width={width} height={height} focused cursor={cursor} index={5} state={{feed}} />, width);

const withFeed = (): Snapshot => ({
	...agentsSnapshot(),
	activityNote: 'instance-updates: subscribed (read-only)',
	activity: [
		{at: T0 - 1000, kind: 'tmux', id: 'spec_1_3_100004', text: 'tmux session gone (ghost)'},
		{at: T0 - 1000, kind: 'job', id: 'job_f', text: 'active → failed: worktree locked'},
		{at: T0 - 2000, kind: 'published', id: 'spec_1_1_100001', text: 'save at 2026-11-26T08:59:58.000Z'},
		{at: T0 - 3000, kind: 'status', id: 'mgr_2_201939', text: 'active → error'},
		{at: T0 - 4000, kind: 'published', id: null, text: 'unrecognised message: \u001b]0;pwned\u0007'},
		{at: T0 - 5000, kind: 'appeared', id: 'spec_1_3_100004', text: 'specialist appeared (initializing)'},
	],
});

const check = (frame: string, width: number, height: number) => {
	const lines = frame.split('\n');
	expect(lines).toHaveLength(height);
	for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
	// eslint-disable-next-line no-control-regex
	expect(frame).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
};

describe('Agents pane', () => {
	it.each(WIDTHS)('the tree, every liveness mark and the queue at %i columns', width => {
		const frame = pane(agentsSnapshot(), width);
		check(frame, width, 30);
		expect(frame).toMatch(/9 agents · 4 alive · 3 ghost · 1 unregistered · 1 orphan · 1 error/);
		expect(frame).toMatch(/exec_483920\s+exec\s+active\s+● alive/);
		expect(frame).toMatch(/├ mgr_1_201938/);
		expect(frame).toMatch(/└ mgr_2_201939/);
		expect(frame).toMatch(/│ └ spec_1_3_100004\s+(spec\s+)?initializing\s+✖ GHOST/);
		expect(frame).toMatch(/spec_1_2_100003\s+(spec\s+)?terminated\s+○ gone/);
		expect(frame).toMatch(/spec_9_1_900001 \(orphan\)/);
		expect(frame).toMatch(/├ spec_1_1_100001 \[lock worktree/);
		expect(frame).toMatch(/claude_spec_5_5_555555\s+(\s+)?unregistered/);
		expect(frame).toMatch(/jobs 2 pending · 1 running · 1 failed · 1 done/);
		expect(frame).toMatch(/pending\s+critical job_p_crit waited 1m30s/);
		expect(frame).toMatch(/pending\s+low\s+job_p_low waited 1m00s try 2\/3 retry in 30s/);
		expect(frame).toMatch(/active\s+job_a → mgr_1_201938/);
		expect(frame).toMatch(/failed\s+job_f 3\/3 worktree locked by spec_1_1_100001/);
		expect(frame).toMatch(/done\s+job_c in 41s → mgr_1_201938/);
		expect(frame).toMatchSnapshot();
	});

	it.each(WIDTHS)('outside tmux: liveness unknown, said once, nothing called a ghost, at %i columns', width => {
		const frame = pane(agentsSnapshot({state: 'none', sessions: [], detail: 'not inside tmux (no $TMUX) and no --tmux-socket', socket: null, readAt: T0}), width, 16);
		check(frame, width, 16);
		expect(frame).toMatch(/liveness unknown: not inside tmux/);
		expect(frame).not.toMatch(/GHOST|ghost|alive/);
		expect(frame).toMatchSnapshot();
	});

	it.each(WIDTHS)('the activity feed (a) at %i columns', width => {
		const frame = pane(withFeed(), width, 20, {index: 0, offset: 0}, true);
		check(frame, width, 20);
		expect(frame).toMatch(/activity 6/);
		expect(frame).toMatch(/tmux\s+spec_1_3_100004\s+tmux session gone \(ghost\)/);
		expect(frame).toMatch(/published\s+\?\s+unrecognised message: \\e\]0;/);
		expect(frame).toMatchSnapshot();
		expect(pane(agentsSnapshot(), width, 20, {index: 0, offset: 0}, true)).toMatch(/No activity yet\./);
	});

	it('Enter on a feed line goes to the agent it names', () => {
		const s = withFeed();
		const notes: string[] = [];
		const env = {snapshot: s, visibleRows: 10, cursorIndex: 0, source: null as never, capabilities: null as never, effect: (run: () => void) => run(), prefix: 'tmux-claude', allowWrite: false, update: () => {}, notify: (t: string) => notes.push(t)};
		agentsController.command!({feed: true}, 'agents.switch', env);
		expect(notes).toEqual(['spec_1_3_100004 has no tmux session (ghost: the store says it runs): nothing to switch to']);
		expect(agentsController.rowCount(s, {feed: true})).toBe(6);
		expect(agentsController.command!({feed: false}, 'agents.feed', env)).toEqual({feed: true});
	});

	it('an empty store, and a short pane keeps its height', () => {
		const empty = redisSnapshot({instances: [], jobs: []});
		const frame = pane(empty, 80, 10);
		check(frame, 80, 10);
		expect(frame).toMatch(/No agents in the store\./);
		check(pane(agentsSnapshot(), 80, 5), 80, 5);
		check(pane(agentsSnapshot(), 50, 8), 50, 8);
	});

	it('scrolls: the cursor row stays on screen', () => {
		const snapshot = agentsSnapshot();
		const count = agentsController.rowCount(snapshot, {feed: false});
		expect(count).toBe(10); // 9 agents + 1 unregistered session
		const frame = pane(snapshot, 80, 12, {index: count - 1, offset: 0});
		expect(frame).toMatch(/claude_spec_5_5_555555/);
	});
});

describe('Agents: where Enter goes', () => {
	const lineOf = (snapshot: Snapshot, id: string) => agentsLines(agentsViewOf(snapshot)).find(l => (l.kind === 'agent' ? l.agent.id : l.session) === id)!;
	it('a live agent: its paneTarget; a ghost or gone one: why not; an unregistered session: that session; the demo: why not', () => {
		const s = agentsSnapshot();
		expect(switchTarget(lineOf(s, 'mgr_1_201938'), s)).toEqual({target: 'claude_mgr_1_201938:0.0'});
		expect(switchTarget(lineOf(s, 'spec_1_3_100004'), s)).toEqual({reason: 'spec_1_3_100004 has no tmux session (ghost: the store says it runs): nothing to switch to'});
		expect(switchTarget(lineOf(s, 'spec_1_2_100003'), s)).toEqual({reason: 'spec_1_2_100003 has no tmux session: nothing to switch to'});
		expect(switchTarget(lineOf(s, 'claude_spec_5_5_555555'), s)).toEqual({target: 'claude_spec_5_5_555555'});
		const demo = {...s, source: {...s.source, kind: 'demo' as const}};
		expect(switchTarget(lineOf(demo, 'mgr_1_201938'), demo)).toEqual({reason: 'demo agents have no real tmux session to switch to'});
	});

	it('Enter on a ghost says why in the status bar and switches nothing', () => {
		const s = agentsSnapshot();
		const index = agentsLines(agentsViewOf(s)).findIndex(l => l.kind === 'agent' && l.agent.id === 'spec_1_3_100004');
		const notes: string[] = [];
		const env = {snapshot: s, visibleRows: 10, cursorIndex: index, source: null as never, capabilities: null as never, effect: (run: () => void) => run(), prefix: 'tmux-claude', allowWrite: false, update: () => {}, notify: (t: string) => notes.push(t)};
		agentsController.command!({feed: false}, 'agents.switch', env);
		expect(notes).toEqual(['spec_1_3_100004 has no tmux session (ghost: the store says it runs): nothing to switch to']);
	});
});
