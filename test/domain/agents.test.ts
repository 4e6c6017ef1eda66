import {describe, expect, it} from 'vitest';
import {agentsView, candidateSessions, dedupById, jobQueue, livenessOf, namesId, timeOf, treeGuides} from '../../source/domain/agents';
import {decodeObject, instanceFrom, jobFrom} from '../../source/domain/layouts';
import type {Instance, Job, Lock, TmuxView} from '../../source/domain/types';
import {instanceJson, jobJson, T0} from '../support/fixtures';

const inst = (id: string, role: string, status: string, parentId: string | null = null, extra: Record<string, unknown> = {}): Instance => {
	const base = JSON.parse(instanceJson(id, role, status, parentId)) as Record<string, unknown>;
	return instanceFrom(id, decodeObject(JSON.stringify({...base, ...extra})), 'instances-hash');
};
const job = (id: string, status: string, priority = 75, extra: Record<string, unknown> = {}): Job => jobFrom(id, decodeObject(jobJson(id, status, priority, extra)), 'instances-hash');
const tmux = (sessions: string[]): TmuxView => ({state: 'ok', sessions, detail: null, socket: '/tmp/tmux-1/default', readAt: T0});
const noTmux: TmuxView = {state: 'none', sessions: [], detail: 'not inside tmux', socket: null, readAt: T0};

const hierarchy = (): Instance[] => [
	inst('spec_1_1_000003', 'specialist', 'active', 'mgr_1_000002'),
	inst('mgr_1_000002', 'manager', 'active', 'exec_000001', {children: ['spec_1_1_000003', 'spec_1_1_000004']}),
	inst('exec_000001', 'executive', 'active', null, {children: ['mgr_1_000002']}),
	inst('spec_1_1_000004', 'specialist', 'initializing', 'mgr_1_000002'),
];

const lock = (resource: string, token: string): Lock => ({resource, key: `tmux-claude:locks:${resource}`, token, acquiredAt: null, ttlMs: 1000, layout: 'locks', foreignToken: false});

describe('agent tree', () => {
	it('orders executive → managers → specialists depth-first, with child counts', () => {
		const view = agentsView({instances: hierarchy(), jobs: [], locks: []});
		expect(view.rows.map(r => [r.agent.id, r.depth, r.agent.childCount])).toEqual([
			['exec_000001', 0, 1],
			['mgr_1_000002', 1, 2],
			['spec_1_1_000003', 2, 0],
			['spec_1_1_000004', 2, 0],
		]);
		expect(view.rows[0]!.agent.createdAt).toBe(Date.parse('2026-11-25T09:12:44.000Z'));
		expect(view.rows[1]!.agent.projectDir).toBe('/home/me/app/mgr_1_000002');
	});

	it('marks an orphan (parent missing) and shows it at the top level', () => {
		const view = agentsView({instances: [...hierarchy(), inst('spec_9_9_999999', 'specialist', 'active', 'mgr_9_999999')], jobs: [], locks: []});
		const orphan = view.rows.find(r => r.agent.id === 'spec_9_9_999999')!;
		expect(orphan.depth).toBe(0);
		expect(orphan.agent.orphan).toBe(true);
		expect(view.summary.orphan).toBe(1);
		expect(view.rows.filter(r => r.agent.orphan)).toHaveLength(1);
	});

	it('survives a parent cycle and a self-parent: every agent shown once, marked', () => {
		const instances = [inst('a_000001', 'manager', 'active', 'b_000002'), inst('b_000002', 'manager', 'active', 'a_000001'), inst('c_000003', 'specialist', 'active', 'c_000003'), inst('d_000004', 'specialist', 'active', 'a_000001')];
		const view = agentsView({instances, jobs: [], locks: []});
		expect(view.rows.map(r => r.agent.id).sort()).toEqual(['a_000001', 'b_000002', 'c_000003', 'd_000004']);
		expect(view.rows.filter(r => r.agent.cycle).map(r => r.agent.id).sort()).toEqual(['a_000001', 'c_000003']);
	});

	it('adopts children from a parent`s children array when parentId is missing, and lists missing children', () => {
		const instances = [inst('exec_000001', 'executive', 'active', null, {children: ['mgr_1_000002', 'mgr_1_404040']}), inst('mgr_1_000002', 'manager', 'active', null)];
		const view = agentsView({instances, jobs: [], locks: []});
		expect(view.rows.map(r => [r.agent.id, r.depth])).toEqual([
			['exec_000001', 0],
			['mgr_1_000002', 1],
		]);
		expect(view.rows[0]!.agent.missingChildren).toEqual(['mgr_1_404040']);
	});

	it('does not overflow on a 20 000-deep chain and caps the drawn depth', () => {
		const instances = Array.from({length: 20_000}, (_, i) => inst(`n_${i}`, 'specialist', 'active', i === 0 ? null : `n_${i - 1}`));
		const view = agentsView({instances, jobs: [], locks: []});
		expect(view.rows).toHaveLength(20_000);
		expect(Math.max(...view.rows.map(r => r.depth))).toBe(8);
	});

	it('takes hostile values without throwing: parse errors, wrong types, duplicates across layouts', () => {
		const broken = instanceFrom('spec_x', decodeObject('{"instanceId": "spec_x", '), 'instance-key');
		const weird = instanceFrom('w_1', decodeObject(JSON.stringify({instanceId: 'w_1', role: 7, status: {}, parentId: ['x'], children: 'nope', created: 'yesterday', lastUpdated: 12})), 'instance-key');
		const dupGood = inst('spec_x', 'specialist', 'active');
		const view = agentsView({instances: [broken, weird, dupGood, ...hierarchy(), ...hierarchy()], jobs: [], locks: []});
		expect(view.rows).toHaveLength(6);
		const x = view.rows.find(r => r.agent.id === 'spec_x')!.agent;
		expect(x.parseError).toBeNull(); // the parsable duplicate wins
		const w = view.rows.find(r => r.agent.id === 'w_1')!.agent;
		expect([w.role, w.status, w.parentId, w.createdAt, w.updatedAt]).toEqual([null, null, null, null, 12]);
	});

	it('reads the newest last-update field', () => {
		const a = inst('exec_000001', 'executive', 'active', null, {lastUpdated: '2026-11-26T08:59:30.000Z', lastActivity: '2026-11-26T08:59:50.000Z'});
		expect(agentsView({instances: [a], jobs: [], locks: []}).rows[0]!.agent.updatedAt).toBe(T0 - 10_000);
		expect(timeOf('garbage')).toBeNull();
		expect(timeOf(T0)).toBe(T0);
	});
});

describe('split state: the state dir read beside Redis', () => {
	it('merges by id: Redis wins an id in both, what only the state dir has is marked and counted', () => {
		const fromFile = (id: string, role: string, status: string, parent: string | null = null): Instance => ({...inst(id, role, status, parent), origin: 'json-file'});
		const jobFromFile = (id: string, status: string): Job => ({...job(id, status), origin: 'json-file'});
		const view = agentsView({
			instances: hierarchy(),
			jobs: [job('j1', 'pending')],
			locks: [],
			stateDirAgents: {
				dir: '/state',
				instances: [fromFile('mgr_1_000002', 'manager', 'terminated', 'exec_000001'), fromFile('spec_1_1_000009', 'specialist', 'active', 'mgr_1_000002')],
				jobs: [jobFromFile('j1', 'failed'), jobFromFile('j2', 'pending')],
				readAt: T0,
				error: null,
			},
		});
		const mgr = view.rows.find(r => r.agent.id === 'mgr_1_000002')!.agent;
		expect([mgr.status, mgr.origin, mgr.stateDirOnly]).toEqual(['active', 'instances-hash', false]);
		const split = view.rows.find(r => r.agent.id === 'spec_1_1_000009')!;
		expect([split.depth, split.agent.origin, split.agent.stateDirOnly]).toEqual([2, 'json-file', true]);
		expect(view.queue.pending.map(j => j.id)).toEqual(['j1', 'j2']);
		expect(view.queue.failed).toEqual([]);
		expect(view.stateDir).toEqual({dir: '/state', instancesOnly: 1, jobsOnly: 1, error: null});
		expect(agentsView({instances: hierarchy(), jobs: [], locks: []}).stateDir).toBeNull();
	});
});

describe('liveness', () => {
	it('alive, ghost, gone and unregistered against a session list', () => {
		const instances = [...hierarchy(), inst('spec_1_1_000005', 'specialist', 'terminated', 'mgr_1_000002'), inst('spec_1_1_000006', 'specialist', 'error', 'mgr_1_000002')];
		const view = agentsView({instances, jobs: [], locks: [], tmux: tmux(['claude_exec_000001', 'claude_mgr_1_000002', 'claude_spec_7_7_777777', 'work', 'claude_spec_1_1_000006'])});
		const of = (id: string) => view.rows.find(r => r.agent.id === id)!.agent.liveness;
		expect(of('exec_000001')).toBe('alive');
		expect(of('mgr_1_000002')).toBe('alive');
		expect(of('spec_1_1_000003')).toBe('ghost'); // active, no session
		expect(of('spec_1_1_000004')).toBe('ghost'); // initializing, no session
		expect(of('spec_1_1_000005')).toBe('gone'); // terminated, no session: as expected
		expect(of('spec_1_1_000006')).toBe('alive');
		expect(view.unregistered).toEqual(['claude_spec_7_7_777777']);
		expect(view.summary).toMatchObject({agents: 6, alive: 3, ghost: 2, error: 1, unregistered: 1, tmuxKnown: true});
	});

	it('matches the store`s sessionName and paneTarget, not only claude_{id}', () => {
		const a = inst('exec_000001', 'executive', 'active', null, {sessionName: 'boss', paneTarget: 'bosspane:1.2'});
		expect(candidateSessions(a)).toEqual(['boss', 'bosspane', 'claude_exec_000001']);
		expect(agentsView({instances: [a], jobs: [], locks: [], tmux: tmux(['bosspane'])}).rows[0]!.agent).toMatchObject({liveness: 'alive', session: 'bosspane'});
	});

	it('claims nothing when tmux could not be asked', () => {
		const view = agentsView({instances: hierarchy(), jobs: [], locks: [], tmux: noTmux});
		expect(view.rows.every(r => r.agent.liveness === 'unknown')).toBe(true);
		expect(view.summary).toMatchObject({ghost: 0, alive: 0, tmuxKnown: false});
		expect(view.tmux).toEqual({state: 'none', detail: 'not inside tmux'});
		expect(livenessOf('active', null, undefined)).toBe('unknown');
	});
});

describe('job queue', () => {
	it('pending by priority (critical first, other numbers as numbers), then oldest', () => {
		const jobs = [
			job('j_low', 'pending', 25),
			job('j_crit', 'pending', 100),
			job('j_odd', 'pending', 60),
			job('j_high_new', 'pending', 75, {enqueuedAt: '2026-11-26T08:59:59.000Z'}),
			job('j_high_old', 'pending', 75, {enqueuedAt: '2026-11-26T08:00:00.000Z'}),
			job('j_none', 'pending', 50, {priority: 'urgent'}),
		];
		const q = jobQueue(jobs, hierarchy());
		expect(q.pending.map(j => j.id)).toEqual(['j_crit', 'j_high_old', 'j_high_new', 'j_odd', 'j_low', 'j_none']);
		expect(q.pending.map(j => j.priorityLabel)).toEqual(['critical', 'high', 'high', '60', 'low', '-']);
	});

	it('running with their manager, failed with last error, completed with durations, load per manager', () => {
		const jobs = [
			job('j_a', 'active', 75, {managerId: 'mgr_1_000002', startedAt: '2026-11-26T08:59:00.000Z', attempts: 2, maxAttempts: 3}),
			job('j_b', 'assigned', 75, {managerId: 'mgr_1_000002'}),
			job('j_c', 'active', 75, {managerId: 'mgr_gone_1'}),
			job('j_f', 'failed', 100, {managerId: 'mgr_1_000002', lastError: 'worktree busy', failedAt: '2026-11-26T08:58:00.000Z', attempts: 3}),
			job('j_d1', 'completed', 50, {managerId: 'mgr_1_000002', duration: 41_230, completedAt: '2026-11-26T08:50:00.000Z'}),
			job('j_d2', 'completed', 50, {managerId: 'mgr_1_000002', startedAt: '2026-11-26T08:55:00.000Z', completedAt: '2026-11-26T08:56:30.000Z'}),
			job('j_q', 'weird', 50, {managerId: null}),
		];
		const q = jobQueue(jobs, hierarchy());
		expect(q.running.map(j => [j.id, j.managerId, j.managerMissing])).toEqual([
			['j_a', 'mgr_1_000002', false],
			['j_b', 'mgr_1_000002', false],
			['j_c', 'mgr_gone_1', true],
		]);
		expect(q.running[0]).toMatchObject({attempts: 2, maxAttempts: 3});
		expect(q.failed[0]).toMatchObject({id: 'j_f', lastError: 'worktree busy', attempts: 3});
		expect(q.completed.map(j => [j.id, j.durationMs])).toEqual([
			['j_d2', 90_000],
			['j_d1', 41_230],
		]);
		expect(q.other.map(j => j.id)).toEqual(['j_q']);
		expect(q.load).toEqual([
			{managerId: 'mgr_1_000002', known: true, assigned: 1, active: 1, completed: 2, failed: 1},
			{managerId: 'mgr_gone_1', known: false, assigned: 0, active: 1, completed: 0, failed: 0},
		]);
	});

	it('dedups jobs present in both layouts', () => {
		expect(dedupById([job('j1', 'pending'), job('j1', 'pending')])).toHaveLength(1);
		expect(jobQueue([job('j1', 'pending'), job('j1', 'pending')], []).pending).toHaveLength(1);
	});
});

describe('locks linked to agents', () => {
	it('by a whole-word id in the resource or the token', () => {
		const locks = [lock('worktree:spec_1_1_000003', `${T0}-0.1`), lock('git-main', 'mgr_1_000002:held'), lock('other', `${T0}-0.2`), lock('mgr_1_0000021', 'x')];
		const view = agentsView({instances: hierarchy(), jobs: [], locks});
		expect(view.lockLinks.map(l => [l.resource, l.agentIds])).toEqual([
			['worktree:spec_1_1_000003', ['spec_1_1_000003']],
			['git-main', ['mgr_1_000002']],
		]);
		expect(view.rows.find(r => r.agent.id === 'spec_1_1_000003')!.agent.locks).toEqual(['worktree:spec_1_1_000003']);
		expect(namesId('a-mgr_1_2-b', 'mgr_1_2')).toBe(true);
		expect(namesId('mgr_1_20', 'mgr_1_2')).toBe(false);
	});
});

describe('agents view at scale', () => {
	it('10 000 agents, 5 000 jobs and 2 000 locks in well under a poll interval', () => {
		const instances = Array.from({length: 10_000}, (_, i) => inst(`spec_1_${i % 50}_${100_000 + i}`, 'specialist', 'active', `mgr_1_${i % 50}`));
		const jobs = Array.from({length: 5000}, (_, i) => job(`job_${i}`, ['pending', 'active', 'failed', 'completed'][i % 4]!, [100, 75, 50, 25][i % 4]));
		const locks = Array.from({length: 2000}, (_, i) => lock(`worktree:spec_1_${i % 50}_${100_000 + i}`, `${T0}-0.${i}`));
		const started = performance.now();
		const view = agentsView({instances, jobs, locks, tmux: tmux(instances.slice(0, 5000).map(i => `claude_${i.id}`))});
		const ms = performance.now() - started;
		expect(view.summary).toMatchObject({agents: 10_000, alive: 5000, ghost: 5000, orphan: 10_000});
		expect(view.lockLinks).toHaveLength(2000);
		expect(ms).toBeLessThan(1000);
	});
});

describe('treeGuides', () => {
	it('draws ├ for a child with later siblings, └ for the last, │ under an ancestor whose siblings follow', () => {
		// exec ─ mgr1 ─ spec1, spec2 ; mgr2 ─ spec3 ; then a second root
		expect(treeGuides([0, 1, 2, 2, 1, 2, 0])).toEqual(['', '├ ', '│ ├ ', '│ └ ', '└ ', '  └ ', '']);
	});

	it('handles a lone root and a deep single chain', () => {
		expect(treeGuides([0])).toEqual(['']);
		expect(treeGuides([0, 1, 2, 3])).toEqual(['', '└ ', '  └ ', '    └ ']);
	});
});
