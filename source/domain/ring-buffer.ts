/** Fixed-capacity history (oldest dropped first), for sparklines and rates. */
export class RingBuffer<T> {
	private readonly items: (T | undefined)[];
	private start = 0;
	private size = 0;

	constructor(readonly capacity: number) {
		this.items = new Array<T | undefined>(Math.max(1, capacity));
	}

	push(item: T): void {
		const cap = this.items.length;
		this.items[(this.start + this.size) % cap] = item;
		if (this.size < cap) this.size++;
		else this.start = (this.start + 1) % cap;
	}

	get length(): number {
		return this.size;
	}

	last(): T | undefined {
		return this.size === 0 ? undefined : this.items[(this.start + this.size - 1) % this.items.length];
	}

	toArray(): T[] {
		const out: T[] = [];
		for (let i = 0; i < this.size; i++) out.push(this.items[(this.start + i) % this.items.length] as T);
		return out;
	}
}
