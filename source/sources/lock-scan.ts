// The Redis side of the lock inspector: finding lock keys without walking the
// keyspace every tick, reading every known lock in the tick's one pipeline,
// and (when the server publishes them) keyspace notifications on lock keys
// between polls. Used by RedisSource; all of it is read-only.
// Budget: SCAN COUNT 5000, at most 15 ms of SCAN calls a tick (60 ms until
// the first walk completes), a new walk at most every 5 s once one finished,
// a whole walk every tick at or below 20,000 keys (DBSIZE); a `set`
// notification adds a lock key at once. While the write mark stands still
// (write-mark.ts) neither walk nor reads happen and TTLs are counted down.
// Measured by `node test/bench/locks.mjs` (LOCKS_BENCH_SECONDS, default 20;
// 10,000 locks, half in each namespace, among 990,000 other keys; 1 s
// interval; 2 shared cores, Redis 7.0.15): all 10,000 shown after 10.3 s
// (11 polls); idle store ≈ 251 commands/s, of them SCAN 246/s (the Keys
// list's first walk of the million keys, 40 ms a tick, resting once done),
// no PTTL or token reads (the mark had not moved); ≈ 17 ms of server time a
// second (redis-server CPU ≈ 2.3 %); poll p50 ≈ 91 ms, max ≈ 121 ms. While
// the store is written every known lock is read each tick: 10,000 PTTLs a
// second here, 36–42 ms of server time a second, polls of 180–230 ms
// (measured before the write mark applied to locks); a longer --interval
// divides it.
import type {ChainableCommander, Redis, RedisKey} from 'ioredis';
import {lockResource, redisLock} from '../domain/locks';
import {countLookup, type OwnLookups} from '../domain/own-reads';
import {TOKEN_CAP} from '../domain/state-merge';
import {compareText} from '../domain/order';
import {decodeBytes, keyArg} from '../domain/sanitize';
import type {Lock, LockNotice, LockWatch} from '../domain/types';
import {escapeGlob} from '../domain/scan-cursor';
import {errorText} from './source';
import {WalkCycles} from './write-mark';

export type LockScanOptions = {
	/** COUNT of each SCAN call. */
	scanCount?: number;
	/** At most this many SCAN calls per tick… */
	scanCalls?: number;
	/** …and no more calls once this many ms were spent in a tick… */
	scanMs?: number;
	/** …or this many until the first cycle is complete (the first view matters most). */
	firstScanMs?: number;
	/** A new discovery cycle starts at most this often once one finished. */
	rediscoverMs?: number;
	/** At or below this DBSIZE a whole cycle runs in one tick. */
	smallStore?: number;
	/** Lock keys held at most (the rest are counted, not read). */
	maxLocks?: number;
	/** Bytes of a token read at most (GETRANGE); a longer one is marked truncated. */
	tokenCap?: number;
};

const sortKeys = (a: [string, RedisKey], b: [string, RedisKey]) => compareText(a[0], b[0]);

/**
 * Lock discovery: SCAN MATCH `{prefix}:lock*:*` (both namespaces, one walk),
 * a time- and call-bounded slice per tick, a new cycle every `rediscoverMs`,
 * or whole cycles every tick on a small store. Known locks are read every
 * tick: a bounded GETRANGE for the token (MGET would carry a 64 MiB token
 * whole) plus one PTTL each.
 */
export class LockScanner {
	private cursor = '0';
	private readonly walks = new WalkCycles();
	private known = new Map<string, RedisKey>();
	private pending = new Map<string, RedisKey>();
	private readonly opts: Required<LockScanOptions>;
	/** Completed discovery cycles (tests and the bench read it). */
	cycles = 0;
	scanCalls = 0;

	constructor(
		private readonly client: Redis,
		private readonly prefix: string,
		options: LockScanOptions = {},
	) {
		this.opts = {
			scanCount: options.scanCount ?? 5000,
			scanCalls: options.scanCalls ?? 50,
			scanMs: options.scanMs ?? 15,
			firstScanMs: options.firstScanMs ?? 60,
			rediscoverMs: options.rediscoverMs ?? 5000,
			smallStore: options.smallStore ?? 20_000,
			maxLocks: options.maxLocks ?? 20_000,
			tokenCap: options.tokenCap ?? TOKEN_CAP,
		};
	}

	get match(): string {
		return `${escapeGlob(this.prefix)}:lock*:*`;
	}

	/**
	 * Advances discovery within this tick's budget. `dbsize` is the last one
	 * seen (null: unknown); `mark` the server's write mark (write-mark.ts): a cycle that began under the current mark saw every lock
	 * there is, so none starts again until something is written (or a minute passed).
	 */
	async advance(now: number, dbsize: number | null, mark: string | null = null): Promise<void> {
		const small = dbsize !== null && dbsize <= this.opts.smallStore;
		if (this.cursor === '0' && !this.walks.start(now, mark, small ? 0 : this.opts.rediscoverMs)) return;
		const calls = small ? Math.ceil(dbsize / this.opts.scanCount) * 2 + 4 : this.opts.scanCalls;
		const started = Date.now();
		for (let i = 0; i < calls; i++) {
			const [cursor, keys] = await this.client.scanBuffer(this.cursor, 'MATCH', this.match, 'COUNT', this.opts.scanCount);
			this.scanCalls++;
			this.cursor = cursor.toString();
			for (const buf of keys) this.note(buf, this.pending);
			if (this.cursor === '0') {
				this.known = this.pending;
				this.pending = new Map();
				this.walks.end(now);
				this.cycles++;
				return;
			}
			if (!small && Date.now() - started >= (this.cycles === 0 ? this.opts.firstScanMs : this.opts.scanMs)) return;
		}
	}

	private note(buf: Buffer, into: Map<string, RedisKey>): void {
		const key = decodeBytes(buf);
		if (!lockResource(key, this.prefix)) return; // e.g. `{prefix}:lockstep:x`
		if (into.size < this.opts.maxLocks || into.has(key)) into.set(key, keyArg(buf, key));
	}

	/** Forgets every lock key found: the dataset was replaced (write-mark.ts datasetMoved). */
	reset(): void {
		this.cursor = '0';
		this.known = new Map();
		this.pending = new Map();
		this.walks.reset();
	}

	/** A lock key learnt between scans (a keyspace notification). */
	add(key: string): void {
		if (!this.known.has(key)) this.note(Buffer.from(key), this.known);
	}

	/** Keys to read this tick: the last cycle, the one in progress, and `extra` (other discovery). */
	keys(extra: readonly [string, RedisKey][] = []): [string, RedisKey][] {
		const merged = new Map(this.known);
		for (const [k, v] of this.pending) if (!merged.has(k)) merged.set(k, v);
		for (const [k, v] of extra) if (!merged.has(k) && lockResource(k, this.prefix)) merged.set(k, v);
		return [...merged.entries()].sort(sortKeys);
	}

	/** Adds the reads of `keys` to the tick pipeline: the token's first tokenCap bytes (one more shows it was cut), then the PTTLs. */
	queue(pipe: ChainableCommander, keys: readonly [string, RedisKey][]): void {
		for (const [, buf] of keys) pipe.getrangeBuffer(buf, 0, this.opts.tokenCap);
		for (const [, buf] of keys) pipe.pttl(buf);
	}

	/**
	 * Reads the replies `queue` asked for, in order, counting them in `own`.
	 * Vanished keys are forgotten until found again; a key of another type
	 * (WRONGTYPE) is no lock. A cut token is marked truncated (bytes unknown).
	 */
	parse(keys: readonly [string, RedisKey][], next: () => [Error | null, unknown], onError: (error: Error) => void, own?: OwnLookups): Lock[] {
		const tokens: (Buffer | null)[] = [];
		for (let i = 0; i < keys.length; i++) {
			const [error, value] = next();
			if (own) countLookup(own, 'value', error, value);
			if (error && !/^WRONGTYPE/.test(error.message)) onError(error);
			tokens.push(!error && Buffer.isBuffer(value) ? value : null);
		}
		const locks: Lock[] = [];
		keys.forEach(([key], i) => {
			const [error, value] = next();
			if (own) countLookup(own, 'ttl', error, value);
			if (error) onError(error);
			const pttl = error ? null : (value as number);
			if (pttl === -2) {
				this.known.delete(key);
				this.pending.delete(key);
			}
			const buf = tokens[i] ?? null;
			const cut = buf !== null && buf.length > this.opts.tokenCap;
			const lock = redisLock({key, token: buf === null ? null : (cut ? buf.subarray(0, this.opts.tokenCap) : buf).toString(), pttl}, this.prefix);
			if (lock) locks.push(cut ? {...lock, truncated: true, bytes: null} : lock);
		});
		return locks;
	}
}

/**
 * Which keyspace events `notify-keyspace-events` publishes for lock keys: K
 * (keyspace channel) plus set ($), del (g) and expired (x); A covers all three.
 */
export const notifyCoverage = (flags: string): {covered: boolean; missing: string[]} => {
	const has = (c: string) => flags.includes(c);
	const missing: string[] = [];
	if (!has('K')) missing.push('K');
	if (!has('A')) {
		if (!has('$')) missing.push('$');
		if (!has('g')) missing.push('g');
		if (!has('x')) missing.push('x');
	}
	return {covered: missing.length === 0, missing};
};

const MAX_NOTICES = 20_000;

/**
 * Keyspace notifications on the lock keys, on a separate subscriber
 * connection. Never changes the server's config: it asks (CONFIG GET, when
 * permitted) and listens when they are on, or when it cannot tell.
 */
export class LockWatcher {
	private sub: Redis | null = null;
	private notices: LockNotice[] = [];
	private dropped = 0;
	private state: LockWatch['state'] = 'unknown';
	private detail = 'keyspace notifications not checked yet';
	private lastCheck = Number.NEGATIVE_INFINITY;
	private closed = false;

	constructor(
		private readonly client: Redis,
		private readonly prefix: string,
		private readonly checkEveryMs = 60_000,
	) {}

	private get pattern(): string {
		const db = this.client.options.db ?? 0;
		return `__keyspace@${db}__:${escapeGlob(this.prefix)}:lock*:*`;
	}

	/** Re-reads the server's setting now and then; subscribes or unsubscribes to match. */
	async check(now: number, onKey?: (key: string) => void): Promise<void> {
		if (this.closed || now - this.lastCheck < this.checkEveryMs) return;
		this.lastCheck = now;
		let flags: string | null = null;
		let denied: string | null = null;
		try {
			const reply = (await this.client.call('CONFIG', 'GET', 'notify-keyspace-events')) as unknown;
			flags = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : '';
		} catch (error) {
			denied = errorText(error);
		}
		if (flags !== null) {
			const {covered, missing} = notifyCoverage(flags);
			if (covered) {
				this.state = 'on';
				this.detail = `keyspace notifications on ("${flags}"): acquisitions and releases between polls are recorded`;
				await this.subscribe(onKey);
			} else {
				this.state = 'off';
				this.detail = `keyspace notifications off (notify-keyspace-events "${flags}", lacks ${missing.join('')}): locks shorter than the poll interval can be missed`;
				this.unsubscribe();
			}
			return;
		}
		// CONFIG denied or renamed: say so, and listen anyway; a notice proves they are on.
		if (this.state !== 'on') {
			this.state = 'unknown';
			this.detail = `CONFIG GET not permitted (${denied}): cannot tell whether keyspace notifications are on; locks shorter than the poll interval may be missed`;
		}
		await this.subscribe(onKey);
	}

	private async subscribe(onKey?: (key: string) => void): Promise<void> {
		if (this.sub) return;
		const sub = this.client.duplicate({lazyConnect: true, enableReadyCheck: false, connectionName: 'tcmon:locks'});
		sub.on('error', () => {}); // the main connection reports connection trouble
		const channelPrefix = Buffer.byteLength(`__keyspace@${this.client.options.db ?? 0}__:`);
		sub.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer, message: Buffer) => {
			const key = decodeBytes(channel.subarray(channelPrefix));
			const event = message.toString('utf8');
			if (this.notices.length >= MAX_NOTICES) {
				this.notices.shift();
				this.dropped++;
			}
			this.notices.push({at: Date.now(), key, event});
			if (this.state === 'unknown') {
				this.state = 'on';
				this.detail = 'keyspace notifications arrive (CONFIG GET not permitted): acquisitions and releases between polls are recorded';
			}
			if (event === 'set') onKey?.(key);
		});
		this.sub = sub;
		try {
			await sub.connect();
			await sub.psubscribe(this.pattern);
		} catch (error) {
			this.detail = `${this.detail} (subscribe failed: ${errorText(error)})`;
			this.unsubscribe();
		}
	}

	private unsubscribe(): void {
		this.sub?.disconnect();
		this.sub = null;
	}

	/** The notices received so far (handed over once) and the watch state. */
	drain(readAt: number): LockWatch {
		const notices = this.notices;
		this.notices = [];
		const detail = this.dropped > 0 ? `${this.detail} (${this.dropped} notices dropped)` : this.detail;
		this.dropped = 0;
		return {state: this.state, detail, notices, readAt};
	}

	close(): void {
		this.closed = true;
		this.unsubscribe();
	}
}
