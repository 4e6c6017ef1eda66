// The write mark and the dataset it names (pure: INFO text in, decisions out).
import {describe, expect, it} from 'vitest';
import {parseInfo} from '../../source/domain/info';
import {datasetMoved, datasetView, replacerCalls, writeMark} from '../../source/sources/write-mark';

const info = (over: {runId?: string; replid?: string; role?: string; keyspace?: string[]; changes?: number} = {}) =>
	parseInfo(
		[
			'# Server',
			`run_id:${over.runId ?? 'r1'}`,
			'# Persistence',
			`rdb_changes_since_last_save:${over.changes ?? 5}`,
			'rdb_last_save_time:1700000000',
			'# Stats',
			'expired_keys:0',
			'evicted_keys:0',
			'# Replication',
			`role:${over.role ?? 'master'}`,
			`master_replid:${over.replid ?? 'a'.repeat(40)}`,
			'# Keyspace',
			...(over.keyspace ?? ['db0:keys=3,expires=1,avg_ttl=100', 'db1:keys=5,expires=0,avg_ttl=0']),
			'',
		].join('\r\n'),
	);

describe('writeMark', () => {
	it('moves with what names the dataset and with the per-db key counts, not with avg_ttl', () => {
		const base = writeMark(info())!;
		expect(writeMark(info({runId: 'r2'}))).not.toBe(base);
		expect(writeMark(info({replid: 'b'.repeat(40)}))).not.toBe(base);
		expect(writeMark(info({role: 'slave'}))).not.toBe(base);
		expect(writeMark(info({keyspace: ['db0:keys=5,expires=0,avg_ttl=0', 'db1:keys=3,expires=1,avg_ttl=100']}))).not.toBe(base);
		expect(writeMark(info({keyspace: ['db0:keys=3,expires=1,avg_ttl=999', 'db1:keys=5,expires=0,avg_ttl=0']}))).toBe(base);
	});
});

describe('datasetMoved', () => {
	const at = (over: Parameters<typeof info>[0]) => datasetView(info(over));
	it('a restart, a new master or a role change replaces the data', () => {
		expect(datasetMoved(at({}), at({runId: 'r2'}), 0)).toBe(true);
		expect(datasetMoved(at({}), at({replid: 'b'.repeat(40)}), 0)).toBe(true);
		expect(datasetMoved(at({}), at({role: 'slave'}), 0)).toBe(true);
	});
	it('SWAPDB: the watched db counts what another did, and that one what it did', () => {
		expect(datasetMoved(at({}), at({keyspace: ['db0:keys=5,expires=0,avg_ttl=0', 'db1:keys=3,expires=1,avg_ttl=0']}), 0)).toBe(true);
		// Swapped with an empty database: db0 gone from the keyspace, db7 has its counts.
		expect(datasetMoved(at({keyspace: ['db0:keys=3,expires=1,avg_ttl=0']}), at({keyspace: ['db7:keys=3,expires=1,avg_ttl=0']}), 0)).toBe(true);
	});
	it('writes are not a replacement', () => {
		expect(datasetMoved(at({}), at({changes: 9, keyspace: ['db0:keys=4,expires=1,avg_ttl=0', 'db1:keys=5,expires=0,avg_ttl=0']}), 0)).toBe(false);
		expect(datasetMoved(at({}), at({}), 0)).toBe(false);
		expect(datasetMoved(null, at({}), 0)).toBe(false);
	});
});

describe('replacerCalls', () => {
	it('counts SWAPDB, FLUSH* and DEBUG calls; null without a reply', () => {
		const text = '# Commandstats\r\ncmdstat_get:calls=10,usec=1\r\ncmdstat_swapdb:calls=2,usec=3\r\ncmdstat_flushdb:calls=1,usec=1\r\n';
		expect(replacerCalls(text)).toBe('swapdb=2,flushall=0,flushdb=1,debug=0');
		expect(replacerCalls('# Commandstats\r\n')).toBe('swapdb=0,flushall=0,flushdb=0,debug=0');
		expect(replacerCalls(null)).toBeNull();
	});
});
