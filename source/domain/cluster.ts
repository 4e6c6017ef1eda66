// Redis Cluster, pure: CLUSTER NODES parsed into the node table, totals over
// the nodes, slot coverage (a walk is complete only when the masters walked
// hold every slot), and the SLOWLOGs of every node merged.
import {infoNumber, type InfoMap} from './info';
import type {OwnLookups} from './own-reads';
import type {KeySizeGroup, KeySizes, LockWatch, ServerConfigRead, SlowlogConfig, SlowlogEntry, Stats} from './types';

export const CLUSTER_SLOTS = 16_384;

/** One line of CLUSTER NODES. */
export type ClusterNodeLine = {
	id: string;
	/** host:port (the client port, without @cport or ,hostname). */
	addr: string;
	host: string;
	port: number;
	role: 'master' | 'replica';
	/** The master's id, for a replica. */
	masterId: string | null;
	/** Failing as the cluster sees it (fail, or fail? from this node's view). */
	failing: boolean;
	link: 'connected' | 'disconnected';
	/** Slot ranges served, [from, to] inclusive. */
	slots: [number, number][];
};

/** The node table's row: the CLUSTER NODES line plus what the node's INFO said. */
export type ClusterNodeRow = {
	id: string;
	addr: string;
	role: 'master' | 'replica';
	/** The master's host:port, for a replica (null when unknown). */
	masterAddr: string | null;
	slots: number;
	link: 'connected' | 'disconnected';
	failing: boolean;
	usedMemory: number | null;
	opsPerSec: number | null;
	clients: number | null;
	/** DBSIZE (masters). */
	keys: number | null;
	/** Why the node could not be read this tick (null: read). */
	error: string | null;
};

export type ClusterView = {
	nodes: ClusterNodeRow[];
	/** Slots held by the masters read this tick: CLUSTER_SLOTS when every slot is. */
	slotsCovered: number;
	/** cluster_state of the node asked (ok / fail). */
	state: string | null;
};

/** CLUSTER NODES text → lines (a malformed line is skipped). */
export const parseClusterNodes = (text: string): ClusterNodeLine[] => {
	const out: ClusterNodeLine[] = [];
	for (const line of text.split('\n')) {
		const parts = line.trim().split(' ');
		if (parts.length < 8) continue;
		const [id, address, flagText, master, , , , link, ...slotParts] = parts as [string, string, string, string, string, string, string, string, ...string[]];
		const m = /^(.*):(\d+)(?:@\d+)?(?:,.*)?$/.exec(address);
		if (!m || m[1] === '' || flagText.includes('noaddr') || flagText.includes('handshake')) continue;
		const flags = flagText.split(',');
		const slots: [number, number][] = [];
		for (const s of slotParts) {
			if (s.startsWith('[')) continue; // a slot being migrated or imported
			const r = /^(\d+)(?:-(\d+))?$/.exec(s);
			if (r) slots.push([Number(r[1]), Number(r[2] ?? r[1])]);
		}
		const host = m[1]!.replace(/^\[|\]$/g, '');
		out.push({
			id,
			addr: `${m[1]}:${m[2]}`,
			host,
			port: Number(m[2]),
			role: flags.includes('master') ? 'master' : 'replica',
			masterId: master === '-' ? null : master,
			failing: flags.includes('fail') || flags.includes('fail?'),
			link: link === 'connected' ? 'connected' : 'disconnected',
			slots,
		});
	}
	return out;
};

export const slotCount = (slots: readonly [number, number][]): number => slots.reduce((n, [a, b]) => n + b - a + 1, 0);

/** Distinct slots held by `lines` (overlaps counted once). */
export const slotsHeld = (lines: readonly ClusterNodeLine[]): number => {
	const held = new Uint8Array(CLUSTER_SLOTS);
	let n = 0;
	for (const line of lines) {
		for (const [a, b] of line.slots) {
			for (let s = Math.max(0, a); s <= Math.min(CLUSTER_SLOTS - 1, b); s++) {
				if (!held[s]) {
					held[s] = 1;
					n++;
				}
			}
		}
	}
	return n;
};

/** The row of a node from its CLUSTER NODES line and its INFO (null: not read). */
export const nodeRow = (line: ClusterNodeLine, lines: readonly ClusterNodeLine[], info: InfoMap | null, dbsize: number | null, error: string | null): ClusterNodeRow => ({
	id: line.id,
	addr: line.addr,
	role: line.role,
	masterAddr: line.masterId ? (lines.find(l => l.id === line.masterId)?.addr ?? null) : null,
	slots: slotCount(line.slots),
	link: line.link,
	failing: line.failing,
	usedMemory: info ? infoNumber(info, 'used_memory') : null,
	opsPerSec: info ? infoNumber(info, 'instantaneous_ops_per_sec') : null,
	clients: info ? infoNumber(info, 'connected_clients') : null,
	keys: dbsize,
	error,
});

/** Order of the node table: masters by address, each followed by its replicas, then the rest. */
export const orderNodes = (rows: readonly ClusterNodeRow[]): ClusterNodeRow[] => {
	const byAddr = (a: ClusterNodeRow, b: ClusterNodeRow) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0);
	const masters = rows.filter(r => r.role === 'master').sort(byAddr);
	const out: ClusterNodeRow[] = [];
	for (const master of masters) out.push(master, ...rows.filter(r => r.role === 'replica' && r.masterAddr === master.addr).sort(byAddr));
	for (const row of [...rows].sort(byAddr)) if (!out.includes(row)) out.push(row);
	return out;
};

const sum = (values: (number | null)[]): number | null => (values.some(v => v !== null) ? values.reduce<number>((n, v) => n + (v ?? 0), 0) : null);

/**
 * The cluster's totals: keys over the masters (a replica holds its master's
 * keys again); memory, clients and ops/s over every node read; the counters
 * summed from each node's INFO. `own`: tcmon's own lookups on the node as
 * they stood at its INFO, summed over the same nodes as the keyspace counters
 * so the hit rate leaves them out (rates.ts lookupsBetween).
 */
export const clusterStats = (nodes: {row: ClusterNodeRow; info: InfoMap | null; own?: OwnLookups | null}[]): Stats => {
	const read = nodes.filter(n => n.info !== null);
	const total = (field: string) => sum(read.map(n => infoNumber(n.info!, field)));
	const counted = read.filter(n => infoNumber(n.info!, 'keyspace_hits') !== null);
	return {
		ownHits: counted.reduce((n, x) => n + (x.own?.hits ?? 0), 0),
		ownMisses: counted.reduce((n, x) => n + (x.own?.misses ?? 0), 0),
		keys: sum(nodes.filter(n => n.row.role === 'master' && !n.row.failing).map(n => n.row.keys)),
		usedMemory: total('used_memory'),
		usedMemoryRss: total('used_memory_rss'),
		maxMemory: total('maxmemory'),
		clients: total('connected_clients'),
		blocked: total('blocked_clients'),
		totalCommands: total('total_commands_processed'),
		connections: total('total_connections_received'),
		opsPerSec: total('instantaneous_ops_per_sec'),
		keyspaceHits: total('keyspace_hits'),
		keyspaceMisses: total('keyspace_misses'),
		evictedKeys: total('evicted_keys'),
		expiredKeys: total('expired_keys'),
		rejectedConnections: total('rejected_connections'),
		netInputBytes: total('total_net_input_bytes'),
		netOutputBytes: total('total_net_output_bytes'),
	};
};

/** Every node's SLOWLOG as one list, newest first, each entry naming its node; at most `limit`. */
export const mergeSlowlogs = (perNode: {node: string; entries: SlowlogEntry[]}[], limit: number): SlowlogEntry[] => {
	const all: SlowlogEntry[] = [];
	for (const {node, entries} of perNode) for (const entry of entries) all.push({...entry, node});
	return all.sort((a, b) => b.time - a.time || b.durationMicros - a.durationMicros || (a.node! < b.node! ? -1 : 1) || b.id - a.id).slice(0, limit);
};

const pad = (text: string, n: number): string => (text.length >= n ? text.slice(0, n) : text + ' '.repeat(n - text.length));
const padLeft = (text: string, n: number): string => (text.length >= n ? text.slice(0, n) : ' '.repeat(n - text.length) + text);

/** What a node's link column says: down when failing or unread. */
export const linkText = (row: ClusterNodeRow): string => (row.failing ? 'FAIL' : row.link === 'disconnected' ? 'down' : row.error ? 'unread' : 'ok');

/**
 * The node table as text lines (header first), at most `cols` wide: a master,
 * then its replicas indented under it. Narrower tables drop the host when
 * every node shares it (the header says which), then keys and conns.
 */
export const nodeTable = (view: ClusterView, format: {bytes: (n: number) => string; count: (n: number) => string}, cols = 80): string[] => {
	const hosts = new Set(view.nodes.map(n => n.addr.slice(0, n.addr.lastIndexOf(':'))));
	const num = (v: number | null, f: (n: number) => string) => (v === null ? '-' : f(v));
	const build = (short: boolean, full: boolean): string[] => {
		const name = (n: ClusterNodeRow) => `${n.role === 'replica' ? '└ ' : ''}${short ? n.addr.slice(n.addr.lastIndexOf(':')) : n.addr}`;
		const head = short ? `node (${[...hosts][0]})` : 'node';
		const w = Math.max(4, ...view.nodes.map(n => name(n).length));
		const cells = (c: {name: string; role: string; slots: string; keys: string; memory: string; ops: string; conns: string; link: string}) =>
			`${pad(c.name, w)} ${pad(c.role, 7)} ${padLeft(c.slots, 5)}${full ? ` ${padLeft(c.keys, 6)}` : ''} ${padLeft(c.memory, 7)} ${padLeft(c.ops, 6)}${full ? ` ${padLeft(c.conns, 5)}` : ''} ${c.link}`;
		const lines = [cells({name: head.length > w ? 'node' : head, role: 'role', slots: 'slots', keys: 'keys', memory: 'memory', ops: 'ops/s', conns: 'conns', link: 'link'})];
		for (const n of view.nodes) {
			lines.push(
				cells({
					name: name(n),
					role: n.role,
					slots: n.role === 'master' ? String(n.slots) : '',
					keys: n.role === 'master' ? num(n.keys, format.count) : '',
					memory: num(n.usedMemory, format.bytes),
					ops: num(n.opsPerSec, format.count),
					conns: num(n.clients, format.count),
					link: `${linkText(n)}${n.error && !n.failing ? ` (${n.error})` : ''}`,
				}),
			);
		}
		return lines;
	};
	const fits = (lines: string[]) => lines.every(l => l.length <= cols || l.indexOf(' (') > 0);
	for (const [short, full] of [[false, true], [hosts.size === 1, true], [false, false], [hosts.size === 1, false]] as const) {
		const lines = build(short, full);
		if (fits(lines.map(l => l.replace(/ \(.*\)$/, '')))) return lines;
	}
	return build(hosts.size === 1, false);
};

/** "ok · 3 masters, 3 replicas · 16384/16384 slots walked" (level: how it reads). */
export const clusterSummary = (view: ClusterView): {text: string; level: 'ok' | 'warn' | 'critical'} => {
	const masters = view.nodes.filter(n => n.role === 'master' && !n.failing).length;
	const replicas = view.nodes.filter(n => n.role === 'replica' && !n.failing).length;
	const failing = view.nodes.filter(n => n.failing).length;
	const text = `${view.state ?? '?'} · ${masters} masters, ${replicas} replicas${failing ? `, ${failing} failing` : ''} · ${view.slotsCovered}/${CLUSTER_SLOTS} slots walked`;
	return {text, level: view.state !== 'ok' ? 'critical' : failing > 0 || view.slotsCovered < CLUSTER_SLOTS ? 'warn' : 'ok'};
};

/**
 * The slowlog settings of every node read as one: the first node's (the
 * caller puts a master first), naming the nodes whose settings differ.
 * Undefined while no node's were read.
 */
export const mergeSlowlogConfigs = (perNode: {node: string; config: SlowlogConfig | undefined}[]): SlowlogConfig | undefined => {
	const read = perNode.filter((n): n is {node: string; config: SlowlogConfig} => n.config !== undefined);
	const first = read[0];
	if (!first) return undefined;
	const same = (c: SlowlogConfig) => c.logSlowerThan === first.config.logSlowerThan && c.maxLen === first.config.maxLen && c.error === first.config.error;
	const differ = read.filter(n => !same(n.config)).map(n => `${n.node} (${n.config.error ?? `${n.config.logSlowerThan ?? '?'} µs, max-len ${n.config.maxLen ?? '?'}`})`);
	return {...first.config, readAt: Math.min(...read.map(n => n.config.readAt)), cluster: {nodes: read.length, shownFrom: first.node, differ}};
};

/**
 * The config audit's CONFIG GET of every master as one: the first master's
 * values, each parameter that differs between them listed with every
 * master's value; denied when any master denied it (that one's reason).
 */
export const mergeServerConfigs = (perNode: {node: string; read: ServerConfigRead | null}[]): ServerConfigRead | null => {
	const read = perNode.filter((n): n is {node: string; read: ServerConfigRead} => n.read !== null);
	const first = read[0];
	if (!first) return null;
	const denied = read.find(n => n.read.denied !== null);
	const differs: Record<string, string> = {};
	if (!denied) {
		const names = new Set(read.flatMap(n => Object.keys(n.read.values)));
		for (const name of names) {
			const values = read.map(n => n.read.values[name]);
			if (values.every(v => v === values[0])) continue;
			const byValue = new Map<string, string[]>();
			read.forEach((n, i) => byValue.set(values[i] ?? '(none)', [...(byValue.get(values[i] ?? '(none)') ?? []), n.node]));
			differs[name] = [...byValue].map(([v, nodes]) => `${v === '' ? '""' : v} on ${nodes.join(', ')}`).join('; ');
		}
	}
	const base = denied ? {...denied.read, error: denied.read.error === null ? null : `${denied.node}: ${denied.read.error}`} : first.read;
	return {...base, readAt: Math.min(...read.map(n => n.read.readAt)), cluster: {masters: read.length, shownFrom: (denied ?? first).node, differs}};
};

const addGroups = (a: KeySizeGroup | null, b: KeySizeGroup | null): KeySizeGroup | null =>
	a && b ? {sampled: a.sampled + b.sampled, totalBytes: a.totalBytes + b.totalBytes} : (a ?? b);

/** MEMORY USAGE samples of every master (each of its own keys) as one. */
export const mergeKeySizes = (perNode: (KeySizes | null)[]): KeySizes | null => {
	const read = perNode.filter((k): k is KeySizes => k !== null);
	if (read.length === 0) return null;
	return read.reduce((a, b) => ({
		readAt: Math.min(a.readAt, b.readAt),
		instance: addGroups(a.instance, b.instance),
		job: addGroups(a.job, b.job),
		metric: addGroups(a.metric, b.metric),
		instancesHash: a.instancesHash ?? b.instancesHash,
		error: a.error ?? b.error,
	}));
};

/**
 * Keyspace notifications of every master as one (each master publishes its
 * own keys' events): off when any master has them off, unknown when any
 * cannot tell, else on; the notices of all, oldest first.
 */
export const mergeLockWatches = (perNode: {node: string; watch: LockWatch}[]): LockWatch | null => {
	if (perNode.length === 0) return null;
	const worst = perNode.find(n => n.watch.state === 'off') ?? perNode.find(n => n.watch.state === 'unknown') ?? perNode[0]!;
	const state = worst.watch.state;
	const others = perNode.filter(n => n.watch.state !== state);
	const where = others.length === 0 ? `every master (${perNode.length})` : `${perNode.filter(n => n.watch.state === state).map(n => n.node).join(', ')}; ${others.map(n => `${n.watch.state} on ${n.node}`).join(', ')}`;
	return {
		state,
		detail: `${worst.watch.detail} [${where}]`,
		notices: perNode.flatMap(n => n.watch.notices).sort((a, b) => a.at - b.at),
		readAt: Math.min(...perNode.map(n => n.watch.readAt)),
	};
};

/** CRC16-CCITT (XMODEM), the hash Redis Cluster maps keys to slots with. */
const crc16 = (bytes: Uint8Array, from: number, to: number): number => {
	let crc = 0;
	for (let i = from; i < to; i++) {
		crc ^= bytes[i]! << 8;
		for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
	}
	return crc;
};

/**
 * The slot a key lives in, as Redis computes it: only the part between the
 * first `{` and the next `}` is hashed when it is not empty (a hash tag).
 * Byte-exact for binary names.
 */
export const keySlot = (key: Buffer | string): number => {
	const bytes = typeof key === 'string' ? Buffer.from(key) : key;
	const open = bytes.indexOf(0x7b);
	if (open !== -1) {
		const close = bytes.indexOf(0x7d, open + 1);
		if (close > open + 1) return crc16(bytes, open + 1, close) % CLUSTER_SLOTS;
	}
	return crc16(bytes, 0, bytes.length) % CLUSTER_SLOTS;
};
