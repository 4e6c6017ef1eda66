import {describe, expect, it} from 'vitest';
import {DecodeMemo} from '../../source/sources/decode-memo';

describe('DecodeMemo', () => {
	it('decodes a value once while it is unchanged, again when it changes', () => {
		const memo = new DecodeMemo<{n: number}>();
		let decodes = 0;
		const decode = (raw: string) => () => {
			decodes++;
			return JSON.parse(raw) as {n: number};
		};
		const first = memo.get('k', '{"n":1}', decode('{"n":1}'));
		memo.endTick();
		const same = memo.get('k', '{"n":1}', decode('{"n":1}'));
		memo.endTick();
		expect(same).toBe(first);
		expect(decodes).toBe(1);
		const changed = memo.get('k', '{"n":2}', decode('{"n":2}'));
		expect(changed).toEqual({n: 2});
		expect(decodes).toBe(2);
	});

	it('forgets keys not seen in a tick, and tells a missing value from a present one', () => {
		const memo = new DecodeMemo<string>();
		memo.get('gone', 'x', () => 'x1');
		memo.get('nil', null, () => 'missing');
		memo.endTick();
		memo.get('nil', null, () => 'missing again');
		memo.endTick();
		expect(memo.get('gone', 'x', () => 'x2')).toBe('x2');
		expect(memo.get('nil', 'now set', () => 'set')).toBe('set');
	});
});
