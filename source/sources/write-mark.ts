// The server's write mark, and what tcmon skips while it stands still: a
// tick reads INFO first, and work whose result only a write can change
// (discovery walks, values, lock reads, TTLs) is reused meanwhile.
// A quiet store costs one small pipeline a tick (`npm run bench`), yet all is
// read again at least once a minute (QUIET_REUSE_MS). A tick that finds the
// mark moved after a quiet spell is read again at once under the new mark:
// the only tick with a second round trip. Besides, unchanged values keep
// their decoded objects (decode-memo.ts, compared as bytes), a walk that finds
// the same keys keeps the same lists (nothing downstream is redone), and key
// names that are exact UTF-8 go to ioredis as text, written as one string
// (Buffer arguments are copied piece by piece).
import {infoField, parseKeyspace, type InfoMap} from '../domain/info';

/**
 * What was read is reused while the write mark stands still, but read again
 * at least this often: the mark covers every write command, expiry, eviction
 * and restart, and this bounds the cost of anything it might not.
 */
export const QUIET_REUSE_MS = 60_000;

/** Key and expiry counts per database (avg_ttl left out: it moves without writes). */
const keyspaceCounts = (info: InfoMap): Map<number, string> => new Map(parseKeyspace(info).map(d => [d.db, `${d.keys}/${d.expires}`]));

/**
 * Changes when anything changes the dataset: every write command counts in
 * rdb_changes_since_last_save (reset by a save, hence rdb_last_save_time),
 * expiries and evictions in their own counters; data replaced without a write
 * in what names the dataset (datasetOf: a restart, a new master, a role) and
 * in the per-db key counts (SWAPDB, a full sync). Equal marks: the keys hold
 * the values of the last read.
 */
export const writeMark = (info: InfoMap): string | null => {
	const parts = ['run_id', 'rdb_changes_since_last_save', 'rdb_last_save_time', 'expired_keys', 'evicted_keys'].map(f => infoField(info, f));
	if (parts.some(v => v === undefined)) return null;
	const counts = [...keyspaceCounts(info)].map(([db, c]) => `db${db}=${c}`).join(',');
	return [...parts, datasetOf(info), counts].join('|');
};

/**
 * What names the data a server holds, apart from writes to it: its process
 * (run_id: a restart), the replication history it follows (master_replid: a
 * new master, a full sync, a promotion) and its role. When it changes, no read
 * made before stands for the data now there.
 */
export const datasetOf = (info: InfoMap): string | null => {
	const runId = infoField(info, 'run_id');
	return runId === undefined ? null : [runId, infoField(info, 'master_replid') ?? '', infoField(info, 'role') ?? ''].join('|');
};

/** Commands that replace data without a write to any key tracking could name (FLUSH* are named as a flush, but count them too). */
const REPLACERS = ['swapdb', 'flushall', 'flushdb', 'debug'];

/**
 * The calls of REPLACERS from INFO commandstats, as one comparable string
 * (null: no reply). A change between two reads: data was replaced between
 * them, whatever the counts say (SWAPDB of two databases of equal size).
 */
export const replacerCalls = (commandstats: string | null): string | null => {
	if (commandstats === null) return null;
	return REPLACERS.map(name => `${name}=${new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(commandstats)?.[1] ?? 0}`).join(',');
};

export type DatasetView = {id: string; counts: Map<number, string>};

export const datasetView = (info: InfoMap | null): DatasetView | null => {
	const id = info ? datasetOf(info) : null;
	return info && id !== null ? {id, counts: keyspaceCounts(info)} : null;
};

/**
 * Whether the data in database `db` was replaced between two INFO reads
 * without writes to name: another dataset (datasetOf), or SWAPDB — `db` now
 * counts what another database counted, and that one what `db` did. (Two
 * databases of equal counts swap unseen; the QUIET_REUSE_MS reread bounds that.)
 */
export const datasetMoved = (before: DatasetView | null, after: DatasetView | null, db: number): boolean => {
	if (!before || !after) return false;
	if (before.id !== after.id) return true;
	const at = (view: DatasetView, n: number) => view.counts.get(n) ?? '0/0';
	if (at(before, db) === at(after, db)) return false;
	const others = new Set([...before.counts.keys(), ...after.counts.keys()]);
	others.delete(db);
	return [...others].some(n => at(before, n) === at(after, db) && at(after, n) === at(before, db));
};

/** Whether something read under `since.mark` at `since.at` still holds under `mark` at `now`. */
export const stillQuiet = (since: {mark: string | null; at: number} | null, mark: string | null, now: number): boolean =>
	since !== null && mark !== null && since.mark === mark && now - since.at < QUIET_REUSE_MS;

/**
 * A discovery walk done in cycles (the key list's, the locks'). A cycle that
 * began under the current write mark saw every key there is, so the next
 * one is due only once something was written (or QUIET_REUSE_MS passed).
 */
export class WalkCycles {
	private lastEnd = Number.NEGATIVE_INFINITY;
	private startMark: string | null = null;
	private doneMark: string | null = null;

	/** Whether a new cycle starts now: at least `restMs` after the last one, and the mark moved. */
	start(now: number, mark: string | null, restMs: number): boolean {
		if (now - this.lastEnd < restMs || stillQuiet({mark: this.doneMark, at: this.lastEnd}, mark, now)) return false;
		this.startMark = mark;
		return true;
	}

	end(now: number): void {
		this.lastEnd = now;
		this.doneMark = this.startMark;
	}

	/** After a reconnect: a new cycle at once. */
	reset(): void {
		this.lastEnd = Number.NEGATIVE_INFINITY;
		this.doneMark = null;
	}
}
