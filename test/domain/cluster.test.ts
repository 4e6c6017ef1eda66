import {describe, expect, it} from 'vitest';
import {CLUSTER_SLOTS, clusterSummary, mergeSlowlogs, nodeTable, parseClusterNodes, slotsHeld} from '../../source/domain/cluster';
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
