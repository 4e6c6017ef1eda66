// The Stats pane's figures, as plain data: the guide's five key metrics with
// their series, the secondary figures, persistence, replication, per-db and
// the tmux-claude memory check. Levels (ok / warn / critical) follow the alert
// rules: a firing alert is critical, a pending one (or a figure near the
// rule's default threshold) is warn. Pure: no I/O, no React.
import {RULES, type RuleName} from './alerts';
import {auditItems, auditSummary, configAccess} from './audit';
import {formatBytes, formatCount, formatDuration} from './format';
import {infoField, infoNumber, parseKeyspace, type InfoMap} from './info';
import {lookupsBetween, ratePerSec, rateSeries, type Sample} from './rates';
import type {AlertView, Snapshot} from './types';

export type Level = 'ok' | 'warn' | 'critical' | 'muted';

export type Figure = {label: string; value: string; level: Level; series?: (number | null)[]};

/** The guide's "Memory Usage Estimation": bytes per instance, job and metric. */
export const GUIDE_BYTES = {instance: 5 * 1024, job: 2 * 1024, metric: 1024} as const;

const alertLevel = (alerts: readonly AlertView[], name: RuleName): Level | null => {
	const a = alerts.find(x => x.name === name && x.status !== 'resolved');
	return a ? (a.status === 'firing' ? 'critical' : 'warn') : null;
};

const pct = (r: number) => `${(r * 100).toFixed(r < 0.1 ? 1 : 0)}%`;

/**
 * Hit rate between the first and last sample of the history (the window
 * shown), of the lookups other clients made: tcmon's own (`own`) are left out.
 */
export const historyHitRate = (history: readonly Sample[]): {rate: number | null; lookups: number; own: number} | null => {
	if (history.length < 2) return null;
	const between = lookupsBetween(history[0]!.stats, history[history.length - 1]!.stats);
	if (!between) return null;
	const lookups = between.hits + between.misses;
	return {rate: lookups === 0 ? null : between.hits / lookups, lookups, own: between.own};
};

/** The hit rate figure's text: n/a when no client but tcmon looked anything up. */
export const hitRateText = (hr: {rate: number | null; lookups: number; own: number} | null): string =>
	!hr ? 'n/a (one sample)' : hr.rate === null ? (hr.own > 0 ? "n/a: only tcmon's reads" : 'n/a (no lookups)') : `${(hr.rate * 100).toFixed(1)}% of ${formatCount(hr.lookups)}`;

const hitRateSeries = (history: readonly Sample[]): (number | null)[] => {
	const out: (number | null)[] = [];
	for (let i = 1; i < history.length; i++) out.push(historyHitRate([history[i - 1]!, history[i]!])?.rate ?? null);
	return out;
};

/** The guide's five key metrics. */
export const keyFigures = (snapshot: Snapshot, history: readonly Sample[]): Figure[] => {
	const {stats, alerts} = snapshot;
	const info: InfoMap = snapshot.info ?? {};
	if (!stats) return [];
	const out: Figure[] = [];

	const used = stats.usedMemory;
	const max = stats.maxMemory;
	const system = infoNumber(info, 'total_system_memory');
	let memValue = formatBytes(used);
	let memLevel: Level = 'ok';
	if (used !== null && max) {
		const r = used / max;
		memValue += ` (${pct(r)} of ${formatBytes(max)})`;
		if (r > RULES.RedisMemoryHigh.threshold * 0.9) memLevel = 'warn';
	} else if (max === 0) memValue += ` no limit${used !== null && system ? ` ${pct(used / system)} RAM` : ''}`;
	out.push({label: 'memory', value: memValue, level: alertLevel(alerts, 'RedisMemoryHigh') ?? memLevel, series: history.map(h => h.stats.usedMemory)});

	const maxClients = infoNumber(info, 'maxclients') ?? (snapshot.serverConfig?.values['maxclients'] ? Number(snapshot.serverConfig.values['maxclients']) : null);
	const clients = stats.clients;
	const near = clients !== null && clients > RULES.RedisTooManyConnections.threshold * 0.8;
	out.push({
		label: 'clients',
		value: `${formatCount(clients)}${clients !== null && maxClients ? ` (${pct(clients / maxClients)} of ${formatCount(maxClients)})` : ''}`,
		level: alertLevel(alerts, 'RedisTooManyConnections') ?? (near ? 'warn' : 'ok'),
		series: history.map(h => h.stats.clients),
	});

	const rate = ratePerSec(history, s => s.totalCommands);
	out.push({
		label: 'cmds/s',
		value: rate === null ? `- (inst ${formatCount(stats.opsPerSec)})` : `${formatCount(Math.round(rate))} (inst ${formatCount(stats.opsPerSec)})`,
		level: 'ok',
		series: rateSeries(history, s => s.totalCommands),
	});

	const hr = historyHitRate(history);
	const lowHit = hr?.rate != null && hr.lookups >= 100 && hr.rate < RULES.RedisHitRateLow.threshold;
	out.push({
		label: 'hit rate',
		value: hitRateText(hr),
		level: alertLevel(alerts, 'RedisHitRateLow') ?? (lowHit ? 'warn' : 'ok'),
		series: hitRateSeries(history),
	});

	const evRate = ratePerSec(history, s => s.evictedKeys);
	out.push({
		label: 'evicted',
		value: `${formatCount(stats.evictedKeys)}${evRate === null ? '' : ` ${formatCount(Math.round(evRate * 10) / 10)}/s`}`,
		level: alertLevel(alerts, 'RedisEvictions') ?? (evRate ? 'warn' : 'ok'),
		series: rateSeries(history, s => s.evictedKeys),
	});
	return out;
};

const rateText = (history: readonly Sample[], pick: (s: Sample['stats']) => number | null | undefined, bytes = false): string => {
	const r = ratePerSec(history, s => pick(s) ?? null);
	if (r === null) return '-';
	return bytes ? `${formatBytes(Math.round(r))}/s` : `${formatCount(Math.round(r * 10) / 10)}/s`;
};

/** blocked · rejected · expired/s */
export const clientFigures = (snapshot: Snapshot, history: readonly Sample[]): Figure | null => {
	const s = snapshot.stats;
	if (!s) return null;
	const rejected = alertLevel(snapshot.alerts, 'RedisRejectedConnections');
	return {
		label: 'conns',
		value: `blocked ${formatCount(s.blocked)} · rejected ${formatCount(s.rejectedConnections)} · expired ${rateText(history, x => x.expiredKeys)}`,
		level: rejected ?? 'ok',
	};
};

export const fragmentationFigure = (snapshot: Snapshot, history: readonly Sample[]): Figure | null => {
	const info = snapshot.info;
	if (!info) return null;
	const frag = infoNumber(info, 'mem_fragmentation_ratio');
	const rss = infoNumber(info, 'used_memory_rss');
	const used = infoNumber(info, 'used_memory');
	const waste = rss !== null && used !== null ? rss - used : null;
	const level = alertLevel(snapshot.alerts, 'RedisFragmentationHigh') ?? (frag !== null && frag > RULES.RedisFragmentationHigh.threshold && waste !== null && waste > 100 * 1024 * 1024 ? 'warn' : 'ok');
	return {
		label: 'frag/net',
		value: `frag ${frag === null ? '-' : frag.toFixed(2)} · in ${rateText(history, s => s.netInputBytes, true)} · out ${rateText(history, s => s.netOutputBytes, true)}`,
		level,
	};
};

/** keys · uptime · role · replicas (with lag) or the master link on a replica. */
export const serverFigure = (snapshot: Snapshot): Figure | null => {
	const info = snapshot.info;
	if (!info) return null;
	const role = infoField(info, 'role');
	const uptime = infoNumber(info, 'uptime_in_seconds');
	let repl = '';
	if (role === 'master') {
		const replicas = replicaList(info);
		repl = ` · ${replicas.length} replica${replicas.length === 1 ? '' : 's'}${replicas.length ? ` (max lag ${Math.max(...replicas.map(r => r.lag ?? 0))}s)` : ''}`;
	} else if (role === 'slave') {
		repl = ` · link ${infoField(info, 'master_link_status') ?? '?'}, last io ${infoField(info, 'master_last_io_seconds_ago') ?? '?'}s ago`;
	}
	const linkDown = role === 'slave' && infoField(info, 'master_link_status') !== 'up';
	const keys = snapshot.stats?.keys;
	return {label: 'server', value: `${formatCount(keys)} keys · up ${formatDuration(uptime === null ? null : uptime * 1000)} · ${role ?? 'role ?'}${repl}`, level: linkDown ? 'warn' : 'ok'};
};

export type Replica = {id: string; addr: string; state: string; offset: number | null; lag: number | null};

/** `slave0:ip=…,port=…,state=online,offset=…,lag=0` lines. */
export const replicaList = (info: InfoMap): Replica[] =>
	Object.entries(info['replication'] ?? {})
		.filter(([k]) => /^slave\d+$/.test(k))
		.map(([id, v]) => {
			const f = Object.fromEntries(v.split(',').map(kv => kv.split('=') as [string, string]));
			return {id, addr: `${f['ip'] ?? '?'}:${f['port'] ?? '?'}`, state: f['state'] ?? '?', offset: f['offset'] ? Number(f['offset']) : null, lag: f['lag'] ? Number(f['lag']) : null};
		});

/** AOF on/off and last write · RDB last save age and changes · work in progress. */
export const persistenceFigure = (snapshot: Snapshot): Figure | null => {
	const info = snapshot.info;
	if (!info) return null;
	const aof = infoNumber(info, 'aof_enabled');
	const aofWrite = infoField(info, 'aof_last_write_status');
	const lastSave = infoNumber(info, 'rdb_last_save_time');
	const changes = infoNumber(info, 'rdb_changes_since_last_save');
	const bgsave = infoNumber(info, 'rdb_bgsave_in_progress') === 1;
	const rewrite = infoNumber(info, 'aof_rewrite_in_progress') === 1;
	const bgStatus = infoField(info, 'rdb_last_bgsave_status');
	const age = lastSave === null ? null : snapshot.takenAt - lastSave * 1000;
	const parts = [
		aof === null ? 'AOF ?' : aof === 1 ? `AOF on (${aofWrite ?? '?'})` : 'AOF off',
		`RDB ${age === null ? '?' : `${formatDuration(Math.max(0, age))} ago`}, ${formatCount(changes)} chg${bgStatus && bgStatus !== 'ok' ? `, bgsave ${bgStatus}` : ''}`,
		...(bgsave ? ['saving…'] : []),
		...(rewrite ? ['rewriting…'] : []),
	];
	return {label: 'persist', value: parts.join(' · '), level: alertLevel(snapshot.alerts, 'RedisPersistenceFailed') ?? alertLevel(snapshot.alerts, 'RedisNoRecentSave') ?? 'ok'};
};

export type MemoryCheck = {
	rows: {what: 'instance' | 'job' | 'metric'; measured: number | null; sampled: number; guide: number}[];
	/** Layout 2: bytes per field of the instances hash. */
	perHashField: number | null;
	/** Instances that still fit in maxmemory at the measured (else guide) size; null without a limit. */
	instancesFit: number | null;
	basis: 'measured' | 'guide';
	/** maxmemory: set, 0 (no limit), or unknown (INFO denied). */
	limit: 'set' | 'none' | 'unknown';
};

export const memoryCheck = (snapshot: Snapshot): MemoryCheck | null => {
	const k = snapshot.keySizes;
	if (!k) return null;
	const avg = (g: {sampled: number; totalBytes: number} | null) => (g && g.sampled > 0 ? g.totalBytes / g.sampled : null);
	const perHashField = k.instancesHash && k.instancesHash.fields > 0 ? k.instancesHash.bytes / k.instancesHash.fields : null;
	const rows = (['instance', 'job', 'metric'] as const).map(what => ({what, measured: avg(k[what]), sampled: k[what]?.sampled ?? 0, guide: GUIDE_BYTES[what]}));
	const perInstance = rows[0]!.measured ?? perHashField;
	const max = snapshot.stats?.maxMemory ?? null;
	const used = snapshot.stats?.usedMemory ?? null;
	const size = perInstance ?? GUIDE_BYTES.instance;
	const instancesFit = max && used !== null ? Math.max(0, Math.floor((max - used) / size)) : null;
	const limit = max === null ? 'unknown' : max === 0 ? 'none' : 'set';
	return {rows, perHashField, instancesFit, basis: perInstance === null ? 'guide' : 'measured', limit};
};

export const memoryCheckFigure = (snapshot: Snapshot): Figure | null => {
	const m = memoryCheck(snapshot);
	if (!m) return null;
	const cell = (r: MemoryCheck['rows'][number]) => `${r.what[0]} ${r.measured === null ? '-' : formatBytes(Math.round(r.measured))}/${r.guide / 1024}K`;
	const hash = m.perHashField === null ? '' : ` · hash ${formatBytes(Math.round(m.perHashField))}/field`;
	const fit = m.instancesFit !== null ? `+${formatCount(m.instancesFit)} inst fit` : m.limit === 'unknown' ? 'maxmemory ?' : 'no limit';
	// Room first: it is the answer; the per-key sizes (measured/guide) follow.
	return {label: 'key size', value: `${fit} · ${m.rows.map(cell).join(' ')}${hash}`, level: 'ok'};
};

export const auditFigure = (snapshot: Snapshot): Figure | null => {
	if (snapshot.source.kind !== 'redis') return null;
	const s = auditSummary(auditItems(snapshot));
	const denied = snapshot.serverConfig?.denied;
	// The CONFIG situation first: it explains the unknowns.
	const access = denied === 'noperm' ? 'CONFIG denied (NOPERM) · ' : denied === 'renamed' ? 'CONFIG renamed · ' : denied === 'error' ? 'CONFIG failed · ' : '';
	return {label: 'audit', value: `${access}${s.ok} ok · ${s.warn} differ · ${s.unknown} unknown`, level: s.warn > 0 ? 'warn' : 'ok'};
};

/** The alerts line: firing first, then pending, or "none". */
export const alertsFigure = (alerts: readonly AlertView[]): Figure => {
	const firingNames = alerts.filter(a => a.status === 'firing').map(a => a.name);
	const pending = alerts.filter(a => a.status === 'pending').map(a => a.name);
	if (firingNames.length === 0 && pending.length === 0) return {label: 'alerts', value: 'none firing', level: 'ok'};
	const parts = [...(firingNames.length ? [`FIRING ${firingNames.join(', ')}`] : []), ...(pending.length ? [`pending ${pending.join(', ')}`] : [])];
	return {label: 'alerts', value: parts.join(' · '), level: firingNames.length ? 'critical' : 'warn'};
};

export type DetailLine = {text: string; level?: Level; heading?: boolean};

/** The detail view (Enter): every section in full, as lines to scroll. */
export const detailLines = (snapshot: Snapshot, history: readonly Sample[]): DetailLine[] => {
	const out: DetailLine[] = [];
	const head = (text: string) => out.push({text, heading: true});
	const line = (text: string, level?: Level) => out.push({text, ...(level ? {level} : {})});

	head('Alerts');
	if (snapshot.alerts.length === 0) line('  none pending or firing', 'ok');
	for (const a of snapshot.alerts) {
		const since = a.status === 'resolved' ? `resolved ${formatDuration(snapshot.takenAt - (a.resolvedAt ?? snapshot.takenAt))} ago` : `${a.status} for ${formatDuration(snapshot.takenAt - a.activeAt)} (for ${formatDuration(a.forMs)})`;
		line(`  ${a.name} [${a.severity}] ${since}: ${a.value}`, a.status === 'firing' ? 'critical' : a.status === 'pending' ? 'warn' : 'muted');
	}

	const figures = [...keyFigures(snapshot, history), clientFigures(snapshot, history), fragmentationFigure(snapshot, history), serverFigure(snapshot), persistenceFigure(snapshot)].filter((f): f is Figure => f !== null);
	if (figures.length) {
		head('Health');
		for (const f of figures) line(`  ${f.label.padEnd(10)}${f.value}`, f.level === 'ok' ? undefined : f.level);
	}

	if (snapshot.source.kind === 'redis') {
		head(`Config audit (${configAccess(snapshot)})`);
		for (const i of auditItems(snapshot)) line(`  ${i.status === 'ok' ? 'ok  ' : i.status === 'warn' ? 'DIFF' : '?   '} ${i.check.padEnd(19)}${i.actual}  (guide: ${i.recommended})`, i.status === 'warn' ? 'warn' : i.status === 'unknown' ? 'muted' : 'ok');
	}

	const dbs = snapshot.info ? parseKeyspace(snapshot.info) : [];
	if (dbs.length) {
		head('Keyspace');
		for (const db of dbs) line(`  db${db.db}  keys ${formatCount(db.keys)} · expires ${formatCount(db.expires)} · avg TTL ${db.avgTtl ? formatDuration(db.avgTtl) : '-'}`);
	}

	if (snapshot.info) {
		const info = snapshot.info;
		head('Persistence');
		const aof = infoNumber(info, 'aof_enabled');
		line(`  AOF ${aof === 1 ? 'on' : aof === 0 ? 'off' : '?'} · last write ${infoField(info, 'aof_last_write_status') ?? '?'} · last rewrite ${infoField(info, 'aof_last_bgrewrite_status') ?? '?'}${infoNumber(info, 'aof_rewrite_in_progress') === 1 ? ' · rewrite in progress' : ''}`);
		const lastSave = infoNumber(info, 'rdb_last_save_time');
		line(
			`  RDB last save ${lastSave === null ? '?' : `${formatDuration(Math.max(0, snapshot.takenAt - lastSave * 1000))} ago`} · ${formatCount(infoNumber(info, 'rdb_changes_since_last_save'))} changes since · last bgsave ${infoField(info, 'rdb_last_bgsave_status') ?? '?'}${infoNumber(info, 'rdb_bgsave_in_progress') === 1 ? ' · bgsave in progress' : ''}`,
		);
		const save = snapshot.serverConfig?.values['save'];
		line(`  RDB schedule: ${save === undefined ? configAccess(snapshot) : save === '' ? 'none (RDB off)' : save}`);
		const replicas = replicaList(info);
		head('Replication');
		line(`  role ${infoField(info, 'role') ?? '?'} · ${replicas.length} replica(s)${infoField(info, 'master_link_status') ? ` · master link ${infoField(info, 'master_link_status')}` : ''}`);
		for (const r of replicas) line(`  ${r.id} ${r.addr} ${r.state} offset ${formatCount(r.offset)} lag ${r.lag ?? '?'}s`, r.state === 'online' ? undefined : 'warn');
	}

	const m = memoryCheck(snapshot);
	if (m) {
		head('Memory check (MEMORY USAGE on a sample, vs the guide)');
		for (const r of m.rows) line(`  ${r.what.padEnd(9)}${r.measured === null ? 'not sampled' : `${formatBytes(Math.round(r.measured))} avg of ${r.sampled}`}  (guide ~${formatBytes(r.guide)})`);
		if (m.perHashField !== null) line(`  hash     ${formatBytes(Math.round(m.perHashField))} per field of the instances hash`);
		line(
			m.instancesFit !== null
				? `  ${formatCount(m.instancesFit)} more instances fit in maxmemory (at the ${m.basis} size)`
				: m.limit === 'unknown'
					? '  maxmemory unknown (INFO not available): no fit estimate'
					: '  no maxmemory limit: no fit estimate',
		);
		if (snapshot.keySizes?.error) line(`  MEMORY USAGE: ${snapshot.keySizes.error}`, 'warn');
	}

	const tracking = snapshot.changeTracking;
	const hr = historyHitRate(history);
	if (tracking || hr?.own) head("tcmon's own reads");
	if (hr?.own) line(`  ${formatCount(hr.own)} keyspace lookups by tcmon left out of the hit rate`, 'muted');
	if (tracking) {
		line(
			tracking.on
				? '  change tracking on: writes re-read only their keys (CLIENT TRACKING BCAST)'
				: `  change tracking off: writes re-read every value (${tracking.detail})`,
			tracking.on ? 'ok' : 'muted',
		);
	}
	return out;
};
