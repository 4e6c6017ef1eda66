import {describe, expect, it} from 'vitest';
import {infoField, parseInfo, parseKeyspace, serverFromInfo, statsFromInfo} from '../../source/domain/info';

const REDIS7 = [
	'# Server',
	'redis_version:7.0.15',
	'redis_mode:standalone',
	'run_id:3f1a',
	'uptime_in_seconds:3600',
	'',
	'# Clients',
	'connected_clients:7',
	'blocked_clients:1',
	'',
	'# Memory',
	'used_memory:1048576',
	'used_memory_rss:4194304',
	'maxmemory:0',
	'',
	'# Stats',
	'total_connections_received:89',
	'total_commands_processed:123456',
	'instantaneous_ops_per_sec:42',
	'rejected_connections:0',
	'expired_keys:5',
	'evicted_keys:0',
	'keyspace_hits:90',
	'keyspace_misses:10',
	'',
	'# Replication',
	'role:master',
	'',
	'# Keyspace',
	'db0:keys=10,expires=2,avg_ttl=1000',
	'db3:keys=5,expires=0,avg_ttl=0',
].join('\r\n');

describe('parseInfo', () => {
	it('parses sections and fields from a Redis 7 reply', () => {
		const info = parseInfo(REDIS7);
		expect(info['server']?.['redis_version']).toBe('7.0.15');
		expect(infoField(info, 'role')).toBe('master');
		expect(parseKeyspace(info)).toEqual([
			{db: 0, keys: 10, expires: 2, avgTtl: 1000},
			{db: 3, keys: 5, expires: 0, avgTtl: 0},
		]);
	});

	it('derives server and stats, preferring DBSIZE for keys', () => {
		const info = parseInfo(REDIS7);
		expect(serverFromInfo(info)).toEqual({version: '7.0.15', role: 'master', mode: 'standalone', uptimeSeconds: 3600, runId: '3f1a'});
		const s = statsFromInfo(info, 12);
		expect(s).toMatchObject({keys: 12, usedMemory: 1_048_576, maxMemory: 0, clients: 7, blocked: 1, totalCommands: 123_456, connections: 89, keyspaceHits: 90});
		expect(statsFromInfo(info, null).keys).toBe(15);
	});

	it('tolerates missing sections and junk lines', () => {
		const info = parseInfo('garbage\nno_colon\n# Memory\nused_memory:abc\n:empty\n');
		const s = statsFromInfo(info, null);
		expect(s.usedMemory).toBeNull();
		expect(s.keys).toBeNull();
		expect(serverFromInfo(info).version).toBeNull();
	});
});
