// Human formats for numbers shown in narrow cells.

export const formatBytes = (bytes: number | null | undefined): string => {
	if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '-';
	const units = ['B', 'K', 'M', 'G', 'T'];
	let value = bytes;
	let unit = 0;
	while (Math.abs(value) >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${value}B` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)}${units[unit]}`;
};

export const formatCount = (n: number | null | undefined): string => {
	if (n === null || n === undefined || !Number.isFinite(n)) return '-';
	const abs = Math.abs(n);
	if (abs < 10_000) return String(Math.round(n * 100) / 100);
	if (abs < 1_000_000) return `${(n / 1000).toFixed(abs < 100_000 ? 1 : 0)}k`;
	if (abs < 1_000_000_000) return `${(n / 1_000_000).toFixed(abs < 100_000_000 ? 2 : 1)}M`;
	return `${(n / 1_000_000_000).toFixed(2)}G`;
};

/** 1500 → "1.5s", 90_000 → "1m30s", 5 → "5ms". */
export const formatDuration = (ms: number | null | undefined): string => {
	if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
	const sign = ms < 0 ? '-' : '';
	const abs = Math.abs(ms);
	if (abs < 1000) return `${sign}${Math.round(abs)}ms`;
	if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(abs < 10_000 ? 1 : 0)}s`;
	const s = Math.floor(abs / 1000);
	if (s < 3600) return `${sign}${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
	if (s < 86_400) return `${sign}${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
	return `${sign}${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3600)).padStart(2, '0')}h`;
};

/** Microseconds as "850µs" / "12.3ms" / "1.2s". */
export const formatMicros = (us: number): string => {
	if (us < 1000) return `${us}µs`;
	if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)}ms`;
	return `${(us / 1_000_000).toFixed(2)}s`;
};

/** A TTL read at `readAt`, counted down to `now` (null: no TTL and undefined: unknown stay as they are). */
export const ttlLeft = (ttlMs: number | null | undefined, readAt: number, now: number): number | null | undefined =>
	typeof ttlMs === 'number' ? Math.max(0, ttlMs - Math.max(0, now - readAt)) : ttlMs;

/** A copy of `item` (a lock, a metric series) with its TTL, read at `readAt`, counted down to `now`. */
export const countedDown = <T extends {ttlMs?: number | null}>(item: T, readAt: number, now: number): T =>
	// ttlLeft keeps null and undefined as they are, so the copy has the item's own TTL type.
	({...item, ttlMs: ttlLeft(item.ttlMs, readAt, now)}) as T;

/** TTL cell: "no TTL", "-" (unknown), or a duration (negative: overdue by that much). */
export const formatTtl = (ttlMs: number | null | undefined): string =>
	ttlMs === undefined ? '-' : ttlMs === null ? 'no TTL' : formatDuration(ttlMs);

/** Clock time HH:MM:SS in local time. */
export const formatClock = (epochMs: number): string => {
	const d = new Date(epochMs);
	return [d.getHours(), d.getMinutes(), d.getSeconds()].map(n => String(n).padStart(2, '0')).join(':');
};
