// Hostile nesting depth in store data: decoding cuts it, and every walk that
// sees store data (equality, the value viewer) copes without a stack overflow.
import {describe, expect, it} from 'vitest';
import {deepEqual} from '../../source/domain/equal';
import {valueLines, type ValueData} from '../../source/domain/key-view';
import {decodeMetricSample, decodeObject, limitDepth, MAX_JSON_DEPTH, TOO_DEEP} from '../../source/domain/layouts';
import {sparkline} from '../../source/ui/sparkline';

const deepArray = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Depth of the deepest container (the root container is 1). */
const depthOf = (value: unknown): number => {
	let max = 0;
	const stack: [unknown, number][] = [[value, 1]];
	while (stack.length > 0) {
		const [v, d] = stack.pop()!;
		if (!v || typeof v !== 'object') continue;
		max = Math.max(max, d);
		for (const child of Object.values(v)) stack.push([child, d + 1]);
	}
	return max;
};

const view = (over: Partial<ValueData>): ValueData => ({name: 'k', kind: 'other', type: 'string', ttlMs: null, memory: null, size: null, bytes: null, items: [], next: null, loading: false, error: null, fetchedAt: 0, ...over});

describe('depth-limited decoding', () => {
	it('limitDepth cuts containers below the limit, in place, and counts them', () => {
		const value = JSON.parse('{"a": {"b": [1, {"c": 2}]}, "d": 3}') as Record<string, unknown>;
		expect(limitDepth(value, 2)).toBe(1);
		expect(value).toEqual({a: {b: [1, TOO_DEEP]}, d: 3});
		expect(limitDepth(JSON.parse('{"a": {"b": 1}}'), 2)).toBe(0);
	});

	it('decodes a 100k-deep object without a crash, cut at MAX_JSON_DEPTH, siblings intact', () => {
		const decoded = decodeObject(`{"status": "active", "x": ${deepObject(100_000)}}`);
		expect(decoded.error).toBeNull();
		expect(decoded.value!['status']).toBe('active');
		expect(depthOf(decoded.value)).toBe(MAX_JSON_DEPTH + 1);
		expect(JSON.stringify(decoded.value)).toContain(TOO_DEEP);
	});

	it('a 5,000-deep metric sample decodes to a bounded value', () => {
		const decoded = decodeMetricSample(`{"metric": "m", "value": ${deepArray(5000)}, "timestamp": "2026-11-26T09:00:00.000Z"}`);
		expect(decoded?.metric).toBe('m');
		expect(depthOf(decoded!.sample.value)).toBeLessThanOrEqual(MAX_JSON_DEPTH);
		expect(() => JSON.stringify(decoded)).not.toThrow();
	});

	it('deepEqual compares 100k-deep values without recursing', () => {
		const a = JSON.parse(deepArray(100_000)) as unknown;
		const b = JSON.parse(deepArray(100_000)) as unknown;
		const c = JSON.parse(deepArray(99_999)) as unknown;
		expect(deepEqual(a, b)).toBe(true);
		expect(deepEqual(a, c)).toBe(false);
	});
});

describe('the key viewer on deep JSON values', () => {
	it.each([
		['an array string', deepArray(30_000)],
		['an object string', deepObject(12_000)],
	])('shows %s nested past the limit, marked, without a crash', (_, text) => {
		// Wide enough that the marker, indented 2 columns a level, is not wrapped.
		const lines = valueLines(view({bytes: Buffer.from(text), size: text.length}), 1000, 0, sparkline);
		const shown = lines.map(l => l.map(s => s.text).join('')).join('\n');
		expect(shown).toContain(TOO_DEEP);
	});

	it('shows a JSON-source instance whose decoded value is deep (JSON source entries)', () => {
		const deep = JSON.parse(deepObject(20_000)) as Record<string, unknown>;
		const lines = valueLines(view({kind: 'instance', type: 'instance', json: {instanceId: 'x', deep}}), 80, 0, sparkline);
		expect(lines.length).toBeGreaterThan(0);
	});
});
