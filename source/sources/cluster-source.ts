// Redis Cluster: the topology through ioredis' Cluster client (any node is a
// seed; it follows failovers), and one connection per node for the reads a
// cluster cannot route: INFO, SLOWLOG and DBSIZE of every node, SCAN of every
// master, and (on the standalone source's slow budgets, CONFIG GET only) the
// slowlog settings of every node, the config audit, MEMORY USAGE samples and
// keyspace notifications of every master. tcmon's own key lookups are counted
// per node, so the hit rate leaves them out. tmux-claude's keys are read on the master whose SCAN found them, one
// single-key command each (GETRANGE, PTTL, …) in that node's pipeline: never a
// multi-key command, which would fail across slots (CROSSSLOT).
import {Cluster, Redis, type RedisKey, type RedisOptions} from 'ioredis';
import {redactUrl, scrubSecret, type Config, type TlsSettings} from '../config';
import {CLUSTER_SLOTS, clusterStats, keySlot, mergeKeySizes, mergeLockWatches, mergeServerConfigs, mergeSlowlogConfigs, mergeSlowlogs, nodeRow, orderNodes, parseClusterNodes, slotsHeld, type ClusterNodeLine, type ClusterNodeRow} from '../domain/cluster';
import {infoField, parseInfo, type InfoMap} from '../domain/info';
import {decodeInstanceMap, decodeMetricSample, decodeObject, instanceFrom, jobFrom} from '../domain/layouts';
import {lockResource, redisLock} from '../domain/locks';
import {countLookup, type LookupKind, type OwnLookups} from '../domain/own-reads';
import {compareText} from '../domain/order';
import {decodeBytes, keyArg} from '../domain/sanitize';
import {escapeGlob} from '../domain/scan-cursor';
import {parseSlowlog} from '../domain/slowlog';
import {dedupeById, TOKEN_CAP, truncatedInstance, truncatedJob, VALUE_CAP} from '../domain/state-merge';
import {withTlsHint} from '../domain/tls-hint';
import {emptySnapshot, type Instance, type Job, type KeyRow, type Lock, type MetricSeries, type SlowlogConfig, type SlowlogEntry, type Snapshot} from '../domain/types';
import {LockWatcher} from './lock-scan';
import {ServerProbe} from './server-probe';
import {SlowlogConfigReader} from './slowlog-config';
import {connectionOptions, HASH_HGETALL_MAX} from './redis-source';
import {errorText, type PollOptions, type Source} from './source';

export type ClusterSourceOptions = {
	url: string;
	prefix: string;
	slowlogCount?: number;
	tls?: TlsSettings;
	/** SCAN calls per master per poll (COUNT scanCount each); a longer walk goes on next poll. */
	scanCalls?: number;
	scanCount?: number;
	keyListLimit?: number;
	metricTail?: number;
	connectTimeoutMs?: number;
};

/** One master's walk of the keys under the prefix: the last complete one, and the one in progress. */
type Walk = {cursor: string; pending: Map<string, RedisKey>; known: Map<string, RedisKey> | null};

type NodeRead = {
	line: ClusterNodeLine;
	info: InfoMap | null;
	dbsize: number | null;
	slowlog: SlowlogEntry[];
	slowlogLength: number | null;
	error: string | null;
	/** tcmon's own lookups on this node as they stood when its INFO was asked. */
	own: OwnLookups | null;
	/** slowlog-log-slower-than / slowlog-max-len as last read on this node (CONFIG GET, on a slow budget). */
	slowlogConfig: SlowlogConfig | undefined;
};

type Reply = [Error | null, unknown];

/** `promise`'s value if it settles within `ms`, else null. */
const within = <T>(promise: Promise<T>, ms: number): Promise<T | null> =>
	new Promise(resolve => {
		const timer = setTimeout(() => resolve(null), Math.max(0, ms));
		void promise.then(
			value => {
				clearTimeout(timer);
				resolve(value);
			},
			() => {
				clearTimeout(timer);
				resolve(null);
			},
		);
	});

/** The least a node's reads are given (a quarter of the poll's deadline otherwise). */
const NODE_MIN_MS = 250;

/** The first of `promises` to resolve within `ms` (rejections ignored), else null. */
const firstOf = <T>(promises: Promise<T>[], ms: number): Promise<T | null> =>
	new Promise(resolve => {
		let pending = promises.length;
		const timer = setTimeout(() => resolve(null), Math.max(0, ms));
		for (const p of promises) {
			p.then(
				value => {
					clearTimeout(timer);
					resolve(value);
				},
				() => {
					if (--pending === 0) {
						clearTimeout(timer);
						resolve(null);
					}
				},
			);
		}
	});
/** Wall time a later walk takes per master per poll (the first one may take the deadline). */
const SCAN_SLICE_MS = 40;
/** Keys held at most per master (the rest are counted, not read). */
const KEYS_HELD = 20_000;

export class ClusterSource implements Source {
	readonly kind = 'redis' as const;
	readonly client: Cluster;
	readonly target: string;
	private readonly prefix: string;
	private readonly secrets: string[];
	private readonly base: RedisOptions;
	private readonly tlsContext: {tls: boolean; clientCert: boolean};
	private readonly opts: Required<Omit<ClusterSourceOptions, 'url' | 'prefix' | 'tls'>>;
	/** One connection per node, by host:port, made as CLUSTER NODES names them. */
	private readonly conns = new Map<string, Redis>();
	private readonly walks = new Map<string, Walk>();
	private readonly wasReady = new WeakSet<Redis>();
	/**
	 * tcmon's own keyspace hits and misses per node (by host:port), counted
	 * from its replies (own-reads.ts), so the hit rate leaves them out as the
	 * standalone source does.
	 */
	private readonly ownLookups = new Map<string, OwnLookups>();
	/**
	 * What the standalone source reads with CONFIG GET, read here per node
	 * (read-only, on the same slow budgets): the slowlog settings of every
	 * node (each keeps its own SLOWLOG), the config audit and MEMORY USAGE
	 * samples of every master (of its own keys), and keyspace notifications
	 * on every master (each publishes only its own keys' events).
	 */
	private readonly slowlogConfigs = new Map<string, SlowlogConfigReader>();
	private readonly probes = new Map<string, ServerProbe>();
	private readonly lockWatches = new Map<string, LockWatcher>();
	/** As RedisSource.probe: the config audit and key sizes of every master re-read on the next poll. */
	readonly probe = {requestNow: (): void => this.probes.forEach(p => p.requestNow())};
	/** Connections of the nodes that answered the last poll (asked for the topology too). */
	private answered: Redis[] = [];
	private reading: Promise<Snapshot> | null = null;
	private waitingSince: number | null = null;
	private last: Snapshot | null = null;
	private lastError: string | null = null;
	/** The last error a node gave the Cluster client (with its address). */
	private nodeError: string | null = null;
	private closed = false;

	constructor(options: ClusterSourceOptions) {
		this.prefix = options.prefix;
		this.opts = {
			slowlogCount: options.slowlogCount ?? 128,
			scanCalls: options.scanCalls ?? 100,
			scanCount: options.scanCount ?? 500,
			keyListLimit: options.keyListLimit ?? 100,
			metricTail: options.metricTail ?? 120,
			connectTimeoutMs: options.connectTimeoutMs ?? 2000,
		};
		const {options: redisOptions, secrets} = connectionOptions(options.url, this.opts.connectTimeoutMs, options.tls);
		this.secrets = secrets;
		this.target = redactUrl(options.url);
		const url = new URL(options.url);
		const auth = {
			...(url.username ? {username: decodeURIComponent(url.username)} : {}),
			...(url.password ? {password: decodeURIComponent(url.password)} : {}),
		};
		this.base = {...redisOptions, ...auth};
		this.tlsContext = {tls: Boolean(redisOptions.tls), clientCert: Boolean(options.tls?.cert)};
		this.client = new Cluster([{host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379)}], {
			lazyConnect: true,
			// Topology only (CLUSTER NODES, CLUSTER INFO): a replica answers them too.
			scaleReads: 'master',
			// ioredis' ready check waits for cluster_state:ok: a cluster with slots down (just when
			// the table matters most) would never connect. The node table says the state instead.
			enableReadyCheck: false,
			slotsRefreshTimeout: this.opts.connectTimeoutMs,
			clusterRetryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
			redisOptions: {...this.base, connectionName: 'tcmon:cluster'},
		});
		this.client.on('node error', (error: unknown, address?: string) => {
			this.nodeError = `${address ?? 'a node'}: ${withTlsHint(error, errorText(error), this.tlsContext)}`;
			this.lastError = this.scrub(this.nodeError);
		});
		this.client.on('error', (error: unknown) => {
			const text = errorText(error);
			// ioredis' own words say nothing of why: the last node's error does.
			this.lastError = this.scrub(
				/refresh slots cache/i.test(text)
					? `no node answered CLUSTER SLOTS${this.nodeError ? ` (${this.nodeError})` : ''}: is it a cluster node? (drop --cluster for a standalone server)`
					: withTlsHint(error, text, this.tlsContext),
			);
		});
	}

	private scrub(message: string): string {
		return scrubSecret(message, this.secrets);
	}

	get error(): string | null {
		return this.lastError;
	}

	current(): Source {
		return this;
	}

	/** The own-lookup counter of the node at `addr`. */
	private ownOf(addr: string): OwnLookups {
		let own = this.ownLookups.get(addr);
		if (!own) this.ownLookups.set(addr, (own = {hits: 0, misses: 0}));
		return own;
	}

	/** The connection to `line`'s node, ready within `ms`, or why not. */
	private async conn(line: Pick<ClusterNodeLine, 'addr' | 'host' | 'port'>, ms: number): Promise<Redis | string> {
		let c = this.conns.get(line.addr);
		if (!c) {
			c = new Redis({...this.base, host: line.host, port: line.port, lazyConnect: false});
			c.on('error', () => {}); // reported per node, in the table
			const made = c;
			c.on('ready', () => this.wasReady.add(made));
			this.conns.set(line.addr, c);
		}
		if (c.status === 'ready') return c;
		// A node that was up and went away (killed, partitioned) is reported now,
		// not waited for: one node down must not make the whole cluster miss the poll's deadline.
		if (this.wasReady.has(c)) return `not connected (${c.status})`;
		const client = c;
		const ready = await within(
			new Promise<boolean>(resolve => {
				client.once('ready', () => resolve(true));
			}),
			ms,
		);
		return ready ? client : `not connected (${client.status})`;
	}

	async poll(options: PollOptions = {}): Promise<Snapshot> {
		const deadlineMs = options.deadlineMs ?? 5000;
		if (!this.reading) {
			const started = Date.now();
			this.reading = this.read(started + deadlineMs, deadlineMs).finally(() => {
				this.reading = null;
			});
		}
		const snapshot = await within(this.reading, deadlineMs);
		if (snapshot) {
			this.waitingSince = null;
			return snapshot;
		}
		this.waitingSince ??= Date.now() - deadlineMs;
		const now = Date.now();
		const last = this.last ?? emptySnapshot({kind: 'redis', target: this.target, connected: false, error: null, fallbackReason: null, stale: true, dataAt: null}, now);
		const error = `the cluster did not answer within ${Math.round(deadlineMs / 100) / 10} s`;
		return {...last, takenAt: now, source: {...last.source, connected: false, stale: true, error, waitingSince: this.waitingSince}};
	}

	/** One poll: never throws. */
	private async read(deadline: number, deadlineMs: number): Promise<Snapshot> {
		try {
			const snapshot = await this.readCluster(deadline, deadlineMs);
			this.last = snapshot;
			return snapshot;
		} catch (error) {
			const message = this.scrub(withTlsHint(error, errorText(error), this.tlsContext));
			const now = Date.now();
			const last = this.last;
			const source = {kind: 'redis' as const, target: this.target, connected: false, error: this.lastError ?? message, fallbackReason: null, stale: last !== null, dataAt: last?.source.dataAt ?? null};
			return last ? {...last, takenAt: now, source} : emptySnapshot(source, now);
		}
	}

	private async readCluster(deadline: number, deadlineMs: number): Promise<Snapshot> {
		if (this.client.status === 'wait') await this.client.connect();
		const left = () => Math.max(50, deadline - Date.now());
		// The Cluster client asks a random master, which may be the one that hangs: the nodes
		// that answered last time are asked too, and the first answer taken.
		const nodeMs = () => Math.min(left(), Math.max(NODE_MIN_MS, Math.round(deadlineMs / 4)));
		const ask = (command: string): Promise<string | null> =>
			firstOf([this.client.call('CLUSTER', command) as Promise<string>, ...this.answered.slice(0, 2).map(c => c.call('CLUSTER', command) as Promise<string>)], nodeMs());
		const [nodesText, clusterInfo] = await Promise.all([ask('NODES'), ask('INFO')]);
		if (nodesText === null) throw new Error(this.lastError ?? 'no node answered CLUSTER NODES');
		this.lastError = null;
		const lines = parseClusterNodes(nodesText);
		// Connections to nodes no longer in the cluster are closed.
		for (const [addr, c] of this.conns) {
			if (!lines.some(l => l.addr === addr)) {
				c.disconnect();
				this.conns.delete(addr);
				this.walks.delete(addr);
				this.slowlogConfigs.delete(addr);
			}
		}
		// A node gets at most a quarter of the deadline: a hung one is shown unread, the others still are.
		const reads = await Promise.all(lines.map(line => this.readNode(line, nodeMs())));
		this.answered = reads.filter(r => r.error === null).map(r => this.conns.get(r.line.addr)!);
		const masters = reads.filter(r => r.line.role === 'master' && !r.line.failing && r.error === null);
		const walked = await Promise.all(masters.map(r => this.walk(r.line, left())));
		const sectionErrors: Snapshot['errors'] = {};
		const noteSection = (section: keyof Snapshot['errors'], node: string, error: Error | string) => {
			sectionErrors[section] ??= this.scrub(`${node}: ${typeof error === 'string' ? error : errorText(error)}`);
		};
		// Every master walked to the end holds its slots' keys: the listing is complete when they hold every slot.
		const completeMasters = masters.filter((r, i) => walked[i]!.complete).map(r => r.line);
		const slotsComplete = slotsHeld(completeMasters);
		for (const r of reads) if (r.error && !r.line.failing) noteSection('info', r.line.addr, r.error);
		masters.forEach((r, i) => {
			if (walked[i]!.error) noteSection('keys', r.line.addr, walked[i]!.error!);
		});

		// Every key under the prefix, with the master it lives on.
		const keyed: {key: string; raw: RedisKey; node: string}[] = [];
		masters.forEach((r, i) => {
			for (const [key, raw] of walked[i]!.keys) keyed.push({key, raw, node: r.line.addr});
		});
		keyed.sort((a, b) => compareText(a.key, b.key));
		const listed = keyed.slice(0, this.opts.keyListLimit);
		const listedSet = new Set(listed.map(k => k.key));
		const p = this.prefix;
		const hashKey = `${p}:instances`;

		// Keyspace notifications per master: a node no longer a master (failed over) is no longer listened to.
		for (const [addr, watch] of this.lockWatches) {
			if (!masters.some(r => r.line.addr === addr)) {
				watch.close();
				this.lockWatches.delete(addr);
			}
		}
		const watches = masters.map(r => {
			let watch = this.lockWatches.get(r.line.addr);
			if (!watch) this.lockWatches.set(r.line.addr, (watch = new LockWatcher(this.conns.get(r.line.addr)!, this.prefix)));
			return {node: r.line.addr, watch};
		});
		await within(Promise.all(watches.map(w => w.watch.check(Date.now()).catch(() => {}))), left());
		const readAt = Date.now();

		const instances: Instance[] = [];
		const jobs: Job[] = [];
		const locks: Lock[] = [];
		const metrics: MetricSeries[] = [];
		const keys: KeyRow[] = [];
		let instancesHash: Snapshot['instancesHash'] = null;
		await Promise.all(
			masters.map(async r => {
				const mine = keyed.filter(k => k.node === r.line.addr);
				const c = this.conns.get(r.line.addr)!;
				const pipe = c.pipeline();
				const plan: ((next: (kind: LookupKind) => Reply) => void)[] = [];
				for (const {key, raw} of mine) {
					if (key.startsWith(`${p}:instance:`) || key.startsWith(`${p}:job:`)) {
						const isJob = key.startsWith(`${p}:job:`);
						const id = key.slice((isJob ? `${p}:job:` : `${p}:instance:`).length);
						pipe.getrangeBuffer(raw, 0, VALUE_CAP);
						plan.push(next => {
							const [error, value] = next('value');
							if (error && /^WRONGTYPE/.test(error.message)) return;
							if (error) {
								noteSection('state', r.line.addr, error);
								const failed = {value: null, error: errorText(error)};
								if (isJob) jobs.push(jobFrom(id, failed, 'instance-key'));
								else instances.push(instanceFrom(id, failed, 'instance-key'));
								return;
							}
							if (!Buffer.isBuffer(value) || value.length === 0) return;
							if (isJob) jobs.push(value.length > VALUE_CAP ? truncatedJob(id, 'instance-key', VALUE_CAP, null) : jobFrom(id, decodeObject(value.toString()), 'instance-key'));
							else instances.push(value.length > VALUE_CAP ? truncatedInstance(id, 'instance-key', VALUE_CAP, null) : instanceFrom(id, decodeObject(value.toString()), 'instance-key'));
						});
					} else if (lockResource(key, p)) {
						pipe.getrangeBuffer(raw, 0, TOKEN_CAP);
						pipe.pttl(raw);
						plan.push(next => {
							const [te, token] = next('value');
							const [pe, pttl] = next('ttl');
							if (te && !/^WRONGTYPE/.test(te.message)) noteSection('locks', r.line.addr, te);
							if (pe) noteSection('locks', r.line.addr, pe);
							if (te || !Buffer.isBuffer(token)) return;
							const cut = token.length > TOKEN_CAP;
							const lock = redisLock({key, token: (cut ? token.subarray(0, TOKEN_CAP) : token).toString(), pttl: pe ? null : (pttl as number)}, p);
							if (lock) locks.push(cut ? {...lock, truncated: true, bytes: null} : lock);
						});
					} else if (key.startsWith(`${p}:metrics:`)) {
						pipe.zcard(raw);
						pipe.zrange(raw, -this.opts.metricTail, -1, 'WITHSCORES');
						pipe.pttl(raw);
						plan.push(next => {
							const [ce, count] = next('length');
							const [re, range] = next('list');
							const [, pttl] = next('ttl');
							if (ce || re) {
								if (!/^WRONGTYPE/.test((ce ?? re)!.message)) noteSection('metrics', r.line.addr, (ce ?? re)!);
								return;
							}
							const flat = range as string[];
							const samples = [];
							for (let j = 0; j + 1 < flat.length; j += 2) {
								const decoded = decodeMetricSample(flat[j]!, Number(flat[j + 1]));
								if (decoded) samples.push(decoded.sample);
							}
							const ttl = typeof pttl === 'number' && pttl >= 0 ? pttl : null;
							metrics.push({name: key.slice(`${p}:metrics:`.length), key, count: count as number, samples, ttlMs: ttl});
						});
					} else if (key === hashKey) {
						pipe.hlen(raw);
						plan.push(next => {
							const [le, length] = next('length');
							if (le) {
								if (!/^WRONGTYPE/.test(le.message)) noteSection('state', r.line.addr, le);
								return;
							}
							instancesHash = {fields: length as number, read: 0};
						});
					}
					if (listedSet.has(key)) {
						pipe.type(raw);
						pipe.pttl(raw);
						plan.push(next => {
							const [te, type] = next('type');
							const [pe, pttl] = next('ttl');
							if (te) noteSection('keys', r.line.addr, te);
							if (pttl === -2) return; // gone since the walk
							keys.push({key, type: te ? null : (type as string), ttlMs: pe ? undefined : (pttl as number) < 0 ? null : (pttl as number)});
						});
					}
				}
				const replies = ((await within(pipe.exec(), left())) ?? null) as Reply[] | null;
				if (!replies) {
					noteSection('state', r.line.addr, 'no answer within the deadline');
					return;
				}
				let j = 0;
				const own = this.ownOf(r.line.addr);
				const next = (kind: LookupKind): Reply => {
					const reply = replies[j++] ?? [new Error('no reply'), null];
					countLookup(own, kind, ...reply);
					return reply;
				};
				for (const step of plan) step(next);
			}),
		);
		// The layout-2 hash, on the master that holds it: whole when small, else its first fields.
		const hashAt = keyed.find(k => k.key === hashKey);
		const hash = instancesHash as {fields: number; read: number} | null;
		if (hashAt && hash) {
			const c = this.conns.get(hashAt.node)!;
			const reply =
				hash.fields <= HASH_HGETALL_MAX
					? await within(
							c.hgetall(hashAt.raw).then(all => {
								countLookup(this.ownOf(hashAt.node), 'list', null, Object.keys(all));
								return all;
							}),
							left(),
						)
					: await within(
							c.hscan(hashAt.raw, '0', 'COUNT', String(HASH_HGETALL_MAX)).then(([cursor, flat]) => {
								countLookup(this.ownOf(hashAt.node), 'scan', null, [cursor, flat]);
								const out: Record<string, string> = {};
								for (let j = 0; j + 1 < flat.length; j += 2) out[flat[j]!] = flat[j + 1]!;
								return out;
							}),
							left(),
						);
			if (reply) {
				const part = decodeInstanceMap(Object.entries(reply), 'instances-hash');
				for (const i of part.instances) instances.push(i);
				for (const jb of part.jobs) jobs.push(jb);
				instancesHash = {fields: hash.fields, read: Object.keys(reply).length};
			} else noteSection('state', hashAt.node, 'the instances hash could not be read');
		}
		const lockWatch = mergeLockWatches(watches.map(w => ({node: w.node, watch: w.watch.drain(readAt)})));
		// The config audit and key sizes of every master, each with its own keys (MEMORY USAGE goes to the key's node).
		const probed = await within(
			Promise.all(
				masters.map(r => {
					let probe = this.probes.get(r.line.addr);
					if (!probe) this.probes.set(r.line.addr, (probe = new ServerProbe(30_000, t => this.scrub(t))));
					const mine = keyed.filter(k => k.node === r.line.addr);
					const of = (kind: string) => mine.filter(k => k.key.startsWith(`${p}:${kind}:`)).map(k => k.raw);
					const hash = hashAt?.node === r.line.addr ? (instancesHash as {fields: number} | null) : null;
					return probe.read(this.conns.get(r.line.addr)!, {instance: of('instance'), job: of('job'), metric: of('metrics'), instancesHash: hashKey, hashFields: hash?.fields ?? 0}, Date.now()).then(read => ({node: r.line.addr, read}));
				}),
			),
			left(),
		);
		keys.sort((a, b) => compareText(a.key, b.key));
		locks.sort((a, b) => compareText(a.key, b.key));
		metrics.sort((a, b) => compareText(a.key, b.key));

		const rows: ClusterNodeRow[] = reads.map(r => nodeRow(r.line, lines, r.info, r.dbsize, r.error));
		const byAddr = new Map(reads.map(r => [r.line.addr, r.info]));
		const ownAt = new Map(reads.map(r => [r.line.addr, r.own]));
		const firstMaster = masters[0];
		// Masters first (by address), then replicas: the settings shown are a master's.
		const byRole = [...reads].sort((a, b) => (a.line.role === b.line.role ? compareText(a.line.addr, b.line.addr) : a.line.role === 'master' ? -1 : 1));
		const slowlogConfig = mergeSlowlogConfigs(byRole.map(r => ({node: r.line.addr, config: r.slowlogConfig})));
		const merged = {instances: dedupeById(instances, 'instances-hash'), jobs: dedupeById(jobs, 'instances-hash')};
		const now = Date.now();
		const total = keyed.length;
		const stateMatch = /cluster_state:(\w+)/.exec(clusterInfo ?? '');
		return {
			...emptySnapshot({kind: 'redis', target: this.target, connected: true, error: null, fallbackReason: null, stale: false, dataAt: now}, now),
			server: {
				version: firstMaster?.info ? (infoField(firstMaster.info, 'redis_version') ?? null) : null,
				role: `cluster: ${rows.filter(r => r.role === 'master' && !r.failing).length} masters, ${rows.filter(r => r.role === 'replica' && !r.failing).length} replicas`,
				mode: 'cluster',
				uptimeSeconds: firstMaster?.info ? Number(infoField(firstMaster.info, 'uptime_in_seconds') ?? 0) : null,
				runId: null,
			},
			stats: clusterStats(rows.map(row => ({row, info: byAddr.get(row.addr) ?? null, own: ownAt.get(row.addr) ?? null}))),
			info: null,
			slowlog: mergeSlowlogs(
				reads.filter(r => r.info !== null).map(r => ({node: r.line.addr, entries: r.slowlog})),
				// Each node's whole reply: the slowlog tracker keeps a history per node.
				this.opts.slowlogCount * Math.max(1, reads.length),
			),
			slowlogLength: reads.reduce<number | null>((n, r) => (r.slowlogLength === null ? n : (n ?? 0) + r.slowlogLength), null),
			keys,
			keysTruncated: total > listed.length,
			locks,
			instances: merged.instances.items,
			jobs: merged.jobs.items,
			metrics,
			instancesHash,
			duplicates: merged.instances.duplicates + merged.jobs.duplicates > 0 ? {instances: merged.instances.duplicates, jobs: merged.jobs.duplicates, differ: merged.instances.differ + merged.jobs.differ} : null,
			errors: {
				...sectionErrors,
				...(slotsComplete < CLUSTER_SLOTS
					? {keys: `keys of ${CLUSTER_SLOTS - slotsComplete} of ${CLUSTER_SLOTS} slots not walked (a master unread or its walk in progress)${sectionErrors.keys ? `; ${sectionErrors.keys}` : ''}`}
					: {}),
			},
			cluster: {nodes: orderNodes(rows), slotsCovered: slotsComplete, state: stateMatch?.[1] ?? null},
			lockWatch,
			serverConfig: probed ? mergeServerConfigs([...probed].sort((a, b) => compareText(a.node, b.node)).map(x => ({node: x.node, read: x.read?.serverConfig ?? null}))) : (this.last?.serverConfig ?? null),
			keySizes: probed ? mergeKeySizes(probed.map(x => x.read?.keySizes ?? null)) : (this.last?.keySizes ?? null),
			...(slowlogConfig ? {slowlogConfig} : {}),
		};
	}

	/** INFO, SLOWLOG and (masters) DBSIZE of one node, in one round trip. */
	private async readNode(line: ClusterNodeLine, ms: number): Promise<NodeRead> {
		let configReader = this.slowlogConfigs.get(line.addr);
		if (!configReader) this.slowlogConfigs.set(line.addr, (configReader = new SlowlogConfigReader(undefined, m => this.scrub(m))));
		const out: NodeRead = {line, info: null, dbsize: null, slowlog: [], slowlogLength: null, error: null, own: null, slowlogConfig: configReader.current};
		if (line.failing) {
			out.error = 'failing';
			return out;
		}
		const c = await this.conn(line, ms);
		if (typeof c === 'string') {
			out.error = c;
			return out;
		}
		const pipe = c.pipeline().info().call('SLOWLOG', 'GET', String(this.opts.slowlogCount)).call('SLOWLOG', 'LEN').dbsize();
		// What the server counted before this INFO: every lookup tcmon made on this node so far.
		const own = {...this.ownOf(line.addr)};
		// Last, so the replies above keep their places.
		const readConfig = configReader.request(pipe, Date.now());
		const replies = (await within(pipe.exec(), ms)) as Reply[] | null;
		if (!replies) {
			if (readConfig) configReader.invalidate();
			out.error = 'no answer within the deadline';
			return out;
		}
		const [[ie, info], [se, slowlog], [le, length], [de, dbsize]] = replies as [Reply, Reply, Reply, Reply];
		if (readConfig) {
			configReader.take(replies[4] ?? [new Error('no reply'), null], Date.now());
			out.slowlogConfig = configReader.current;
		}
		if (ie) out.error = this.scrub(errorText(ie));
		else {
			out.info = parseInfo(info as string);
			out.own = own;
		}
		if (!se) out.slowlog = parseSlowlog(slowlog);
		if (!le) out.slowlogLength = length as number;
		if (!de) out.dbsize = dbsize as number;
		return out;
	}

	/**
	 * A slice of this master's walk of the keys under the prefix (SCAN MATCH, a
	 * bounded number of calls); its keys are the last complete walk's plus
	 * those found so far. `complete`: the keys are a whole walk's.
	 */
	async walk(line: ClusterNodeLine, ms: number): Promise<{keys: Map<string, RedisKey>; complete: boolean; error: string | null}> {
		let walk = this.walks.get(line.addr);
		if (!walk) this.walks.set(line.addr, (walk = {cursor: '0', pending: new Map(), known: null}));
		const c = this.conns.get(line.addr)!;
		const match = `${escapeGlob(this.prefix)}:*`;
		// The first walk may take the poll's deadline; later ones a slice a poll, like the standalone discovery.
		const until = Date.now() + (walk.known ? Math.min(ms, SCAN_SLICE_MS) : ms);
		let error: string | null = null;
		for (let i = 0; i < this.opts.scanCalls && Date.now() < until; i++) {
			const reply = await within(c.scanBuffer(walk.cursor, 'MATCH', match, 'COUNT', this.opts.scanCount), until - Date.now());
			if (!reply) {
				error = 'SCAN did not answer within the deadline';
				break;
			}
			const [cursor, found] = reply;
			for (const buf of found) {
				const key = decodeBytes(buf);
				if (walk.pending.size < KEYS_HELD || walk.pending.has(key)) walk.pending.set(key, keyArg(buf, key));
			}
			walk.cursor = cursor.toString();
			if (walk.cursor === '0') {
				walk.known = walk.pending;
				walk.pending = new Map();
				break;
			}
		}
		// Just finished: the known walk is the whole. Mid-walk: the last whole walk plus what this one found.
		if (walk.pending.size === 0 && walk.known) return {keys: walk.known, complete: true, error};
		const keys = new Map(walk.known ?? []);
		for (const [k, v] of walk.pending) keys.set(k, v);
		return {keys, complete: walk.known !== null, error};
	}

	/**
	 * The masters as CLUSTER NODES names them now, each with a ready
	 * connection (for a walk of every master: `tcmon keys`), and the slots
	 * the reachable ones hold: a walk of them all is complete only at CLUSTER_SLOTS.
	 */
	async masters(ms: number): Promise<{masters: {addr: string; client: Redis}[]; slots: number; unreachable: string[]}> {
		if (this.client.status === 'wait') await within(this.client.connect(), ms);
		const text = (await within(this.client.call('CLUSTER', 'NODES') as Promise<string>, ms)) ?? '';
		if (!text) throw new Error(this.lastError ?? `no node answered CLUSTER NODES within ${ms} ms`);
		const lines = parseClusterNodes(text).filter(l => l.role === 'master' && l.slots.length > 0);
		const masters: {addr: string; client: Redis}[] = [];
		const reached: ClusterNodeLine[] = [];
		const unreachable: string[] = [];
		for (const line of lines) {
			const c = line.failing ? 'failing' : await this.conn(line, ms);
			if (typeof c === 'string') unreachable.push(`${line.addr} (${c})`);
			else {
				masters.push({addr: line.addr, client: c});
				reached.push(line);
			}
		}
		return {masters, slots: slotsHeld(reached), unreachable};
	}

	/**
	 * The master that holds `key`'s slot now (the Cluster client's slot map,
	 * kept current by its refreshes and MOVED replies), a ready connection to
	 * it and its own-lookup counter, so the key browser's reads go to the
	 * key's node and are left out of that node's hit rate. Or why not.
	 */
	async keyNode(key: Buffer | string, ms = this.opts.connectTimeoutMs): Promise<{addr: string; client: Redis; own: OwnLookups} | string> {
		if (this.closed) return 'closed';
		if (this.client.status === 'wait') await within(this.client.connect(), ms);
		const addr = this.client.slots[keySlot(key)]?.[0];
		if (!addr) return `no master holds slot ${keySlot(key)} (cluster topology not read yet?)`;
		const m = /^(.*):(\d+)$/.exec(addr);
		if (!m) return `unexpected node address ${addr}`;
		const c = await this.conn({addr, host: m[1]!, port: Number(m[2])}, ms);
		return typeof c === 'string' ? `${addr}: ${c}` : {addr, client: c, own: this.ownOf(addr)};
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const watch of this.lockWatches.values()) watch.close();
		this.lockWatches.clear();
		for (const c of this.conns.values()) c.disconnect();
		this.conns.clear();
		this.client.disconnect();
	}
}

/**
 * The config with `cluster` set when the server says cluster_enabled:1 (INFO
 * cluster, one short-lived connection): a cluster is read through
 * ClusterSource. Unreachable, INFO denied or not a cluster: the config as given.
 */
export const withClusterDetected = async <C extends Config>(config: C, timeoutMs = Math.min(1000, (config.timeoutMs ?? 5000) / 4)): Promise<C> => {
	if (config.cluster || config.demo || config.source === 'json' || config.url.startsWith('redis-sentinel:')) return config;
	const {url, options} = connectionOptions(config.url, timeoutMs, config.tlsOptions);
	const probe = new Redis(url!, {...options, connectionName: 'tcmon:probe', retryStrategy: () => null});
	probe.on('error', () => {});
	try {
		const info = await within(
			probe.connect().then(() => probe.info('cluster')),
			timeoutMs,
		);
		return info && /^cluster_enabled:1\r?$/m.test(info) ? {...config, cluster: true} : config;
	} finally {
		probe.disconnect();
	}
};
