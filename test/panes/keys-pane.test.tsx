// Snapshots of the key browser: tree, flat list, progress states, every
// viewer and the JSON source, at 80 and 120 columns, from fixed data.
import React from 'react';
import {describe, expect, it} from 'vitest';
import {jsonTree, jsonValue} from '../../source/domain/json-keys';
import type {ValueData, ValueItem} from '../../source/domain/key-view';
import {NamespaceTree, type KeyRef} from '../../source/domain/namespaces';
import type {Snapshot} from '../../source/domain/types';
import {initialKeysState, keysController, type KeysState} from '../../source/panes/keys-controller';
import {KeysPane} from '../../source/panes/keys-pane';
import type {IndexView, KeyDetail} from '../../source/sources/key-index';
import {instanceJson, jobJson, jsonSnapshot, redisSnapshot, T0} from '../support/fixtures';
import {frameOf, WIDTHS} from '../support/render';

const P = 'tmux-claude';
const HEIGHT = 16;

const NAMES = [
	`${P}:instance:exec_100001`,
	`${P}:instance:mgr_1_100002`,
	`${P}:job:job_1_1`,
	`${P}:lock:git-main`,
	`${P}:locks:forever`,
	`${P}:metrics:cpu`,
	`${P}:metrics:queue_depth`,
	`${P}:instances`,
	`${P}:instances:active`,
	`${P}:tmp:scratch`,
	`${P}:tmp:\u001b[31mhostile\u0000name`,
	`${P}:tmp:${'L'.repeat(5000)}`,
	'app:user:1',
	'app:user:2',
	'plain',
];

const DETAILS: Record<string, Omit<KeyDetail, 'fetchedAt'>> = {
	[`${P}:instance:exec_100001`]: {type: 'string', ttlMs: null, memory: 280},
	[`${P}:instance:mgr_1_100002`]: {type: 'string', ttlMs: 3_500_000, memory: 300},
	[`${P}:lock:git-main`]: {type: 'string', ttlMs: 28_000, memory: 72},
	[`${P}:locks:forever`]: {type: 'string', ttlMs: null, memory: 80},
	[`${P}:metrics:cpu`]: {type: 'zset', ttlMs: null, memory: 9660},
	[`${P}:metrics:queue_depth`]: {type: 'zset', ttlMs: 86_000_000, memory: 1200},
	[`${P}:instances`]: {type: 'hash', ttlMs: null, memory: 448},
	[`${P}:tmp:scratch`]: {type: 'string', ttlMs: 3_600_000, memory: 56},
	[`${P}:tmp:\u001b[31mhostile\u0000name`]: {type: 'string', ttlMs: 120_000, memory: 64},
};

const progress = (over: Partial<IndexView['progress']> = {}): IndexView['progress'] => ({found: NAMES.length, examined: 2015, dbsize: 2015, elapsedMs: 87, calls: 3, done: true, ...over});

const browserState = (over: Partial<KeysState> = {}, index: Partial<IndexView> = {}): KeysState => {
	const tree = new NamespaceTree();
	for (const n of NAMES) tree.addRaw(Buffer.from(n));
	const details = new Map<KeyRef, KeyDetail>();
	for (const ref of tree.list) {
		const d = DETAILS[ref.name];
		if (d) details.set(ref, {...d, fetchedAt: T0 - 1000});
	}
	return {
		...initialKeysState(),
		expanded: new Set([P, `${P}:instance`, `${P}:lock`, `${P}:locks`, `${P}:metrics`, `${P}:tmp`]),
		index: {tree, status: 'done', progress: progress(), error: null, typeFilter: null, memoryError: null, ranges: 1, ...index},
		details,
		builtPrefix: P,
		builtScope: `${P}:*`,
		...over,
	};
};

const render = (state: KeysState, width: number, snapshot: Snapshot = redisSnapshot(), cursor = {index: 2, offset: 0}) =>
	frameOf(<KeysPane snapshot={snapshot} history={[]} width={width} height={HEIGHT} focused cursor={cursor} index={3} state={state} />, width);

const check = (frame: string, width: number) => {
	const lines = frame.split('\n');
	expect(lines).toHaveLength(HEIGHT);
	for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
	// eslint-disable-next-line no-control-regex
	expect(frame).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
	return frame;
};

const item = (label: string, value: string | Buffer | null, score?: number): ValueItem => ({
	label,
	value: value === null ? null : Buffer.isBuffer(value) ? value : Buffer.from(value),
	fullLength: value === null ? 0 : value.length,
	...(score === undefined ? {} : {score}),
});

const value = (name: string, over: Partial<ValueData>): ValueData => ({
	size: over.bytes?.length ?? null,
	name,
	kind: 'other',
	type: 'string',
	ttlMs: null,
	memory: 120,
	bytes: null,
	items: [],
	next: null,
	loading: false,
	error: null,
	fetchedAt: T0 - 1000,
	...over,
});

const metricItems = [3, 5, 4, 8, 6].map((v, i) => item(JSON.stringify({metric: 'queue_depth', value: v, timestamp: new Date(T0 - (5 - i) * 1000).toISOString()}), null, T0 - (5 - i) * 1000));

const VIEWERS: [string, ValueData][] = [
	['string text', value(`${P}:tmp:scratch`, {kind: 'temporary', ttlMs: 3_600_000, bytes: Buffer.from('hello\nworld \u001b[2J\u0007 escaped')})],
	['instance JSON', value(`${P}:instance:exec_100001`, {kind: 'instance', bytes: Buffer.from(instanceJson('exec_100001', 'executive', 'active'))})],
	['job JSON', value(`${P}:job:job_1_1`, {kind: 'job', bytes: Buffer.from(jobJson('job_1_1', 'failed', 75, {lastError: 'boom\u001b[31m'}))})],
	['lock token', value(`${P}:lock:git-main`, {kind: 'lock', ttlMs: 28_000, bytes: Buffer.from(`${T0 - 2000}-0.123`)})],
	['lock without TTL', value(`${P}:locks:forever`, {kind: 'lock', bytes: Buffer.from('foreign-token')})],
	['binary', value(`${P}:tmp:bin\\xff`, {kind: 'temporary', ttlMs: 60_000, bytes: Buffer.from([...Array(40).keys()].map(i => (i * 37) % 256))})],
	['truncated 32 MiB', value('big', {size: 32 * 1024 * 1024, memory: 33_554_500, bytes: Buffer.concat([Buffer.from('{"head": "'), Buffer.alloc(64 * 1024 - 10, 0x61)])})],
	['hash', value('app:hash', {type: 'hash', size: 1_000_000, items: [item('f1', 'v1'), item('f\u001b2', Buffer.from([0xff, 0])), item('f3', 'x'.repeat(300))], next: '1234'})],
	['instances hash', value(`${P}:instances`, {kind: 'instances-hash', type: 'hash', size: 2, items: [item('spec_1_1_200001', instanceJson('spec_1_1_200001', 'specialist', 'active', 'mgr_1')), item('job:job_2_1', jobJson('job_2_1', 'pending', 100))]})],
	['list', value('app:list', {type: 'list', size: 450, items: [item('0', 'item 0'), item('1', 'item 1')], next: '200', loading: true})],
	['set', value('app:set', {type: 'set', size: 3, items: [item('a', null), item('b\u009b', null), item('c', null)]})],
	['zset', value('app:zset', {type: 'zset', size: 2, items: [item('z0', null, 0), item('z1', null, 1.5)]})],
	['metrics zset', value(`${P}:metrics:queue_depth`, {kind: 'metrics', type: 'zset', ttlMs: null, size: 5, items: metricItems})],
	['stream', value('app:stream', {type: 'stream', size: 450, items: [item('1449-0', 'n=449 '), item('1448-0', 'n=448 ')], next: '1447-18446744073709551615'})],
	['error', value('gone', {type: 'none', error: 'the key no longer exists'})],
];

describe('Keys pane: browser', () => {
	it.each(WIDTHS)('tree at %i columns', width => {
		const frame = check(render(browserState(), width), width);
		expect(frame).toMatch(/▾ tmux-claude:/);
		expect(frame).toMatch(/git-main\s+string\s+27s/);
		expect(frame).toMatchSnapshot();
	});

	it.each(WIDTHS)('flat list at %i columns', width => {
		expect(check(render(browserState({view: 'list'}), width, redisSnapshot(), {index: 0, offset: 0}), width)).toMatchSnapshot();
	});

	it('flags what breaks the TTL policy', () => {
		const frame = render(browserState(), 120, redisSnapshot(), {index: 14, offset: 8});
		expect(frame).toMatch(/forever\s+string\s+no TTL\s+80B lock without TTL/);
		expect(frame).toMatch(/cpu\s+zset\s+no TTL\s+9.43K metrics without TTL/);
		expect(frame).toMatch(/scratch\s+string\s+59m59s\s+56B temporary state TTL > 5 min/);
		const narrow = render(browserState(), 80, redisSnapshot(), {index: 14, offset: 8});
		expect(narrow).toMatch(/! +forever/);
	});

	const scanning = progress({found: 4500, examined: 450_000, dbsize: 1_000_000, elapsedMs: 3000, calls: 450, done: false});
	it.each(WIDTHS)('progress states at %i columns', width => {
		const frames = [
			render(browserState({}, {status: 'scanning', progress: scanning}), width),
			render(browserState({}, {status: 'cancelled', progress: scanning}), width),
			render(browserState({}, {status: 'error', error: "NOPERM this user has no permissions to run the 'scan' command", progress: scanning}), width),
		].map(f => check(f, width));
		expect(frames[0]).toMatch(/scanning 45% · 450k of 1.00M examined · 4500 found · 150k\/s · 3.7s left/);
		expect(frames[1]).toMatch(/cancelled at 45%/);
		expect(frames[2]).toMatch(/SCAN failed: NOPERM/);
		expect(frames.join('\n')).toMatchSnapshot();
	});
});

describe('Keys pane: viewer', () => {
	it.each(VIEWERS.flatMap(([name, data]) => WIDTHS.map(w => [name, w, data] as const)))('%s at %i columns', (_name, width, data) => {
		const state = browserState({viewer: {ref: {name: data.name, raw: Buffer.from(data.name)}, data, scroll: 0}});
		expect(check(render(state, width), width)).toMatchSnapshot();
	});

	it('says what a big string is and that it is truncated', () => {
		const data = VIEWERS.find(v => v[0] === 'truncated 32 MiB')![1];
		const frame = render(browserState({viewer: {ref: {name: 'big', raw: Buffer.from('big')}, data, scroll: 0}}), 120);
		expect(frame).toMatch(/string · 32.0M · TTL no TTL · mem 32.0M · truncated: first 64.0K of 32.0M/);
	});

	it('decodes tmux-claude values', () => {
		const frameOfViewer = (name: string) => {
			const data = VIEWERS.find(v => v[0] === name)![1];
			return render(browserState({viewer: {ref: {name: data.name, raw: null}, data, scroll: 0}}), 120);
		};
		expect(frameOfViewer('instance JSON')).toMatch(/role\s+executive/);
		expect(frameOfViewer('job JSON')).toMatch(/priority\s+high \(75\)[\s\S]*attempts\s+1 \/ 3/);
		expect(frameOfViewer('lock token')).toMatch(/acquired\s+2026-11-26T08:59:58.000Z \(2.0s ago\)/);
		expect(frameOfViewer('lock without TTL')).toMatch(/! lock without TTL/);
		expect(frameOfViewer('metrics zset')).toMatch(/trend\s+▁▄▂█▅/);
	});

	it('scrolls the loaded lines', () => {
		const data = value('app:list', {type: 'list', size: 100, items: Array.from({length: 100}, (_, i) => item(String(i), `item ${i}`))});
		const frame = render(browserState({viewer: {ref: {name: 'app:list', raw: null}, data, scroll: 50}}), 80);
		expect(frame).toMatch(/50 {2}item 50/);
		expect(frame).not.toMatch(/item 49\b/);
		expect(frame).toMatch(/51-61 of 100 lines/);
	});
});

describe('Keys pane: JSON source', () => {
	const snap = jsonSnapshot();
	const tree = jsonTree(snap);
	const state = (over: Partial<KeysState> = {}): KeysState => ({
		...initialKeysState(),
		expanded: new Set(['instances.json', 'locks', 'metrics.jsonl']),
		index: {tree, status: 'done', progress: progress({found: tree.total, examined: tree.total, dbsize: tree.total, calls: 0}), error: null, typeFilter: null, memoryError: null, ranges: 1},
		builtPrefix: P,
		builtScope: 'state dir',
		...over,
	});
	it.each(WIDTHS)('tree and viewer at %i columns', width => {
		const treeFrame = check(render(state(), width, snap, {index: 0, offset: 0}), width);
		expect(treeFrame).toMatch(/instances.json#/);
		const ref = tree.list.find(r => r.json?.kind === 'instance')!;
		const viewFrame = check(render(state({viewer: {ref, data: jsonValue(snap, ref), scroll: 0}}), width, snap), width);
		expect(viewFrame).toMatch(/instance\s+exec_/);
		expect(`${treeFrame}\n${viewFrame}`).toMatchSnapshot();
	});
});

describe('Keys controller', () => {
	it('counts browser rows once indexing started, polled rows before', () => {
		const s = browserState();
		expect(keysController.rowCount(redisSnapshot(), s)).toBeGreaterThan(10);
		expect(keysController.rowCount(redisSnapshot(), initialKeysState())).toBe(redisSnapshot().keys.length);
		expect(keysController.modal!(s)).toBe(false);
		expect(keysController.modal!({...s, prompt: ''})).toBe(true);
		expect(keysController.back!({...s, viewer: {ref: {name: 'x', raw: null}, data: null, scroll: 0}}).viewer).toBeNull();
	});
});
