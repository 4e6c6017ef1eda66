// slowlog-log-slower-than and slowlog-max-len, read with CONFIG GET on a slow
// budget (not every tick: the values rarely change, and CONFIG may be denied).
// Self-contained so the Redis source only has to add one pipeline command.
import type {ChainableCommander} from 'ioredis';
import type {SlowlogConfig} from '../domain/types';
import {errorText} from './source';

export const SLOWLOG_CONFIG_EVERY_MS = 30_000;

/** CONFIG GET reply (flat [name, value, …] or an object) → the two numbers. */
export const parseSlowlogConfig = (reply: unknown, readAt: number): SlowlogConfig => {
	const pairs: Record<string, string> = {};
	if (Array.isArray(reply)) {
		for (let i = 0; i + 1 < reply.length; i += 2) pairs[String(reply[i])] = String(reply[i + 1]);
	} else if (reply && typeof reply === 'object') {
		for (const [k, v] of Object.entries(reply)) pairs[k] = String(v);
	}
	const num = (name: string): number | null => {
		const v = pairs[name];
		return v === undefined || v.trim() === '' || !Number.isFinite(Number(v)) ? null : Number(v);
	};
	const logSlowerThan = num('slowlog-log-slower-than');
	const maxLen = num('slowlog-max-len');
	return {logSlowerThan, maxLen, error: logSlowerThan === null && maxLen === null ? 'CONFIG GET returned no slowlog settings' : null, readAt};
};

export class SlowlogConfigReader {
	private last: SlowlogConfig | undefined;
	private dueAt = 0;

	constructor(
		private readonly everyMs = SLOWLOG_CONFIG_EVERY_MS,
		private readonly scrub: (message: string) => string = m => m,
	) {}

	get current(): SlowlogConfig | undefined {
		return this.last;
	}

	/** Adds CONFIG GET to the pipeline when due; returns whether it did (then call take()). */
	request(pipe: ChainableCommander, now: number): boolean {
		if (now < this.dueAt) return false;
		this.dueAt = now + this.everyMs;
		pipe.call('CONFIG', 'GET', 'slowlog-*');
		return true;
	}

	take([error, value]: [Error | null, unknown], now: number): void {
		this.last = error
			? {logSlowerThan: null, maxLen: null, error: this.scrub(errorText(error)), readAt: now}
			: parseSlowlogConfig(value, now);
	}

	/** A new connection (restart, failover) may have other settings: read again next tick. */
	invalidate(): void {
		this.dueAt = 0;
	}
}
