import {decodeBytes} from './sanitize';
import type {SlowlogEntry} from './types';

const text = (v: unknown): string =>
	Buffer.isBuffer(v) ? decodeBytes(v) : typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);

/**
 * Parses a SLOWLOG GET reply. Redis ≥ 4 entries are
 * [id, time, micros, [args…], "ip:port", "name"]; older ones stop at args.
 * Anything malformed is skipped rather than thrown on.
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
			args: Array.isArray(args) ? args.map(a => text(a)) : [],
			client: clientName ? `${clientAddr} ${clientName}` : clientAddr,
		});
	}
	return entries;
};
