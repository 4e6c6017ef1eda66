/**
 * What each key's value decoded to last tick. A monitor re-reads mostly
 * unchanged JSON every second; an unchanged value keeps its decoded object
 * (no JSON.parse, and the same reference, which the snapshot comparison
 * then skips). Keys not seen in a tick are forgotten at its end.
 */
type Raw = string | Buffer | null;

const same = (a: Raw, b: Raw): boolean => (Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : a === b);

export class DecodeMemo<T> {
	private previous = new Map<string, {raw: Raw; value: T}>();
	private current = new Map<string, {raw: Raw; value: T}>();

	/** `raw` as read (Buffers compare by bytes, so a reply need not be decoded to be recognised). */
	get(key: string, raw: Raw, decode: () => T): T {
		const hit = this.previous.get(key) ?? this.current.get(key);
		const value = hit && same(hit.raw, raw) ? hit.value : decode();
		this.current.set(key, {raw, value});
		return value;
	}

	endTick(): void {
		this.previous = this.current;
		this.current = new Map();
	}
}
