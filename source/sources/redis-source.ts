// The Redis source: a poll is one pipelined round trip, INFO first (the write
// mark in it says what may be skipped: write-mark.ts; which keys were written:
// key-tracking.ts). Keys under the prefix are found by SCAN MATCH on a budget
// (COUNT 100, at most 250 calls or 40 ms a poll), a finished walk starting
// again 3 s later (at once after a reconnect); the Keys list's types are read
// once a walk, its TTLs every 5 s, counted down between.
// Staying out of the SLOWLOG tcmon shows (`npm run build && node
// test/bench/slowlog.mjs`: 1,000,000 keys, slowlog-log-slower-than 1000, 30 s
// of the UI at --interval 250 plus five --json runs): no tcmon command logged,
// the slowest ~0.25 ms (SCAN p95 ~0.13 ms); with COUNT 1000 SCANs averaged
// 0.9 ms and 722 were logged in 30 s. HGETALL of the layout-2 hash costs
// ~0.6 ms at 2,000 fields, ~10 ms at 20,000 (BENCH_HASH_FIELDS=20000): hence
// HASH_HGETALL_MAX and paging above it.
import {readFileSync} from 'node:fs';
import type {ConnectionOptions} from 'node:tls';
import {Redis, type RedisKey, type RedisOptions} from 'ioredis';
import {parseSentinelUrl, redactUrl, scrubSecret, urlSecrets, type TlsSettings} from '../config';
import {withTlsHint} from '../domain/tls-hint';
import {infoField, parseInfo, serverFromInfo, statsFromInfo} from '../domain/info';
import {escapeGlob} from '../domain/scan-cursor';
import {decodeInstanceMap, decodeMetricSample, decodeObject, instanceFrom, JOB_FIELD, jobFrom} from '../domain/layouts';
import {countLookup, type OwnLookups} from '../domain/own-reads';
import {sameItems} from '../domain/equal';
import {dedupeById, truncatedInstance, truncatedJob, VALUE_CAP} from '../domain/state-merge';
import {countedDown, ttlLeft} from '../domain/format';
import {decodeBytes, keyArg} from '../domain/sanitize';
import {parseSlowlog} from '../domain/slowlog';
import type {SlowlogEntry} from '../domain/types';
import {emptySnapshot, type Instance, type Job, type KeyRow, type Lock, type MetricSeries, type Snapshot} from '../domain/types';
import {DecodeMemo} from './decode-memo';
import {KeyTracking, type KeyChanges} from './key-tracking';
import {ServerProbe} from './server-probe';
import {LockScanner, LockWatcher, type LockScanOptions} from './lock-scan';
import {SlowlogConfigReader} from './slowlog-config';
import {TickPipeline, type Reply} from './tick-pipeline';
import {compareText} from '../domain/order';
import {datasetMoved, datasetView, QUIET_REUSE_MS, replacerCalls, stillQuiet, WalkCycles, writeMark, type DatasetView} from './write-mark';
import {errorText, type PollOptions, type Source} from './source';

export type RedisSourceOptions = {
	url: string;
	/** redis-cli's TLS flags (--cacert, --cert, --key, --insecure, --sni). */
	tls?: TlsSettings;
	prefix: string;
	/** SLOWLOG GET n */
	slowlogCount?: number;
	/** SCAN calls allowed per poll for key discovery (COUNT scanCount each). */
	scanBudget?: number;
	scanCount?: number;
	/** Wall time (ms) key discovery may take per poll, whatever is left of the budget. */
	scanTimeMs?: number;
	/** Keys listed in the Keys pane (names kept beyond that are only counted). */
	keyListLimit?: number;
	/** Re-read only the keys the server names as written (CLIENT TRACKING; default on). */
	keyTracking?: boolean;
	/** Metric samples kept per series. */
	metricTail?: number;
	/** A new discovery cycle starts at most this often once one finished (ms). */
	rediscoverMs?: number;
	connectTimeoutMs?: number;
	/** How long poll() waits for a read when the caller sets no deadline (ms). */
	answerTimeoutMs?: number;
	/** A connection silent this long is dropped and made again (ms; with Sentinel: at the first missed deadline). */
	dropStuckMs?: number;
	/** Lock discovery budget (see lock-scan.ts). */
	lockScan?: LockScanOptions;
};

type Category = 'instance' | 'job' | 'lock' | 'metrics' | 'other';

/** One discovery cycle: the keys under the prefix, by what they mean to tmux-claude. */
type KeyIndex = {
	byCategory: Record<Category, Map<string, RedisKey>>;
	total: number;
};

const newIndex = (): KeyIndex => ({
	byCategory: {instance: new Map(), job: new Map(), lock: new Map(), metrics: new Map(), other: new Map()},
	total: 0,
});

/** Caps per category: discovery never holds more names than it can use per tick. */
const CATEGORY_CAP: Record<Category, number> = {instance: 5000, job: 10_000, lock: 10_000, metrics: 500, other: 2000};

/** What every tcmon connection calls itself (CLIENT SETNAME), so operators find it in CLIENT LIST. */
export const CONNECTION_NAME = 'tcmon';

/** Node's TLS options from redis-cli's flags (files read now: the flags checked they are readable). */
export const tlsConnectOptions = (settings: TlsSettings = {}): ConnectionOptions => ({
	...(settings.cacert ? {ca: readFileSync(settings.cacert)} : {}),
	...(settings.cert ? {cert: readFileSync(settings.cert)} : {}),
	...(settings.key ? {key: readFileSync(settings.key)} : {}),
	...(settings.insecure ? {rejectUnauthorized: false} : {}),
	...(settings.sni ? {servername: settings.sni} : {}),
});

export const connectionOptions = (url: string, connectTimeoutMs: number, tls?: TlsSettings): {url?: string; options: RedisOptions; secrets: string[]} => {
	const options: RedisOptions = {
		connectionName: CONNECTION_NAME,
		...(url.startsWith('rediss:') || tls ? {tls: tlsConnectOptions(tls)} : {}),
		lazyConnect: true,
		// Fail fast while disconnected instead of queueing: a poll must never pile up.
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		connectTimeout: connectTimeoutMs,
		// Reconnect forever with a capped backoff; the UI shows "reconnecting…".
		retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
		reconnectOnError: () => false,
		// ioredis' ready check is an INFO: where INFO is renamed away it never
		// gets ready. tcmon reads INFO in every tick and shows when it fails.
		enableReadyCheck: false,
	};
	const sentinel = parseSentinelUrl(url);
	if (sentinel) {
		return {
			options: {
				...options,
				// With Sentinel the ready check is what refuses a demoted master (its role).
				enableReadyCheck: true,
				sentinels: sentinel.hosts,
				name: sentinel.name,
				db: sentinel.db,
				...(sentinel.password ? {password: sentinel.password, sentinelPassword: sentinel.password} : {}),
				sentinelRetryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
			},
			secrets: sentinel.password ? [sentinel.password] : [],
		};
	}
	return {url, options, secrets: urlSecrets(url)};
};

export class RedisSource implements Source {
	readonly kind = 'redis' as const;
	readonly client: Redis;
	readonly target: string;
	private readonly prefix: string;
	private readonly secrets: string[];
	private readonly opts: Required<Omit<RedisSourceOptions, 'url' | 'prefix' | 'lockScan' | 'keyTracking' | 'tls'>>;
	private readonly sentinel: boolean;
	/** The read in flight (one at most: a poll past its deadline leaves it running, the next joins it). */
	private reading: {since: number; promise: Promise<Snapshot>} | null = null;
	/** When the read in flight began, once it went past a poll's deadline unanswered; and that deadline. */
	private unanswered: {since: number; deadlineMs: number} | null = null;
	/** Since when the connection has been opening (Sentinel: a hung server never finishes its handshake). */
	private connectingSince: number | null = null;
	/** Since when the server has been silent, across connections dropped for it (cleared by any answer). */
	private silentSince: number | null = null;
	private lastError: string | null = null;
	private last: Snapshot | null = null;
	private everReady = false;
	private scanCursor = '0';
	/** Keys of the last complete discovery cycle, and of the one in progress. */
	private known: KeyIndex = newIndex();
	private pending: KeyIndex = newIndex();
	private readonly cycles = new WalkCycles();
	/** keysOf() results until discovery changes either index. */
	private keyLists = new Map<Category, [string, RedisKey][]>();
	/**
	 * The last key list handed out per category (and for locks): a list with
	 * the same names is answered with the same array, so a discovery cycle
	 * that found nothing new keeps the value reuse (lastValues) and the
	 * Keys list (listedCache) valid.
	 */
	private readonly stableLists = new Map<Category | 'locks', [string, RedisKey][]>();
	private listedCache: {inputs: [string, RedisKey][][]; listed: [string, RedisKey][]} | null = null;
	/** TYPE of the listed keys, read once per discovery cycle in which the dataset was written. */
	private readonly keyTypes = new Map<string, string>();
	/** The write mark this tick's reuse was decided under, and the one the listed keys' types were read under. */
	private lastMark: string | null = null;
	private typesMark: string | null = null;
	/** The write mark the last tick's INFO showed (undefined: no tick yet), and whether it had moved since the tick before. */
	private seenMark: string | null | undefined = undefined;
	private markMoved = false;
	/** What named the dataset at the last tick (write-mark.ts), and how often it was found replaced. */
	private seenDataset: DatasetView | null = null;
	/** replacerCalls as last read (null: not yet, or not permitted). */
	private seenReplacers: string | null = null;
	private replacersDenied = false;
	private datasetGeneration = 0;
	/** PTTL of the listed keys and when it was read (-1: no TTL). */
	private readonly keyTtls = new Map<string, {pttl: number; at: number}>();
	private lastTtlRead = Number.NEGATIVE_INFINITY;
	private ttlMark: string | null = null;
	/**
	 * The last SLOWLOG entries and the server they came from. Once known, a
	 * tick reads only the newest SLOWLOG_HEAD entries and puts the new ones
	 * in front of these (reading and parsing 128 entries was ~2 ms a tick).
	 */
	private lastSlowlog: {runId: string; entries: SlowlogEntry[]} | null = null;
	/**
	 * The locks' last read: reused whole, counted down, while the write mark
	 * it was made under (null: none) stands still; kept lock by lock (`byKey`,
	 * made while tracking covers the store) for the keys tracking names no write to.
	 */
	private locksRead: {mark: string | null; at: number; keys: [string, RedisKey][]; locks: Lock[]; byKey: Map<string, Lock> | null} | null = null;
	private readonly tracking: KeyTracking | null;
	/** When values were last read whole (at least once a minute, tracking or not). */
	private wholeReadAt = Number.NEGATIVE_INFINITY;
	/** The tracking epoch the values held in the memos and below were last read whole under (null: read all next). */
	private valuesEpoch: number | null = null;
	/** Instances and jobs of the layout-2 hash, and each metric series, as last read. */
	private hashPart: {instances: Instance[]; jobs: Job[]; read: number} | null = null;
	/**
	 * A walk of a hash too large for one HGETALL (HASH_HGETALL_MAX): HSCAN
	 * pages, a bounded number a tick, holding at most HASH_HOLD fields (each cut at VALUE_CAP).
	 */
	private hashWalk: {cursor: string; fields: Map<string, {raw: Buffer; bytes: number}>; held: number; startedAt: number} | null = null;
	private lastHashWalkAt = Number.NEGATIVE_INFINITY;
	/** hashPart is of a finished read (HGETALL, or a walk that ended), not of a first walk in progress. */
	private hashPartWhole = false;
	/** Fields of the hash that held more than VALUE_CAP at the last read: read by name, not carried again. */
	private hugeFields = new Set<string>();
	/**
	 * tcmon's own keyspace hits and misses on this server, counted from its
	 * replies (own-reads.ts): each snapshot's stats carry them as they stood
	 * at its INFO, so the hit rate leaves them out.
	 */
	readonly ownLookups: OwnLookups = {hits: 0, misses: 0};
	private readonly metricSeries = new Map<string, {series: MetricSeries; at: number}>();
	/** HLEN of the instances hash as last read (null: not read yet, so not known to be small). */
	private hashLength: number | null = null;
	private closed = false;
	private firstPolled = false;
	/** CONFIG GET / COMMAND INFO / MEMORY USAGE on a slow budget (the Stats pane's audit and memory check). */
	readonly probe = new ServerProbe(30_000, text => this.scrub(text));
	/** Lock discovery (SCAN MATCH on the lock namespaces), reads and keyspace notifications. */
	readonly lockScan: LockScanner;
	private readonly lockWatch: LockWatcher;
	private lastDbsize: number | null = null;
	private readonly hashMemo = new DecodeMemo<ReturnType<typeof decodeInstanceMap>>();
	private readonly instanceMemo = new DecodeMemo<Instance>();
	private readonly jobMemo = new DecodeMemo<Job>();
	/** The last full read of the known keys' values, reused while no write reached the dataset. */
	private mergedLast: {instancesIn: readonly Instance[]; jobsIn: readonly Job[]; merged: {instances: ReturnType<typeof dedupeById<Instance>>; jobs: ReturnType<typeof dedupeById<Job>>}} | null = null;
	private lastValues: {mark: string; at: number; instanceKeys: unknown; jobKeys: unknown; metricKeys: unknown; instances: Instance[]; jobs: Job[]; metrics: MetricSeries[]} | null = null;
	/** Per metric series: its samples by score. */
	private readonly sampleMemos = new Map<string, DecodeMemo<ReturnType<typeof decodeMetricSample>>>();
	/** slowlog-log-slower-than / slowlog-max-len on a slow budget (CONFIG GET may be denied). */
	private readonly slowlogConfig = new SlowlogConfigReader(undefined, message => this.scrub(message));

	constructor(options: RedisSourceOptions) {
		this.prefix = options.prefix;
		this.opts = {
			slowlogCount: options.slowlogCount ?? 128,
			// Many small SCANs, not a few big ones: COUNT 1000 on a million-key
			// store takes ~0.5–7 ms a call and lands tcmon in the SLOWLOG it shows
			// (test/bench/slowlog.mjs); COUNT 100 stays well under 1 ms.
			scanBudget: options.scanBudget ?? 250,
			scanCount: options.scanCount ?? 100,
			scanTimeMs: options.scanTimeMs ?? 40,
			keyListLimit: options.keyListLimit ?? 100,
			metricTail: options.metricTail ?? 120,
			// Keys under the prefix are read every tick once found; finding new
			// ones every 3 s instead of continuously halves a tick's client work.
			rediscoverMs: options.rediscoverMs ?? 3000,
			connectTimeoutMs: options.connectTimeoutMs ?? 2000,
			answerTimeoutMs: options.answerTimeoutMs ?? 5000,
			dropStuckMs: options.dropStuckMs ?? 30_000,
		};
		this.sentinel = parseSentinelUrl(options.url) !== null;
		const {url, options: redisOptions, secrets} = connectionOptions(options.url, this.opts.connectTimeoutMs, options.tls);
		this.secrets = secrets;
		this.target = redactUrl(options.url);
		const tlsContext = {tls: Boolean(redisOptions.tls), clientCert: Boolean(options.tls?.cert)};
		this.client = url ? new Redis(url, redisOptions) : new Redis(redisOptions);
		// Without a listener ioredis prints "Unhandled error event" over the UI.
		this.client.on('error', (error: unknown) => {
			this.lastError = this.scrub(withTlsHint(error, errorText(error), tlsContext));
			// An error (refused, reset, WRONGPASS) is an answer: the server is down or refusing, not silent.
			this.silentSince = null;
		});
		this.client.on('connect', () => {
			this.connectingSince ??= Date.now();
		});
		this.client.on('close', () => {
			this.connectingSince = null;
		});
		this.client.on('ready', () => {
			this.connectingSince = null;
			this.unanswered = null;
			this.silentSince = null;
			this.everReady = true;
			this.lastError = null;
			// A reconnect may be to a restarted or failed-over server: discover afresh now.
			this.scanCursor = '0';
			this.pending = newIndex();
			this.cycles.reset();
			this.keyLists.clear();
			this.keyTtls.clear();
			this.lastTtlRead = Number.NEGATIVE_INFINITY;
			this.lastSlowlog = null;
			this.slowlogConfig.invalidate();
			this.hashWalk = null; // an HSCAN cursor means nothing on another server
		});
		this.lockScan = new LockScanner(this.client, this.prefix, options.lockScan);
		this.tracking = options.keyTracking === false ? null : new KeyTracking(this.client, this.prefix);
		this.lockWatch = new LockWatcher(this.client, this.prefix);
	}

	get status(): string {
		return this.client.status;
	}

	/** Why change tracking is off (key-tracking.ts), or null while it covers the store. */
	get keyTrackingOff(): string | null {
		return this.tracking ? this.tracking.reason : 'disabled';
	}

	/** The keys under the prefix each write names, while tracking is on (the key browser follows them). */
	watchKeys(watcher: (keys: KeyChanges) => void): () => void {
		return this.tracking ? this.tracking.watch(watcher) : () => {};
	}

	get ready(): boolean {
		return this.client.status === 'ready';
	}

	get wasEverReady(): boolean {
		return this.everReady;
	}

	get error(): string | null {
		return this.lastError;
	}

	private scrub(message: string): string {
		return scrubSecret(message, this.secrets);
	}

	/** Starts connecting; resolves true when ready within `timeoutMs`. Never throws. */
	async connect(timeoutMs = this.opts.connectTimeoutMs): Promise<boolean> {
		if (this.ready) return true;
		if (this.client.status === 'wait') {
			// The 'error' event carries the useful reason (ECONNREFUSED…); the
			// promise only says "Connection is closed", so it must not overwrite it.
			this.client.connect().catch((error: unknown) => {
				this.lastError ??= this.scrub(errorText(error));
			});
		}
		return this.waitReady(timeoutMs);
	}

	waitReady(timeoutMs: number): Promise<boolean> {
		if (this.ready) return Promise.resolve(true);
		return new Promise(resolve => {
			const done = (ok: boolean) => {
				clearTimeout(timer);
				this.client.off('ready', onReady);
				this.client.off('error', onError);
				resolve(ok);
			};
			const onReady = () => done(true);
			// A refused connection is an answer: no need to wait out the timeout.
			const onError = () => done(false);
			const timer = setTimeout(() => done(false), timeoutMs);
			this.client.once('ready', onReady);
			this.client.once('error', onError);
		});
	}

	current(): Source {
		return this;
	}

	async close(): Promise<void> {
		this.closed = true;
		this.lockWatch.close();
		this.tracking?.close();
		this.client.disconnect();
	}

	/**
	 * Since when the server has not answered: a read past a poll's deadline,
	 * or a connection opened whose handshake is still unanswered (null: it answers or is down).
	 */
	get waitingSince(): number | null {
		const opening = this.client.status === 'connect' ? this.connectingSince : null;
		// (A handshake a moment old is just a handshake.)
		return this.unanswered?.since ?? (opening !== null && Date.now() - opening >= HANDSHAKE_MS ? (this.silentSince ?? opening) : null);
	}

	/** The deadline the unanswered read went past (ms), or null (none, or only the handshake is unanswered). */
	get missedDeadlineMs(): number | null {
		return this.unanswered?.deadlineMs ?? null;
	}

	/** Whether a read ever succeeded (there is data to show, stale or not). */
	get hasData(): boolean {
		return this.last !== null;
	}

	/** Why the data is not fresh: a read past its deadline first, that is a hung server. */
	get staleReason(): string {
		if (this.unanswered) return `Redis ${this.target} did not answer within ${seconds(this.unanswered.deadlineMs)}`;
		return this.lastError ?? (this.client.status === 'ready' ? 'read failed' : `connection ${this.client.status}`);
	}

	private staleSnapshot(now: number): Snapshot {
		const source = {
			kind: this.kind,
			target: this.target,
			connected: false,
			error: this.staleReason,
			fallbackReason: null,
			stale: this.last !== null,
			dataAt: this.last?.source.dataAt ?? null,
			...(this.unanswered ? {waitingSince: this.unanswered.since} : {}),
		};
		return this.last ? {...this.last, takenAt: now, source} : emptySnapshot(source, now);
	}

	/**
	 * One tick, within `deadlineMs` (default answerTimeoutMs): a server that
	 * does not answer by then (stopped, DEBUG SLEEP, a proxy that went quiet)
	 * gives the last data marked stale, saying so; the read stays in flight and
	 * the next poll waits on it instead of sending another.
	 */
	async poll(options: PollOptions = {}): Promise<Snapshot> {
		const started = Date.now();
		const deadlineMs = options.deadlineMs ?? this.opts.answerTimeoutMs;
		if (this.closed) return this.staleSnapshot(started);
		// The first poll waits for the first connection, so `--once` sees data.
		let waited = false;
		if (!this.ready && !this.everReady && !this.firstPolled) {
			this.firstPolled = true;
			waited = true;
			await this.connect(deadlineMs);
		}
		if (!this.ready && !this.reading) {
			// Connected, but the handshake (CLIENT SETINFO, AUTH, the ready check) is not answered: a hung server.
			const opening = this.client.status === 'connect' ? this.connectingSince : null;
			// (The first poll counts from its own start: it waited for the connection that long. An error, e.g. WRONGPASS, ends the wait early: that is an answer.)
			if (opening !== null && Date.now() - (waited ? started : opening) >= deadlineMs) {
				this.unanswered = {since: (this.silentSince ??= opening), deadlineMs};
				// Sentinel: drop it, so Sentinel is asked again (it may have promoted another master).
				this.dropIfStuck(opening);
			} else if (this.client.status !== 'connect') this.unanswered = null;
			return this.staleSnapshot(Date.now());
		}
		const reading = (this.reading ??= this.startRead());
		const settled = await within(reading.promise, deadlineMs - (Date.now() - started));
		if (settled) return settled;
		this.unanswered = {since: (this.silentSince ??= reading.since), deadlineMs};
		this.dropIfStuck(reading.since);
		return this.staleSnapshot(Date.now());
	}

	/**
	 * Drops a connection that has not answered since `since`: at once with
	 * Sentinel (ioredis asks Sentinel again only when the connection drops, so
	 * a master it replaced is left), else after dropStuckMs (a proxy or a
	 * network path that went quiet may answer on a new connection). The read
	 * in flight then fails; ioredis reconnects with its backoff.
	 */
	private dropIfStuck(since: number): void {
		if (this.sentinel || Date.now() - since >= this.opts.dropStuckMs) this.client.disconnect(true);
	}

	private startRead(): {since: number; promise: Promise<Snapshot>} {
		const reading = {since: Date.now(), promise: Promise.resolve(null as unknown as Snapshot)};
		reading.promise = this.read()
			.then(
				snapshot => {
					this.last = snapshot;
					this.silentSince = null;
					return snapshot;
				},
				(error: unknown) => {
					this.lastError = this.scrub(errorText(error));
					return null;
				},
			)
			.then(snapshot => {
				if (this.reading === reading) this.reading = null;
				this.unanswered = null;
				return snapshot ?? this.staleSnapshot(Date.now());
			});
		return reading;
	}

	/**
	 * Advances key discovery by at most `scanBudget` SCAN calls and about
	 * `scanTimeMs`. A new cycle starts every `rediscoverMs`, unless nothing
	 * was written since the last one began (`mark`, see write-mark.ts): then that
	 * one saw every key there is.
	 */
	private async discover(mark: string | null): Promise<void> {
		if (this.scanCursor === '0' && !this.cycles.start(Date.now(), mark, this.opts.rediscoverMs)) return;
		this.keyLists.clear();
		const match = `${escapeGlob(this.prefix)}:*`;
		const until = Date.now() + this.opts.scanTimeMs;
		for (let i = 0; i < this.opts.scanBudget && (i === 0 || Date.now() < until); i++) {
			const [cursor, keys] = await this.client.scanBuffer(this.scanCursor, 'MATCH', match, 'COUNT', this.opts.scanCount);
			this.scanCursor = cursor.toString();
			for (const buf of keys) this.classify(buf);
			if (this.scanCursor === '0') {
				this.known = this.pending;
				this.pending = newIndex();
				this.cycles.end(Date.now());
				// Types are re-read once a cycle in which something was written: a key
				// recreated with another type between ticks shows within one.
				if (this.lastMark === null || this.lastMark !== this.typesMark) {
					this.keyTypes.clear();
					this.typesMark = this.lastMark;
				}
				return;
			}
		}
	}

	private classify(buf: Buffer): void {
		const key = decodeBytes(buf);
		const p = this.prefix;
		const category: Category | null = key.startsWith(`${p}:instance:`)
			? 'instance'
			: key.startsWith(`${p}:job:`)
				? 'job'
				: key.startsWith(`${p}:lock:`) || key.startsWith(`${p}:locks:`)
					? 'lock'
					: key.startsWith(`${p}:metrics:`)
						? 'metrics'
						: 'other';
		this.pending.total++;
		const map = this.pending.byCategory[category];
		if (map.size < CATEGORY_CAP[category]) map.set(key, keyArg(buf, key));
	}

	/** Keys to read this tick: the last full cycle plus whatever the current one found. */
	private keysOf(category: Category): [string, RedisKey][] {
		const cached = this.keyLists.get(category);
		if (cached) return cached;
		const merged = new Map(this.known.byCategory[category]);
		for (const [k, v] of this.pending.byCategory[category]) if (!merged.has(k)) merged.set(k, v);
		const list = this.stable(category, [...merged.entries()].sort((a, b) => compareText(a[0], b[0])));
		this.keyLists.set(category, list);
		return list;
	}

	/** `list`, or the array last handed out under `name` when it holds the same names. */
	private stable(name: Category | 'locks', list: [string, RedisKey][]): [string, RedisKey][] {
		const previous = this.stableLists.get(name);
		if (previous && previous.length === list.length && previous.every(([key], i) => key === list[i]![0])) return previous;
		this.stableLists.set(name, list);
		return list;
	}

	/**
	 * The newest `slowlogCount` SLOWLOG entries, from this tick's reply: the
	 * whole list on a first read; else the newest few, put in front of the
	 * last list when the last newest entry is among them (ids only grow on one
	 * server), or alone when they are the whole list. Otherwise (more new
	 * entries than the head, a restart) the whole list is read again.
	 */
	private async slowlogEntries(reply: unknown, length: number | null, runId: string | undefined, take: (reply: [Error | null, unknown]) => unknown): Promise<SlowlogEntry[]> {
		const prev = this.lastSlowlog;
		const head = parseSlowlog(reply);
		const want = Math.min(this.opts.slowlogCount, length ?? this.opts.slowlogCount);
		let entries: SlowlogEntry[] | null = null;
		if (!prev) entries = head;
		else if (reply !== null && length !== null && prev.runId === runId) {
			const newest = prev.entries[0]?.id;
			const at = newest === undefined ? -1 : head.findIndex(e => e.id === newest);
			if (at === 0 && prev.entries.length === want) entries = prev.entries;
			else if (at >= 0) entries = [...head.slice(0, at), ...prev.entries].slice(0, want);
			else if (head.length >= want) entries = head.slice(0, want);
		}
		if (entries === null) {
			const full = await this.client.call('SLOWLOG', 'GET', String(this.opts.slowlogCount)).then(
				(value): [Error | null, unknown] => [null, value],
				(error: unknown): [Error | null, unknown] => [error instanceof Error ? error : new Error(String(error)), null],
			);
			entries = parseSlowlog(take(full));
		}
		// Without a run id a restart cannot be told apart: the whole list every tick.
		this.lastSlowlog = runId === undefined || reply === null ? null : {runId, entries};
		return entries;
	}

	/** The Keys pane's list: the first keys under the prefix in name order. */
	private listedKeys(lockKeys: [string, RedisKey][]): [string, RedisKey][] {
		const inputs = [this.keysOf('instance'), this.keysOf('job'), lockKeys, this.keysOf('metrics'), this.keysOf('other')];
		const cached = this.listedCache;
		if (cached && cached.inputs.every((list, i) => list === inputs[i])) return cached.listed;
		const listed = inputs.flat().sort((a, b) => compareText(a[0], b[0])).slice(0, this.opts.keyListLimit);
		this.listedCache = {inputs, listed};
		// Forget types of keys that left the list, so the map stays as small as it.
		const names = new Set(listed.map(([key]) => key));
		for (const key of this.keyTypes.keys()) if (!names.has(key)) this.keyTypes.delete(key);
		for (const key of this.keyTtls.keys()) if (!names.has(key)) this.keyTtls.delete(key);
		return listed;
	}

	/** STRLEN of `keys` in one round trip (the full length of values read cut); null where it failed. */
	private async lengths(keys: RedisKey[]): Promise<(number | null)[]> {
		const pipe = this.client.pipeline();
		for (const key of keys) pipe.strlen(key);
		const replies = (await pipe.exec().catch(() => null)) ?? [];
		return keys.map((_, i) => {
			const [error, value] = (replies[i] ?? [new Error('no reply'), null]) as [Error | null, unknown];
			countLookup(this.ownLookups, 'length', error, value);
			return error || typeof value !== 'number' ? null : value;
		});
	}

	/**
	 * The instances and jobs of hash fields (field → value), decoded through
	 * the memo. A value longer than VALUE_CAP is kept cut and marked, not decoded.
	 */
	private hashPartOf(fields: Iterable<[string, Buffer, number]>): {instances: Instance[]; jobs: Job[]; read: number} {
		const part: {instances: Instance[]; jobs: Job[]; read: number} = {instances: [], jobs: [], read: 0};
		const huge = new Set<string>();
		for (const [field, raw, bytes] of fields) {
			part.read++;
			if (bytes > VALUE_CAP) huge.add(field);
			const decoded =
				bytes > VALUE_CAP
					? this.hashMemo.get(
							field,
							raw,
							() =>
								field.startsWith(JOB_FIELD)
									? {instances: [], jobs: [truncatedJob(field.slice(JOB_FIELD.length), 'instances-hash', VALUE_CAP, bytes)]}
									: {instances: [truncatedInstance(field, 'instances-hash', VALUE_CAP, bytes)], jobs: []},
							bytes,
						)
					: this.hashMemo.get(field, raw, () => decodeInstanceMap([[field, raw.toString()]], 'instances-hash'));
			for (const instance of decoded.instances) part.instances.push(instance);
			for (const job of decoded.jobs) part.jobs.push(job);
		}
		this.hashMemo.endTick();
		this.hugeFields = huge;
		return part;
	}

	/**
	 * A small hash with fields known to be huge, read without carrying them:
	 * HKEYS came in the tick pipeline; here HMGET of the other fields and
	 * HSTRLEN of the huge ones, in one round trip (plus one for a huge field
	 * that shrank). HGETALL or HSCAN would carry a 64 MiB field whole each time.
	 */
	private async hashByName(hashKey: string, names: Buffer[]): Promise<Iterable<[string, Buffer, number]>> {
		const own = this.ownLookups;
		const fields = names.map(name => name.toString());
		const small = names.filter((_, i) => !this.hugeFields.has(fields[i]!));
		const huge = names.filter((_, i) => this.hugeFields.has(fields[i]!));
		const pipe = this.client.pipeline();
		if (small.length > 0) pipe.hmgetBuffer(hashKey, ...small);
		for (const name of huge) pipe.hstrlen(hashKey, name);
		const replies = (await pipe.exec()) ?? [];
		let r = 0;
		const out: [string, Buffer, number][] = [];
		// The key was just listed by HKEYS: each read is a hit (HSTRLEN of a field gone answers 0, still a hit).
		const take = (error: Error | null, value: unknown) => {
			countLookup(own, 'found', error, value);
			if (error) throw error;
			return value;
		};
		if (small.length > 0) {
			const [error, values] = replies[r++] ?? [new Error('no reply'), null];
			const list = take(error, values) as (Buffer | null)[];
			small.forEach((name, i) => {
				const value = list[i];
				if (value) out.push([name.toString(), cutValue(value), value.length]);
			});
		}
		const shrunk: Buffer[] = [];
		for (const name of huge) {
			const [error, value] = replies[r++] ?? [new Error('no reply'), null];
			const bytes = take(error, value) as number;
			if (bytes > VALUE_CAP) out.push([name.toString(), EMPTY, bytes]);
			else if (bytes > 0) shrunk.push(name);
		}
		if (shrunk.length > 0) {
			const values = await this.client.hmgetBuffer(hashKey, ...shrunk);
			countLookup(own, 'found', null, values);
			shrunk.forEach((name, i) => {
				const value = values[i];
				if (value) out.push([name.toString(), cutValue(value), value.length]);
			});
		}
		return out;
	}

	/**
	 * Goes on with the hash walk from `first` (the tick pipeline's HSCAN page):
	 * more pages while the tick's budget lasts. At the end of the hash or at
	 * HASH_HOLD fields the walk is done and its fields are what is shown; until
	 * then the last walk's (or, on a first walk, what it has so far).
	 */
	private async walkHash(hashKey: string, first: [Error | null, unknown], onError: (error: Error) => void): Promise<void> {
		const walk = this.hashWalk!;
		const until = Date.now() + this.opts.scanTimeMs;
		let received = 0;
		let reply = first;
		for (let pages = 1; ; pages++) {
			const [error, value] = reply;
			countLookup(this.ownLookups, 'scan', error, value);
			if (error) {
				onError(error);
				this.hashWalk = null;
				this.lastHashWalkAt = walk.startedAt;
				this.hashPart = null;
				this.hashPartWhole = false;
				return;
			}
			const [cursor, flat] = value as [Buffer, Buffer[]];
			walk.cursor = cursor.toString();
			for (let f = 0; f + 1 < flat.length && walk.fields.size < HASH_HOLD && walk.held < HASH_HOLD_BYTES; f += 2) {
				const raw = flat[f + 1]!;
				const kept = cutValue(raw);
				received += raw.length;
				walk.held += kept.length;
				walk.fields.set(flat[f]!.toString(), {raw: kept, bytes: raw.length});
			}
			const done = walk.cursor === '0' || walk.fields.size >= HASH_HOLD || walk.held >= HASH_HOLD_BYTES;
			// Pages of big values: the rest of the walk waits for the next tick.
			if (done || pages >= HASH_PAGES_PER_TICK || Date.now() >= until || received >= HASH_TICK_BYTES) {
				if (done) {
					this.hashWalk = null;
					this.lastHashWalkAt = walk.startedAt;
				}
				// A first walk shows what it has so far; later ones replace the last whole walk when done.
				if (done || !this.hashPartWhole) this.hashPart = this.hashPartOf(walkFields(walk.fields));
				this.hashPartWhole ||= done;
				return;
			}
			reply = await this.client.callBuffer('HSCAN', hashKey, walk.cursor, 'COUNT', String(HASH_PAGE)).then(
				(v): [Error | null, unknown] => [null, v],
				(e: unknown): [Error | null, unknown] => [e instanceof Error ? e : new Error(String(e)), null],
			);
		}
	}

	/**
	 * One tick. INFO travels in the tick's one pipeline, so what the tick may
	 * reuse is decided on the write mark the last tick saw (write-mark.ts);
	 * after a tick that saw writes nothing is reused. When the mark moved
	 * since a quiet tick, the tick is read again under the new mark: a second
	 * round trip only where a quiet spell ends.
	 */
	private async read(): Promise<Snapshot> {
		const guess = this.markMoved ? null : (this.seenMark ?? null);
		let tick = await this.readTick(guess, null);
		const dataset = datasetView(tick.snapshot.info);
		const replaced = tick.replacers !== null && this.seenReplacers !== null && tick.replacers !== this.seenReplacers;
		if (tick.replacers !== null) this.seenReplacers = tick.replacers;
		if (replaced || datasetMoved(this.seenDataset, dataset, this.db)) {
			// Other data without a write to name (REPLICAOF, SWAPDB, a restart, a new
			// master): nothing read before stands; read the tick again from scratch.
			this.forgetDataset();
			tick = await this.readTick(null, tick.snapshot);
		} else if (guess !== null && tick.mark !== guess) tick = await this.readTick(tick.mark, tick.snapshot);
		this.seenDataset = datasetView(tick.snapshot.info) ?? dataset;
		this.markMoved = tick.mark === null || (this.seenMark !== undefined && tick.mark !== this.seenMark);
		this.seenMark = tick.mark;
		return {...tick.snapshot, source: {...tick.snapshot.source, dataset: this.datasetGeneration}};
	}

	/** The database the connection reads. */
	private get db(): number {
		return this.client.options.db ?? 0;
	}

	/** Drops everything read or discovered under the old dataset: keys, values, locks, types, TTLs. */
	private forgetDataset(): void {
		this.datasetGeneration++;
		this.scanCursor = '0';
		this.known = newIndex();
		this.pending = newIndex();
		this.cycles.reset();
		this.keyLists.clear();
		this.listedCache = null;
		this.keyTypes.clear();
		this.typesMark = null;
		this.keyTtls.clear();
		this.lastTtlRead = Number.NEGATIVE_INFINITY;
		this.lastValues = null;
		this.locksRead = null;
		this.valuesEpoch = null;
		this.hashPart = null;
		this.metricSeries.clear();
		this.lockScan.reset();
		this.seenMark = undefined;
		this.markMoved = true;
	}

	/**
	 * Reads a tick, reusing what was read under `mark` (null: nothing). Returns
	 * the mark INFO showed; what was read is recorded under it only when it is
	 * `mark`, or when nothing was reused. A tick read again (`again`: the
	 * first reading) keeps that reading's SLOWLOG and lock notices: they are
	 * events, which the first reading took from the server.
	 *
	 * The tick plans what to read, queues its sections (the *Section methods:
	 * INFO, commandstats, DBSIZE, SLOWLOG, the instances hash, instance and
	 * job values, locks, metrics, TYPEs, TTLs, slowlog settings) in one
	 * pipeline, and parses each from its own replies (tick-pipeline.ts).
	 */
	private async readTick(mark: string | null, again: Snapshot | null): Promise<{snapshot: Snapshot; mark: string | null; replacers: string | null}> {
		const errors: Snapshot['errors'] = {};
		const ok = <T>(section: keyof Snapshot['errors'] | null, [error, value]: [Error | null, unknown]): T | null => {
			if (error) {
				if (section && !errors[section]) errors[section] = this.scrub(errorText(error));
				return null;
			}
			return value as T;
		};
		// While the write mark has not moved, discovery rests and the values,
		// locks and TTLs read before are reused (TTLs counted down), for at most
		// QUIET_REUSE_MS.
		this.lastMark = mark;
		const unchanged = (since: {mark: string | null; at: number} | null): boolean => stillQuiet(since, mark, Date.now());

		try {
			await this.discover(mark);
		} catch (error) {
			errors.keys = this.scrub(errorText(error));
		}
		const startedAt = Date.now();
		try {
			await this.lockWatch.check(startedAt, key => this.lockScan.add(key));
			// Once, so the first poll of a small store finds every lock at once.
			this.lastDbsize ??= await this.client.dbsize();
			await this.lockScan.advance(startedAt, this.lastDbsize, mark);
		} catch (error) {
			errors.locks = this.scrub(errorText(error));
		}
		const p = this.prefix;
		const hashKey = `${p}:instances`;
		const instanceKeys = this.keysOf('instance');
		const jobKeys = this.keysOf('job');
		const lockKeys = this.stable('locks', this.lockScan.keys(this.keysOf('lock')));
		const metricKeys = this.keysOf('metrics');
		const listed = this.listedKeys(lockKeys);

		const last = this.lastValues;
		const reuse = last !== null && unchanged(last) && last.instanceKeys === instanceKeys && last.jobKeys === jobKeys && last.metricKeys === metricKeys;
		const lastLocks = this.locksRead;
		const reuseLocks = lastLocks !== null && unchanged(lastLocks) && lastLocks.keys === lockKeys;

		// After writes, only the values the server named as written are read
		// again (key-tracking.ts), while its tracking has had no gap; new keys
		// and anything unknown are read too.
		// Whole at least once a minute, as for reuse (write-mark.ts): a bound on anything tracking might miss.
		const trusted = Date.now() - this.wholeReadAt < QUIET_REUSE_MS;
		const changes = reuse ? null : (this.tracking?.take(trusted ? this.valuesEpoch : null) ?? null);
		const takenEpoch = this.tracking?.coveringEpoch ?? null;
		const stale = (key: string, known: boolean): boolean => changes === null || changes === 'all' || changes.has(key) || !known;
		// Layout 2 hash: HGETALL while HLEN said it is small; else (and before
		// HLEN is known: a first tick must not HGETALL a million fields) HSCAN
		// pages. A walk in progress goes on; a new one starts at most every rediscoverMs.
		const walking = this.hashWalk !== null;
		const hashSmall = this.hashLength !== null && this.hashLength <= HASH_HGETALL_MAX;
		const readHashNow =
			!reuse && (walking || (stale(hashKey, this.hashPart !== null) && (hashSmall || this.hashPart === null || Date.now() - this.lastHashWalkAt >= this.opts.rediscoverMs)));
		const hashMode = !readHashNow ? null : hashSmall && !walking ? (this.hugeFields.size > 0 ? 'names' : 'all') : 'scan';
		const instanceReads = reuse ? [] : instanceKeys.filter(([key]) => stale(key, this.instanceMemo.rawOf(key) !== undefined));
		const jobReads = reuse ? [] : jobKeys.filter(([key]) => stale(key, this.jobMemo.rawOf(key) !== undefined));
		const metricReads = reuse ? [] : metricKeys.filter(([key]) => stale(key, this.metricSeries.has(key)));
		const lockCache = changes === null || changes === 'all' ? null : (lastLocks?.byKey ?? null);
		const lockReads = reuseLocks ? [] : lockCache ? lockKeys.filter(([key]) => stale(key, lockCache.has(key))) : lockKeys;

		// The tick's one pipelined round trip. Each section below queues its
		// commands and parses only its own replies (tick-pipeline.ts); the
		// parses run in the order of the sections. INFO first: the mark it
		// shows then predates every read below.
		const tick = new TickPipeline(this.client.pipeline());
		const readInfo = this.infoSection(tick, ok, errors);
		// After writes (and once at first): the calls of commands that replace data without naming keys (SWAPDB…).
		const askReplacers = !this.replacersDenied && (this.markMoved || this.seenReplacers === null);
		const readReplacers = this.replacersSection(tick, askReplacers, ok);
		const readDbsize = this.dbsizeSection(tick, ok);
		// Early in the pipeline: with a small slowlog-max-len and everything
		// logged, a later read would find the list full of tcmon's own commands.
		const readSlowlog = this.slowlogSection(tick, again, ok, errors);
		const readHash = this.hashSection(tick, hashKey, hashMode, ok);
		// Layout-1 values: a bounded GETRANGE each (one byte past VALUE_CAP shows
		// a cut). MGET would carry a 64 MiB value whole.
		const readInstanceValues = this.valuesSection(tick, reuse, instanceKeys, instanceReads, this.instanceMemo as DecodeMemo<unknown>);
		const readJobValues = this.valuesSection(tick, reuse, jobKeys, jobReads, this.jobMemo as DecodeMemo<unknown>);
		const readLocks = this.locksSection(tick, {reuseLocks, lastLocks, lockKeys, lockReads, lockCache, takenEpoch}, ok, errors);
		const readMetrics = this.metricsSection(tick, reuse ? last : null, metricKeys, metricReads, ok);
		// A key's type is read once a discovery cycle: it only changes if the key
		// is deleted and recreated (PTTL's -2 shows the deletion at once).
		const readTypes = this.typesSection(tick, listed, ok);
		// TTLs of the list every few seconds (new keys at once), counted down
		// in between: the list's PTTLs were most of a tick's commands.
		const readTtls = this.ttlsSection(tick, listed, changes, stale, unchanged, ok);
		const readAt = Date.now();
		const readSlowlogConfig = this.slowlogConfigSection(tick);
		// tcmon's own lookups the server counted before this pipeline's INFO.
		const ownAtInfo = {...this.ownLookups};
		const replies = await tick.exec();
		const drained = this.lockWatch.drain(readAt);
		const lockWatch = again?.lockWatch ? {...drained, notices: [...again.lockWatch.notices, ...drained.notices]} : drained;
		// A connection lost mid-pipeline resolves with every reply an error,
		// not a rejection: that is a failed read, not a set of NOPERMs.
		if (replies.length > 0 && replies.every(([error]) => error)) throw replies[0]![0]!;

		const info = readInfo();
		const seen = info ? writeMark(info) : null;
		// What this tick read stands for the dataset under `seen`, unless it reused reads made under another mark.
		const recorded = mark === null || seen === mark ? seen : null;
		const replacers = readReplacers();
		const dbsize = readDbsize();
		const {slowlog, slowlogLength} = await readSlowlog(info ? infoField(info, 'run_id') : undefined);
		await readHash();

		const instances: Instance[] = reuse ? [...last.instances] : [];
		const jobs: Job[] = reuse ? [...last.jobs] : [];
		if (!reuse && this.hashPart) {
			// One by one: a spread of a million items overflows the stack.
			for (const instance of this.hashPart.instances) instances.push(instance);
			for (const job of this.hashPart.jobs) jobs.push(job);
		}
		const instanceValues = readInstanceValues();
		const jobValues = readJobValues();
		// The full length of values cut this tick: one more round trip, only when there are any.
		const cut = [...instanceValues, ...jobValues].filter(v => v.bytes === null && v.value !== null && v.value.length > VALUE_CAP);
		if (cut.length > 0) {
			const byName = new Map([...instanceKeys, ...jobKeys]);
			const lengths = await this.lengths(cut.map(v => byName.get(v.key)!));
			cut.forEach((v, j) => (v.bytes = lengths[j] ?? null));
		}
		for (const {key, error, value, bytes} of instanceValues) {
			if (!error && value === null) continue;
			const id = key.slice(`${p}:instance:`.length);
			if (error) {
				instances.push(instanceFrom(id, {value: null, error: errorText(error)}, 'instance-key'));
				continue;
			}
			const make = () => (value!.length > VALUE_CAP ? truncatedInstance(id, 'instance-key', VALUE_CAP, bytes) : instanceFrom(id, decodeObject(value!.toString()), 'instance-key'));
			instances.push(this.instanceMemo.get(key, value, make, bytes));
		}
		for (const {key, error, value, bytes} of jobValues) {
			if (!error && value === null) continue;
			const id = key.slice(`${p}:job:`.length);
			if (error) {
				jobs.push(jobFrom(id, {value: null, error: errorText(error)}, 'instance-key'));
				continue;
			}
			const make = () => (value!.length > VALUE_CAP ? truncatedJob(id, 'instance-key', VALUE_CAP, bytes) : jobFrom(id, decodeObject(value!.toString()), 'instance-key'));
			jobs.push(this.jobMemo.get(key, value, make, bytes));
		}
		const locks = await readLocks(recorded, readAt);
		const metrics = readMetrics(readAt);
		readTypes();
		const gone = readTtls(recorded, readAt);
		const keys: KeyRow[] = [];
		const listedAt = Date.now();
		for (const [key] of listed) {
			if (gone.has(key)) {
				this.keyTypes.delete(key);
				this.keyTtls.delete(key);
				continue;
			}
			const type = this.keyTypes.get(key) ?? null;
			if (type === null) this.keyTypes.delete(key); // TYPE failed: ask again
			const ttl = this.keyTtls.get(key);
			const ttlMs = ttl === undefined ? undefined : ttl.pttl < 0 ? null : ttlLeft(ttl.pttl, ttl.at, listedAt);
			keys.push({key, type, ttlMs});
		}
		readSlowlogConfig();
		if (!reuse) {
			// (The hash's memo ends its tick where the hash is read.)
			for (const memo of [this.instanceMemo, this.jobMemo]) memo.endTick();
			const metricNames = new Set(metricKeys.map(([k]) => k));
			for (const key of this.sampleMemos.keys()) if (!metricNames.has(key)) this.sampleMemos.delete(key);
			for (const key of this.metricSeries.keys()) if (!metricNames.has(key)) this.metricSeries.delete(key);
			// Values read with errors are read whole again next tick.
			this.valuesEpoch = errors.state || errors.metrics ? null : takenEpoch;
			if (changes === null && this.valuesEpoch !== null) this.wholeReadAt = readAt;
			// A read with errors in these sections is never reused: its errors must show each tick;
			// nor one in the middle of a hash walk: the next tick goes on with it.
			this.lastValues = recorded === null || errors.state || errors.metrics || this.hashWalk !== null ? null : {mark: recorded, at: readAt, instanceKeys, jobKeys, metricKeys, instances, jobs, metrics};
		}
		const slowlogConfig = this.slowlogConfig.current;
		// Tracking starts from the second tick (there is a last snapshot), in the background: a one-shot
		// run (--once, --json) never opens its connection, and the first tick
		// reads the SLOWLOG before tcmon's own setup commands reach it.
		if (this.tracking && this.last) void this.tracking.ensure(Date.now());

		const probe = await this.probe.read(
			this.client,
			{instance: instanceKeys.map(([, b]) => b), job: jobKeys.map(([, b]) => b), metric: metricKeys.map(([, b]) => b), instancesHash: hashKey, hashFields: this.hashLength ?? 0},
			Date.now(),
		);
		// An instance or job written in both layouts is one: the hash's copy (what the reference writer writes) wins.
		// A tick that read the same objects keeps last tick's lists: what is built from them downstream
		// (the Agents view, the activity feed's comparison) is reused by identity.
		const lastMerged = this.mergedLast;
		const merged =
			lastMerged && sameItems(lastMerged.instancesIn, instances) && sameItems(lastMerged.jobsIn, jobs)
				? lastMerged.merged
				: {instances: dedupeById(instances, 'instances-hash'), jobs: dedupeById(jobs, 'instances-hash')};
		this.mergedLast = {instancesIn: instances, jobsIn: jobs, merged};
		const now = Date.now();
		const snapshot: Snapshot = {
			...emptySnapshot(
				{
					kind: this.kind,
					target: this.target,
					connected: true,
					error: null,
					fallbackReason: null,
					stale: false,
					dataAt: now,
				},
				now,
			),
			server: info ? serverFromInfo(info) : null,
			stats: info ? {...statsFromInfo(info, dbsize), ownHits: ownAtInfo.hits, ownMisses: ownAtInfo.misses} : dbsize === null ? null : {...statsFromInfo({}, dbsize)},
			info,
			slowlog,
			slowlogLength,
			keys,
			keysTruncated: this.known.total + this.pending.total > listed.length && listed.length >= this.opts.keyListLimit,
			locks,
			lockWatch,
			changeTracking: this.tracking ? {on: this.tracking.reason === null, detail: this.tracking.reason ?? 'on'} : null,
			instances: merged.instances.items,
			jobs: merged.jobs.items,
			instancesHash: this.hashLength || this.hashPart?.read ? {fields: this.hashLength ?? 0, read: this.hashPart?.read ?? 0} : null,
			duplicates: merged.instances.duplicates + merged.jobs.duplicates > 0 ? {instances: merged.instances.duplicates, jobs: merged.jobs.duplicates, differ: merged.instances.differ + merged.jobs.differ} : null,
			metrics,
			errors,
			serverConfig: probe?.serverConfig ?? null,
			keySizes: probe?.keySizes ?? null,
			...(slowlogConfig ? {slowlogConfig} : {}),
		};
		return {snapshot, mark: seen, replacers};
	}

	/** INFO, first in the pipeline: the write mark it shows predates every read of the tick. */
	private infoSection(tick: TickPipeline, ok: Ok, errors: Snapshot['errors']) {
		return tick.add(pipe => {
			pipe.info();
			return (r): ReturnType<typeof parseInfo> | null => {
				const infoText = ok<string>('info', r.next());
				// `rename-command INFO ""`: say what happened rather than a bare "unknown command".
				if (infoText === null && errors.info && /unknown command/i.test(errors.info)) errors.info = `INFO is renamed or disabled on this server (${errors.info.trim()})`;
				return infoText === null ? null : parseInfo(infoText);
			};
		});
	}

	/** INFO commandstats when `ask`: the calls of commands that replace data without naming keys. */
	private replacersSection(tick: TickPipeline, ask: boolean, ok: Ok) {
		return tick.add(pipe => {
			if (ask) pipe.info('commandstats');
			return r => {
				if (!ask) return null;
				const replacers = replacerCalls(ok<string>(null, r.next()));
				// Denied or renamed (INFO itself may be): not asked again; the keyspace counts still tell most swaps.
				if (replacers === null) this.replacersDenied = true;
				return replacers;
			};
		});
	}

	/** DBSIZE: the stats' key count, kept for the lock scan's pace. */
	private dbsizeSection(tick: TickPipeline, ok: Ok) {
		return tick.add(pipe => {
			pipe.dbsize();
			return r => (this.lastDbsize = ok<number>('info', r.next()));
		});
	}

	/** CONFIG GET slowlog-* when due (slowlog-config.ts). */
	private slowlogConfigSection(tick: TickPipeline) {
		return tick.add(pipe => {
			const asked = this.slowlogConfig.request(pipe, Date.now());
			return r => {
				if (asked) this.slowlogConfig.take(r.next(), Date.now());
			};
		});
	}

	/**
	 * Each key of `list` with its value: read this tick when in `reads`, else
	 * the one last read. null: no such string (gone since discovery, or
	 * of another type). `bytes`: the full length of a value cut at VALUE_CAP.
	 * Nothing while the last values are reused.
	 */
	private valuesSection(tick: TickPipeline, reuse: boolean, list: [string, RedisKey][], reads: [string, RedisKey][], memo: DecodeMemo<unknown>) {
		return tick.add(pipe => {
			for (const [, buf] of reads) pipe.getrangeBuffer(buf, 0, VALUE_CAP);
			return (r): KeyValue[] => {
				if (reuse) return [];
				const read = new Map<string, KeyValue>();
				for (const [key] of reads) {
					const [error, reply] = r.next();
					countLookup(this.ownLookups, 'value', error, reply);
					const wrongType = error !== null && /^WRONGTYPE/.test(error.message);
					// GETRANGE answers "" for a missing key (MGET's nil): an empty value holds no instance either.
					const value = !error && Buffer.isBuffer(reply) && reply.length > 0 ? reply : null;
					read.set(key, {key, error: wrongType ? null : error, value, bytes: null});
				}
				return list.map(([key]) => read.get(key) ?? {key, error: null, value: (memo.rawOf(key) as Buffer | undefined) ?? null, bytes: memo.tagOf(key)});
			};
		});
	}

	/** SLOWLOG's head and length (slowlogEntries); a tick read again keeps its first reading's (`again`). */
	private slowlogSection(tick: TickPipeline, again: Snapshot | null, ok: Ok, errors: Snapshot['errors']) {
		return tick.add(pipe => {
			const slowlogHead = this.lastSlowlog ? Math.min(SLOWLOG_HEAD, this.opts.slowlogCount) : this.opts.slowlogCount;
			if (!again) {
				pipe.call('SLOWLOG', 'GET', String(slowlogHead));
				pipe.call('SLOWLOG', 'LEN');
			}
			return async (r, runId: string | undefined): Promise<{slowlog: SlowlogEntry[]; slowlogLength: number | null}> => {
				if (again) {
					if (again.errors.slowlog) errors.slowlog = again.errors.slowlog;
					return {slowlog: again.slowlog, slowlogLength: again.slowlogLength};
				}
				const slowlogRaw = ok<unknown>('slowlog', r.next());
				const slowlogLength = ok<number>('slowlog', r.next());
				return {slowlog: await this.slowlogEntries(slowlogRaw, slowlogLength, runId, full => ok('slowlog', full)), slowlogLength};
			};
		});
	}

	/** HLEN and the layout-2 hash, read as `hashMode` says (null: not this tick), into hashPart. */
	private hashSection(tick: TickPipeline, hashKey: string, hashMode: 'all' | 'names' | 'scan' | null, ok: Ok) {
		return tick.add(pipe => {
			pipe.hlen(hashKey);
			// Buffers, not strings: an unchanged value is then compared, not decoded again.
			// A flat reply, not ioredis' object: the fields are walked once below.
			if (hashMode === 'all') pipe.callBuffer('HGETALL', hashKey);
			else if (hashMode === 'names') pipe.callBuffer('HKEYS', hashKey);
			else if (hashMode === 'scan') {
				this.hashWalk ??= {cursor: '0', fields: new Map(), held: 0, startedAt: Date.now()};
				pipe.callBuffer('HSCAN', hashKey, this.hashWalk.cursor, 'COUNT', String(HASH_PAGE));
			}
			return async r => {
				const hlen = r.next();
				countLookup(this.ownLookups, 'length', ...hlen);
				this.hashLength = ok<number>('state', hlen) ?? 0;
				if (hashMode === 'all') {
					const reply = r.next();
					countLookup(this.ownLookups, 'list', ...reply);
					const hash = ok<Buffer[]>('state', reply);
					this.hashPart = hash ? this.hashPartOf(pairs(hash)) : null;
					this.hashPartWhole = this.hashPart !== null;
				} else if (hashMode === 'names') {
					const reply = r.next();
					countLookup(this.ownLookups, 'list', ...reply);
					const names = ok<Buffer[]>('state', reply);
					try {
						this.hashPart = names ? this.hashPartOf(await this.hashByName(hashKey, names)) : null;
					} catch (error) {
						ok('state', [error instanceof Error ? error : new Error(String(error)), null]);
						this.hashPart = null;
					}
					this.hashPartWhole = this.hashPart !== null;
				} else if (hashMode === 'scan') {
					await this.walkHash(hashKey, r.next(), error => ok('state', [error, null]));
				}
			};
		});
	}

	/** The lock keys' tokens and TTLs: those in `lockReads`, the others kept from the last read; all reused while quiet. */
	private locksSection(
		tick: TickPipeline,
		{reuseLocks, lastLocks, lockKeys, lockReads, lockCache, takenEpoch}: {reuseLocks: boolean; lastLocks: RedisSource['locksRead']; lockKeys: [string, RedisKey][]; lockReads: [string, RedisKey][]; lockCache: Map<string, Lock> | null; takenEpoch: number | null},
		ok: Ok,
		errors: Snapshot['errors'],
	) {
		return tick.add(pipe => {
			if (!reuseLocks) this.lockScan.queue(pipe, lockReads);
			return async (r, recorded: string | null, readAt: number): Promise<Lock[]> => {
				if (reuseLocks) return lastLocks!.locks.map(lock => countedDown(lock, lastLocks!.at, readAt));
				const read = this.lockScan.parse(lockReads, r.next, error => ok('locks', [error, null]), this.ownLookups);
				const cutLocks = read.filter(lock => lock.truncated && lock.bytes == null);
				if (cutLocks.length > 0) {
					const byName = new Map(lockReads);
					const lengths = await this.lengths(cutLocks.map(lock => byName.get(lock.key)!));
					const bytesOf = new Map(cutLocks.map((lock, j) => [lock.key, lengths[j] ?? null]));
					read.forEach((lock, j) => {
						if (bytesOf.has(lock.key)) read[j] = {...lock, bytes: bytesOf.get(lock.key)!};
					});
				}
				const locks = lastLocks && lockCache && lockReads.length < lockKeys.length ? keptLocks(lockKeys, lockReads, read, {at: lastLocks.at, byKey: lockCache}, readAt) : read;
				this.locksRead = errors.locks
					? null
					: {mark: recorded, at: readAt, keys: lockKeys, locks, byKey: takenEpoch === null ? null : new Map(locks.map(lock => [lock.key, lock]))};
				return locks;
			};
		});
	}

	/** The metric series of `metricKeys`: those in `metricReads` read, the others kept; `reuse`: the last values, reused whole. */
	private metricsSection(tick: TickPipeline, reuse: RedisSource['lastValues'], metricKeys: [string, RedisKey][], metricReads: [string, RedisKey][], ok: Ok) {
		return tick.add(pipe => {
			for (const [, buf] of metricReads) {
				pipe.zcard(buf);
				pipe.zrange(buf, -this.opts.metricTail, -1, 'WITHSCORES');
				pipe.pttl(buf);
			}
			return (r, readAt: number): MetricSeries[] => {
				// Reused metrics count their TTL down from the full read.
				const metrics: MetricSeries[] = reuse ? reuse.metrics.map(m => countedDown(m, reuse.at, readAt)) : [];
				const metricsRead = new Set(metricReads.map(([key]) => key));
				for (const [key] of reuse ? [] : metricKeys) {
					const kept = metricsRead.has(key) ? undefined : this.metricSeries.get(key);
					if (kept) {
						metrics.push(countedDown(kept.series, kept.at, readAt));
						continue;
					}
					const countReply = r.next();
					const rangeReply = r.next();
					const pttlReply = r.next();
					countLookup(this.ownLookups, 'length', ...countReply);
					countLookup(this.ownLookups, 'list', ...rangeReply);
					countLookup(this.ownLookups, 'ttl', ...pttlReply);
					const count = ok<number>('metrics', countReply);
					const range = ok<string[]>('metrics', rangeReply);
					const pttl = ok<number>('metrics', pttlReply);
					this.metricSeries.delete(key);
					if (count === null || range === null) continue;
					const samples = [];
					let memo = this.sampleMemos.get(key);
					if (!memo) this.sampleMemos.set(key, (memo = new DecodeMemo()));
					for (let j = 0; j + 1 < range.length; j += 2) {
						const member = range[j]!;
						const score = range[j + 1]!;
						const decoded = memo.get(score, member, () => decodeMetricSample(member, Number(score)));
						if (decoded) samples.push(decoded.sample);
					}
					memo.endTick();
					const series = {name: key.slice(`${this.prefix}:metrics:`.length), key, count, samples, ttlMs: pttl === null || pttl < 0 ? null : pttl};
					metrics.push(series);
					this.metricSeries.set(key, {series, at: readAt});
				}
				return metrics;
			};
		});
	}

	/** TYPE of the listed keys not typed yet. */
	private typesSection(tick: TickPipeline, listed: [string, RedisKey][], ok: Ok) {
		return tick.add(pipe => {
			const untyped = listed.filter(([key]) => !this.keyTypes.has(key));
			for (const [, buf] of untyped) pipe.type(buf);
			return r => {
				for (const [key] of untyped) {
					const reply = r.next();
					countLookup(this.ownLookups, 'type', ...reply);
					const type = ok<string>('keys', reply);
					if (type !== null && type !== 'none') this.keyTypes.set(key, type);
				}
			};
		});
	}

	/** PTTL of the listed keys when due (or changed, or new); the parse returns the keys deleted since discovery. */
	private ttlsSection(
		tick: TickPipeline,
		listed: [string, RedisKey][],
		changes: KeyChanges | null,
		stale: (key: string, known: boolean) => boolean,
		unchanged: (since: {mark: string | null; at: number} | null) => boolean,
		ok: Ok,
	) {
		return tick.add(pipe => {
			const ttlDue = Date.now() - this.lastTtlRead >= TTL_REFRESH_MS && !unchanged({mark: this.ttlMark, at: this.lastTtlRead});
			// With tracking, a TTL changes only with a write to its key, which the server names.
			const ttlKeys = ttlDue && changes === null ? listed : listed.filter(([key]) => stale(key, this.keyTtls.has(key)) && (ttlDue || !this.keyTtls.has(key)));
			for (const [, buf] of ttlKeys) pipe.pttl(buf);
			/** Returns the keys deleted since discovery. */
			return (r, recorded: string | null, readAt: number): Set<string> => {
				if (ttlDue) {
					this.lastTtlRead = readAt;
					this.ttlMark = recorded;
				}
				const gone = new Set<string>();
				for (const [key] of ttlKeys) {
					const reply = r.next();
					countLookup(this.ownLookups, 'ttl', ...reply);
					const pttl = ok<number>('keys', reply);
					if (pttl === -2) gone.add(key); // deleted since discovery
					else if (pttl === null) this.keyTtls.delete(key);
					else this.keyTtls.set(key, {pttl, at: readAt});
				}
				return gone;
			};
		});
	}
}

/** A layout-1 value as a tick holds it (see valuesSection). */
type KeyValue = {key: string; error: Error | null; value: Buffer | null; bytes: number | null};

/** A reply's value, or null with the error kept under `section` (its first error). */
type Ok = <T>(section: keyof Snapshot['errors'] | null, reply: Reply) => T | null;

/** The locks of `keys` in order: those just read, and the others as last read, their TTLs counted down. */
const keptLocks = (keys: readonly [string, RedisKey][], reads: readonly [string, RedisKey][], read: Lock[], last: {at: number; byKey: Map<string, Lock>}, now: number): Lock[] => {
	const fresh = new Map(read.map(lock => [lock.key, lock]));
	const wasRead = new Set(reads.map(([key]) => key));
	const locks: Lock[] = [];
	for (const [key] of keys) {
		const lock = wasRead.has(key) ? fresh.get(key) : last.byKey.get(key);
		if (lock) locks.push(wasRead.has(key) ? lock : countedDown(lock, last.at, now));
	}
	return locks;
};

/**
 * Above this HLEN the instances hash is paged, not HGETALLed: HGETALL of
 * 2,000 ~350-byte fields takes ~1 ms on the server (5,000: 2.4 ms; 10,000:
 * 5.4 ms; a million: 0.8–2.8 s). A page of HSCAN COUNT 500 took up to 1.3 ms on
 * a million fields, COUNT 250 under 1 ms.
 */
export const HASH_HGETALL_MAX = 2000;
const HASH_PAGE = 250;
/** HSCAN pages a tick at most (and within scanTimeMs): HASH_HOLD fields in one tick when the round trips are quick. */
const HASH_PAGES_PER_TICK = 40;
/** Fields of the hash held at most, and their bytes: what is shown is "N of M". */
export const HASH_HOLD = 10_000;
const HASH_HOLD_BYTES = 32 * 1024 * 1024;
/** Bytes of HSCAN replies a tick takes before it leaves the rest of the walk to the next one. */
const HASH_TICK_BYTES = 4 * 1024 * 1024;

const EMPTY = Buffer.alloc(0);
/** A value cut at VALUE_CAP keeps one byte past it (the mark that it was cut) and lets the rest go. */
const cutValue = (raw: Buffer): Buffer => (raw.length > VALUE_CAP ? Buffer.from(raw.subarray(0, VALUE_CAP + 1)) : raw);

/** HGETALL's flat reply as [field, value, length] (values cut at VALUE_CAP). */
const pairs = function* (flat: Buffer[]): Generator<[string, Buffer, number]> {
	for (let f = 0; f + 1 < flat.length; f += 2) yield [flat[f]!.toString(), cutValue(flat[f + 1]!), flat[f + 1]!.length];
};
const walkFields = function* (fields: Map<string, {raw: Buffer; bytes: number}>): Generator<[string, Buffer, number]> {
	for (const [field, {raw, bytes}] of fields) yield [field, raw, bytes];
};

/** `promise`'s value if it settles within `ms`, else null (the promise goes on). */
const within = <T>(promise: Promise<T>, ms: number): Promise<T | null> =>
	new Promise(resolve => {
		const timer = setTimeout(() => resolve(null), Math.max(0, ms));
		void promise.then(value => {
			clearTimeout(timer);
			resolve(value);
		});
	});

/** "5 s", "0.5 s": a deadline as the user gave it (--timeout is in seconds). */
export const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;

/** A connection open this long without an answer to its handshake counts as a server not answering. */
const HANDSHAKE_MS = 500;
/** SLOWLOG entries a tick reads once the list is known (see slowlogEntries). */
const SLOWLOG_HEAD = 16;
/** How often the Keys list's TTLs are read again (in between they count down). */
const TTL_REFRESH_MS = 5000;

