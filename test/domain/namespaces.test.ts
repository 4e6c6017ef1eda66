import {describe, expect, it} from 'vitest';
import {
	classifyKey,
	estimatedMemory,
	findNode,
	NamespaceTree,
	namespaceLabel,
	progressFigures,
	treeRows,
	ttlPolicyBreak,
} from '../../source/domain/namespaces';
import {cursorPosition, leftRange, rangeStart} from '../../source/domain/scan-cursor';

const tree = (names: (string | Buffer)[], options = {}) => {
	const t = new NamespaceTree(options);
	for (const n of names) t.addRaw(typeof n === 'string' ? Buffer.from(n) : n);
	return t;
};

describe('NamespaceTree', () => {
	it('counts keys per namespace without making leaves into nodes', () => {
		const t = tree(['a:b:1', 'a:b:2', 'a:c', 'a', 'x:y:z:w']);
		expect(t.total).toBe(5);
		expect(findNode(t, 'a')).toMatchObject({count: 3, direct: 1});
		expect(findNode(t, 'a:b')).toMatchObject({count: 2, direct: 2});
		expect(findNode(t, 'x:y:z')).toMatchObject({count: 1, direct: 1});
		expect(t.root.direct).toBe(1);
		// a, a:b, x, x:y, x:y:z + root: never one node per key.
		expect(t.nodes).toBe(6);
	});

	it('stops splitting at maxDepth: deeper segments stay in the leaf name', () => {
		const t = tree(['a:b:c:d:e'], {maxDepth: 2});
		expect(findNode(t, 'a:b')).toMatchObject({count: 1, direct: 1});
		expect(findNode(t, 'a:b:c')).toBeNull();
	});

	it('caps nodes, leaves, the flat list and kept bytes, and still counts everything', () => {
		const names = Array.from({length: 5000}, (_, i) => `ns${i % 100}:k${i}`);
		const t = tree(names, {nodeCap: 51, leafCap: 3, listCap: 10});
		expect(t.total).toBe(5000);
		expect(t.nodes).toBe(51);
		expect(t.root.overflow).toBe(5000 - 50 * 50);
		expect(t.list).toHaveLength(10);
		expect(findNode(t, 'ns0')).toMatchObject({count: 50, direct: 50});
		expect(findNode(t, 'ns0')!.leaves).toHaveLength(3);
		const bytes = tree(names, {nameBytesCap: 1000});
		expect(bytes.list.length).toBeLessThan(20);
		expect(bytes.total).toBe(5000);
	});

	it('keeps binary names byte-exact (copies, not views of a reply buffer)', () => {
		const reply = Buffer.from([0x61, 0x3a, 0xff, 0x00, 0x1b, 0x62]);
		const t = tree([reply.subarray(0, 6)]);
		reply[5] = 0x7a;
		const ref = t.list[0]!;
		expect(ref.raw).toEqual(Buffer.from([0x61, 0x3a, 0xff, 0x00, 0x1b, 0x62]));
		expect(ref.name).toBe('a:\\xff\\x00\\x1bb');
	});

	it('splits on any delimiter', () => {
		const t = tree(['a/b/c', 'a/d'], {delimiter: '/'});
		expect(findNode(t, 'a')).toMatchObject({count: 2});
		expect(findNode(t, 'a/b')).toMatchObject({count: 1});
	});

	it('lists rows of expanded namespaces: children, kept keys, then what is not kept', () => {
		const t = tree(['p:b:1', 'p:a', 'p:c', 'q:1'], {leafCap: 1});
		const rows = treeRows(t, new Set(['p']));
		expect(rows.map(r => (r.kind === 'ns' ? `ns ${r.node.path}` : r.kind === 'key' ? `key ${r.ref.name}` : `more ${r.hidden}`))).toEqual([
			'ns p',
			'ns p:b',
			'key p:a',
			'more 1',
			'ns q',
		]);
	});

	it('estimates namespace memory from samples', () => {
		const t = tree(['a:1', 'a:2', 'a:3', 'a:4', 'b:1']);
		t.sampleMemory(Buffer.from('a:1'), 100);
		t.sampleMemory(Buffer.from('b:1'), 1000);
		expect(estimatedMemory(findNode(t, 'a')!)).toBe(400);
		expect(estimatedMemory(t.root)).toBe(1400);
		expect(estimatedMemory(tree(['z']).root)).toBeNull();
	});
});

describe('tmux-claude keys', () => {
	it('classifies both layouts', () => {
		const P = 'tmux-claude';
		expect(classifyKey(`${P}:instance:exec_1`, P)).toBe('instance');
		expect(classifyKey(`${P}:job:j1`, P)).toBe('job');
		expect(classifyKey(`${P}:lock:git`, P)).toBe('lock');
		expect(classifyKey(`${P}:locks:git`, P)).toBe('lock');
		expect(classifyKey(`${P}:metrics:cpu`, P)).toBe('metrics');
		expect(classifyKey(`${P}:instances`, P)).toBe('instances-hash');
		expect(classifyKey(`${P}:instances:active`, P)).toBe('active-set');
		expect(classifyKey(`${P}:tmp:x`, P)).toBe('temporary');
		expect(classifyKey('other:x', P)).toBe('other');
		expect(classifyKey(`${P}x:instance:1`, P)).toBe('other');
		expect(namespaceLabel(`${P}:locks`, P, ':')).toBe('locks (layout 2)');
		expect(namespaceLabel(`${P}:scratch`, P, ':')).toBe('temporary');
	});

	it('flags what breaks the TTL policy', () => {
		expect(ttlPolicyBreak('lock', null)).toBe('lock without TTL');
		expect(ttlPolicyBreak('lock', 30_000)).toBeNull();
		expect(ttlPolicyBreak('metrics', null)).toBe('metrics without TTL');
		expect(ttlPolicyBreak('metrics', 86_400_000)).toBeNull();
		expect(ttlPolicyBreak('temporary', null)).toBe('temporary state without TTL');
		expect(ttlPolicyBreak('temporary', 300_001)).toBe('temporary state TTL > 5 min');
		expect(ttlPolicyBreak('temporary', 300_000)).toBeNull();
		expect(ttlPolicyBreak('instance', null)).toBeNull();
		expect(ttlPolicyBreak('lock', undefined)).toBeNull();
	});
});

describe('scan progress', () => {
	it('reads the fraction walked from the reverse-binary cursor', () => {
		// Cursor 0b001, reversed over 64 bits, is 2^63: half done, whatever the table size.
		expect(cursorPosition('1')).toBe(0.5);
		expect(cursorPosition('2')).toBe(0.25);
		expect(cursorPosition('3')).toBe(0.75);
		expect(cursorPosition('6')).toBe(0.375);
		expect(cursorPosition('0')).toBe(0);
		expect(cursorPosition('not a number')).toBe(0);
		expect(cursorPosition('-1')).toBe(0);
	});

	it('cuts the walk into ranges by cursor position', () => {
		expect([0, 1, 2, 3].map(k => rangeStart(k, 4))).toEqual(['0', '2', '1', '3']);
		expect([0, 1, 2, 3].map(k => cursorPosition(rangeStart(k, 4)))).toEqual([0, 0.25, 0.5, 0.75]);
		// Range 0 of 4 is [0, 0.25): cursor 2 (0.25) has left it, cursor 4 (0.125) has not.
		expect(leftRange('4', 0, 4)).toBe(false);
		expect(leftRange('2', 0, 4)).toBe(true);
		expect(leftRange('1', 1, 4)).toBe(true);
		expect(leftRange('0', 3, 4)).toBe(true);
		expect(leftRange('7', 3, 4)).toBe(false);
	});

	it('derives rate and time left', () => {
		expect(progressFigures({found: 10, examined: 500, dbsize: 1000, elapsedMs: 1000, calls: 1, done: false})).toEqual({fraction: 0.5, rate: 500, etaMs: 1000});
		expect(progressFigures({found: 10, examined: 1000, dbsize: 1000, elapsedMs: 1000, calls: 1, done: true})).toMatchObject({fraction: 1, etaMs: 0});
		expect(progressFigures({found: 0, examined: 0, dbsize: null, elapsedMs: 0, calls: 0, done: false})).toEqual({fraction: null, rate: null, etaMs: null});
	});
});
