// Bounded values and the two key layouts merged: pure helpers for the Redis
// source. tcmon reads at most VALUE_CAP bytes of an instance or job value and
// TOKEN_CAP of a lock token (a 64 MiB value cost the server 0.5 s and tcmon
// 800 MB); what was cut is marked, never decoded as if it were whole.
import {deepEqual} from './equal';
import {formatBytes} from './format';
import {instanceFrom, jobFrom} from './layouts';
import type {Instance, Job, Origin} from './types';

/** Instance / job JSON is ~0.5 KiB (the guide estimates 5 KiB with its history); 64 KiB leaves room for big job specs. */
export const VALUE_CAP = 64 * 1024;
/** A lock token is `{ms}-{random}`, ~35 bytes; 4 KiB shows any sane foreign token whole. */
export const TOKEN_CAP = 4 * 1024;

/** 1048576 → "1,048,576": exact, where a count says how much was left out. */
const grouped = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Why a value was not decoded: it was cut at `cap` bytes of `bytes` (null: unknown). */
export const truncatedReason = (cap: number, bytes: number | null): string =>
	`value truncated: first ${formatBytes(cap)} of ${bytes === null ? 'more' : `${grouped(bytes)} bytes`} read, not decoded`;

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

/** What the instance and job counts leave out or merge: "" when nothing. */
export const countsNote = (snapshot: {instancesHash?: {fields: number; read: number} | null; duplicates?: {instances: number; jobs: number; differ: number} | null}): string => {
	const parts: string[] = [];
	const hash = snapshot.instancesHash;
	if (hash && hash.read < hash.fields) parts.push(`hash: ${grouped(hash.read)} of ${grouped(hash.fields)} fields read`);
	const dup = snapshot.duplicates;
	if (dup) {
		const what = [dup.instances ? `${grouped(dup.instances)} instance${dup.instances === 1 ? '' : 's'}` : '', dup.jobs ? `${grouped(dup.jobs)} job${dup.jobs === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ');
		parts.push(`${what} in both layouts, counted once${dup.differ ? ` (${grouped(dup.differ)} differ: the hash's copy shown)` : ''}`);
	}
	return parts.join(' · ');
};

/** An instance's or job's state for the counts: truncated and unparsable values apart from the statuses. */
export const stateOfValue = (item: {status: string | null; parseError: string | null; truncated?: boolean}): string | null =>
	item.truncated ? 'truncated' : item.parseError ? 'unparsable' : item.status;

/** A lock token for a table cell: a cut one says so first. */
export const tokenText = (lock: {token: string; truncated?: boolean}): string => (lock.truncated ? `[truncated] ${lock.token}` : lock.token);

/** "first 4 KiB of 1,048,576 bytes read" for a cut value. */
export const truncatedText = (cap: number, bytes: number | null | undefined): string =>
	`truncated: first ${formatBytes(cap)} of ${bytes == null ? 'more' : `${grouped(bytes)} bytes`} read`;
