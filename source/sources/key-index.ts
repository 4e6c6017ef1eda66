// The key browser's indexer: walks the keyspace with SCAN only (bounded
// COUNT, MATCH, TYPE where the server has it), in small asynchronous slices
// so input is never blocked, feeding a bounded NamespaceTree. It is driven by
// the Keys controller and by `tcmon keys`, never by the main poll.
import type {Redis} from 'ioredis';
import {NamespaceTree, scanFraction, type KeyRef, type ScanProgress, type TreeOptions} from '../domain/namespaces';
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
};

const nextTick = () => new Promise<void>(resolve => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * SCAN COUNT per call: 400 keeps one SCAN near 0.25 ms of server time on a
 * million-key store (p99 0.4 ms, slowest 0.5–0.65 ms at real-time priority;
 * 500 reached 0.73 ms) for the same total walk time: the guide's SLOWLOG
 * threshold is 10 ms, the browser's own target 1 ms (test/bench/keys.mjs).
 */
export const DEFAULT_SCAN_COUNT = 400;

export class KeyIndexer {
	readonly tree: NamespaceTree;
	private cancelled = false;
	private view: IndexView;
	private readonly count: number;

	constructor(
		private readonly client: Redis,
		private readonly options: IndexerOptions,
	) {
		this.tree = new NamespaceTree(options.tree);
		this.count = options.count ?? DEFAULT_SCAN_COUNT;
		this.view = {
			tree: this.tree,
			status: 'scanning',
			progress: {found: 0, examined: 0, dbsize: null, elapsedMs: 0, calls: 0, done: false},
			error: null,
			typeFilter: options.type ? 'server' : null,
			memoryError: null,
		};
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

	/** Walks the whole keyspace once. Never throws: failures end in status `error`. */
	async run(): Promise<IndexView> {
		const started = Date.now();
		const {match, type, onUpdate} = this.options;
		const every = this.options.updateEveryMs ?? 200;
		let lastEmit = 0;
		let sliceStart = Date.now();
		let cursor = '0';
		let dbsize: number | null = null;
		let typeMode: 'server' | 'client' | null = type ? 'server' : null;
		const progress = (done: boolean): ScanProgress => {
			const found = this.tree.total;
			// Unfiltered, every key SCAN examined came back; filtered, the cursor says how far it is.
			const estimated = dbsize === null ? found : Math.round(scanFraction(cursor, dbsize) * dbsize);
			const examined = done ? (dbsize ?? found) : match === null && typeMode === null ? found : Math.max(found, estimated);
			return {found, examined: dbsize === null ? examined : Math.min(examined, Math.max(dbsize, found)), dbsize, elapsedMs: Date.now() - started, calls: this.view.progress.calls, done};
		};
		try {
			dbsize = await this.client.dbsize().catch(() => null);
			const scan = (from: string): Promise<[Buffer, Buffer[]]> => {
				const args: string[] = [from];
				if (match !== null) args.push('MATCH', match);
				args.push('COUNT', String(this.count));
				if (typeMode === 'server' && type) args.push('TYPE', type);
				// Buffers, not strings: binary names must survive to be opened.
				return this.client.callBuffer('SCAN', ...args) as Promise<[Buffer, Buffer[]]>;
			};
			let pending: Promise<[Buffer, Buffer[]]> | null = scan(cursor);
			while (pending) {
				let reply: [Buffer, Buffer[]];
				try {
					reply = await pending;
				} catch (error) {
					// Redis < 6 has no SCAN … TYPE: filter with TYPE per key instead.
					if (typeMode === 'server' && /syntax|wrong number/i.test(errorText(error))) {
						typeMode = 'client';
						this.publish({typeFilter: 'client'});
						pending = scan(cursor);
						continue;
					}
					throw error;
				}
				cursor = reply[0].toString();
				if (this.cancelled) {
					const view = this.publish({status: 'cancelled', progress: progress(false)});
					onUpdate?.(view);
					return view;
				}
				// Ask for the next batch before digesting this one: the server works while we count.
				pending = cursor === '0' ? null : scan(cursor);
				pending?.catch(() => {});
				let keys = reply[1];
				if (typeMode === 'client' && type && keys.length > 0) keys = await this.filterByType(keys, type);
				for (const k of keys) this.tree.addRaw(k);
				await this.sampleMemory(keys);
				this.view.progress = {...this.view.progress, calls: this.view.progress.calls + 1};
				const now = Date.now();
				if (onUpdate && now - lastEmit >= every) {
					lastEmit = now;
					onUpdate(this.publish({progress: progress(false)}));
				}
				if (this.options.yieldBetween) {
					if (Date.now() - sliceStart >= (this.options.sliceMs ?? 12)) {
						await sleep(this.options.pauseMs ?? 4);
						sliceStart = Date.now();
					} else await nextTick();
				}
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

/** TYPE, PTTL and MEMORY USAGE for a screenful of keys, in one pipeline. */
export const fetchDetails = async (client: Redis, refs: readonly KeyRef[]): Promise<Map<KeyRef, KeyDetail>> => {
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
