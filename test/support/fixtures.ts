// Fixture snapshots with fixed clocks, so pane snapshots are byte-stable.
import {decodeInstanceMap} from '../../source/domain/layouts';
import type {Sample} from '../../source/domain/rates';
import type {Lock, Snapshot, SourceInfo, Stats} from '../../source/domain/types';
import {emptySnapshot} from '../../source/domain/types';

export const T0 = Date.UTC(2026, 10, 26, 9, 0, 0); // 2026-11-26T09:00:00Z

export const instanceJson = (id: string, role: string, status: string, parentId: string | null = null) =>
	JSON.stringify({
		instanceId: id,
		role,
		parentId,
		sessionName: `claude_${id}`,
		paneTarget: `claude_${id}:0.0`,
		projectDir: `/home/me/app/${id}`,
		workDir: '/home/me/app',
		status,
		created: '2026-11-25T09:12:44.000Z',
		children: [],
	});

export const jobJson = (id: string, status: string, priority = 75, extra: Record<string, unknown> = {}) =>
	JSON.stringify({id, spec: {task: 'x'}, priority, status, enqueuedAt: '2026-11-26T08:59:00.000Z', attempts: 1, maxAttempts: 3, managerId: 'mgr_1_201938', ...extra});

export const redisSourceInfo = (over: Partial<SourceInfo> = {}): SourceInfo => ({
	kind: 'redis',
	target: 'redis://:***@127.0.0.1:6379',
	connected: true,
	error: null,
	fallbackReason: null,
	stale: false,
	dataAt: T0,
	...over,
});

export const stats = (over: Partial<Stats> = {}): Stats => ({
	keys: 12_345,
	usedMemory: 1_572_864,
	usedMemoryRss: 8_388_608,
	maxMemory: 2 * 1024 ** 3,
	clients: 7,
	blocked: 1,
	totalCommands: 1_234_567,
	connections: 89,
	opsPerSec: 42,
	keyspaceHits: 9000,
	keyspaceMisses: 1000,
	evictedKeys: 0,
	expiredKeys: 12,
	rejectedConnections: 0,
	...over,
});

export const locks = (): Lock[] => [
	{resource: 'git-main', key: 'tmux-claude:locks:git-main', token: `${T0 - 4000}-0.5488135039273248`, acquiredAt: T0 - 4000, ttlMs: 26_000, layout: 'locks', foreignToken: false},
	{resource: 'job-queue', key: 'tmux-claude:lock:job-queue', token: `${T0 - 28_500}-0.71518937`, acquiredAt: T0 - 28_500, ttlMs: 1500, layout: 'lock', foreignToken: false},
	{resource: 'forever', key: 'tmux-claude:locks:forever', token: `${T0 - 3_600_000}-0.6027633`, acquiredAt: T0 - 3_600_000, ttlMs: null, layout: 'locks', foreignToken: false},
	{resource: 'worktree-pool', key: '/state/worktree-pool.lock', token: `${T0 - 600_000}-0.544883`, acquiredAt: T0 - 600_000, ttlMs: -570_000, layout: 'file', foreignToken: false},
	{resource: 'evil\u001b[31mred', key: 'tmux-claude:lock:evil\u001b[31mred', token: 'not-a-\u001b]0;pwned\u0007token', acquiredAt: null, ttlMs: 12_000, layout: 'lock', foreignToken: true},
];

export const history = (): Sample[] =>
	Array.from({length: 20}, (_, i) => ({at: T0 - (19 - i) * 1000, stats: stats({totalCommands: 1_234_567 - (19 - i) * (40 + (i % 5) * 10), usedMemory: 1_500_000 + i * 3600})}));

/** A healthy Redis snapshot carrying both layouts and some hostile data. */
export const redisSnapshot = (over: Partial<Snapshot> = {}): Snapshot => {
	const hash = decodeInstanceMap(
		[
			['exec_483920', instanceJson('exec_483920', 'executive', 'active')],
			['mgr_1_201938', instanceJson('mgr_1_201938', 'manager', 'active', 'exec_483920')],
			['spec_1_1_100001', instanceJson('spec_1_1_100001', 'specialist', 'initializing', 'mgr_1_201938')],
			['spec_1_1_100002', '{"instanceId": "spec_1_1_100002", "status": "act'],
			['job:job_1764133080123_7', jobJson('job_1764133080123_7', 'active', 100)],
			['job:job_1764133080123_8', jobJson('job_1764133080123_8', 'pending', 25)],
		],
		'instances-hash',
	);
	return {
		...emptySnapshot(redisSourceInfo(), T0),
		server: {version: '7.0.15', role: 'master', mode: 'standalone', uptimeSeconds: 86_400, runId: 'abc'},
		stats: stats(),
		info: {},
		slowlog: [
			{id: 42, time: T0 / 1000 - 5, durationMicros: 15_300, args: ['HGETALL', 'tmux-claude:instances'], client: '127.0.0.1:50412 orchestrator'},
			{id: 41, time: T0 / 1000 - 65, durationMicros: 230_000, args: ['KEYS', '*'], client: '127.0.0.1:50413'},
			{id: 40, time: T0 / 1000 - 3600, durationMicros: 1200, args: ['SET', 'evil\u001b[2Jkey', 'v\u0007\u009b1m'], client: '10.0.0.9:6000 \u001b]0;x\u0007'},
		],
		slowlogLength: 3,
		keys: [
			{key: 'tmux-claude:instances', type: 'hash', ttlMs: null},
			{key: 'tmux-claude:instances:active', type: 'set', ttlMs: null},
			{key: 'tmux-claude:lock:job-queue', type: 'string', ttlMs: 1500},
			{key: 'tmux-claude:locks:git-main', type: 'string', ttlMs: 26_000},
			{key: 'tmux-claude:metrics:queue_depth', type: 'zset', ttlMs: 86_000_000},
			{key: 'tmux-claude:tmp:\u001b[31mhostile\u0000name', type: 'string', ttlMs: 120_000},
		],
		locks: locks(),
		instances: hash.instances,
		jobs: hash.jobs,
		metrics: [{name: 'queue_depth', key: 'tmux-claude:metrics:queue_depth', count: 3, samples: [{at: T0 - 2000, value: 3}, {at: T0 - 1000, value: 5}, {at: T0, value: 4}], ttlMs: 86_000_000}],
		...over,
	};
};

/** The JSON fallback as `auto` shows it when Redis is down at start. */
export const jsonSnapshot = (over: Partial<Snapshot> = {}): Snapshot => {
	const base = redisSnapshot();
	return {
		...emptySnapshot(
			{kind: 'json', target: '/home/me/app/state', connected: true, error: null, fallbackReason: 'Redis redis://127.0.0.1:6379 unreachable (connect ECONNREFUSED 127.0.0.1:6379)', stale: false, dataAt: T0},
			T0,
		),
		instances: base.instances.map(i => ({...i, origin: 'json-file' as const})),
		jobs: base.jobs.map(j => ({...j, origin: 'json-file' as const})),
		locks: base.locks.filter(l => l.layout === 'file'),
		keys: [
			{key: 'instances.json#exec_483920', type: 'instance', ttlMs: null},
			{key: 'worktree-pool.lock', type: 'lock file', ttlMs: -570_000},
		],
		stateDir: {
			dir: '/home/me/app/state',
			exists: true,
			files: [
				{name: 'instances.json', size: 7850, mtimeMs: T0 - 2000},
				{name: 'metrics.jsonl', size: 1_204_000, mtimeMs: T0 - 500},
				{name: 'worktree-pool.lock', size: 31, mtimeMs: T0 - 600_000},
			],
			instancesParseError: null,
			metricsLines: 9876,
			metricsBadLines: 0,
		},
		...over,
	};
};

/** Redis went away 12 s ago: the last data, marked stale. */
export const staleSnapshot = (): Snapshot =>
	redisSnapshot({source: redisSourceInfo({connected: false, stale: true, error: 'connect ECONNREFUSED 127.0.0.1:6379', dataAt: T0 - 12_000})});

/** Redis reachable but INFO and SLOWLOG denied (ACL `-@dangerous`). */
export const restrictedSnapshot = (): Snapshot =>
	redisSnapshot({
		server: null,
		stats: null,
		info: null,
		slowlog: [],
		slowlogLength: null,
		errors: {
			info: "NOPERM this user has no permissions to run the 'info' command",
			slowlog: "NOPERM this user has no permissions to run the 'slowlog|get' command",
		},
	});
