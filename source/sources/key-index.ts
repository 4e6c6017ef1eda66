// The key browser's indexer: walks the keyspace with SCAN only (bounded
// COUNT, MATCH, TYPE where the server has it), in small asynchronous slices
// so input is never blocked, feeding a bounded NamespaceTree. It is driven by
// the Keys controller and by `tcmon keys`, never by the main poll.
// Measured by `npm run bench -- keys` (test/bench/keys.mjs; 1,000,000 keys,
// server at real-time priority so SLOWLOG shows the commands' own cost; four
// runs): `tcmon keys --all` 1.2–1.5 s vs `redis-cli --scan | wc -l` 7.7–9.4 s
// (5.8–7.1×, target ≥ 5×); slowest tcmon command 0.33–0.46 ms (p99
// 0.24–0.27 ms, target < 1 ms); UI RSS after indexing 99–113 MB (77–80 MB
// before; target ≤ 150 MB); key press → redrawn frame while indexing median
// 20–29 ms, max 59–70 ms (target < 100 ms). One SCAN at a time was round-trip
// bound (a bare ioredis loop: 0.9–1.2 s); four cursor ranges at once take
// 0.46–0.70 s and let COUNT drop from 400 to 250, halving the slowest call.
// Range counts stay exact (tested at COUNT 10 to 10,000, 2, 4 and 8 ranges,
// with MATCH and TYPE). Tried and dropped: sending the next SCAN before the
// reply is parsed (loopback replies arrive whole; under 5 %).
import {countLookup, type OwnLookups} from '../domain/own-reads';
import type {Redis} from 'ioredis';
import {NamespaceTree, type KeyRef, type ScanProgress, type TreeOptions} from '../domain/namespaces';
import {cursorPosition, leftRange, rangeStart} from '../domain/scan-cursor';
import {errorText} from './source';

export type IndexStatus = 'scanning' | 'done' | 'cancelled' | 'error';

/** What the indexer publishes: the (mutable, growing) tree and where the walk is. */
export type IndexView = {
	tree: NamespaceTree;
	status: IndexStatus;
	progress: ScanProgress;
	error: string | null;
	/** How a type filter is applied: by SCAN TYPE (Redis ≥ 6) or by TYPE per key. */
	typeFilter: 'server' | 'client' | null;
	/** Sampled MEMORY USAGE failed (ACL, old server): why. */
	memoryError: string | null;
	/** Cursor ranges walked at once (1 = one SCAN walk). */
	ranges: number;
};

export type IndexerOptions = {
	/** SCAN MATCH glob; null = every key. */
	match: string | null;
	/** SCAN TYPE filter (string, hash, list, set, zset, stream); null = any. */
	type: string | null;
	/** SCAN COUNT per call: bounds the server's work per command. */
	count?: number;
	tree?: TreeOptions;
	/** MEMORY USAGE samples taken per SCAN batch (0 = none). */
	memorySamples?: number;
	/** Called with the view at most every `updateEveryMs` and once at the end. */
	onUpdate?: (view: IndexView) => void;
	updateEveryMs?: number;
	/**
	 * Yield to the event loop between batches (the UI; off for `tcmon keys`),
	 * and pause `pauseMs` after every `sliceMs` of scanning, so key presses,
	 * the terminal and the server keep some CPU while a big store is indexed.
	 */
	yieldBetween?: boolean;
	sliceMs?: number;
	pauseMs?: number;
	/** Cursor ranges walked at once (a power of two); by default PARALLEL_RANGES on a big standalone store, else 1. */
	ranges?: number;
};

const nextTick = () => new Promise<void>(resolve => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * SCAN COUNT per call: 250 keeps one SCAN near 0.12 ms of server time on a
 * million-key store (p99 0.25 ms, slowest 0.3–0.5 ms at real-time priority;
 * 400 reached 0.8 ms): the guide's SLOWLOG threshold is 10 ms, the browser's
 * own target 1 ms (test/bench/keys.mjs).
 */
export const DEFAULT_SCAN_COUNT = 250;

/**
 * A big keyspace is walked as this many cursor ranges at once (scan-cursor.ts),
 * so the server always has the next SCAN queued while the client digests a
 * reply: a million keys in about half the time of one walk, with the same
 * commands, each as short. Below PARALLEL_MIN_KEYS one walk is quick anyway,
 * and a table of fewer buckets than ranges would break the ranges apart.
 */
export const PARALLEL_RANGES = 4;
const PARALLEL_MIN_KEYS = 10_000;

/**
 * Whether the server walks its keyspace as one reverse-binary hash table, so
 * cursor ranges are sound: standalone Redis (and forks that say so). Cluster
 * nodes of newer servers put a slot number in the cursor; Dragonfly's cursor
 * means something else; a server that denies INFO gets one walk.
 */
const rangedWalkSound = (info: string | null): boolean =>
	info !== null && /^redis_mode:standalone\r?$/m.test(info) && !/^dragonfly_version:/m.test(info);

/** A walk's view before its first SCAN reply (one master's, or a whole cluster's). */
export const initialIndexView = (tree: NamespaceTree, options: IndexerOptions): IndexView => ({
	tree,
	status: 'scanning',
	progress: {found: 0, examined: 0, dbsize: null, elapsedMs: 0, calls: 0, done: false},
	error: null,
	typeFilter: options.type ? 'server' : null,
	memoryError: null,
	ranges: 1,
});

export class KeyIndexer {
	readonly tree: NamespaceTree;
	private cancelled = false;
	/** Keys this indexer put in the tree (a shared tree's total holds other walks' too). */
	added = 0;
	private view: IndexView;
	private readonly count: number;

	/** `tree`: a tree shared with other indexers (Redis Cluster: one per master, one tree). */
	constructor(
		private readonly client: Redis,
		private readonly options: IndexerOptions,
		tree?: NamespaceTree,
	) {
		this.tree = tree ?? new NamespaceTree(options.tree);
		this.count = options.count ?? DEFAULT_SCAN_COUNT;
		this.view = initialIndexView(this.tree, options);
	}

	get current(): IndexView {
		return this.view;
	}

	cancel(): void {
		this.cancelled = true;
	}

	private publish(patch: Partial<IndexView>): IndexView {
		this.view = {...this.view, ...patch};
		return this.view;
	}

	/** How many cursor ranges to walk at once: `options.ranges`, else by store size and server. */
	private async rangeCount(dbsize: number | null): Promise<number> {
		if (this.options.ranges !== undefined) return this.options.ranges;
		if (dbsize === null || dbsize < PARALLEL_MIN_KEYS) return 1;
		const info = await this.client.info('server').catch(() => null);
		return rangedWalkSound(info) ? PARALLEL_RANGES : 1;
	}

	/**
	 * Walks the whole keyspace once, as one SCAN walk or as several cursor
	 * ranges at once. Never throws: failures end in status `error`.
	 *
	 * Ranges: range k starts at position k/n and ends with the reply whose
	 * cursor lies past (k+1)/n. That last SCAN ran on past the boundary until
	 * it had COUNT keys, so it returns some of range k+1's first keys too; but
	 * never more than range k+1's own first SCAN (same COUNT, fewer keys
	 * still wanted), so those keys are dropped from the last reply of range k.
	 */
	async run(): Promise<IndexView> {
		const started = Date.now();
		const {match, type, onUpdate} = this.options;
		const every = this.options.updateEveryMs ?? 200;
		let lastEmit = 0;
		let dbsize: number | null = null;
		let typeMode: 'server' | 'client' | null = type ? 'server' : null;
		let ranges = 1;
		/** Each range's latest cursor, and whether it is finished. */
		let cursors: string[] = ['0'];
		let finished: boolean[] = [false];
		let failed = false;
		const progress = (done: boolean): ScanProgress => {
			const found = this.tree.total;
			// Unfiltered, every key SCAN examined came back; filtered, the cursors say how far the walk is.
			let walked = 0;
			for (let k = 0; k < ranges; k++) walked += finished[k] ? 1 / ranges : Math.max(0, cursorPosition(cursors[k]!) - k / ranges);
			const estimated = dbsize === null ? found : Math.round(walked * dbsize);
			const examined = done ? (dbsize ?? found) : match === null && typeMode === null ? found : Math.max(found, estimated);
			return {found, examined: dbsize === null ? examined : Math.min(examined, Math.max(dbsize, found)), dbsize, elapsedMs: Date.now() - started, calls: this.view.progress.calls, done};
		};
		// In the UI, yield between batches, and pause every walk `pauseMs` after each `sliceMs` of scanning.
		let sliceStart = Date.now();
		let pausing: Promise<void> | null = null;
		const pace = async (): Promise<void> => {
			if (!this.options.yieldBetween) return;
			if (pausing) return pausing;
			if (Date.now() - sliceStart < (this.options.sliceMs ?? 12)) return nextTick();
			pausing = sleep(this.options.pauseMs ?? 4).then(() => {
				pausing = null;
				sliceStart = Date.now();
			});
			return pausing;
		};
		const scan = (from: string): Promise<[Buffer, Buffer[]]> => {
			const args: string[] = [from];
			if (match !== null) args.push('MATCH', match);
			args.push('COUNT', String(this.count));
			if (typeMode === 'server' && type) args.push('TYPE', type);
			// Buffers, not strings: binary names must survive to be opened.
			const reply = this.client.callBuffer('SCAN', ...args) as Promise<[Buffer, Buffer[]]>;
			reply.catch(() => {});
			return reply;
		};
		try {
			dbsize = await this.client.dbsize().catch(() => null);
			ranges = await this.rangeCount(dbsize);
			this.publish({ranges});
			cursors = Array.from({length: ranges}, (_, k) => rangeStart(k, ranges));
			finished = cursors.map(() => false);
			// Each range's first reply, as binary-exact names, for the range before it.
			const firstKeys: Promise<Set<string>>[] = [];
			const settleFirst: ((keys: Set<string>) => void)[] = [];
			for (let k = 0; k < ranges; k++) firstKeys.push(new Promise(resolve => settleFirst.push(resolve)));
			const walk = async (k: number): Promise<void> => {
				let first = true;
				try {
					let pending: Promise<[Buffer, Buffer[]]> | null = scan(cursors[k]!);
					while (pending) {
						let reply: [Buffer, Buffer[]];
						try {
							reply = await pending;
						} catch (error) {
							// Redis < 6 has no SCAN … TYPE: filter with TYPE per key instead.
							if (typeMode !== null && type && /syntax|wrong number/i.test(errorText(error))) {
								if (typeMode === 'server') this.publish({typeFilter: 'client'});
								typeMode = 'client';
								pending = scan(cursors[k]!);
								continue;
							}
							throw error;
						}
						if (this.cancelled || failed) return;
						const cursor = reply[0].toString();
						const last = leftRange(cursor, k, ranges);
						let keys = reply[1];
						if (first) {
							settleFirst[k]!(new Set(keys.map(b => b.toString('latin1'))));
							first = false;
						}
						// Ask for the next batch before digesting this one: the server works while we count.
						pending = last ? null : scan(cursor);
						if (last && k < ranges - 1) {
							const next = await firstKeys[k + 1]!;
							keys = keys.filter(b => !next.has(b.toString('latin1')));
						}
						if (typeMode === 'client' && type && keys.length > 0) keys = await this.filterByType(keys, type);
						for (const key of keys) this.tree.addRaw(key);
						this.added += keys.length;
						await this.sampleMemory(keys);
						cursors[k] = cursor;
						finished[k] = last;
						this.view.progress = {...this.view.progress, calls: this.view.progress.calls + 1};
						const now = Date.now();
						if (onUpdate && now - lastEmit >= every) {
							lastEmit = now;
							onUpdate(this.publish({progress: progress(false)}));
						}
						await pace();
					}
				} catch (error) {
					failed = true;
					throw error;
				} finally {
					// A range that stopped before its first reply must not hold the one before it.
					if (first) settleFirst[k]!(new Set());
				}
			};
			await Promise.all(cursors.map((_, k) => walk(k)));
			if (this.cancelled) {
				const view = this.publish({status: 'cancelled', progress: progress(false)});
				onUpdate?.(view);
				return view;
			}
			const view = this.publish({status: 'done', progress: progress(true)});
			onUpdate?.(view);
			return view;
		} catch (error) {
			const view = this.publish({status: 'error', error: errorText(error), progress: progress(false)});
			onUpdate?.(view);
			return view;
		}
	}

	private async filterByType(keys: Buffer[], type: string): Promise<Buffer[]> {
		const pipe = this.client.pipeline();
		for (const k of keys) pipe.type(k);
		const replies = (await pipe.exec()) ?? [];
		return keys.filter((_, i) => replies[i]?.[1] === type);
	}

	/**
	 * MEMORY USAGE for a few keys of a batch: evenly spread picks (SCAN order
	 * is hash order, i.e. already random) plus the first key of any namespace
	 * that has no sample yet (up to 64 a batch), so small namespaces get an
	 * estimate too.
	 */
	private async sampleMemory(keys: Buffer[]): Promise<void> {
		const n = this.options.memorySamples ?? 0;
		if (n <= 0 || keys.length === 0 || this.view.memoryError) return;
		const step = Math.max(1, Math.floor(keys.length / n));
		const picks = new Set<number>();
		for (let i = 0; i < keys.length && picks.size < n; i += step) picks.add(i);
		const fresh = new Set<object>();
		for (let i = 0; i < keys.length && picks.size < n + 64; i++) {
			const node = this.tree.nodeOf(keys[i]!);
			if (node.memSamples === 0 && !fresh.has(node)) {
				fresh.add(node);
				picks.add(i);
			}
		}
		const chosen = [...picks];
		const pipe = this.client.pipeline();
		for (const i of chosen) pipe.call('MEMORY', 'USAGE', keys[i]!, 'SAMPLES', '5');
		const replies = (await pipe.exec()) ?? [];
		chosen.forEach((i, j) => {
			const [error, value] = replies[j] ?? [new Error('no reply'), null];
			if (error) this.view.memoryError ??= errorText(error);
			else if (typeof value === 'number') this.tree.sampleMemory(keys[i]!, value);
		});
	}
}

/** Type, TTL and memory of the rows on screen. */
export type KeyDetail = {type: string | null; ttlMs: number | null | undefined; memory: number | null; fetchedAt: number};

/** TYPE, PTTL and MEMORY USAGE for a screenful of keys, in one pipeline; TYPE and PTTL counted in `own` (tcmon's lookups). */
export const fetchDetails = async (client: Redis, refs: readonly KeyRef[], own?: OwnLookups): Promise<Map<KeyRef, KeyDetail>> => {
	const out = new Map<KeyRef, KeyDetail>();
	const keyed = refs.filter(r => r.raw !== null);
	if (keyed.length === 0) return out;
	const pipe = client.pipeline();
	for (const ref of keyed) {
		pipe.type(ref.raw!);
		pipe.pttl(ref.raw!);
		pipe.call('MEMORY', 'USAGE', ref.raw!);
	}
	const replies = (await pipe.exec()) ?? [];
	const at = Date.now();
	keyed.forEach((ref, i) => {
		const [te, type] = replies[i * 3] ?? [new Error('no reply'), null];
		const [pe, pttl] = replies[i * 3 + 1] ?? [new Error('no reply'), null];
		const [me, memory] = replies[i * 3 + 2] ?? [new Error('no reply'), null];
		if (own) {
			countLookup(own, 'type', te, type);
			countLookup(own, 'ttl', pe, pttl);
		}
		const p = pe ? undefined : (pttl as number);
		out.set(ref, {
			type: te ? null : (type as string),
			ttlMs: p === undefined ? undefined : p === -2 ? undefined : p < 0 ? null : p,
			memory: me || typeof memory !== 'number' ? null : memory,
			fetchedAt: at,
		});
	});
	return out;
};

/** Databases with keys, from INFO keyspace (`db0:keys=…`). */
export const databasesInUse = (info: Record<string, Record<string, string>> | null): number[] =>
	Object.keys(info?.['keyspace'] ?? {})
		.map(k => /^db(\d+)$/.exec(k)?.[1])
		.filter((d): d is string => d !== undefined)
		.map(Number)
		.sort((a, b) => a - b);
