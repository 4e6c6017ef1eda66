/**
 * What each key's value decoded to last tick. A monitor re-reads mostly
 * unchanged JSON every second; an unchanged value keeps its decoded object
 * (no JSON.parse, and the same reference, which the snapshot comparison
 * then skips). Keys not seen in a tick are forgotten at its end.
 */
export class DecodeMemo<T> {
	private previous = new Map<string, {raw: string | null; value: T}>();
	private current = new Map<string, {raw: string | null; value: T}>();

	get(key: string, raw: string | null, decode: () => T): T {
		const hit = this.previous.get(key) ?? this.current.get(key);
		const value = hit && hit.raw === raw ? hit.value : decode();
		this.current.set(key, {raw, value});
		return value;
	}

	endTick(): void {
		this.previous = this.current;
		this.current = new Map();
	}
}
