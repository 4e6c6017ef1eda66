import type {Config} from '../config';
import type {Snapshot} from '../domain/types';
import {JsonSource} from './json-source';
import {RedisSource} from './redis-source';
import type {Source} from './source';
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

	async poll(): Promise<Snapshot> {
		if (!this.redis.wasEverReady && !this.redis.ready) {
			const left = START_GRACE_MS - (Date.now() - this.startedAt);
			await this.redis.connect(Math.max(0, left));
		}
		if (this.redis.ready) {
			this.downSince = null;
			const snap = await this.redis.poll();
			if (snap.source.connected) return snap;
		}
		const now = Date.now();
		this.downSince ??= now;
		// Redis dropped mid-session: show its last data as stale for a moment first.
		if (this.redis.wasEverReady && now - this.downSince < this.dropGraceMs) return this.redis.poll();
		const snap = await this.json.poll();
		// Mid-session, a missing state dir has nothing better than Redis' last data.
		if (this.redis.wasEverReady && !snap.stateDir?.exists) return this.redis.poll();
		const why = this.redis.error ?? `connection ${this.redis.status}`;
		return {...snap, source: {...snap.source, fallbackReason: `Redis ${this.redis.target} unreachable (${why})`}};
	}

	current(): Source {
		return this.redis.ready ? this.redis : this.json;
	}

	async close(): Promise<void> {
		await Promise.all([this.redis.close(), this.json.close()]);
	}
}

export type SourceSet = {source: Source; redis: RedisSource | null; close: () => Promise<void>};

/** Builds the Source the config asks for (the demo is built by its own module). */
export const chooseSource = (config: Config): SourceSet => {
	const json = () => new JsonSource({dir: config.stateDir});
	const redis = () => new RedisSource({url: config.url, prefix: config.prefix, slowlogCount: config.slowlogCount});
	if (config.source === 'json') {
		const source = json();
		return {source, redis: null, close: () => source.close()};
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
