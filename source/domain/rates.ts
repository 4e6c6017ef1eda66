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
