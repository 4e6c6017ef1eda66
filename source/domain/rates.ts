import type {Stats} from './types';

/** One poll's figures, kept in the history ring buffer. */
export type Sample = {at: number; stats: Stats};

/** Per-second rate of a counter between the last two samples; null when unknown or reset. */
export const ratePerSec = (history: readonly Sample[], pick: (s: Stats) => number | null): number | null => {
	if (history.length < 2) return null;
	const a = history[history.length - 2]!;
	const b = history[history.length - 1]!;
	const va = pick(a.stats);
	const vb = pick(b.stats);
	const dt = (b.at - a.at) / 1000;
	if (va === null || vb === null || dt <= 0 || vb < va) return null;
	return (vb - va) / dt;
};

/** Delta of a counter between the last two samples (the `--stat` "(+N)"). */
export const delta = (history: readonly Sample[], pick: (s: Stats) => number | null): number | null => {
	if (history.length < 2) return null;
	const va = pick(history[history.length - 2]!.stats);
	const vb = pick(history[history.length - 1]!.stats);
	return va === null || vb === null || vb < va ? null : vb - va;
};

/** A series of per-second rates over the whole history, for sparklines. */
export const rateSeries = (history: readonly Sample[], pick: (s: Stats) => number | null): (number | null)[] => {
	const out: (number | null)[] = [];
	for (let i = 1; i < history.length; i++) out.push(ratePerSec([history[i - 1]!, history[i]!], pick));
	return out;
};

/**
 * Keyspace hits and misses between two samples with tcmon's own lookups
 * (Stats.ownHits / ownMisses, counted by the source) taken out; `own` is how
 * many were tcmon's. null when a counter is unknown or was reset (restart,
 * CONFIG RESETSTAT).
 */
export const lookupsBetween = (a: Stats, b: Stats): {hits: number; misses: number; own: number} | null => {
	if (a.keyspaceHits === null || a.keyspaceMisses === null || b.keyspaceHits === null || b.keyspaceMisses === null) return null;
	const hits = b.keyspaceHits - a.keyspaceHits;
	const misses = b.keyspaceMisses - a.keyspaceMisses;
	if (hits < 0 || misses < 0) return null;
	const ownHits = Math.max(0, (b.ownHits ?? 0) - (a.ownHits ?? 0));
	const ownMisses = Math.max(0, (b.ownMisses ?? 0) - (a.ownMisses ?? 0));
	// Never below zero: a lookup tcmon counted that the server did not (a key of another type under MGET) is no one's.
	const netHits = Math.max(0, hits - ownHits);
	const netMisses = Math.max(0, misses - ownMisses);
	return {hits: netHits, misses: netMisses, own: hits + misses - netHits - netMisses};
};
