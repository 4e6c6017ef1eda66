// Which keys under the prefix were written, from the server itself: CLIENT
// TRACKING in broadcast mode (Redis 6+) names every key under a prefix that
// any client writes, or that expires, is evicted or deleted, on a subscriber
// connection of tcmon's own. Unlike keyspace notifications it changes no
// server setting, and in broadcast mode the server keeps no table of what a
// client read. While it covers the store without a gap, a tick that follows
// writes re-reads only the keys it names (redis-source.ts). A replica names
// the writes it receives from its master too (tried on 7.0).
// What it saved (`npm run bench`, the guide's sizing store, one job written a
// second): each written tick re-read every job and instance value (~300 KB,
// 8.5 ms a tick), every lock, and every 5 s each listed key's TTL: the UI used
// 1.77–1.90 % of a core and sent 95 commands/s; with tracking 0.87–1.00 % and
// 37/s. Refused (NOPERM, renamed, Redis < 6): every value is read each
// written tick, and tracking is asked for again a minute later; the guide's
// ACL user (+@all -@dangerous) may use it. CLIENT LIST shows tcmon's
// connections with flags tB (tracking) and P (the subscriber); --once, --json
// and the subcommands open neither.
import type {Redis} from 'ioredis';
import {decodeBytes} from '../domain/sanitize';
import {errorText} from './source';

const CHANNEL = '__redis__:invalidate';
/** After a refusal (an old server, an ACL without CLIENT), ask again this much later. */
const RETRY_MS = 60_000;
/** Past this many keys (a long pause on a busy store) the set gives way to "everything". */
const MAX_CHANGED = 100_000;

/** Keys written since a mark: a set, or everything (a flush). */
export type KeyChanges = ReadonlySet<string> | 'all';

export class KeyTracking {
	private sub: Redis | null = null;
	private changed = new Set<string>();
	private flushed = false;
	/** Moves whenever coverage begins or breaks: changes are whole only within one epoch. */
	private epoch = 0;
	private covering = false;
	private starting = false;
	private retryAt = 0;
	private closed = false;
	/** Why tracking is off (null while it covers the store). */
	reason: string | null = 'not started';
	/** Other readers of the same invalidations (the key browser), told of each message. */
	private readonly watchers = new Set<(keys: KeyChanges) => void>();

	constructor(
		private readonly client: Redis,
		private readonly prefix: string,
	) {
		// Tracking belongs to a connection: a reconnected client starts untracked.
		client.on('close', () => this.lost('the connection closed'));
	}

	/** Starts tracking when it is off (at most once a minute after a refusal). Never throws. */
	async ensure(now: number): Promise<void> {
		if (this.covering || this.starting || this.closed || now < this.retryAt || this.client.status !== 'ready') return;
		this.starting = true;
		try {
			const sub = this.client.duplicate({lazyConnect: true, enableReadyCheck: false, autoResubscribe: false, connectionName: 'tcmon:track'});
			sub.on('error', () => {}); // the main connection reports connection trouble
			sub.on('messageBuffer', (_channel: Buffer, keys: Buffer[] | null) => {
				if (sub !== this.sub) return;
				if (!Array.isArray(keys)) this.flushed = true;
				else for (const key of keys) this.changed.add(decodeBytes(key));
				if (this.watchers.size > 0) {
					const names: KeyChanges = Array.isArray(keys) ? new Set(keys.map(k => decodeBytes(k))) : 'all';
					for (const watcher of this.watchers) watcher(names);
				}
				if (this.changed.size > MAX_CHANGED) {
					this.flushed = true;
					this.changed = new Set();
				}
			});
			// A new subscriber connection has a new id, which the tracking redirects to.
			sub.on('close', () => {
				if (sub === this.sub) this.lost('its subscriber connection closed');
			});
			this.sub = sub;
			await sub.connect();
			const id = (await sub.client('ID')) as number;
			await sub.subscribe(CHANNEL);
			// OFF first: tracking already on (an earlier subscriber) cannot be redirected again.
			await this.client.call('CLIENT', 'TRACKING', 'OFF');
			await this.client.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(id), 'BCAST', 'PREFIX', `${this.prefix}:`, 'NOLOOP');
			if (this.sub !== sub || this.closed) return;
			this.changed = new Set();
			this.flushed = false;
			this.epoch++;
			this.covering = true;
			this.reason = null;
		} catch (error) {
			this.lost(`CLIENT TRACKING unavailable: ${errorText(error)}`);
			// A refusal (an old server, NOPERM, a renamed command) stands for a while; a lost connection does not.
			if (error instanceof Error && error.name === 'ReplyError') this.retryAt = now + RETRY_MS;
		} finally {
			this.starting = false;
		}
	}

	/** The epoch changes are counted in, or null while tracking does not cover the store. */
	get coveringEpoch(): number | null {
		return this.covering ? this.epoch : null;
	}

	/**
	 * The keys written since the last call, when tracking has covered the
	 * store without a gap since `epoch` began; else null (read everything).
	 * The set starts afresh either way.
	 */
	take(epoch: number | null): KeyChanges | null {
		const changes: KeyChanges = this.flushed ? 'all' : this.changed;
		this.changed = new Set();
		this.flushed = false;
		return this.covering && epoch === this.epoch ? changes : null;
	}

	/** Calls `watcher` with the keys each invalidation names, until the returned function is called. */
	watch(watcher: (keys: KeyChanges) => void): () => void {
		this.watchers.add(watcher);
		return () => this.watchers.delete(watcher);
	}

	private lost(reason: string): void {
		if (this.covering) this.epoch++;
		this.covering = false;
		this.reason = reason;
		const sub = this.sub;
		this.sub = null;
		sub?.disconnect();
	}

	close(): void {
		this.closed = true;
		this.watchers.clear();
		this.lost('closed');
	}
}
