import {compareText} from './order';
import type {Lock, LockLayout} from './types';

/** The writer's default lock TTL (STATE-FORMAT.md: `SET NX PX 30000`, file timer 30 s). */
export const DEFAULT_LOCK_TTL_MS = 30_000;

const TOKEN = /^(\d{10,16})-(0(\.\d+)?|1)$/;

/** Decodes `{Date.now()}-{Math.random()}`; null for a foreign token. */
export const tokenAcquiredAt = (token: string): number | null => {
	const m = TOKEN.exec(token.trim());
	if (!m) return null;
	const ms = Number(m[1]);
	return Number.isSafeInteger(ms) ? ms : null;
};

export type RawRedisLock = {key: string; token: string | null; pttl: number | null};

/** Key → resource for both Redis lock namespaces; null when the key is neither. */
export const lockResource = (key: string, prefix: string): {resource: string; layout: LockLayout} | null => {
	for (const layout of ['lock', 'locks'] as const) {
		const head = `${prefix}:${layout}:`;
		if (key.startsWith(head)) return {resource: key.slice(head.length), layout};
	}
	return null;
};

/**
 * Builds a Lock from a Redis lock key. `pttl` is the PTTL reply: -1 means
 * no TTL, -2 means the key vanished between discovery and read (dropped).
 */
export const redisLock = (raw: RawRedisLock, prefix: string): Lock | null => {
	const where = lockResource(raw.key, prefix);
	if (!where || raw.pttl === -2 || raw.token === null) return null;
	const acquiredAt = tokenAcquiredAt(raw.token);
	return {
		resource: where.resource,
		key: raw.key,
		token: raw.token,
		acquiredAt,
		ttlMs: raw.pttl === null || raw.pttl < 0 ? null : raw.pttl,
		layout: where.layout,
		foreignToken: acquiredAt === null,
	};
};

/**
 * Builds a Lock from a `{resource}.lock` file. Its writer deletes it after the
 * TTL; a file older than that is stale (ttlMs ≤ 0 then says by how much).
 */
export const fileLock = (
	file: {path: string; name: string; token: string; mtimeMs: number},
	now: number,
	ttlMs = DEFAULT_LOCK_TTL_MS,
): Lock => {
	const fromToken = tokenAcquiredAt(file.token);
	return {
		resource: file.name.replace(/\.lock$/, ''),
		key: file.path,
		token: file.token,
		acquiredAt: Math.round(file.mtimeMs),
		ttlMs: Math.round(file.mtimeMs + ttlMs - now),
		layout: 'file',
		foreignToken: fromToken === null,
	};
};

/**
 * A `{resource}.lock` entry that could not be read as a lock file (a
 * directory, a FIFO, a symlink, over the size cap, an I/O error). Its
 * resource may well be held: it is shown, marked, never taken as released.
 * `mtimeMs` is null when even that is unknown (a symlink is not followed).
 */
export const unreadableFileLock = (file: {path: string; name: string; error: string; mtimeMs: number | null}, now: number, ttlMs = DEFAULT_LOCK_TTL_MS): Lock => ({
	resource: file.name.replace(/\.lock$/, ''),
	key: file.path,
	token: '',
	acquiredAt: file.mtimeMs === null ? null : Math.round(file.mtimeMs),
	ttlMs: file.mtimeMs === null ? null : Math.round(file.mtimeMs + ttlMs - now),
	layout: 'file',
	foreignToken: true,
	error: file.error,
});

export type LockState = 'unreadable' | 'held' | 'expiring' | 'no-ttl' | 'stale' | 'foreign';

/** Classifies a lock for display: the worst thing about it wins. */
export const lockState = (lock: Lock, fullTtlMs = DEFAULT_LOCK_TTL_MS): LockState => {
	if (lock.error) return 'unreadable';
	if (lock.layout === 'file' && lock.ttlMs !== null && lock.ttlMs <= 0) return 'stale';
	if (lock.ttlMs === null) return 'no-ttl';
	if (lock.ttlMs < fullTtlMs * 0.1) return 'expiring';
	if (lock.foreignToken) return 'foreign';
	return 'held';
};

export const byTtlLeft = (a: Lock, b: Lock): number =>
	(a.ttlMs ?? Number.POSITIVE_INFINITY) - (b.ttlMs ?? Number.POSITIVE_INFINITY) || compareText(a.resource, b.resource);
