// Split state: tmux-claude's writer, on any Redis error, writes that one
// call to the state directory instead. With Redis up, what it left there
// would be invisible, so beside every Redis snapshot this reads:
// - the lock files (a readdir and the small lock files, every poll: a lock
//   lives seconds), shown beside Redis' locks, marked;
// - instances.json (instances and jobs the Agents view merges by id), at most
//   every few seconds and only when its fstat changed.
// Both go through the same safe reader as the JSON source: regular files
// only, non-blocking, capped.
import path from 'node:path';
import {decodeInstanceValues, decodeObject} from '../domain/layouts';
import type {Snapshot, StateDirAgents} from '../domain/types';
import {readRegularFile} from './safe-file';
import type {PollOptions, Source} from './source';
import {listDir, LOCK_FILE_LIMIT, readLockFiles} from './state-dir-locks';

const FILE = 'instances.json';
/** A bigger instances.json is not read beside Redis (it would stall every poll). */
export const MAX_SPLIT_BYTES = 16 * 1024 * 1024;
export const SPLIT_EVERY_MS = 5000;

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

export type SplitStateOptions = {lockLimit?: number; agentsEveryMs?: number};

/** Wraps the Redis (or auto) source so every Redis snapshot carries what the writer left in the state dir. */
export class SplitStateSource implements Source {
	readonly dir: string;
	private readonly lockLimit: number;
	private readonly agentsEveryMs: number;
	private agents: StateDirAgents | null = null;
	private agentsSig: string | null = null;
	private agentsAt = Number.NEGATIVE_INFINITY;

	constructor(
		readonly inner: Source,
		dir: string,
		options: SplitStateOptions = {},
	) {
		this.dir = path.resolve(dir);
		this.lockLimit = options.lockLimit ?? LOCK_FILE_LIMIT;
		this.agentsEveryMs = options.agentsEveryMs ?? SPLIT_EVERY_MS;
	}

	get kind() {
		return this.inner.kind;
	}

	async poll(options?: PollOptions): Promise<Snapshot> {
		const snapshot = await this.inner.poll(options);
		// The JSON source reads the state dir itself; the demo has no Redis.
		if (snapshot.source.kind !== 'redis' || snapshot.stateDir) return snapshot;
		const now = Date.now();
		if (now - this.agentsAt >= this.agentsEveryMs) {
			this.agentsAt = now;
			this.agents = await this.readAgents(now);
		}
		const withLocks = await withStateDirLocks(snapshot, this.dir, this.lockLimit);
		return this.agents ? {...withLocks, stateDirAgents: this.agents} : withLocks;
	}

	private async readAgents(now: number): Promise<StateDirAgents | null> {
		const none = (error: string | null): StateDirAgents => ({dir: this.dir, instances: [], jobs: [], readAt: now, error});
		const sig = (st: {dev: number; ino: number; size: number; mtimeMs: number; ctimeMs: number}) => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
		const read = await readRegularFile(path.join(this.dir, FILE), MAX_SPLIT_BYTES, {unchanged: st => this.agents !== null && sig(st) === this.agentsSig});
		// No state dir, or no instances.json: nothing was split off.
		if (read.ok === false && read.problem === 'missing') return null;
		if (read.ok === false) return none(`${FILE} ${read.error}`);
		if (read.ok === 'unchanged') return this.agents;
		const decoded = decodeObject(read.text);
		// Mid-write (the writer rewrites it in place): keep the last good read.
		if (!decoded.value) return this.agents ?? none(`${FILE}: ${decoded.error ?? 'unreadable'}`);
		this.agentsSig = sig(read.stat);
		return {dir: this.dir, ...decodeInstanceValues(Object.entries(decoded.value), 'json-file'), readAt: now, error: null};
	}

	close(): Promise<void> {
		return this.inner.close();
	}

	current(): Source {
		return this.inner.current();
	}
}
