// Split state: tmux-claude's writer, on any Redis error, writes that one
// call to the state directory instead. With Redis up, lock files left
// there would be invisible; this wrapper reads them (a readdir and the small
// lock files, with the same safe reader as the JSON source) and shows them
// beside Redis' locks, marked.
import path from 'node:path';
import type {Snapshot} from '../domain/types';
import type {Source} from './source';
import {listDir, LOCK_FILE_LIMIT, readLockFiles} from './state-dir-locks';

/** Adds the state dir's lock files to a Redis snapshot; the snapshot as is when there are none. */
export const withStateDirLocks = async (snapshot: Snapshot, dir: string, limit = LOCK_FILE_LIMIT): Promise<Snapshot> => {
	// A JSON snapshot (the fallback) already lists the state dir's locks.
	if (snapshot.source.kind !== 'redis' || snapshot.stateDir) return snapshot;
	const listing = await listDir(dir);
	if (!listing.exists) return snapshot;
	const files = await readLockFiles(dir, listing.entries, snapshot.takenAt, limit);
	if (files.total === 0) return snapshot;
	return {
		...snapshot,
		locks: [...snapshot.locks, ...files.locks],
		lockFiles: {dir, total: files.total, shown: files.shown},
		splitState: {dir, lockFiles: files.total},
	};
};

/** Wraps the Redis (or auto) source so every Redis snapshot carries the state dir's lock files. */
export class SplitStateSource implements Source {
	readonly kind: Source['kind'];
	readonly dir: string;

	constructor(
		readonly inner: Source,
		dir: string,
		private readonly limit = LOCK_FILE_LIMIT,
	) {
		this.kind = inner.kind;
		this.dir = path.resolve(dir);
	}

	async poll(): Promise<Snapshot> {
		return withStateDirLocks(await this.inner.poll(), this.dir, this.limit);
	}

	current(): Source {
		return this.inner.current();
	}

	async close(): Promise<void> {
		await this.inner.close();
	}
}
