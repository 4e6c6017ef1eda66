// SCAN helpers. Cursors as positions in the walk. Redis walks a hash table in
// reverse-binary bucket order (dictScan): the cursor's low bits index the
// bucket, and the cursor reversed over 64 bits only grows, from 0 to 2^64, as
// the walk goes. So a cursor is a position in [0, 1), and the walk can be cut
// into ranges that start at chosen positions (key-index.ts walks them at once).

const reverse64 = (value: bigint): bigint => {
	let v = value;
	let r = 0n;
	for (let i = 0; i < 64; i++) {
		r = (r << 1n) | (v & 1n);
		v >>= 1n;
	}
	return r;
};

const parse = (cursor: string): bigint | null => {
	try {
		const c = BigInt(cursor);
		return c >= 0n && c < 1n << 64n ? c : null;
	} catch {
		return null;
	}
};

/** How far a walk has come at `cursor`, 0 ≤ p < 1. Cursor 0 (the start, and the end) and garbage read 0. */
export const cursorPosition = (cursor: string): number => {
	const c = parse(cursor);
	return c === null ? 0 : Number(reverse64(c)) / 2 ** 64;
};

/** The first cursor of range `k` of `n` equal ranges (n a power of two ≤ 256). */
export const rangeStart = (k: number, n: number): string => (k === 0 ? '0' : reverse64((BigInt(k) << 64n) / BigInt(n)).toString());

/** Whether a cursor returned inside range `k` of `n` lies past that range (0: the walk reached the end). */
export const leftRange = (cursor: string, k: number, n: number): boolean => {
	const c = parse(cursor);
	if (c === null || c === 0n) return true;
	return reverse64(c) >= (BigInt(k + 1) << 64n) / BigInt(n);
};

/** Escapes glob metacharacters so a prefix matches only itself in SCAN MATCH (and PSUBSCRIBE). */
export const escapeGlob = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');
