import {describe, expect, it} from 'vitest';
import {hexDump, isText, jsonLines, lockLines, valueLines, type Line, type ValueData} from '../../source/domain/key-view';
import {jsonTree, jsonValue} from '../../source/domain/json-keys';
import {findNode} from '../../source/domain/namespaces';
import {sparkline} from '../../source/ui/sparkline';
import {jsonSnapshot} from '../support/fixtures';

const text = (lines: Line[]) => lines.map(l => l.map(s => s.text).join('')).join('\n');
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const data = (over: Partial<ValueData>): ValueData => ({
	name: 'k',
	kind: 'other',
	type: 'string',
	ttlMs: null,
	memory: null,
	size: null,
	bytes: null,
	items: [],
	next: null,
	loading: false,
	error: null,
	fetchedAt: 0,
	...over,
});

describe('value lines', () => {
	it('hex-dumps binary with offsets and escaped text', () => {
		const lines = hexDump(Buffer.from([0x00, 0x1b, 0x41, 0xff]), 16);
		expect(text(lines)).toBe('00000000  00 1b 41 ff                                      |..A.|');
		expect(isText(Buffer.from([0xff]))).toBe(false);
		expect(isText(Buffer.from('héllo'))).toBe(true);
		expect(isText(Buffer.from('a\u0000b'))).toBe(false);
	});

	it('pretty-prints JSON with keys, strings and numbers toned, hostile strings escaped', () => {
		const lines = jsonLines({a: 1, b: 'x\u009b2J', c: [true, null]});
		expect(text(lines)).toBe('{\n  "a": 1,\n  "b": "x\\x9b2J",\n  "c": [\n    true,\n    null\n  ]\n}');
		expect(lines[1]!.find(s => s.text === '"a"')?.tone).toBe('accent');
		expect(lines[1]!.find(s => s.text === '1')?.tone).toBe('info');
		expect(lines[2]!.find(s => s.text.startsWith('"x'))?.tone).toBe('ok');
	});

	it('shows text strings escaped and wrapped, binary ones as hex', () => {
		const t = valueLines(data({bytes: Buffer.from('line1\n\u001b[2Jline2'), size: 12}), 80, 0, sparkline);
		expect(text(t)).toBe('line1\n\\e[2Jline2');
		const wrapped = valueLines(data({bytes: Buffer.from('x'.repeat(25)), size: 25}), 10, 0, sparkline);
		expect(wrapped).toHaveLength(3);
		const bin = valueLines(data({bytes: Buffer.from([0, 1, 2, 0xff]), size: 4}), 80, 0, sparkline);
		expect(text(bin)).toMatch(/^00000000 {2}00 01 02 ff/);
		// A head cut mid-character is still text.
		const cut = Buffer.from('ééé').subarray(0, 5);
		expect(text(valueLines(data({bytes: cut, size: 6}), 80, 0, sparkline))).toMatch(/^éé/);
	});

	it('decodes tmux-claude instance and job JSON into labelled fields', () => {
		const inst = valueLines(
			data({kind: 'instance', bytes: Buffer.from(JSON.stringify({instanceId: 'mgr_1_2', role: 'manager', status: 'active', parentId: 'exec_1', sessionName: 'claude_mgr_1_2'})), size: 10}),
			80,
			0,
			sparkline,
		);
		expect(text(inst)).toMatch(/role {7}manager\nstatus {5}active\nparent {5}exec_1\nsession {4}claude_mgr_1_2/);
		const job = valueLines(data({kind: 'job', bytes: Buffer.from(JSON.stringify({id: 'j1', status: 'failed', priority: 75, attempts: 2, maxAttempts: 3, lastError: 'boom\u001b[31m'})), size: 10}), 80, 0, sparkline);
		expect(text(job)).toMatch(/priority {3}high \(75\)\nattempts {3}2 \/ 3/);
		expect(text(job)).toMatch(/lastError {2}boom\\e\[31m/);
		const broken = valueLines(data({kind: 'instance', bytes: Buffer.from('{"instanceId":"x'), size: 16}), 80, 0, sparkline);
		expect(text(broken)).toMatch(/^unparsable: invalid JSON/);
	});

	it('decodes lock tokens with their acquisition time, and says when a token is foreign', () => {
		expect(text(lockLines('1764133080123-0.5', 1764133090123))).toBe('token      1764133080123-0.5\nacquired   2025-11-26T04:58:00.123Z (10s ago)');
		expect(text(lockLines('\u001b]0;pwned\u0007', 0))).toMatch(/token {6}\\e\]0;pwned\\x07\nacquired {3}unknown: foreign token/);
	});

	it('shows metric zsets as samples with a sparkline', () => {
		const items = [3, 5, 4].map((v, i) => ({label: JSON.stringify({metric: 'q', value: v, timestamp: new Date(1000 * (i + 1)).toISOString()}), value: null, fullLength: 0, score: 1000 * (i + 1)}));
		items.push({label: 'garbage\u001b', value: null, fullLength: 0, score: 9});
		const out = text(valueLines(data({kind: 'metrics', type: 'zset', items, size: 4}), 80, 0, sparkline));
		expect(out).toMatch(/samples {4}3 · min 3 · max 5 · last 4\ntrend {6}▁█▅/);
		expect(out).toMatch(/1970-01-01T00:00:01.000Z {2}3/);
		expect(out).toMatch(/1 member\(s\) not metric JSON:\n9 {2}garbage\\e/);
	});

	it('summarises the layout-2 instances hash per field', () => {
		const items = [
			{label: 'spec_1', value: Buffer.from(JSON.stringify({role: 'specialist', status: 'active', parentId: 'mgr_1', sessionName: 's'})), fullLength: 60},
			{label: 'job:j1', value: Buffer.from(JSON.stringify({status: 'pending', priority: 100, attempts: 0, maxAttempts: 3})), fullLength: 60},
			{label: 'bad', value: Buffer.from('{oops'), fullLength: 5},
		];
		const out = text(valueLines(data({kind: 'instances-hash', type: 'hash', items, size: 3}), 80, 0, sparkline));
		expect(out).toBe('spec_1  specialist active · parent mgr_1 · s\njob:j1  job pending · critical · 0/3\nbad  unparsable: {oops');
	});

	it('never lets a control character through, whatever the value', () => {
		const hostile = Buffer.from('\u001b[2J\u0007\u009b\u202e\u0000end');
		for (const type of ['hash', 'list', 'set', 'zset', 'stream']) {
			const out = text(valueLines(data({type, items: [{label: hostile.toString(), value: hostile, fullLength: 9000, score: 1}]}), 80, 0, sparkline));
			expect(out).not.toMatch(RAW_CONTROL);
			expect(out).not.toContain('\u202e');
		}
		expect(text(valueLines(data({bytes: hostile, size: 9}), 80, 0, sparkline))).not.toMatch(RAW_CONTROL);
	});
});

describe('JSON source', () => {
	it('builds the tree of the state directory and views its entries', () => {
		const snap = jsonSnapshot();
		const t = jsonTree(snap);
		expect(findNode(t, 'instances.json')!.count).toBe(snap.instances.length + snap.jobs.length);
		expect(findNode(t, 'locks')!.count).toBe(snap.locks.length);
		const inst = t.list.find(r => r.json?.kind === 'instance')!;
		const view = jsonValue(snap, inst);
		expect(view.kind).toBe('instance');
		expect(text(valueLines(view, 80, snap.takenAt, sparkline))).toMatch(/^instance /);
		const lock = t.list.find(r => r.json?.kind === 'lock')!;
		expect(text(valueLines(jsonValue(snap, lock), 80, snap.takenAt, sparkline))).toMatch(/^token/);
		expect(jsonValue(null, inst).error).toBe('entry not found');
	});

	it('views an unreadable lock file as its error, with no token', () => {
		const base = jsonSnapshot();
		const bad = {...base.locks[0]!, token: '', foreignToken: true, error: 'x.lock is a symlink: not followed'};
		const snap = {...base, locks: [bad]};
		const lock = jsonTree(snap).list.find(r => r.json?.kind === 'lock')!;
		const shown = text(valueLines(jsonValue(snap, lock), 80, snap.takenAt, sparkline));
		expect(shown).toBe('error: x.lock is a symlink: not followed');
	});
});
