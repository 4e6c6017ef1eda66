import {describe, expect, it} from 'vitest';
import {BoundedCache} from '../../source/ink-fast/bounded-cache';

describe('BoundedCache', () => {
	it('never holds more than twice its limit', () => {
		const cache = new BoundedCache<number, number>(100);
		for (let i = 0; i < 10_000; i++) cache.set(i, i);
		expect(cache.size).toBeLessThanOrEqual(200);
		expect(cache.get(9_999)).toBe(9_999);
		expect(cache.get(0)).toBeUndefined();
	});

	it('keeps what is still read while newer entries arrive', () => {
		const cache = new BoundedCache<string, number>(10);
		cache.set('hot', 1);
		for (let i = 0; i < 1000; i++) {
			cache.set(`cold${i}`, i);
			expect(cache.get('hot')).toBe(1);
		}
	});
});
