import {describe, expect, it} from 'vitest';
import {auditItems, auditSummary, configAccess} from '../../source/domain/audit';
import {alertsFigure, detailLines, historyHitRate, keyFigures, memoryCheck, persistenceFigure, replicaList, serverFigure} from '../../source/domain/health';
import {parseInfo, parseKeyspace, statsFromInfo} from '../../source/domain/info';
import {redisSourceInfo, T0} from '../support/fixtures';
import {alert, criticalSnapshot, healthySnapshot, info62, info72, statsHistory} from '../support/stats-fixtures';

describe('INFO shapes', () => {
	it('Redis 7.2: net counters, maxclients, replicas, keyspace', () => {
		const info = parseInfo(info72());
		expect(statsFromInfo(info, null)).toMatchObject({usedMemory: 1_572_864, netInputBytes: 10_000_000, netOutputBytes: 20_000_000, keys: 12_348});
		expect(replicaList(info)).toEqual([{id: 'slave0', addr: '10.0.0.2:6380', state: 'online', offset: 1234, lag: 1}]);
		expect(parseKeyspace(info)[0]).toEqual({db: 0, keys: 12_345, expires: 40, avgTtl: 28_000});
	});

	it('Redis 6.2: fields missing from older servers come back null, not 0', () => {
		const info = parseInfo(info62());
		const s = statsFromInfo(info, null);
		expect(s.netInputBytes).toBeNull();
		expect(s.keys).toBeNull(); // no keyspace section at all
		const snap = healthySnapshot({info, stats: s});
		const f = keyFigures(snap, statsHistory(info62(), {hits: 0, misses: 0}));
		expect(f.find(x => x.label === 'memory')!.value).toBe('879K no limit');
		expect(f.find(x => x.label === 'clients')!.value).toBe('3 (0.0% of 10.0k)'); // maxclients from CONFIG GET
		expect(f.find(x => x.label === 'hit rate')!.value).toBe('n/a (no lookups)');
	});
});

describe('health figures', () => {
	it('the five key metrics, with the window hit rate and the command rate from the counter', () => {
		const history = statsHistory(info72(), {commands: 50, hits: 30, misses: 10, evicted: 0});
		const f = Object.fromEntries(keyFigures(healthySnapshot(), history).map(x => [x.label, x]));
		expect(f['memory']!.value).toBe('1.50M (0.1% of 2.00G)');
		expect(f['clients']!.value).toBe('7 (0.1% of 10.0k)');
		expect(f['cmds/s']!.value).toMatch(/^\d+ \(inst 42\)$/);
		// 30 of 40 lookups per second in the window: 75 %, not the 90 % since start.
		expect(f['hit rate']!.value).toBe('75.0% of 760');
		expect(f['evicted']!.value).toBe('0 0/s');
		// 75 % over ≥ 100 lookups is below the rule's 80 %: warn; the rest is fine.
		expect(Object.fromEntries(Object.entries(f).map(([k, x]) => [k, x.level]))).toEqual({memory: 'ok', clients: 'ok', 'cmds/s': 'ok', 'hit rate': 'warn', evicted: 'ok'});
		expect(f['memory']!.series).toHaveLength(20);
	});

	it('levels follow the alerts: firing is critical, pending is warn', () => {
		const snap = criticalSnapshot();
		const f = Object.fromEntries(keyFigures(snap, statsHistory(info72())).map(x => [x.label, x.level]));
		expect(f['memory']).toBe('critical');
		expect(f['evicted']).toBe('warn');
		expect(persistenceFigure(snap)!.level).toBe('critical');
		expect(alertsFigure(snap.alerts)).toEqual({label: 'alerts', value: 'FIRING RedisMemoryHigh, RedisPersistenceFailed · pending RedisEvictions', level: 'critical'});
		expect(alertsFigure([alert('RedisDown', 'resolved')]).level).toBe('ok');
	});

	it('server and persistence lines', () => {
		expect(serverFigure(healthySnapshot())!.value).toBe('12.3k keys · up 1d00h · master · 1 replica (max lag 1s)');
		expect(persistenceFigure(healthySnapshot())!.value).toBe('AOF on (ok) · RDB 5m00s ago, 12 chg');
	});

	it('hit rate over the history window, n/a without lookups or history', () => {
		expect(historyHitRate([])).toBeNull();
		expect(historyHitRate(statsHistory(info72(), {hits: 0, misses: 0}))).toEqual({rate: null, lookups: 0, own: 0});
	});

	it('memory check: measured bytes per key next to the guide, and how many more instances fit', () => {
		const m = memoryCheck(healthySnapshot())!;
		expect(m.rows).toEqual([
			{what: 'instance', measured: 620, sampled: 3, guide: 5120},
			{what: 'job', measured: 410, sampled: 2, guide: 2048},
			{what: 'metric', measured: 2200, sampled: 1, guide: 1024},
		]);
		expect(m.instancesFit).toBe(Math.floor((2 * 1024 ** 3 - 1_572_864) / 620));
		expect(memoryCheck(healthySnapshot({keySizes: null}))).toBeNull();
	});

	it('detail lines cover every section', () => {
		const text = detailLines(criticalSnapshot(), statsHistory(info72())).map(l => l.text).join('\n');
		for (const s of ['Alerts', 'RedisMemoryHigh [critical] firing', 'Config audit (CONFIG renamed or disabled', 'Keyspace', 'db2  keys 3', 'Persistence', 'Replication', 'slave0 10.0.0.2:6380 online', 'Memory check']) expect(text).toContain(s);
	});

	it("says whether tcmon's own reads follow the server's change tracking", () => {
		const lines = (changeTracking: {on: boolean; detail: string} | null) =>
			detailLines({...healthySnapshot(), changeTracking}, [])
				.map(l => l.text)
				.filter(t => t.includes('change tracking'));
		expect(lines(null)).toEqual([]);
		expect(lines({on: true, detail: 'on'})).toEqual(['  change tracking on: writes re-read only their keys (CLIENT TRACKING BCAST)']);
		expect(lines({on: false, detail: "CLIENT TRACKING unavailable: NOPERM this user has no permissions to run the 'client|tracking' command"})).toEqual([
			"  change tracking off: writes re-read every value (CLIENT TRACKING unavailable: NOPERM this user has no permissions to run the 'client|tracking' command)",
		]);
	});
});

describe('config audit', () => {
	it('all as the guide recommends', () => {
		const items = auditItems(healthySnapshot());
		expect(items.map(i => `${i.check}:${i.status}`)).toEqual([
			'appendonly:ok',
			'appendfsync:ok',
			'maxmemory:ok',
			'maxmemory-policy:ok',
			'password / ACL:ok',
			'bind:ok',
			'dangerous commands:ok',
		]);
		expect(configAccess(healthySnapshot())).toBe('CONFIG GET permitted');
	});

	it('CONFIG renamed: says so, reads what INFO shows, guesses nothing', () => {
		const snap = criticalSnapshot();
		expect(configAccess(snap)).toBe('CONFIG renamed or disabled (as the guide recommends)');
		const byCheck = Object.fromEntries(auditItems(snap).map(i => [i.check, i]));
		expect(byCheck['appendonly']!.status).toBe('ok'); // from INFO aof_enabled
		expect(byCheck['maxmemory-policy']!.status).toBe('ok'); // from INFO
		expect(byCheck['appendfsync']).toMatchObject({status: 'unknown', actual: 'unknown: CONFIG renamed or disabled (as the guide recommends)'});
		expect(byCheck['bind']!.status).toBe('unknown');
		expect(byCheck['dangerous commands']).toMatchObject({status: 'warn', actual: 'still named: FLUSHDB FLUSHALL KEYS SHUTDOWN'});
	});

	it('NOPERM, no password, all interfaces', () => {
		const denied = healthySnapshot({serverConfig: {readAt: T0, values: {}, denied: 'noperm', error: "NOPERM this user has no permissions to run the 'config|get' command"}});
		expect(configAccess(denied)).toBe('CONFIG GET denied for this user (NOPERM)');
		const open = healthySnapshot({
			source: redisSourceInfo({target: 'redis://127.0.0.1:6379'}),
			serverConfig: {readAt: T0, values: {bind: '* -::*', requirepass: '', appendfsync: 'always', __present_commands: 'CONFIG'}, denied: null, error: null},
		});
		const byCheck = Object.fromEntries(auditItems(open).map(i => [i.check, i]));
		expect(byCheck['password / ACL']).toMatchObject({status: 'warn', actual: 'no requirepass'});
		expect(byCheck['bind']!.status).toBe('warn');
		expect(byCheck['appendfsync']!.status).toBe('warn');
		expect(auditSummary(auditItems(open)).warn).toBe(4); // and CONFIG still named
		// No CONFIG, no password in the URL, yet data was read: nothing protects the server.
		const noConfig = {...open, serverConfig: {readAt: T0, values: {}, denied: 'renamed' as const, error: 'ERR unknown command'}};
		expect(auditItems(noConfig).find(i => i.check === 'password / ACL')).toMatchObject({status: 'warn', actual: 'none: tcmon reads without logging in'});
	});
});
