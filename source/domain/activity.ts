// The Agents pane's activity feed: what tmux-claude published on its
// `instance-updates` channel, and the state transitions tcmon itself saw
// between two polls (an instance's status, a job's status, an agent's tmux
// session coming or going). Pure: the caller keeps the previous snapshot.
import {agentsView, type Liveness} from './agents';
import type {ActivityEvent, Snapshot} from './types';

/** Events kept for the feed (newest first). */
export const MAX_ACTIVITY = 200;
/** A published message longer than this is cut (it is shown on one line). */
const MAX_MESSAGE = 500;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** One `instance-updates` message (`{"action","instanceId","timestamp"}`); anything else is kept raw. */
export const publishedEvent = (message: string, at: number): ActivityEvent => {
	const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
	try {
		const v: unknown = JSON.parse(message);
		if (v && typeof v === 'object' && !Array.isArray(v)) {
			const o = v as Record<string, unknown>;
			const id = str(o['instanceId']);
			const action = str(o['action']);
			if (id !== null && action !== null) return {at, kind: 'published', id, text: `${action}${str(o['timestamp']) ? ` at ${str(o['timestamp'])}` : ''}`.slice(0, MAX_MESSAGE)};
		}
	} catch {
		// not JSON: shown raw below
	}
	return {at, kind: 'published', id: null, text: `unrecognised message: ${text}`};
};

const LIVE_TEXT: Record<Liveness, string> = {alive: 'tmux session up', ghost: 'tmux session gone (ghost)', gone: 'no tmux session', unknown: 'tmux unknown'};

/** What changed from `prev` to `next`, oldest first. Nothing on the first poll. */
export const transitions = (prev: Snapshot | null, next: Snapshot): ActivityEvent[] => {
	if (!prev) return [];
	// Nothing read since changed (the source keeps its arrays while nothing is written).
	if (prev.instances === next.instances && prev.jobs === next.jobs && prev.tmux === next.tmux && prev.stateDirAgents === next.stateDirAgents) return [];
	const at = next.takenAt;
	const out: ActivityEvent[] = [];
	const before = new Map(agentsView(prev).rows.map(r => [r.agent.id, r.agent]));
	const after = agentsView(next).rows.map(r => r.agent);
	const seen = new Set<string>();
	for (const a of after) {
		seen.add(a.id);
		const b = before.get(a.id);
		if (!b) {
			out.push({at, kind: 'appeared', id: a.id, text: `${a.role ?? 'instance'} appeared (${a.status ?? '?'})`});
			continue;
		}
		if (b.status !== a.status) out.push({at, kind: 'status', id: a.id, text: `${b.status ?? '?'} → ${a.status ?? '?'}`});
		// Both reads asked tmux: a change of liveness is a session coming or going.
		if (b.liveness !== a.liveness && b.liveness !== 'unknown' && a.liveness !== 'unknown') out.push({at, kind: 'tmux', id: a.id, text: LIVE_TEXT[a.liveness]});
	}
	for (const id of before.keys()) if (!seen.has(id)) out.push({at, kind: 'gone', id, text: 'removed from the store'});
	const jobsBefore = new Map(prev.jobs.map(j => [j.id, j.status]));
	for (const j of next.jobs) {
		const was = jobsBefore.get(j.id);
		if (was === undefined) out.push({at, kind: 'job', id: j.id, text: `enqueued (${j.status ?? '?'})`});
		else if (was !== j.status) out.push({at, kind: 'job', id: j.id, text: `${was ?? '?'} → ${j.status ?? '?'}${j.status === 'failed' && j.lastError ? `: ${j.lastError.slice(0, 120)}` : ''}`});
	}
	return out;
};

/** New events in front, the oldest dropped at the cap. */
export const pushActivity = (feed: readonly ActivityEvent[], events: readonly ActivityEvent[]): ActivityEvent[] => {
	if (events.length === 0) return feed as ActivityEvent[];
	return [...[...events].reverse(), ...feed].slice(0, MAX_ACTIVITY);
};
