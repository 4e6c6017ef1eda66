// The slow part of the health view: CONFIG GET of the audited parameters,
// COMMAND INFO of the commands the guide says to rename, and MEMORY USAGE of
// a few tmux-claude keys. Read on a budget (every `everyMs`, or when asked),
// never every tick. Never CONFIG SET; requirepass is reduced to set/unset so
// the secret never leaves this file.
import type {Redis, RedisKey} from 'ioredis';
import {errorText} from './source';
import type {KeySizeGroup, KeySizes, ServerConfigRead} from '../domain/types';

/** Parameters the config audit compares to the guide. */
export const AUDIT_PARAMS = ['appendonly', 'appendfsync', 'maxmemory', 'maxmemory-policy', 'requirepass', 'bind', 'protected-mode', 'save', 'maxclients'] as const;

/** Commands the guide says to rename or disable. */
export const DANGEROUS_COMMANDS = ['FLUSHDB', 'FLUSHALL', 'KEYS', 'CONFIG', 'SHUTDOWN'] as const;

/** Keys sampled per category for MEMORY USAGE. */
export const SAMPLE_PER_CATEGORY = 5;

export type ProbeKeys = {instance: RedisKey[]; job: RedisKey[]; metric: RedisKey[]; instancesHash: string; hashFields: number};

export type ProbeResult = {serverConfig: ServerConfigRead; keySizes: KeySizes};

/** Classifies a CONFIG failure: an ACL denial, a renamed/disabled command, or something else. */
export const deniedKind = (message: string): ServerConfigRead['denied'] =>
	/^NOPERM/i.test(message) ? 'noperm' : /unknown command|unknown subcommand/i.test(message) ? 'renamed' : 'error';

const pick = <T>(list: T[], n: number): T[] => {
	if (list.length <= n) return list;
	// Spread over the list rather than the first n (names sort by creation for most ids).
	return Array.from({length: n}, (_, i) => list[Math.floor((i * list.length) / n)]!);
};

export class ServerProbe {
	private nextAt = 0;
	private last: ProbeResult | null = null;

	constructor(
		private readonly everyMs = 30_000,
		private readonly scrub: (text: string) => string = t => t,
	) {}

	/** The next read happens on the next poll. */
	requestNow(): void {
		this.nextAt = 0;
	}

	/** The last result, re-read when due. Never throws. */
	async read(client: Redis, keys: ProbeKeys, now: number): Promise<ProbeResult | null> {
		if (now < this.nextAt && this.last) return this.last;
		this.nextAt = now + this.everyMs;
		try {
			this.last = {serverConfig: await this.readConfig(client, now), keySizes: await this.readSizes(client, keys, now)};
		} catch (error) {
			// A lost connection mid-probe: keep what we had, try again next time.
			this.nextAt = 0;
			if (!this.last) return null;
		}
		return this.last;
	}

	private async readConfig(client: Redis, now: number): Promise<ServerConfigRead> {
		const values: Record<string, string> = {};
		let denied: ServerConfigRead['denied'] = null;
		let error: string | null = null;
		try {
			// One CONFIG GET per parameter works on every version (multi-arg GET is 7.0+).
			const pipe = client.pipeline();
			for (const p of AUDIT_PARAMS) pipe.call('CONFIG', 'GET', p);
			const replies = (await pipe.exec()) ?? [];
			for (const [i, [err, reply]] of replies.entries()) {
				if (err) throw err;
				const arr = reply as string[];
				for (let j = 0; j + 1 < arr.length; j += 2) {
					const name = arr[j]!;
					// The password itself never leaves this function.
					values[name] = name === 'requirepass' ? (arr[j + 1] ? '(set)' : '') : arr[j + 1]!;
				}
				if (arr.length === 0) values[`${AUDIT_PARAMS[i]}`] ??= '';
			}
		} catch (err) {
			error = this.scrub(errorText(err));
			denied = deniedKind(error);
		}
		// Renamed/disabled commands vanish from the command table under their name.
		try {
			const info = (await client.call('COMMAND', 'INFO', ...DANGEROUS_COMMANDS)) as unknown[];
			values['__present_commands'] = DANGEROUS_COMMANDS.filter((_, i) => info[i] != null).join(' ');
		} catch (err) {
			values['__command_info_error'] = this.scrub(errorText(err));
		}
		return {readAt: now, values, denied, error};
	}

	private async readSizes(client: Redis, keys: ProbeKeys, now: number): Promise<KeySizes> {
		const groups: [keyof Pick<KeySizes, 'instance' | 'job' | 'metric'>, RedisKey[]][] = [
			['instance', pick(keys.instance, SAMPLE_PER_CATEGORY)],
			['job', pick(keys.job, SAMPLE_PER_CATEGORY)],
			['metric', pick(keys.metric, SAMPLE_PER_CATEGORY)],
		];
		const pipe = client.pipeline();
		for (const [, list] of groups) for (const k of list) pipe.call('MEMORY', 'USAGE', k);
		if (keys.hashFields > 0) pipe.call('MEMORY', 'USAGE', keys.instancesHash);
		const replies = (await pipe.exec()) ?? [];
		let i = 0;
		let error: string | null = null;
		const out: KeySizes = {readAt: now, instance: null, job: null, metric: null, instancesHash: null, error: null};
		for (const [name, list] of groups) {
			const group: KeySizeGroup = {sampled: 0, totalBytes: 0};
			for (let n = 0; n < list.length; n++) {
				const [err, bytes] = replies[i++] ?? [new Error('no reply'), null];
				if (err) error ??= this.scrub(errorText(err));
				else if (typeof bytes === 'number') {
					group.sampled++;
					group.totalBytes += bytes;
				}
			}
			out[name] = group.sampled > 0 ? group : null;
		}
		if (keys.hashFields > 0) {
			const [err, bytes] = replies[i++] ?? [new Error('no reply'), null];
			if (err) error ??= this.scrub(errorText(err));
			else if (typeof bytes === 'number') out.instancesHash = {bytes, fields: keys.hashFields};
		}
		out.error = error;
		return out;
	}
}
