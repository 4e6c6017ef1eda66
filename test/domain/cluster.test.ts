import {describe, expect, it} from 'vitest';
import {CLUSTER_SLOTS, clusterSummary, mergeKeySizes, mergeLockWatches, mergeServerConfigs, mergeSlowlogConfigs, mergeSlowlogs, keySlot, nodeTable, parseClusterNodes, slotsHeld} from '../../source/domain/cluster';
import {auditItems, configAccess} from '../../source/domain/audit';
import {emptySnapshot} from '../../source/domain/types';
import {formatBytes, formatCount} from '../../source/domain/format';
import {clusterSlowlog, clusterView, NODES_TEXT} from '../support/cluster-fixtures';
import {combineHistories} from '../../source/domain/slowlog-history';

describe('CLUSTER NODES', () => {
	it('parses roles, masters of replicas, failing nodes, links and slot ranges', () => {
		const lines = parseClusterNodes(NODES_TEXT);
		expect(lines).toHaveLength(6);
		expect(lines[0]).toMatchObject({id: 'a1a1', addr: '127.0.0.1:7001', host: '127.0.0.1', port: 7001, role: 'master', failing: false, link: 'connected', slots: [[0, 5460]]});
		expect(lines[2]).toMatchObject({role: 'master', failing: true, link: 'disconnected', slots: []});
		expect(lines[3]).toMatchObject({role: 'replica', masterId: 'a1a1'});
		expect(parseClusterNodes('x 127.0.0.1:1@2 master - 0 0 1 connected 0-10 [11->-abc] 12 14-15\n')[0]!.slots).toEqual([[0, 10], [12, 12], [14, 15]]);
		expect(parseClusterNodes('garbage\n\nshort line here')).toEqual([]);
	});

	it('counts slots held once, whatever the overlap', () => {
		const lines = parseClusterNodes(NODES_TEXT);
		expect(slotsHeld(lines.filter(l => l.role === 'master' && !l.failing))).toBe(CLUSTER_SLOTS);
		expect(slotsHeld(lines.slice(0, 2))).toBe(10_923);
		expect(slotsHeld([{...lines[0]!, slots: [[0, 10], [5, 20]]}])).toBe(21);
	});
});

describe('the node table and totals', () => {
	it('puts each replica under its master, failing nodes last, and sums keys over masters only', () => {
		const {view, stats} = clusterView();
		expect(view.nodes.map(n => [n.addr, n.role, n.masterAddr])).toEqual([
			['127.0.0.1:7001', 'master', null],
			['127.0.0.1:7004', 'replica', '127.0.0.1:7001'],
			['127.0.0.1:7002', 'master', null],
			['127.0.0.1:7005', 'replica', '127.0.0.1:7002'],
			['127.0.0.1:7003', 'master', null],
			['127.0.0.1:7006', 'master', null],
		]);
		expect(stats.keys).toBe(410 + 388 + 402);
		expect(stats.usedMemory).toBe(2_100_000 + 2_050_000 + 1_900_000 + 1_880_000 + 1_990_000);
		expect(stats.clients).toBe(11);
		expect(clusterSummary(view)).toEqual({text: 'ok · 3 masters, 2 replicas, 1 failing · 16384/16384 slots walked', level: 'warn'});
	});

	it('fits the table to the width: full, then without the shared host, then without keys and conns', () => {
		const {view} = clusterView();
		const format = {bytes: formatBytes, count: formatCount};
		const wide = nodeTable(view, format, 100);
		expect(wide[0]).toMatch(/^node\s+role\s+slots\s+keys\s+memory\s+ops\/s\s+conns link$/);
		expect(wide[2]).toMatch(/^└ 127\.0\.0\.1:7004 replica/);
		expect(wide.find(l => l.includes(':7003'))).toMatch(/FAIL$/);
		for (const cols of [66, 60, 50]) {
			const lines = nodeTable(view, format, cols);
			for (const line of lines) expect(line.length).toBeLessThanOrEqual(cols);
		}
		expect(nodeTable(view, format, 60)[1]).toMatch(/^:7001 +master +5461 +410 +2\.00M +120 +4 ok$/);
		expect(nodeTable(view, format, 50)[1]).toMatch(/^127\.0\.0\.1:7001 +master +5461 +2\.00M +120 ok$/);
	});
});

describe('SLOWLOG of every node', () => {
	it('merges newest first, each entry naming its node', () => {
		const {entries} = clusterSlowlog();
		expect(entries.map(e => [e.node, e.id])).toEqual([
			['127.0.0.1:7006', 3],
			['127.0.0.1:7001', 12],
			['127.0.0.1:7002', 12],
			['127.0.0.1:7001', 11],
		]);
		expect(mergeSlowlogs([{node: 'a', entries}], 2)).toHaveLength(2);
	});

	it('keeps a history per node (same ids on two nodes are two entries) and one summary', () => {
		const {states} = clusterSlowlog();
		const {history, summary} = combineHistories(states);
		expect(history.entries.map(e => `${e.node}#${e.id}`)).toEqual(['127.0.0.1:7006#3', '127.0.0.1:7001#12', '127.0.0.1:7002#12', '127.0.0.1:7001#11']);
		expect(history.seen).toBe(4);
		expect(summary.find(s => s.command === 'HGETALL')).toMatchObject({count: 1, maxMicros: 15_000});
	});
});

describe('CONFIG-based figures of every node as one', () => {
	const audit = (values: Record<string, string>, denied: 'noperm' | null = null) => ({readAt: 1, values, denied, error: denied ? 'NOPERM no' : null});

	it('slowlog settings: the first node\'s, the nodes that differ named', () => {
		const c = (logSlowerThan: number, maxLen: number) => ({logSlowerThan, maxLen, error: null, readAt: 5});
		expect(mergeSlowlogConfigs([])).toBeUndefined();
		expect(mergeSlowlogConfigs([{node: 'a:1', config: c(10_000, 128)}, {node: 'b:2', config: undefined}, {node: 'c:3', config: c(10_000, 128)}])).toEqual({...c(10_000, 128), cluster: {nodes: 2, shownFrom: 'a:1', differ: []}});
		expect(mergeSlowlogConfigs([{node: 'a:1', config: c(10_000, 128)}, {node: 'b:2', config: c(0, 64)}])!.cluster!.differ).toEqual(['b:2 (0 µs, max-len 64)']);
	});

	it('the audit: a parameter set differently on the masters is listed with each value and warned about', () => {
		const merged = mergeServerConfigs([
			{node: 'a:1', read: audit({appendfsync: 'everysec', 'maxmemory-policy': 'noeviction'})},
			{node: 'b:2', read: audit({appendfsync: 'everysec', 'maxmemory-policy': 'allkeys-lru'})},
			{node: 'c:3', read: null},
		])!;
		expect(merged.cluster).toEqual({masters: 2, shownFrom: 'a:1', differs: {'maxmemory-policy': 'noeviction on a:1; allkeys-lru on b:2'}});
		const snapshot = {...emptySnapshot({kind: 'redis', target: 'redis://x', connected: true, error: null, fallbackReason: null, stale: false, dataAt: 1}, 1), serverConfig: merged};
		expect(configAccess(snapshot)).toBe('CONFIG GET permitted (every master: 2; maxmemory-policy differs)');
		expect(auditItems(snapshot).find(i => i.check === 'maxmemory-policy')).toMatchObject({status: 'warn', actual: 'differs between masters: noeviction on a:1; allkeys-lru on b:2'});
		expect(auditItems(snapshot).find(i => i.check === 'appendfsync')).toMatchObject({status: 'ok', actual: 'everysec'});
		// One master denying CONFIG GET makes the audit unknown, naming it.
		expect(mergeServerConfigs([{node: 'a:1', read: audit({appendfsync: 'no'})}, {node: 'b:2', read: audit({}, 'noperm')}])).toMatchObject({denied: 'noperm', error: 'b:2: NOPERM no', cluster: {shownFrom: 'b:2'}});
	});

	it('key sizes: each master\'s samples added', () => {
		const k = (sampled: number, totalBytes: number) => ({readAt: 1, instance: {sampled, totalBytes}, job: null, metric: null, instancesHash: null, error: null});
		expect(mergeKeySizes([k(2, 200), null, {...k(3, 600), instancesHash: {bytes: 9, fields: 1}}])).toMatchObject({instance: {sampled: 5, totalBytes: 800}, job: null, instancesHash: {bytes: 9, fields: 1}});
		expect(mergeKeySizes([null])).toBeNull();
	});

	it('keyspace notifications: off when any master has them off, naming where; notices of all, oldest first', () => {
		const w = (state: 'on' | 'off' | 'unknown', at: number) => ({state, detail: state, notices: [{at, key: `k${at}`, event: 'set'}], readAt: 10});
		expect(mergeLockWatches([])).toBeNull();
		const all = mergeLockWatches([{node: 'a:1', watch: w('on', 3)}, {node: 'b:2', watch: w('on', 1)}])!;
		expect(all).toMatchObject({state: 'on', detail: 'on [every master (2)]'});
		expect(all.notices.map(n => n.at)).toEqual([1, 3]);
		expect(mergeLockWatches([{node: 'a:1', watch: w('on', 1)}, {node: 'b:2', watch: w('off', 2)}, {node: 'c:3', watch: w('unknown', 3)}])).toMatchObject({state: 'off', detail: 'off [b:2; on on a:1, unknown on c:3]'});
	});
});

describe('keySlot (the key browser reads each key on the master holding its slot)', () => {
	it('is CRC16-XMODEM mod 16384, as CLUSTER KEYSLOT', () => {
		expect(keySlot('foo')).toBe(12182);
		expect(keySlot('123456789')).toBe(0x31c3);
		expect(keySlot(Buffer.from('foo'))).toBe(12182);
	});

	it('hashes only a non-empty hash tag, byte-exact for binary names', () => {
		expect(keySlot('{foo}bar')).toBe(keySlot('foo'));
		expect(keySlot('x{foo}{bar}')).toBe(keySlot('foo'));
		expect(keySlot('{}foo')).not.toBe(keySlot('foo'));
		expect(keySlot(Buffer.from([0x7b, 0xff, 0x00, 0x7d, 0x41]))).toBe(keySlot(Buffer.from([0xff, 0x00])));
		for (let i = 0; i < 200; i++) expect(keySlot(`k${i}`)).toBeLessThan(CLUSTER_SLOTS);
	});
});
