/**
 * A cache that holds at most 2 × limit entries: when the young generation is
 * full it becomes the old one and the previous old one is dropped. Entries in
 * use every frame are promoted back, so a monitor that runs for days keeps the
 * strings of the current screen and forgets the rest (Ink's own caches never
 * forget, so every clock tick's text stayed in memory).
 */
export class BoundedCache<K, V> {
	private young = new Map<K, V>();
	private old = new Map<K, V>();

	constructor(private readonly limit: number) {}

	get(key: K): V | undefined {
		const hit = this.young.get(key);
		if (hit !== undefined) return hit;
		const aged = this.old.get(key);
		if (aged !== undefined) this.set(key, aged);
		return aged;
	}

	set(key: K, value: V): void {
		this.young.set(key, value);
		if (this.young.size >= this.limit) {
			this.old = this.young;
			this.young = new Map();
		}
	}

	get size(): number {
		return this.young.size + this.old.size;
	}
}
