// `tcmon check`'s rules about tmux-claude's own state (beside the Redis
// rules in alerts.ts): ghost agents, instances in error, failed jobs, a queue
// that has not moved, locks that never expire and lock files left behind.
// Each is a fact of one snapshot, so it fires at once (`for` 0). Pure.
import {agentsView} from './agents';
import {formatDuration} from './format';
import {lockState} from './locks';
import {sanitize} from './sanitize';
import type {AlertSeverity, AlertView, Snapshot} from './types';

export const STORE_RULES = ['AgentGhost', 'InstanceError', 'JobFailed', 'QueueStalled', 'LockNoTtl', 'LockFileStale'] as const;
export type StoreRule = (typeof STORE_RULES)[number];

/** A queue "has not moved" when jobs wait, none runs, and the oldest has waited this long. */
export const QUEUE_STALL_MS = 10 * 60_000;

const SEVERITY: Record<StoreRule, AlertSeverity> = {
	AgentGhost: 'warning',
	InstanceError: 'warning',
	JobFailed: 'warning',
	QueueStalled: 'warning',
	LockNoTtl: 'critical',
	LockFileStale: 'critical',
};

/** A few names, then how many more. */
const names = (list: readonly string[], max = 3): string => {
	const shown = list.slice(0, max).map(sanitize).join(', ');
	return list.length > max ? `${shown} +${list.length - max}` : shown;
};

/** The store rules that hold in this snapshot, as firing alerts. */
export const storeAlerts = (snapshot: Snapshot, stallMs = QUEUE_STALL_MS): AlertView[] => {
	const at = snapshot.takenAt;
	const view = agentsView(snapshot);
	const out: AlertView[] = [];
	const fire = (name: StoreRule, value: string, summary: string) =>
		out.push({name, severity: SEVERITY[name], status: 'firing', activeAt: at, firedAt: at, resolvedAt: null, forMs: 0, value, summary});
	const agents = view.rows.map(r => r.agent);

	const ghosts = agents.filter(a => a.liveness === 'ghost').map(a => a.id);
	if (ghosts.length) fire('AgentGhost', `${ghosts.length}: ${names(ghosts)}`, 'the store says active or initializing, but tmux has no session for it');
	const errors = agents.filter(a => a.status === 'error').map(a => a.id);
	if (errors.length) fire('InstanceError', `${errors.length}: ${names(errors)}`, 'instances with status error');
	const failed = view.queue.failed;
	if (failed.length) fire('JobFailed', `${failed.length}: ${names(failed.map(j => `${j.id}${j.lastError ? ` (${j.lastError.slice(0, 60)})` : ''}`), 2)}`, 'jobs failed with no attempts left');
	const {pending, running} = view.queue;
	const oldest = Math.min(...pending.map(j => j.enqueuedAt ?? Infinity));
	if (pending.length && !running.length && Number.isFinite(oldest) && at - oldest >= stallMs) {
		fire('QueueStalled', `${pending.length} pending, none running, oldest waited ${formatDuration(at - oldest)}`, `jobs wait and none has run for ${formatDuration(stallMs)} or more`);
	}
	const noTtl = snapshot.locks.filter(l => lockState(l, l.fullTtlMs) === 'no-ttl').map(l => l.resource);
	if (noTtl.length) fire('LockNoTtl', `${noTtl.length}: ${names(noTtl)}`, 'lock keys with no TTL never expire: a dead holder blocks the resource for good');
	const stale = snapshot.locks.filter(l => lockState(l, l.fullTtlMs) === 'stale').map(l => l.resource);
	if (stale.length) fire('LockFileStale', `${stale.length}: ${names(stale)}`, 'lock files past their TTL: the writer died before removing them');
	return out;
};
