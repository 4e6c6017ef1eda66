import {decodeBytes} from './sanitize';
import type {SlowlogEntry} from './types';

const text = (v: unknown): string =>
	Buffer.isBuffer(v) ? decodeBytes(v) : typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);

/** What replaces a secret argument (the same word Redis 7 uses for its own redaction). */
export const REDACTED = '(redacted)';

const SECRET_NAME = /pass|auth|secret/i;

/**
 * Hides the secrets in a command's arguments: AUTH passwords, HELLO … AUTH
 * user pass, MIGRATE … AUTH pass / AUTH2 user pass, ACL SETUSER >pass <pass
 * #hash !hash, CONFIG SET requirepass/masterauth/…pass… values, SENTINEL
 * SET/CONFIG SET …pass… values. User names stay visible: they are not
 * secrets and say who ran the command. Older servers log these in clear; new
 * ones already show "(redacted)", which passes through unchanged.
 */
export const redactArgs = (args: readonly string[]): string[] => {
	const out = [...args];
	const name = (out[0] ?? '').toUpperCase();
	const sub = (out[1] ?? '').toUpperCase();
	const hide = (i: number) => {
		if (i < out.length) out[i] = REDACTED;
	};
	if (name === 'AUTH') {
		// AUTH pass | AUTH user pass: the last argument is the password.
		hide(out.length === 2 ? 1 : 2);
		for (let i = 3; i < out.length; i++) hide(i);
	} else if (name === 'HELLO') {
		for (let i = 1; i < out.length; i++) {
			if (out[i]!.toUpperCase() === 'AUTH') {
				hide(i + 2);
				i += 2;
			}
		}
	} else if (name === 'MIGRATE') {
		for (let i = 6; i < out.length; i++) {
			const word = out[i]!.toUpperCase();
			if (word === 'KEYS') break;
			if (word === 'AUTH') hide(++i);
			else if (word === 'AUTH2') {
				hide(i + 2);
				i += 2;
			}
		}
	} else if (name === 'ACL' && sub === 'SETUSER') {
		for (let i = 3; i < out.length; i++) {
			const rule = out[i]!;
			if (/^[<>#!]/.test(rule)) out[i] = `${rule[0]}${REDACTED}`;
		}
	} else if (name === 'CONFIG' && sub === 'SET') {
		for (let i = 2; i + 1 < out.length; i += 2) if (SECRET_NAME.test(out[i]!)) hide(i + 1);
	} else if (name === 'SENTINEL' && (sub === 'SET' || sub === 'CONFIG')) {
		// SENTINEL SET master opt value …; SENTINEL CONFIG SET opt value …
		for (let i = 3; i + 1 < out.length; i += 2) if (SECRET_NAME.test(out[i]!)) hide(i + 1);
	}
	return out;
};

/** True when an argument (not the command name) is a key under `prefix:`. */
export const touchesPrefix = (args: readonly string[], prefix: string): boolean => {
	const head = `${prefix}:`;
	for (let i = 1; i < args.length; i++) if (args[i]!.startsWith(head) || args[i] === prefix) return true;
	return false;
};

/** The command name as summaries group it: upper case, with the subcommand for container commands. */
export const commandName = (args: readonly string[]): string => {
	const name = (args[0] ?? '?').toUpperCase();
	const sub = args[1];
	return sub !== undefined && CONTAINERS.has(name) ? `${name} ${sub.toUpperCase()}` : name;
};

const CONTAINERS = new Set(['ACL', 'CLIENT', 'CLUSTER', 'COMMAND', 'CONFIG', 'FUNCTION', 'LATENCY', 'MEMORY', 'MODULE', 'OBJECT', 'PUBSUB', 'SCRIPT', 'SENTINEL', 'SLOWLOG', 'XINFO', 'XGROUP']);

/**
 * Parses a SLOWLOG GET reply. Redis ≥ 4 entries are
 * [id, time, micros, [args…], "ip:port", "name"]; older ones stop at args.
 * Anything malformed is skipped rather than thrown on. Secret arguments are
 * redacted here, so nothing downstream (history, --json, panes) ever holds them.
 */
export const parseSlowlog = (reply: unknown): SlowlogEntry[] => {
	if (!Array.isArray(reply)) return [];
	const entries: SlowlogEntry[] = [];
	for (const item of reply) {
		if (!Array.isArray(item) || item.length < 4) continue;
		const [id, time, micros, args, addr, name] = item as unknown[];
		const n = Number(text(id));
		if (!Number.isFinite(n)) continue;
		const clientAddr = text(addr);
		const clientName = text(name);
		entries.push({
			id: n,
			time: Number(text(time)) || 0,
			durationMicros: Number(text(micros)) || 0,
			args: redactArgs(Array.isArray(args) ? args.map(a => text(a)) : []),
			client: clientName ? `${clientAddr} ${clientName}` : clientAddr,
		});
	}
	return entries;
};
