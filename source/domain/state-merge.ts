// Bounded values and the two key layouts merged: pure helpers for the Redis
// source. tcmon reads at most VALUE_CAP bytes of an instance or job value and
// TOKEN_CAP of a lock token (a 64 MiB value cost the server 0.5 s and tcmon
// 800 MB); what was cut is marked, never decoded as if it were whole.
import {deepEqual} from './equal';
import {formatBytes, formatCount} from './format';
import {instanceFrom, jobFrom} from './layouts';
import type {Instance, Job, Origin} from './types';

/** Instance / job JSON is ~0.5 KiB (the guide estimates 5 KiB with its history); 64 KiB leaves room for big job specs. */
export const VALUE_CAP = 64 * 1024;
/** A lock token is `{ms}-{random}`, ~35 bytes; 4 KiB shows any sane foreign token whole. */
export const TOKEN_CAP = 4 * 1024;

/** Why a value was not decoded: it was cut at `cap` bytes of `bytes` (null: unknown). */
export const truncatedReason = (cap: number, bytes: number | null): string =>
	`value truncated: first ${formatBytes(cap)} of ${bytes === null ? 'more' : `${formatCount(bytes)} bytes`} read, not decoded`;

export const truncatedInstance = (id: string, origin: Origin, cap: number, bytes: number | null): Instance => ({
	...instanceFrom(id, {value: null, error: truncatedReason(cap, bytes)}, origin),
	truncated: true,
	bytes,
});

export const truncatedJob = (id: string, origin: Origin, cap: number, bytes: number | null): Job => ({
	...jobFrom(id, {value: null, error: truncatedReason(cap, bytes)}, origin),
	truncated: true,
	bytes,
});

/**
 * Items with the same id once: an instance (or job) written in both key
 * layouts is one instance, not two. The `prefer` layout's copy wins (layout 2,
 * the hash: what the reference writer writes), in the place the first copy
 * had. `differ` counts duplicates whose two copies do not hold the same JSON.
 */
export const dedupeById = <T extends {id: string; origin: Origin; raw: Record<string, unknown> | null; parseError: string | null}>(
	items: readonly T[],
	prefer: Origin,
): {items: T[]; duplicates: number; differ: number} => {
	const at = new Map<string, number>();
	const out: T[] = [];
	let duplicates = 0;
	let differ = 0;
	for (const item of items) {
		const i = at.get(item.id);
		if (i === undefined) {
			at.set(item.id, out.length);
			out.push(item);
			continue;
		}
		duplicates++;
		const kept = out[i]!;
		if (kept.parseError !== item.parseError || !deepEqual(kept.raw, item.raw)) differ++;
		if (item.origin === prefer && kept.origin !== prefer) out[i] = item;
	}
	return duplicates === 0 ? {items: items as T[], duplicates, differ} : {items: out, duplicates, differ};
};
