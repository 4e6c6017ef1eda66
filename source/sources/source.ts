import type {Snapshot, SourceKind} from '../domain/types';

/**
 * A place tcmon reads tmux-claude state from. All I/O lives behind this.
 * poll() never throws: failures come back inside the Snapshot (source.error,
 * errors.*), with the last good data marked stale.
 */
export type PollOptions = {
	/**
	 * How long to wait for the store (ms): past it, poll() answers with the
	 * last data marked stale and why, while the read in flight goes on (the
	 * next poll joins it rather than sending another).
	 */
	deadlineMs?: number;
};

export type Source = {
	readonly kind: SourceKind;
	poll(options?: PollOptions): Promise<Snapshot>;
	close(): Promise<void>;
	/**
	 * The concrete source behind wrappers (auto fallback, trackers) right
	 * now, for on-demand reads: `instanceof RedisSource` / `JsonSource`.
	 */
	current(): Source;
};

/** Error text without stack, secret-free (callers scrub with their secrets). */
export const errorText = (error: unknown): string => {
	if (error instanceof Error) return error.message || error.name;
	return String(error);
};
