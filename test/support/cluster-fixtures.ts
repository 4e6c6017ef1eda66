// A Redis Cluster snapshot with fixed figures: CLUSTER NODES text as a real
// 3-master cluster prints it (one master failing, its replica promoted).
import {clusterStats, mergeSlowlogs, nodeRow, orderNodes, parseClusterNodes, slotsHeld, type ClusterView} from '../../source/domain/cluster';
import {parseInfo} from '../../source/domain/info';
import {combineHistories, mergeSlowlog, type HistoryState} from '../../source/domain/slowlog-history';
import type {SlowlogEntry, Snapshot} from '../../source/domain/types';
import {redisSnapshot, T0} from './fixtures';

export const NODES_TEXT = [
	'a1a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460',
	'b2b2 127.0.0.1:7002@17002 master - 0 1700000000000 2 connected 5461-10922',
	'c3c3 127.0.0.1:7003@17003 master,fail - 1700000000000 1700000000000 3 disconnected',
	'd4d4 127.0.0.1:7004@17004 slave a1a1 0 1700000000000 1 connected',
	'e5e5 127.0.0.1:7005@17005 slave b2b2 0 1700000000000 2 connected',
	'f6f6 127.0.0.1:7006@17006 master - 0 1700000000000 7 connected 10923-16383',
	'',
].join('\n');

const info = (memory: number, ops: number, clients: number) => parseInfo(`# Memory\r\nused_memory:${memory}\r\n# Stats\r\ninstantaneous_ops_per_sec:${ops}\r\n# Clients\r\nconnected_clients:${clients}\r\n`);

export const clusterView = (): {view: ClusterView; stats: ReturnType<typeof clusterStats>} => {
	const lines = parseClusterNodes(NODES_TEXT);
	const read: Record<string, [ReturnType<typeof info> | null, number | null, string | null]> = {
		'127.0.0.1:7001': [info(2_100_000, 120, 4), 410, null],
		'127.0.0.1:7002': [info(2_050_000, 95, 3), 388, null],
		'127.0.0.1:7003': [null, null, 'failing'],
		'127.0.0.1:7004': [info(1_900_000, 15, 1), 410, null],
		'127.0.0.1:7005': [info(1_880_000, 14, 1), 388, null],
		'127.0.0.1:7006': [info(1_990_000, 80, 2), 402, null],
	};
	const rows = lines.map(l => nodeRow(l, lines, read[l.addr]![0], read[l.addr]![1], read[l.addr]![2]));
	const masters = lines.filter(l => l.role === 'master' && !l.failing);
	return {
		view: {nodes: orderNodes(rows), slotsCovered: slotsHeld(masters), state: 'ok'},
		stats: clusterStats(rows.map(row => ({row, info: read[row.addr]![0]}))),
	};
};

const entry = (id: number, agoS: number, micros: number, args: string[]): SlowlogEntry => ({id, time: Math.floor(T0 / 1000) - agoS, durationMicros: micros, args, client: '127.0.0.1:50412 orchestrator'});

export const clusterSlowlog = (): {entries: SlowlogEntry[]; states: Map<string, HistoryState>} => {
	const perNode = [
		{node: '127.0.0.1:7001', entries: [entry(12, 5, 15_000, ['HGETALL', 'tmux-claude:instances']), entry(11, 40, 11_000, ['SCAN', '0'])]},
		{node: '127.0.0.1:7002', entries: [entry(12, 9, 22_000, ['GET', 'tmux-claude:instance:a'])]},
		{node: '127.0.0.1:7006', entries: [entry(3, 2, 10_500, ['SET', 'tmux-claude:lock:git', 'x'])]},
	];
	const states = new Map<string, HistoryState>();
	for (const {node, entries} of perNode) {
		states.set(node, mergeSlowlog(null, {at: T0, entries: entries.map(e => ({...e, node})), count: 128, runId: null, maxLen: null, prefix: 'tmux-claude'}));
	}
	return {entries: mergeSlowlogs(perNode, 1000), states};
};

export const clusterSnapshot = (): Snapshot => {
	const {view, stats} = clusterView();
	const slow = clusterSlowlog();
	const combined = combineHistories(slow.states);
	return redisSnapshot({
		server: {version: '7.0.15', role: 'cluster: 3 masters, 2 replicas', mode: 'cluster', uptimeSeconds: 3600, runId: null},
		stats,
		info: null,
		cluster: view,
		slowlog: slow.entries,
		slowlogLength: 4,
		slowlogHistory: combined.history,
		slowlogSummary: combined.summary,
	});
};
