// What panes may ask of the store beyond the poll, as capabilities with a
// lifecycle: created once for the source set, closed on quit. Panes get them
// through their env and never reach for the concrete source themselves.
//
// The key browser owns what the Keys pane used to keep in module-level
// singletons: the one running SCAN walk, the generation counter that drops
// late results of an old walk, the per-database connections (now closed on
// quit), the debounce of detail reads, and the watch on change tracking that
// lets the pane follow writes.
// On a Redis Cluster it walks every master (cluster-walk.ts) and reads each
// key on the master holding its slot, counted in that node's own lookups so
// the hit rate leaves them out; writes are not followed there (no tracking).
import type {Redis} from 'ioredis';
import {keySlot} from '../domain/cluster';
import {countLookup, type OwnLookups} from '../domain/own-reads';
import {blankValue, type ValueData} from '../domain/key-view';
import {classifyKey, type KeyRef} from '../domain/namespaces';
import type {Lock} from '../domain/types';
import {fetchDetails, KeyIndexer, type IndexerOptions, type IndexView, type KeyDetail} from './key-index';
import {loadMore, openValue} from './key-reader';
import type {KeyChanges} from './key-tracking';
import {forceRelease, type ReleaseResult} from './lock-release';
import {ClusterSource} from './cluster-source';
import {ClusterIndexer} from './cluster-walk';
import {RedisSource} from './redis-source';
import {releaseMemory} from './release-memory';
import type {Source} from './source';

/** SCAN calls from which a finished walk is followed by a full collection (~40k keys). */
const BIG_WALK_CALLS = 100;

export class KeyBrowser {
	private readonly dbClients = new Map<string, Redis>();
	private indexer: KeyIndexer | ClusterIndexer | null = null;
	private generation = 0;
	private timer: NodeJS.Timeout | null = null;
	private unwatch: (() => void) | null = null;
	private closed = false;

	constructor(private readonly source: Source) {}

	/** The source on-demand reads go to now (auto fallback may switch it). */
	get current(): Source {
		return this.source.current();
	}

	/** The Redis source underneath, or null (a state dir: nothing to SCAN). */
	get redis(): RedisSource | null {
		const current = this.source.current();
		return current instanceof RedisSource ? current : null;
	}

	/** The Redis Cluster underneath, or null. */
	get cluster(): ClusterSource | null {
		const current = this.source.current();
		return current instanceof ClusterSource ? current : null;
	}

	/** Whether there is a keyspace to SCAN (a Redis server or a cluster; not a state dir). */
	get scannable(): boolean {
		return this.redis !== null || this.cluster !== null;
	}

	/** The database the connection itself uses. */
	get ownDb(): number {
		return this.redis?.client.options.db ?? 0;
	}

	/** Why writes cannot be followed (change tracking off), or null while they can. */
	get followOff(): string | null {
		const redis = this.redis;
		// A cluster has no change tracking here: the walk says how old it is.
		if (this.cluster) return 'disabled';
		return redis ? redis.keyTrackingOff : 'no Redis source';
	}

	/** A number never handed out before: results tagged with an older one are dropped. */
	nextGeneration(): number {
		return ++this.generation;
	}

	/** The client for a database: the source's own, or one duplicate SELECTed to `db` (the last one asked for). */
	client(db: number | null): Redis | null {
		const redis = this.redis;
		if (!redis || this.closed) return null;
		const own = redis.client.options.db ?? 0;
		if (db === null || db === own) return redis.client;
		const key = `${redis.target}#${db}`;
		let c = this.dbClients.get(key);
		if (!c) {
			this.dropDbClients();
			c = redis.client.duplicate({db, enableOfflineQueue: true, lazyConnect: false});
			c.on('error', () => {});
			this.dbClients.set(key, c);
		}
		return c;
	}

	/** Starts a walk, cancelling the one running; its first view, or null without Redis. */
	index(db: number | null, options: IndexerOptions): IndexView | null {
		const cluster = this.cluster;
		if (cluster) return this.indexCluster(cluster, options);
		const redis = this.redis;
		const client = this.client(db);
		if (!redis || !client) return null;
		this.cancel();
		const indexer = new KeyIndexer(client, options);
		this.indexer = indexer;
		// The client queues nothing while disconnected: wait for the connection first.
		const ready = redis.ready ? Promise.resolve(true) : redis.connect(5000);
		void ready
			.then(() => indexer.run())
			.then(view => {
				// A big walk leaves tens of MB of garbage: give it back now (a ~10 ms pause).
				if (view.progress.calls >= BIG_WALK_CALLS) releaseMemory();
			})
			.finally(() => {
				if (this.indexer === indexer) this.indexer = null;
			});
		return indexer.current;
	}

	/** A cluster: every master walked into one tree (database 0 only). */
	private indexCluster(cluster: ClusterSource, options: IndexerOptions): IndexView | null {
		if (this.closed) return null;
		this.cancel();
		const indexer = new ClusterIndexer(cluster, options);
		this.indexer = indexer;
		void indexer
			.run()
			.then(view => {
				if (view.progress.calls >= BIG_WALK_CALLS) releaseMemory();
			})
			.finally(() => {
				if (this.indexer === indexer) this.indexer = null;
			});
		return indexer.current;
	}

	/**
	 * Cluster: `refs` grouped by the master holding each key's slot, with that
	 * node's connection and own-lookup counter; keys whose node cannot be
	 * reached are left out (their details stay unknown).
	 */
	private async byNode<T extends {raw: Buffer | null} | string>(cluster: ClusterSource, items: readonly T[], raw: (item: T) => Buffer | string | null): Promise<{client: Redis; own: OwnLookups; items: T[]}[]> {
		const groups = new Map<string, {client: Redis; own: OwnLookups; items: T[]}>();
		const slots = new Map<number, Awaited<ReturnType<ClusterSource['keyNode']>>>();
		for (const item of items) {
			const key = raw(item);
			if (key === null) continue;
			const slot = keySlot(key);
			let node = slots.get(slot);
			if (node === undefined) slots.set(slot, (node = await cluster.keyNode(key)));
			if (typeof node === 'string') continue;
			let group = groups.get(node.addr);
			if (!group) groups.set(node.addr, (group = {client: node.client, own: node.own, items: []}));
			group.items.push(item);
		}
		return [...groups.values()];
	}

	/** Cluster: the key's node and its own-lookup counter, or why not. */
	private async keyNode(ref: KeyRef): Promise<{client: Redis; own: OwnLookups} | string> {
		const cluster = this.cluster;
		if (!cluster || this.closed) return 'no cluster';
		if (!ref.raw) return 'not a Redis key';
		return cluster.keyNode(ref.raw);
	}

	cancel(): void {
		this.indexer?.cancel();
		this.indexer = null;
	}

	/** Runs `work` after `ms` unless called again first (one pending detail read at a time). */
	debounce(work: () => void, ms: number): void {
		if (this.timer) clearTimeout(this.timer);
		if (this.closed) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			work();
		}, ms);
		this.timer.unref?.();
	}

	async details(db: number | null, refs: readonly KeyRef[]): Promise<Map<KeyRef, KeyDetail>> {
		const cluster = this.cluster;
		if (cluster) {
			const out = new Map<KeyRef, KeyDetail>();
			for (const group of await this.byNode(cluster, refs, r => r.raw)) for (const [ref, d] of await fetchDetails(group.client, group.items, group.own)) out.set(ref, d);
			return out;
		}
		const client = this.client(db);
		if (!client) return new Map();
		return fetchDetails(client, refs, this.redis?.ownLookups);
	}

	async open(db: number | null, ref: KeyRef, prefix: string): Promise<ValueData | null> {
		if (this.cluster) {
			const node = await this.keyNode(ref);
			return typeof node === 'string' ? {...blankValue(ref.name, {kind: classifyKey(ref.name, prefix)}), error: node} : openValue(node.client, ref, prefix, node.own);
		}
		const client = this.client(db);
		return client ? openValue(client, ref, prefix, this.redis?.ownLookups) : null;
	}

	async more(db: number | null, ref: KeyRef, data: ValueData): Promise<ValueData | null> {
		if (this.cluster) {
			const node = await this.keyNode(ref);
			return typeof node === 'string' ? {...data, loading: false, error: node} : loadMore(node.client, ref, data, node.own);
		}
		const client = this.client(db);
		return client ? loadMore(client, ref, data, this.redis?.ownLookups) : null;
	}

	/** Which of `names` exist now (EXISTS per key, one pipeline). */
	async existing(db: number | null, names: readonly string[]): Promise<Set<string>> {
		const cluster = this.cluster;
		if (cluster) {
			const out = new Set<string>();
			for (const group of await this.byNode(cluster, names, n => n)) {
				const pipe = group.client.pipeline();
				for (const name of group.items) pipe.exists(name);
				const replies = (await pipe.exec()) ?? [];
				group.items.forEach((name, i) => {
					countLookup(group.own, 'length', replies[i]?.[0] ?? null, replies[i]?.[1]);
					if (replies[i]?.[1] === 1) out.add(name);
				});
			}
			return out;
		}
		const client = this.client(db);
		if (!client || names.length === 0) return new Set();
		const pipe = client.pipeline();
		for (const name of names) pipe.exists(name);
		const replies = (await pipe.exec()) ?? [];
		return new Set(names.filter((_, i) => replies[i]?.[1] === 1));
	}

	/**
	 * Follows the keys writes name, in batches at most every `everyMs` (one
	 * watcher: the browsed walk's; replaces any earlier one). False when the
	 * source has no change tracking at all; whether it covers the store now
	 * is in each snapshot (changeTracking.on).
	 */
	watch(watcher: (keys: KeyChanges) => void, everyMs = 500): boolean {
		this.unwatch?.();
		this.unwatch = null;
		const redis = this.redis;
		if (!redis || this.closed) return false;
		let pending = new Set<string>();
		let all = false;
		let timer: NodeJS.Timeout | null = null;
		const stop = redis.watchKeys(keys => {
			if (keys === 'all') all = true;
			else for (const key of keys) pending.add(key);
			if (timer) return;
			timer = setTimeout(() => {
				timer = null;
				const batch: KeyChanges = all ? 'all' : pending;
				pending = new Set();
				all = false;
				watcher(batch);
			}, everyMs);
			timer.unref?.();
		});
		this.unwatch = () => {
			stop();
			if (timer) clearTimeout(timer);
		};
		return redis.keyTrackingOff !== 'disabled';
	}

	private dropDbClients(): void {
		for (const [k, old] of this.dbClients) {
			old.disconnect();
			this.dbClients.delete(k);
		}
	}

	/** Quit: the walk stops, timers end, the extra connections close. */
	close(): void {
		this.closed = true;
		this.cancel();
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.unwatch?.();
		this.unwatch = null;
		this.dropDbClients();
	}
}

/** The server probe (CONFIG audit, MEMORY USAGE): re-read on the next poll instead of in 30 s. */
export type Probe = {requestNow: () => boolean};

/** Everything a pane may ask of the store beyond the poll. */
export type Capabilities = {keys: KeyBrowser; probe: Probe; close: () => void};

export const capabilitiesFor = (source: Source): Capabilities => {
	const keys = new KeyBrowser(source);
	const probe: Probe = {
		requestNow: () => {
			// A cluster re-reads every master's config audit and key sizes.
			const store = keys.redis ?? keys.cluster;
			store?.probe.requestNow();
			return store !== null;
		},
	};
	return {keys, probe, close: () => keys.close()};
};

/**
 * Lock admin: force-release, the one write tcmon makes. It exists only when
 * tcmon runs with --allow-write, so a pane without it cannot write at all;
 * the source set owns it and closes it on quit (a release asked after that is refused).
 */
export class LockAdmin {
	private closed = false;

	constructor(private readonly source: Source) {}

	/** Compare-and-delete of the lock the user saw (EVAL on Redis; a file only if it still holds the token). */
	async release(lock: Lock): Promise<ReleaseResult> {
		if (this.closed) return {released: false, message: 'tcmon is quitting: nothing released'};
		return forceRelease(this.source, lock);
	}

	close(): void {
		this.closed = true;
	}
}

/** The UI's capabilities: the read-only ones, plus lock admin with --allow-write only. */
export type UiCapabilities = Capabilities & {locks: LockAdmin | null};

export const uiCapabilitiesFor = (source: Source, allowWrite: boolean): UiCapabilities => {
	const read = capabilitiesFor(source);
	const locks = allowWrite ? new LockAdmin(source) : null;
	return {
		...read,
		locks,
		close: () => {
			locks?.close();
			read.close();
		},
	};
};
