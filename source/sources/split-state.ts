// tmux-claude's writer falls back to the JSON files for any one call that
// fails on Redis, so while tcmon reads Redis some instances and jobs may
// live only in the state directory's instances.json. This reads that file
// too (read-only, bounded, re-read only when it changed, at most every few
// seconds) so the Agents view can merge both, deduplicated by id.
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {decodeInstanceMap, decodeObject} from '../domain/layouts';
import type {Snapshot, StateDirAgents} from '../domain/types';
import {errorText, type Source} from './source';

const FILE = 'instances.json';
/** A bigger instances.json is not read beside Redis (it would stall every poll). */
export const MAX_SPLIT_BYTES = 16 * 1024 * 1024;
export const SPLIT_EVERY_MS = 5000;

export class SplitStateSource implements Source {
	private last: StateDirAgents | null = null;
	private seen: {mtimeMs: number; size: number} | null = null;
	private readAt = Number.NEGATIVE_INFINITY;

	constructor(
		readonly inner: Source,
		private readonly dir: string,
		private readonly everyMs = SPLIT_EVERY_MS,
	) {}

	get kind() {
		return this.inner.kind;
	}

	async poll(): Promise<Snapshot> {
		const snapshot = await this.inner.poll();
		// The JSON source reads the state dir itself; the demo has no Redis.
		if (snapshot.source.kind !== 'redis') return snapshot;
		const now = Date.now();
		if (now - this.readAt >= this.everyMs) {
			this.readAt = now;
			this.last = await this.read(now);
		}
		return this.last ? {...snapshot, stateDirAgents: this.last} : snapshot;
	}

	private async read(now: number): Promise<StateDirAgents | null> {
		const file = path.join(this.dir, FILE);
		const none = (error: string | null): StateDirAgents => ({dir: this.dir, instances: [], jobs: [], readAt: now, error});
		try {
			const st = await stat(file);
			if (st.size > MAX_SPLIT_BYTES) return none(`${FILE} is ${st.size} bytes: not read beside Redis`);
			if (this.last && this.seen && this.seen.mtimeMs === st.mtimeMs && this.seen.size === st.size) return this.last;
			const text = await readFile(file, 'utf8');
			const decoded = decodeObject(text);
			// Mid-write (the writer rewrites it in place): keep the last good read.
			if (!decoded.value) return this.last ?? none(`${FILE}: ${decoded.error ?? 'unreadable'}`);
			this.seen = {mtimeMs: st.mtimeMs, size: st.size};
			const entries = Object.entries(decoded.value).map(([id, v]): [string, string | null] => [id, v === undefined ? null : JSON.stringify(v)]);
			return {dir: this.dir, ...decodeInstanceMap(entries, 'json-file'), readAt: now, error: null};
		} catch (error) {
			// No state dir, or no instances.json: nothing was split off.
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
			return none(`${FILE}: ${errorText(error)}`);
		}
	}

	close(): Promise<void> {
		return this.inner.close();
	}

	current(): Source {
		return this.inner.current();
	}
}
