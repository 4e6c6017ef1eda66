import type {Config} from '../config';
import type {Snapshot} from '../domain/types';
import {ClusterSource} from './cluster-source';
import {JsonSource} from './json-source';
import {RedisSource, seconds} from './redis-source';
import type {PollOptions, Source} from './source';
import {SplitStateSource} from './split-state';

/** How long `auto` waits for Redis at start before showing the state dir. */
export const START_GRACE_MS = 900;
/** How long a Redis that dropped mid-session shows stale data before falling back. */
export const DROP_GRACE_MS = 5000;

/**
 * `--source auto`: Redis when it answers, else the state directory with a
 * FALLBACK badge saying why. ioredis keeps reconnecting in the background, so
 * the probe is free; the first poll after Redis is ready switches back.
 */
export class AutoSource implements Source {
	readonly kind = 'redis' as const;
	private readonly startedAt = Date.now();
	private downSince: number | null = null;

	constructor(
		readonly redis: RedisSource,
		readonly json: JsonSource,
		private readonly dropGraceMs = DROP_GRACE_MS,
	) {}

	async poll(options?: PollOptions): Promise<Snapshot> {
		if (!this.redis.wasEverReady && !this.redis.ready) {
			const left = Math.min(START_GRACE_MS - (Date.now() - this.startedAt), options?.deadlineMs ?? Number.POSITIVE_INFINITY);
			await this.redis.connect(Math.max(0, left));
		}
		// A hung Redis (a read past its deadline) counts as down until that read is
		// answered: only looked at, without waiting (which also lets it drop a connection silent too long).
		if (this.redis.ready) {
			const snap = await this.redis.poll(this.redis.waitingSince === null ? options : {deadlineMs: 0});
			if (snap.source.connected) {
				this.downSince = null;
				return snap;
			}
		}
		const now = Date.now();
		this.downSince ??= now;
		// Redis dropped mid-session: show its last data as stale for a moment first.
		// (Without data of its own, as when its very first read hangs, there is nothing to show but the state dir.)
		if (this.redis.hasData && now - this.downSince < this.dropGraceMs) return this.redis.poll(options);
		const snap = await this.json.poll();
		// Mid-session, a missing state dir has nothing better than Redis' last data.
		if (this.redis.hasData && !snap.stateDir?.exists) return this.redis.poll(options);
		const waiting = this.redis.waitingSince;
		const missed = this.redis.missedDeadlineMs;
		const reason =
			waiting === null
				? `Redis ${this.redis.target} unreachable (${this.redis.error ?? `connection ${this.redis.status}`})`
				: `Redis ${this.redis.target} ${missed === null ? '' : `did not answer within ${seconds(missed)}: `}not answering for ${Math.round((Date.now() - waiting) / 1000)} s`;
		return {...snap, source: {...snap.source, fallbackReason: reason, ...(waiting === null ? {} : {waitingSince: waiting})}};
	}

	current(): Source {
		return this.redis.ready ? this.redis : this.json;
	}

	async close(): Promise<void> {
		await Promise.all([this.redis.close(), this.json.close()]);
	}
}

/** `cluster`: set when the store is a Redis Cluster (then `redis` is null). */
export type SourceSet = {source: Source; redis: RedisSource | null; cluster?: ClusterSource; close: () => Promise<void>};

/** Builds the Source the config asks for (the demo is built by its own module). */
export const chooseSource = (config: Config): SourceSet => {
	const json = () => new JsonSource({dir: config.stateDir});
	const redis = () => new RedisSource({url: config.url, prefix: config.prefix, slowlogCount: config.slowlogCount, ...(config.tlsOptions ? {tls: config.tlsOptions} : {})});
	if (config.source === 'json') {
		const source = json();
		return {source, redis: null, close: () => source.close()};
	}
	if (config.cluster) {
		// Redis Cluster (--cluster, or INFO said so): every node read; no state-dir fallback.
		const cluster = new ClusterSource({url: config.url, prefix: config.prefix, slowlogCount: config.slowlogCount, ...(config.tlsOptions ? {tls: config.tlsOptions} : {})});
		const source = config.stateDirGiven ? new SplitStateSource(cluster, config.stateDir) : cluster;
		return {source, redis: null, cluster, close: () => source.close()};
	}
	if (config.source === 'redis') {
		const r = redis();
		void r.connect();
		// Split state: lock files beside Redis' with --source redis only when a state dir was named.
		const source = config.stateDirGiven ? new SplitStateSource(r, config.stateDir) : r;
		return {source, redis: r, close: () => source.close()};
	}
	const r = redis();
	void r.connect();
	const source = new SplitStateSource(new AutoSource(r, json()), config.stateDir);
	return {source, redis: r, close: () => source.close()};
};
