// INFO replies in the shapes of Redis 6.2, 7.0 and 7.2+, and snapshots of the
// Stats pane's states (healthy, warning, critical, restricted) built on them.
import {parseInfo} from '../../source/domain/info';
import type {Sample} from '../../source/domain/rates';
import {statsFromInfo} from '../../source/domain/info';
import type {AlertView, ServerConfigRead, Snapshot} from '../../source/domain/types';
import {redisSnapshot, T0} from './fixtures';

export type InfoOver = Record<string, string | number>;

const lines = (fields: Record<string, Record<string, string | number>>): string =>
	Object.entries(fields)
		.map(([section, f]) => [`# ${section}`, ...Object.entries(f).map(([k, v]) => `${k}:${v}`)].join('\r\n'))
		.join('\r\n\r\n');

/** Redis 7.2-style INFO (also has maxclients, total_net_*, valkey-free). */
export const info72 = (over: InfoOver = {}): string => {
	const base: Record<string, Record<string, string | number>> = {
		Server: {redis_version: '7.2.4', redis_mode: 'standalone', run_id: 'a1b2', uptime_in_seconds: 86_400},
		Clients: {connected_clients: 7, maxclients: 10_000, blocked_clients: 1},
		Memory: {used_memory: 1_572_864, used_memory_rss: 8_388_608, maxmemory: 2 * 1024 ** 3, maxmemory_policy: 'allkeys-lru', mem_fragmentation_ratio: 5.33, total_system_memory: 16 * 1024 ** 3},
		Persistence: {
			rdb_changes_since_last_save: 12,
			rdb_bgsave_in_progress: 0,
			rdb_last_save_time: T0 / 1000 - 300,
			rdb_last_bgsave_status: 'ok',
			aof_enabled: 1,
			aof_rewrite_in_progress: 0,
			aof_last_bgrewrite_status: 'ok',
			aof_last_write_status: 'ok',
		},
		Stats: {
			total_connections_received: 89,
			total_commands_processed: 1_234_567,
			instantaneous_ops_per_sec: 42,
			total_net_input_bytes: 10_000_000,
			total_net_output_bytes: 20_000_000,
			rejected_connections: 0,
			expired_keys: 12,
			evicted_keys: 0,
			keyspace_hits: 9000,
			keyspace_misses: 1000,
		},
		Replication: {role: 'master', connected_slaves: 1, slave0: 'ip=10.0.0.2,port=6380,state=online,offset=1234,lag=1', master_repl_offset: 1234},
		Keyspace: {db0: 'keys=12345,expires=40,avg_ttl=28000', db2: 'keys=3,expires=0,avg_ttl=0'},
	};
	for (const [k, v] of Object.entries(over)) {
		const section = Object.values(base).find(s => k in s) ?? base['Stats']!;
		section[k] = v;
	}
	return lines(base);
};

/** Redis 6.2: no maxclients in INFO, no total_net_repl_*; same core fields. */
export const info62 = (): string =>
	lines({
		Server: {redis_version: '6.2.14', redis_mode: 'standalone', uptime_in_seconds: 120},
		Clients: {connected_clients: 3, blocked_clients: 0},
		Memory: {used_memory: 900_000, used_memory_rss: 3_000_000, maxmemory: 0, maxmemory_policy: 'noeviction', mem_fragmentation_ratio: 3.3},
		Persistence: {rdb_changes_since_last_save: 0, rdb_bgsave_in_progress: 0, rdb_last_save_time: T0 / 1000 - 120, rdb_last_bgsave_status: 'ok', aof_enabled: 0, aof_rewrite_in_progress: 0, aof_last_bgrewrite_status: 'ok', aof_last_write_status: 'ok'},
		Stats: {total_connections_received: 5, total_commands_processed: 40, instantaneous_ops_per_sec: 0, rejected_connections: 0, expired_keys: 0, evicted_keys: 0, keyspace_hits: 0, keyspace_misses: 0},
		Replication: {role: 'master', connected_slaves: 0},
	});

export const serverConfig = (over: Partial<ServerConfigRead> = {}): ServerConfigRead => ({
	readAt: T0,
	values: {
		appendonly: 'yes',
		appendfsync: 'everysec',
		maxmemory: String(2 * 1024 ** 3),
		'maxmemory-policy': 'allkeys-lru',
		requirepass: '(set)',
		bind: '127.0.0.1 -::1',
		'protected-mode': 'yes',
		save: '3600 1 300 100 60 10000',
		maxclients: '10000',
		__present_commands: '',
	},
	denied: null,
	error: null,
	...over,
});

/** 20 samples one second apart, counters rising steadily. */
export const statsHistory = (info: string, step: {commands?: number; hits?: number; misses?: number; evicted?: number} = {}): Sample[] => {
	const base = statsFromInfo(parseInfo(info), null);
	return Array.from({length: 20}, (_, i) => {
		const back = 19 - i;
		return {
			at: T0 - back * 1000,
			stats: {
				...base,
				totalCommands: (base.totalCommands ?? 0) - back * (step.commands ?? 50) + (i % 3) * 7,
				keyspaceHits: (base.keyspaceHits ?? 0) - back * (step.hits ?? 45),
				keyspaceMisses: (base.keyspaceMisses ?? 0) - back * (step.misses ?? 5),
				evictedKeys: (base.evictedKeys ?? 0) - back * (step.evicted ?? 0),
				usedMemory: (base.usedMemory ?? 0) - back * 2000,
				netInputBytes: (base.netInputBytes ?? 0) - back * 4096,
				netOutputBytes: (base.netOutputBytes ?? 0) - back * 8192,
			},
		};
	});
};

export const alert = (name: string, status: AlertView['status'], over: Partial<AlertView> = {}): AlertView => ({
	name,
	severity: name === 'RedisMemoryHigh' ? 'critical' : 'warning',
	status,
	activeAt: T0 - 60_000,
	firedAt: status === 'pending' ? null : T0 - 30_000,
	resolvedAt: status === 'resolved' ? T0 - 5000 : null,
	forMs: 300_000,
	value: '93.1% of 2.00M',
	summary: 'x',
	...over,
});

/** A healthy 7.2 server with the audit read and key sizes measured. */
export const healthySnapshot = (over: Partial<Snapshot> = {}): Snapshot => {
	const info = parseInfo(info72());
	return redisSnapshot({
		server: {version: '7.2.4', role: 'master', mode: 'standalone', uptimeSeconds: 86_400, runId: 'a1b2'},
		stats: statsFromInfo(info, 12_345),
		info,
		serverConfig: serverConfig(),
		keySizes: {readAt: T0, instance: {sampled: 3, totalBytes: 3 * 620}, job: {sampled: 2, totalBytes: 2 * 410}, metric: {sampled: 1, totalBytes: 2200}, instancesHash: {bytes: 4096, fields: 6}, error: null},
		...over,
	});
};

/** Memory at 86 % and 95 clients: near the thresholds, a pending alert. */
export const warningSnapshot = (): Snapshot => {
	const info = parseInfo(info72({used_memory: Math.round(0.86 * 2 * 1024 ** 3), connected_clients: 95}));
	return healthySnapshot({stats: statsFromInfo(info, 12_345), info, alerts: [alert('RedisMemoryHigh', 'pending', {value: '86.0% of 2.00G'})]});
};

/** Memory past 90 % firing, evictions, a failed bgsave, CONFIG renamed. */
export const criticalSnapshot = (): Snapshot => {
	const info = parseInfo(info72({used_memory: Math.round(0.95 * 2 * 1024 ** 3), evicted_keys: 5000, rdb_last_bgsave_status: 'err'}));
	return healthySnapshot({
		stats: statsFromInfo(info, 12_345),
		info,
		serverConfig: {readAt: T0, values: {__present_commands: 'FLUSHDB FLUSHALL KEYS SHUTDOWN'}, denied: 'renamed', error: "ERR unknown command 'CONFIG', with args beginning with: 'GET' 'appendonly'"},
		alerts: [
			alert('RedisMemoryHigh', 'firing', {severity: 'critical', value: '95.0% of 2.00G'}),
			alert('RedisPersistenceFailed', 'firing', {severity: 'critical', value: 'RDB bgsave failed', forMs: 0}),
			alert('RedisEvictions', 'pending', {value: '+500 evicted in 19s'}),
		],
	});
};
