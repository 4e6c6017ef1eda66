import {describe, expect, it} from 'vitest';
import {formatBytes, formatCount, formatDuration, formatMicros, formatTtl, ttlLeft} from '../../source/domain/format';
import {delta, ratePerSec, rateSeries} from '../../source/domain/rates';
import {RingBuffer} from '../../source/domain/ring-buffer';
import {clampCursor, moveCursor} from '../../source/ui/list-cursor';
import {stats} from '../support/fixtures';

describe('formats', () => {
	it('formats bytes, counts, durations', () => {
		expect([0, 1023, 1536, 10 * 1024 ** 2, 2 * 1024 ** 3].map(formatBytes)).toEqual(['0B', '1023B', '1.50K', '10.0M', '2.00G']);
		expect(formatBytes(null)).toBe('-');
		expect([5, 12_345, 1_234_567].map(formatCount)).toEqual(['5', '12.3k', '1.23M']);
		expect([5, 1500, 90_000, 7_200_000, 90_000_000].map(formatDuration)).toEqual(['5ms', '1.5s', '1m30s', '2h00m', '1d01h']);
		expect([850, 12_300, 1_200_000].map(formatMicros)).toEqual(['850µs', '12.3ms', '1.20s']);
		expect([null, undefined, -5, 2000].map(formatTtl)).toEqual(['no TTL', '-', '-5ms', '2.0s']);
	});
});

describe('rates and history', () => {
	const h = [
		{at: 0, stats: stats({totalCommands: 100})},
		{at: 2000, stats: stats({totalCommands: 300})},
		{at: 3000, stats: stats({totalCommands: 50})},
	];
	it('computes per-second rates and deltas, null across a counter reset', () => {
		expect(ratePerSec(h.slice(0, 2), s => s.totalCommands)).toBe(100);
		expect(delta(h.slice(0, 2), s => s.totalCommands)).toBe(200);
		expect(ratePerSec(h, s => s.totalCommands)).toBeNull();
		expect(rateSeries(h, s => s.totalCommands)).toEqual([100, null]);
	});
	it('keeps the newest items in a ring buffer', () => {
		const r = new RingBuffer<number>(3);
		for (let i = 1; i <= 5; i++) r.push(i);
		expect(r.toArray()).toEqual([3, 4, 5]);
		expect(r.last()).toBe(5);
		expect(r.length).toBe(3);
	});
});

describe('list cursor', () => {
	it('moves within bounds and scrolls just enough', () => {
		let c = {index: 0, offset: 0};
		c = moveCursor(c, 'down', 10, 3);
		c = moveCursor(c, 'down', 10, 3);
		c = moveCursor(c, 'down', 10, 3);
		expect(c).toEqual({index: 3, offset: 1});
		expect(moveCursor(c, 'bottom', 10, 3)).toEqual({index: 9, offset: 7});
		expect(moveCursor(c, 'top', 10, 3)).toEqual({index: 0, offset: 0});
		expect(moveCursor(c, 'pageDown', 10, 3)).toEqual({index: 5, offset: 3});
		expect(moveCursor({index: 0, offset: 0}, 'up', 10, 3)).toEqual({index: 0, offset: 0});
	});
	it('clamps when the list shrinks', () => {
		expect(clampCursor({index: 8, offset: 6}, 4, 3)).toEqual({index: 3, offset: 1});
		expect(clampCursor({index: 8, offset: 6}, 0, 3)).toEqual({index: 0, offset: 0});
	});
});

describe('deepEqual', () => {
	it('compares plain data structurally', async () => {
		const {deepEqual} = await import('../../source/domain/equal');
		expect(deepEqual({a: [1, {b: null}], c: 'x'}, {c: 'x', a: [1, {b: null}]})).toBe(true);
		expect(deepEqual({a: [1, 2]}, {a: [1, 3]})).toBe(false);
		expect(deepEqual({a: 1}, {a: 1, b: undefined})).toBe(false);
		expect(deepEqual([], {})).toBe(false);
		expect(deepEqual(Number.NaN, Number.NaN)).toBe(true);
		expect(deepEqual(null, {})).toBe(false);
	});

	it('counts a TTL down from when it was read, never below 0, and leaves no-TTL and unknown alone', () => {
		expect(ttlLeft(5000, 1000, 3000)).toBe(3000);
		expect(ttlLeft(5000, 1000, 9000)).toBe(0);
		expect(ttlLeft(5000, 3000, 1000)).toBe(5000); // a clock that went back does not add time
		expect(ttlLeft(null, 1000, 3000)).toBeNull();
		expect(ttlLeft(undefined, 1000, 3000)).toBeUndefined();
	});
});
