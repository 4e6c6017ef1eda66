// The server's write mark, and what tcmon skips while it stands still: a
// tick reads INFO first, and work whose result only a write can change
// (discovery walks, values, lock reads, TTLs) is reused meanwhile.
import {infoField, type InfoMap} from '../domain/info';

/**
 * What was read is reused while the write mark stands still, but read again
 * at least this often: the mark covers every write command, expiry, eviction
 * and restart, and this bounds the cost of anything it might not.
 */
export const QUIET_REUSE_MS = 60_000;

/**
 * Changes when anything changes the dataset: every write command counts in
 * rdb_changes_since_last_save (reset by a save, hence rdb_last_save_time),
 * expiries and evictions in their own counters, a restart or failover in
 * run_id. Equal marks: the keys hold the values of the last read.
 */
export const writeMark = (info: InfoMap): string | null => {
	const parts = ['run_id', 'rdb_changes_since_last_save', 'rdb_last_save_time', 'expired_keys', 'evicted_keys'].map(f => infoField(info, f));
	return parts.some(v => v === undefined) ? null : parts.join('|');
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
