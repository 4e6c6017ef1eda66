// The Agents view of tmux-claude state: the executive → managers →
// specialists tree, each agent's liveness against tmux's session list, the
// job queue, and the locks that name an agent. Pure: no I/O. Store data is
// hostile (missing fields, cycles, duplicates, wrong types): nothing here
// loops, throws, or trusts a field's type.
import {priorityName} from './layouts';
import {compareText} from './order';
import type {Instance, Job, Lock, Origin, StateDirAgents, TmuxView} from './types';

/**
 * alive: its tmux session exists. ghost: the store says active or
 * initializing, but tmux has no such session. gone: no session, and the store
 * does not claim it runs (terminated, error…). unknown: no tmux server could
 * be asked, so nothing is claimed.
 */
export type Liveness = 'alive' | 'ghost' | 'gone' | 'unknown';

export type Agent = {
	id: string;
	role: string | null;
	status: string | null;
	parentId: string | null;
	/** Epoch ms of `created`, null when missing or unparsable. */
	createdAt: number | null;
	/** Epoch ms of the newest "last update" style field, when the store has one. */
	updatedAt: number | null;
	sessionName: string | null;
	paneTarget: string | null;
	projectDir: string | null;
	workDir: string | null;
	branchName: string | null;
	isWorktree: boolean | null;
	/** Children in the tree tcmon built (not the store's `children` array). */
	childCount: number;
	/** Ids the store lists in `children` that have no entry of their own. */
	missingChildren: string[];
	liveness: Liveness;
	/** The session tmux knows it by (sessionName or claude_{id}), when alive. */
	session: string | null;
	/** parentId names an instance the store does not have. */
	orphan: boolean;
	/** Its parent chain loops back on itself: shown at the top level. */
	cycle: boolean;
	parseError: string | null;
	/** Locks whose resource or token names this agent. */
	locks: string[];
	origin: Origin;
	/** Read from the state dir while the source is Redis: the writer split it off (a Redis error). */
	stateDirOnly: boolean;
};

/** `guide`: the tree lines drawn before the id (`│ ├ └`), from treeGuides. */
export type AgentRow = {agent: Agent; depth: number; guide: string};

/**
 * Tree lines for depth-first rows: `├ ` for a child with later siblings, `└ `
 * for the last one, `│ ` where an ancestor's sibling is still to come. One
 * backward pass: `more[d]` says a later row sits at depth d under the same parent.
 */
export const treeGuides = (depths: readonly number[]): string[] => {
	const out = new Array<string>(depths.length);
	const more: boolean[] = [];
	for (let i = depths.length - 1; i >= 0; i--) {
		const d = depths[i]!;
		let guide = '';
		for (let l = 1; l < d; l++) guide += more[l] ? '│ ' : '  ';
		if (d > 0) guide += more[d] ? '├ ' : '└ ';
		out[i] = guide;
		more[d] = true;
		more.length = d + 1;
	}
	return out;
};

export type JobRow = {
	id: string;
	status: string | null;
	priority: number | null;
	priorityLabel: string;
	attempts: number | null;
	maxAttempts: number | null;
	managerId: string | null;
	/** The job's manager is not an instance in the store. */
	managerMissing: boolean;
	enqueuedAt: number | null;
	startedAt: number | null;
	completedAt: number | null;
	failedAt: number | null;
	/** `duration`, else completedAt − startedAt. */
	durationMs: number | null;
	lastError: string | null;
	/** A failed attempt waits for its retry (status pending with nextRetryAt). */
	nextRetryAt: number | null;
	parseError: string | null;
};

export type ManagerLoad = {
	managerId: string;
	/** The manager is an instance in the store. */
	known: boolean;
	assigned: number;
	active: number;
	completed: number;
	failed: number;
};

export type Queue = {
	/** Highest priority first, then oldest enqueued. */
	pending: JobRow[];
	/** assigned and active, oldest start first. */
	running: JobRow[];
	/** Newest failure first. */
	failed: JobRow[];
	/** Newest completion first. */
	completed: JobRow[];
	/** Unknown status or unparsable. */
	other: JobRow[];
	/** One row per manager with jobs or a manager instance, busiest first. */
	load: ManagerLoad[];
};

export type AgentLockLink = {lockKey: string; resource: string; agentIds: string[]};

export type AgentsSummary = {
	agents: number;
	alive: number;
	ghost: number;
	orphan: number;
	error: number;
	unregistered: number;
	/** False when tmux could not be asked (liveness unknown). */
	tmuxKnown: boolean;
	pending: number;
	running: number;
	failed: number;
	completed: number;
};

export type AgentsView = {
	/** Depth-first: roots, then each one's children. */
	rows: AgentRow[];
	/** `claude_*` sessions that no store entry claims. */
	unregistered: string[];
	queue: Queue;
	lockLinks: AgentLockLink[];
	summary: AgentsSummary;
	tmux: {state: TmuxView['state'] | 'unasked'; detail: string | null};
	/** The state dir read beside Redis: entries found only there, and why it could not be read. */
	stateDir: {dir: string; instancesOnly: number; jobsOnly: number; error: string | null} | null;
};

const SESSION_PREFIX = 'claude_';
/** Fields tmux-claude (or its forks) use for "last touched"; the first one parsable wins per field, the newest overall. */
const UPDATE_FIELDS = ['lastUpdated', 'updatedAt', 'updated', 'lastActivity', 'lastSeen', 'lastHeartbeat', 'heartbeat', 'modified'] as const;
const RUNNING = new Set(['active', 'initializing']);
const ROLE_RANK: Record<string, number> = {executive: 0, manager: 1, specialist: 2};
/** Deeper trees are drawn flat beyond this: a hostile chain cannot push names off screen. */
export const MAX_DEPTH = 8;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Epoch ms from an ISO string or an epoch-ms number; null otherwise. */
export const timeOf = (v: unknown): number | null => {
	if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v : null;
	if (typeof v !== 'string' || v.length > 64) return null;
	const t = Date.parse(v);
	return Number.isFinite(t) ? t : null;
};

const updatedOf = (raw: Record<string, unknown> | null): number | null => {
	if (!raw) return null;
	let newest: number | null = null;
	for (const f of UPDATE_FIELDS) {
		const t = timeOf(raw[f]);
		if (t !== null && (newest === null || t > newest)) newest = t;
	}
	return newest;
};

/** One entry per id: a parsable one wins over a parse error, else the first seen. */
export const dedupById = <T extends {id: string; parseError: string | null}>(items: readonly T[]): T[] => {
	const by = new Map<string, T>();
	for (const item of items) {
		const seen = by.get(item.id);
		if (!seen || (seen.parseError !== null && item.parseError === null)) by.set(item.id, item);
	}
	return [...by.values()];
};

/** The session part of a tmux target (`sess:0.1` → `sess`). */
const sessionOfTarget = (target: string | null): string | null => {
	if (!target) return null;
	const i = target.indexOf(':');
	return i > 0 ? target.slice(0, i) : target;
};

/** The session names an instance may run under, most specific first. */
export const candidateSessions = (i: Pick<Instance, 'id' | 'sessionName' | 'paneTarget'>): string[] => {
	const names = [i.sessionName, sessionOfTarget(i.paneTarget), `${SESSION_PREFIX}${i.id}`].filter((s): s is string => Boolean(s));
	return [...new Set(names)];
};

export const livenessOf = (status: string | null, session: string | null, tmux: TmuxView | undefined): Liveness => {
	if (!tmux || tmux.state !== 'ok') return 'unknown';
	if (session) return 'alive';
	return status !== null && RUNNING.has(status) ? 'ghost' : 'gone';
};

const agentOf = (i: Instance, sessions: Set<string> | null, tmux: TmuxView | undefined): Agent => {
	const raw = i.raw;
	const session = sessions ? (candidateSessions(i).find(s => sessions.has(s)) ?? null) : null;
	const wt = raw?.['isWorktree'];
	return {
		id: i.id,
		role: i.role,
		status: i.status,
		parentId: i.parentId,
		createdAt: timeOf(i.created),
		updatedAt: updatedOf(raw),
		sessionName: i.sessionName,
		paneTarget: i.paneTarget,
		projectDir: str(raw?.['projectDir']),
		workDir: str(raw?.['workDir']),
		branchName: str(raw?.['branchName']),
		isWorktree: typeof wt === 'boolean' ? wt : null,
		childCount: 0,
		missingChildren: [],
		liveness: livenessOf(i.status, session, tmux),
		session,
		orphan: false,
		cycle: false,
		parseError: i.parseError,
		locks: [],
		origin: i.origin,
		stateDirOnly: false,
	};
};

const byRoleThenId = (a: Agent, b: Agent): number =>
	(ROLE_RANK[a.role ?? ''] ?? 3) - (ROLE_RANK[b.role ?? ''] ?? 3) || compareText(a.id, b.id);

/**
 * The tree as depth-first rows. A parent is `parentId` when that instance
 * exists; else the first instance whose `children` lists it. Instances whose
 * parent chain loops are never reached from a root: they are shown at the
 * top, marked `cycle`, and their subtree under them once.
 */
export const agentTree = (agents: Agent[], childrenOf: Map<string, string[]>): AgentRow[] => {
	const byId = new Map(agents.map(a => [a.id, a]));
	const parent = new Map<string, string>();
	for (const a of agents) {
		if (a.parentId === a.id) a.cycle = true;
		else if (a.parentId !== null && byId.has(a.parentId)) parent.set(a.id, a.parentId);
		else if (a.parentId !== null && !byId.has(a.parentId)) a.orphan = true;
	}
	// The store's `children` arrays: adopt only agents with no parent of their own.
	for (const [pid, kids] of childrenOf) {
		const p = byId.get(pid);
		if (!p) continue;
		for (const kid of kids) {
			if (kid === pid) continue;
			if (!byId.has(kid)) {
				if (p.missingChildren.length < 20) p.missingChildren.push(kid);
				continue;
			}
			const k = byId.get(kid)!;
			if (!parent.has(kid) && k.parentId === null) parent.set(kid, pid);
		}
	}
	const kids = new Map<string, Agent[]>();
	for (const [child, pid] of parent) {
		let list = kids.get(pid);
		if (!list) kids.set(pid, (list = []));
		list.push(byId.get(child)!);
	}
	for (const [pid, list] of kids) {
		list.sort(byRoleThenId);
		byId.get(pid)!.childCount = list.length;
	}
	const rows: AgentRow[] = [];
	const placed = new Set<string>();
	// Iterative DFS: a hostile chain of thousands cannot overflow the stack.
	const walk = (root: Agent) => {
		const stack: {agent: Agent; depth: number}[] = [{agent: root, depth: 0}];
		while (stack.length > 0) {
			const row = stack.pop()!;
			if (placed.has(row.agent.id)) continue;
			placed.add(row.agent.id);
			rows.push({agent: row.agent, depth: Math.min(row.depth, MAX_DEPTH), guide: ''});
			const children = kids.get(row.agent.id) ?? [];
			for (let c = children.length - 1; c >= 0; c--) stack.push({agent: children[c]!, depth: row.depth + 1});
		}
	};
	const roots = agents.filter(a => !parent.has(a.id)).sort(byRoleThenId);
	for (const root of roots) walk(root);
	// Whatever is left sits on a cycle (or hangs under one).
	for (const a of [...agents].sort(byRoleThenId)) {
		if (placed.has(a.id)) continue;
		a.cycle = true;
		walk(a);
	}
	const guides = treeGuides(rows.map(r => r.depth));
	for (const [i, row] of rows.entries()) row.guide = guides[i]!;
	return rows;
};

const jobRowOf = (j: Job, managers: Set<string>): JobRow => {
	const raw = j.raw;
	const startedAt = timeOf(raw?.['startedAt']);
	const completedAt = timeOf(raw?.['completedAt']);
	const duration = num(raw?.['duration']);
	return {
		id: j.id,
		status: j.status,
		priority: j.priority,
		priorityLabel: priorityName(j.priority),
		attempts: j.attempts,
		maxAttempts: j.maxAttempts,
		managerId: j.managerId,
		managerMissing: j.managerId !== null && !managers.has(j.managerId),
		enqueuedAt: timeOf(j.enqueuedAt),
		startedAt,
		completedAt,
		failedAt: timeOf(raw?.['failedAt']),
		durationMs: duration !== null && duration >= 0 ? duration : startedAt !== null && completedAt !== null && completedAt >= startedAt ? completedAt - startedAt : null,
		lastError: j.lastError,
		nextRetryAt: timeOf(raw?.['nextRetryAt']),
		parseError: j.parseError,
	};
};

const newestFirst = (pick: (j: JobRow) => number | null) => (a: JobRow, b: JobRow) => (pick(b) ?? -Infinity) - (pick(a) ?? -Infinity) || compareText(a.id, b.id);

/** The job queue by state, and each manager's load. */
export const jobQueue = (jobs: readonly Job[], instances: readonly Instance[]): Queue => {
	const managers = new Set(instances.map(i => i.id));
	const rows = dedupById(jobs).map(j => jobRowOf(j, managers));
	const q: Queue = {pending: [], running: [], failed: [], completed: [], other: [], load: []};
	for (const r of rows) {
		if (r.status === 'pending') q.pending.push(r);
		else if (r.status === 'assigned' || r.status === 'active') q.running.push(r);
		else if (r.status === 'failed') q.failed.push(r);
		else if (r.status === 'completed') q.completed.push(r);
		else q.other.push(r);
	}
	q.pending.sort((a, b) => (b.priority ?? -Infinity) - (a.priority ?? -Infinity) || (a.enqueuedAt ?? Infinity) - (b.enqueuedAt ?? Infinity) || compareText(a.id, b.id));
	q.running.sort((a, b) => (a.startedAt ?? Infinity) - (b.startedAt ?? Infinity) || compareText(a.id, b.id));
	q.failed.sort(newestFirst(j => j.failedAt));
	q.completed.sort(newestFirst(j => j.completedAt));
	q.other.sort((a, b) => compareText(a.id, b.id));
	const load = new Map<string, ManagerLoad>();
	const loadOf = (id: string) => {
		let l = load.get(id);
		if (!l) load.set(id, (l = {managerId: id, known: managers.has(id), assigned: 0, active: 0, completed: 0, failed: 0}));
		return l;
	};
	for (const i of instances) if (i.role === 'manager') loadOf(i.id);
	for (const r of rows) {
		if (r.managerId === null) continue;
		if (r.status === 'assigned') loadOf(r.managerId).assigned++;
		else if (r.status === 'active') loadOf(r.managerId).active++;
		else if (r.status === 'completed') loadOf(r.managerId).completed++;
		else if (r.status === 'failed') loadOf(r.managerId).failed++;
	}
	q.load = [...load.values()].sort((a, b) => b.assigned + b.active - (a.assigned + a.active) || compareText(a.managerId, b.managerId));
	return q;
};

const ID_CHAR = /[A-Za-z0-9_]/;

/** Where `id` occurs in `text` as a whole word (so mgr_1_2 does not match mgr_1_20). */
export const namesId = (text: string, id: string): boolean => {
	if (!id) return false;
	let from = 0;
	for (;;) {
		const at = text.indexOf(id, from);
		if (at < 0) return false;
		const before = at > 0 ? text[at - 1]! : '';
		const after = text[at + id.length] ?? '';
		if (!ID_CHAR.test(before) && !ID_CHAR.test(after)) return true;
		from = at + 1;
	}
};

const WORD = /[A-Za-z0-9_]+/g;
const WORDY = /^[A-Za-z0-9_]+$/;

/**
 * Locks whose resource or token names an agent (bounded: the first 2000
 * locks). An id made of word characters is named exactly when it is one of
 * the text's words: a set lookup, so thousands of agents cost no more than a
 * few. Other ids (rare, hostile) are searched for.
 */
export const lockLinks = (locks: readonly Lock[], agentIds: readonly string[]): AgentLockLink[] => {
	const wordy = new Set(agentIds.filter(id => WORDY.test(id)));
	const odd = agentIds.filter(id => id && !WORDY.test(id)).slice(0, 100);
	const links: AgentLockLink[] = [];
	for (const lock of locks.slice(0, 2000)) {
		const text = `${lock.resource}\n${lock.token}`.slice(0, 4096);
		const ids = new Set<string>();
		for (const word of text.match(WORD) ?? []) if (wordy.has(word)) ids.add(word);
		for (const id of odd) if (namesId(text, id)) ids.add(id);
		if (ids.size > 0) links.push({lockKey: lock.key, resource: lock.resource, agentIds: [...ids]});
	}
	return links;
};

const childrenArrays = (instances: readonly Instance[]): Map<string, string[]> => {
	const map = new Map<string, string[]>();
	for (const i of instances) {
		const c = i.raw?.['children'];
		if (Array.isArray(c)) map.set(i.id, c.filter((x): x is string => typeof x === 'string').slice(0, 1000));
	}
	return map;
};

type AgentsData = {instances: readonly Instance[]; jobs: readonly Job[]; locks: readonly Lock[]; tmux?: TmuxView; stateDirAgents?: StateDirAgents};

/** What lock links depend on: each lock's resource and token. */
const locksKey = (locks: readonly Lock[]): string => locks.map(l => `${l.resource}\u0000${l.token ?? ''}`).join('\n');

/**
 * The last views built per instances array (the source keeps that array while
 * nothing was written), so the pane, the activity feed and the tracker that
 * each ask for a quiet tick's view build it once: with 100 agents and 1000
 * jobs a build is ~2 ms, and it was built 3–4 times a tick (0.8 % of a core).
 */
const viewMemo = new WeakMap<readonly Instance[], {data: AgentsData; locks: string; view: AgentsView}[]>();

/** Everything the Agents pane, `--json` and `tcmon status` show, from one snapshot's data. */
export const agentsView = (data: AgentsData): AgentsView => {
	const locks = locksKey(data.locks);
	const entries = viewMemo.get(data.instances) ?? [];
	const hit = entries.find(e => e.data.jobs === data.jobs && e.data.tmux === data.tmux && e.data.stateDirAgents === data.stateDirAgents && e.locks === locks);
	if (hit) return hit.view;
	const view = buildAgentsView(data);
	// Two: the activity feed compares the last tick's view with this one's.
	viewMemo.set(data.instances, [{data, locks, view}, ...entries].slice(0, 2));
	return view;
};

const buildAgentsView = (data: AgentsData): AgentsView => {
	// Redis first: an id in both keeps the Redis entry; the state dir adds what only it has.
	const split = data.stateDirAgents;
	const redisIds = new Set(data.instances.map(i => i.id));
	const redisJobIds = new Set(data.jobs.map(j => j.id));
	const instances = dedupById(split ? [...data.instances, ...split.instances] : data.instances);
	const jobs = split ? [...data.jobs, ...split.jobs] : data.jobs;
	const tmux = data.tmux;
	const sessions = tmux?.state === 'ok' ? new Set(tmux.sessions) : null;
	const agents = instances.map(i => ({...agentOf(i, sessions, tmux), stateDirOnly: split !== undefined && !redisIds.has(i.id)}));
	const rows = agentTree(agents, childrenArrays(instances));
	const claimed = new Set(instances.flatMap(candidateSessions));
	const unregistered = sessions ? [...sessions].filter(s => s.startsWith(SESSION_PREFIX) && !claimed.has(s)).sort(compareText) : [];
	const links = lockLinks(data.locks, agents.map(a => a.id));
	const byId = new Map(agents.map(a => [a.id, a]));
	for (const link of links) for (const id of link.agentIds) byId.get(id)?.locks.push(link.resource);
	const queue = jobQueue(jobs, instances);
	return {
		rows,
		unregistered,
		queue,
		lockLinks: links,
		summary: {
			agents: agents.length,
			alive: agents.filter(a => a.liveness === 'alive').length,
			ghost: agents.filter(a => a.liveness === 'ghost').length,
			orphan: agents.filter(a => a.orphan).length,
			error: agents.filter(a => a.status === 'error').length,
			unregistered: unregistered.length,
			tmuxKnown: sessions !== null,
			pending: queue.pending.length,
			running: queue.running.length,
			failed: queue.failed.length,
			completed: queue.completed.length,
		},
		tmux: tmux ? {state: tmux.state, detail: tmux.detail} : {state: 'unasked', detail: null},
		stateDir: split
			? {
					dir: split.dir,
					instancesOnly: agents.filter(a => a.stateDirOnly).length,
					jobsOnly: new Set(split.jobs.map(j => j.id).filter(id => !redisJobIds.has(id))).size,
					error: split.error,
				}
			: null,
	};
};
