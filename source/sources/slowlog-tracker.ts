// Keeps the session's slowlog: merges every Redis poll's SLOWLOG GET into one
// history (see domain/slowlog-history) and adds it, with the per-command
// summary, to each snapshot.
import {combineHistories, mergeSlowlog, type HistoryState} from '../domain/slowlog-history';
import type {Snapshot} from '../domain/types';
import type {Tracker} from './tracked-source';

export const DEFAULT_SLOWLOG_COUNT = 128;

export const slowlogTracker = (options: {prefix: string; slowlogCount?: number}): Tracker => {
	let state: HistoryState | null = null;
	// Redis Cluster: one history per node (slowlog ids are per node), shown as one.
	const perNode = new Map<string, HistoryState>();
	let combined: ReturnType<typeof combineHistories> | null = null;
	return {
		observe: (snapshot: Snapshot): Snapshot => {
			const {source} = snapshot;
			if (snapshot.cluster) {
				if (source.connected && !source.stale && !snapshot.errors.slowlog) {
					const byNode = new Map<string, Snapshot['slowlog']>();
					for (const node of snapshot.cluster.nodes) if (!node.error) byNode.set(node.addr, []);
					for (const entry of snapshot.slowlog) byNode.get(entry.node ?? '')?.push(entry);
					for (const [node, entries] of byNode) {
						perNode.set(node, mergeSlowlog(perNode.get(node) ?? null, {at: snapshot.takenAt, entries, count: options.slowlogCount ?? DEFAULT_SLOWLOG_COUNT, runId: null, maxLen: null, prefix: options.prefix}));
					}
					combined = combineHistories(perNode);
				}
				return combined ? {...snapshot, slowlogHistory: combined.history, slowlogSummary: combined.summary} : snapshot;
			}
			// Only fresh reads of a server count: a stale repeat, the JSON
			// fallback or a denied SLOWLOG say nothing about resets.
			if (source.kind === 'redis' && source.connected && !source.stale && !snapshot.errors.slowlog) {
				state = mergeSlowlog(state, {
					at: snapshot.takenAt,
					entries: snapshot.slowlog,
					count: options.slowlogCount ?? DEFAULT_SLOWLOG_COUNT,
					runId: snapshot.server?.runId ?? null,
					maxLen: snapshot.slowlogConfig?.maxLen ?? null,
					prefix: options.prefix,
				});
			}
			return state ? {...snapshot, slowlogHistory: state.history, slowlogSummary: state.summary} : snapshot;
		},
	};
};
