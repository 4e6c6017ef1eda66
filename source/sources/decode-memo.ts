/**
 * What each key's value decoded to last tick. A monitor re-reads mostly
 * unchanged JSON every second; an unchanged value keeps its decoded object
 * (no JSON.parse, and the same reference, which the snapshot comparison
 * then skips). Entries are updated in place, so an unchanged store
 * allocates nothing here; keys not seen in a tick are forgotten at its end.
 */
type Raw = string | Buffer | null;
type Entry<T> = {raw: Raw; tag: number | null; value: T; tick: number};

const same = (a: Raw, b: Raw): boolean => (Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : a === b);

export class DecodeMemo<T> {
	private readonly entries = new Map<string, Entry<T>>();
	private tick = 0;

	/**
	 * `raw` as read (Buffers compare by bytes, so a reply need not be decoded
	 * to be recognised); `tag` is part of what was read too (a cut value's full length).
	 */
	get(key: string, raw: Raw, decode: () => T, tag: number | null = null): T {
		const entry = this.entries.get(key);
		if (!entry) {
			const value = decode();
			this.entries.set(key, {raw, tag, value, tick: this.tick});
			return value;
		}
		if (!same(entry.raw, raw) || entry.tag !== tag) {
			entry.raw = raw;
			entry.tag = tag;
			entry.value = decode();
		}
		entry.tick = this.tick;
		return entry.value;
	}

	/** The raw value last seen for `key` (undefined: none this tick or the last). */
	rawOf(key: string): Raw | undefined {
		return this.entries.get(key)?.raw;
	}

	/** The tag last seen with `key`'s raw value. */
	tagOf(key: string): number | null {
		return this.entries.get(key)?.tag ?? null;
	}

	endTick(): void {
		for (const [key, entry] of this.entries) if (entry.tick !== this.tick) this.entries.delete(key);
		this.tick++;
	}
}
