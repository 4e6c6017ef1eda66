// The `--json` document: a stable, documented shape built from a Snapshot.
// Field names here are a public interface (README "The --json document").
import {agentsView, type JobRow} from './domain/agents';
import {auditItems, configAccess} from './domain/audit';
import {memoryCheck} from './domain/health';
import {parseKeyspace} from './domain/info';
import {serverEpoch} from './domain/slowlog-history';
import {lockState} from './domain/locks';
import type {Snapshot} from './domain/types';

export const DOCUMENT_VERSION = 1;

const iso = (ms: number | null): string | null => (ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString());

const jobOut = (j: JobRow) => ({
	...j,
	enqueuedAt: iso(j.enqueuedAt),
	startedAt: iso(j.startedAt),
	completedAt: iso(j.completedAt),
	failedAt: iso(j.failedAt),
	nextRetryAt: iso(j.nextRetryAt),
});

/** The Agents pane as data: the tree (depth-first, with depth), tmux liveness, the queue. */
const agentsSection = (snapshot: Snapshot) => {
	const view = agentsView(snapshot);
	const tmux = snapshot.tmux;
	return {
		tmux: tmux ? {state: tmux.state, detail: tmux.detail, socket: tmux.socket, sessions: tmux.sessions.length, readAt: iso(tmux.readAt)} : null,
		summary: view.summary,
		tree: view.rows.map(({agent: a, depth}) => ({
			id: a.id,
			depth,
			role: a.role,
			status: a.status,
			liveness: a.liveness,
			orphan: a.orphan,
			cycle: a.cycle,
			parentId: a.parentId,
			children: a.childCount,
			missingChildren: a.missingChildren,
			created: iso(a.createdAt),
			updatedAt: iso(a.updatedAt),
			sessionName: a.sessionName,
			paneTarget: a.paneTarget,
			session: a.session,
			projectDir: a.projectDir,
			workDir: a.workDir,
			branchName: a.branchName,
			locks: a.locks,
			parseError: a.parseError,
			origin: a.origin,
			stateDirOnly: a.stateDirOnly,
		})),
		unregistered: view.unregistered,
		queue: {
			pending: view.queue.pending.map(jobOut),
			running: view.queue.running.map(jobOut),
			failed: view.queue.failed.map(jobOut),
			completed: view.queue.completed.map(jobOut),
			other: view.queue.other.map(jobOut),
			load: view.queue.load,
		},
		lockLinks: view.lockLinks,
		stateDir: view.stateDir,
	};
};

export const toDocument = (snapshot: Snapshot) => ({
	version: DOCUMENT_VERSION,
	takenAt: iso(snapshot.takenAt),
	source: {
		kind: snapshot.source.kind,
		target: snapshot.source.target,
		connected: snapshot.source.connected,
		error: snapshot.source.error,
		fallbackReason: snapshot.source.fallbackReason,
		stale: snapshot.source.stale,
		dataAt: iso(snapshot.source.dataAt),
	},
	server: snapshot.server,
	stats: snapshot.stats,
	// Redis Cluster: every node (role, slots, memory, ops/s, clients, link) and the slots walked.
	...(snapshot.cluster ? {cluster: snapshot.cluster} : {}),
	// The session's merged history (a single poll: the server's list), newest first; args redacted.
	slowlog: (snapshot.slowlogHistory?.entries ?? snapshot.slowlog.map(e => ({...e, epoch: 0, firstSeenAt: null, touchesPrefix: null}))).map(e => ({
		id: e.id,
		time: e.time,
		durationMicros: e.durationMicros,
		args: e.args,
		client: e.client,
		...(e.node ? {node: e.node} : {}),
		epoch: serverEpoch(e.epoch),
		firstSeenAt: iso(e.firstSeenAt),
		touchesPrefix: e.touchesPrefix,
	})),
	slowlogLength: snapshot.slowlogLength,
	slowlogMarks: (snapshot.slowlogHistory?.marks ?? []).map(m => ({...m, at: iso(m.at)})),
	slowlogSummary: snapshot.slowlogSummary ?? [],
	slowlogConfig: snapshot.slowlogConfig ? {...snapshot.slowlogConfig, readAt: iso(snapshot.slowlogConfig.readAt)} : null,
	locks: snapshot.locks.map(l => ({
		resource: l.resource,
		key: l.key,
		token: l.token,
		acquiredAt: l.acquiredAt,
		ttlMs: l.ttlMs,
		layout: l.layout,
		state: lockState(l, l.fullTtlMs),
		fullTtlMs: l.fullTtlMs ?? null,
		// "file": a {resource}.lock in the state dir (beside Redis: see splitState).
		origin: l.layout === 'file' ? 'file' : 'redis',
		error: l.error ?? null,
		// A token longer than tcmon reads: `token` is its first TOKEN_CAP bytes.
		...(l.truncated ? {truncated: true, bytes: l.bytes ?? null} : {}),
	})),
	lockFiles: snapshot.lockFiles ?? null,
	splitState: snapshot.splitState ?? null,
	lockHistory: snapshot.lockHistory
		? {
				since: iso(snapshot.lockHistory.since),
				totals: snapshot.lockHistory.totals,
				notifications: snapshot.lockHistory.notifications,
				resources: snapshot.lockHistory.resources,
				events: snapshot.lockHistory.events,
			}
		: null,
	instances: snapshot.instances.map(({raw: _raw, ...rest}) => rest),
	jobs: snapshot.jobs.map(({raw: _raw, ...rest}) => rest),
	// Layout 2: the hash's field count and how many fields the instances and jobs above come from.
	instancesHash: snapshot.instancesHash ?? null,
	// Instances / jobs in both key layouts, listed once above (the hash's copy).
	duplicates: snapshot.duplicates ?? null,
	agents: agentsSection(snapshot),
	metrics: snapshot.metrics.map(m => ({name: m.name, key: m.key, count: m.count, ttlMs: m.ttlMs ?? null, latest: m.samples.at(-1) ?? null})),
	keys: snapshot.keys,
	keysTruncated: snapshot.keysTruncated,
	stateDir: snapshot.stateDir,
	errors: snapshot.errors,
	alerts: snapshot.alerts.map(a => ({...a, activeAt: iso(a.activeAt), firedAt: iso(a.firedAt), resolvedAt: iso(a.resolvedAt)})),
	keyspace: snapshot.info ? parseKeyspace(snapshot.info) : null,
	audit: snapshot.source.kind === 'redis' ? {config: configAccess(snapshot), items: auditItems(snapshot)} : null,
	memoryCheck: memoryCheck(snapshot),
});

export type Document = ReturnType<typeof toDocument>;
