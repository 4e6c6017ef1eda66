import type {ServerInfo, Stats} from './types';

export type InfoMap = Record<string, Record<string, string>>;

/** Parses an INFO reply into section → field → value. Tolerates any shape. */
export const parseInfo = (text: string): InfoMap => {
	const out: InfoMap = {};
	let section = 'default';
	for (const rawLine of text.split('\n')) {
		const line = rawLine.trim();
		if (!line) continue;
		if (line.startsWith('#')) {
			section = line.slice(1).trim().toLowerCase() || 'default';
			out[section] ??= {};
			continue;
		}
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		(out[section] ??= {})[line.slice(0, colon)] = line.slice(colon + 1);
	}
	return out;
};

/** Looks a field up in any section (field names are unique across INFO). */
export const infoField = (info: InfoMap, field: string): string | undefined => {
	for (const section of Object.values(info)) {
		if (field in section) return section[field];
	}
	return undefined;
};

export const infoNumber = (info: InfoMap, field: string): number | null => {
	const v = infoField(info, field);
	if (v === undefined || v === '') return null;
	const n = Number(v);
	return Number.isFinite(n) ? n : null;
};

export type KeyspaceDb = {db: number; keys: number; expires: number; avgTtl: number};

/** `db0:keys=1,expires=0,avg_ttl=0` lines of the keyspace section. */
export const parseKeyspace = (info: InfoMap): KeyspaceDb[] => {
	const dbs: KeyspaceDb[] = [];
	for (const [name, value] of Object.entries(info['keyspace'] ?? {})) {
		const m = /^db(\d+)$/.exec(name);
		if (!m) continue;
		const fields = Object.fromEntries(value.split(',').map(kv => kv.split('=') as [string, string]));
		dbs.push({
			db: Number(m[1]),
			keys: Number(fields['keys'] ?? 0) || 0,
			expires: Number(fields['expires'] ?? 0) || 0,
			avgTtl: Number(fields['avg_ttl'] ?? 0) || 0,
		});
	}
	return dbs.sort((a, b) => a.db - b.db);
};

export const serverFromInfo = (info: InfoMap): ServerInfo => ({
	version: infoField(info, 'redis_version') ?? infoField(info, 'valkey_version') ?? null,
	role: infoField(info, 'role') ?? null,
	mode: infoField(info, 'redis_mode') ?? infoField(info, 'server_mode') ?? null,
	uptimeSeconds: infoNumber(info, 'uptime_in_seconds'),
	runId: infoField(info, 'run_id') ?? null,
});

/** The stats figures; `keys` comes from DBSIZE when given, else the keyspace sum. */
export const statsFromInfo = (info: InfoMap, dbsize: number | null): Stats => ({
	keys: dbsize ?? (Object.keys(info['keyspace'] ?? {}).length > 0 ? parseKeyspace(info).reduce((n, db) => n + db.keys, 0) : null),
	usedMemory: infoNumber(info, 'used_memory'),
	usedMemoryRss: infoNumber(info, 'used_memory_rss'),
	maxMemory: infoNumber(info, 'maxmemory'),
	clients: infoNumber(info, 'connected_clients'),
	blocked: infoNumber(info, 'blocked_clients'),
	totalCommands: infoNumber(info, 'total_commands_processed'),
	connections: infoNumber(info, 'total_connections_received'),
	opsPerSec: infoNumber(info, 'instantaneous_ops_per_sec'),
	keyspaceHits: infoNumber(info, 'keyspace_hits'),
	keyspaceMisses: infoNumber(info, 'keyspace_misses'),
	evictedKeys: infoNumber(info, 'evicted_keys'),
	expiredKeys: infoNumber(info, 'expired_keys'),
	rejectedConnections: infoNumber(info, 'rejected_connections'),
	netInputBytes: infoNumber(info, 'total_net_input_bytes'),
	netOutputBytes: infoNumber(info, 'total_net_output_bytes'),
});
