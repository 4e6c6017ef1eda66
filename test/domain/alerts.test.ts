import {describe, expect, it} from 'vitest';
import {applyAlertConfig, alertSettingsFrom, parseDuration} from '../../source/alert-settings';
import {defaultAlertSettings, evaluateAlerts, observationOf, stepRule, withAlertFor, type AlertStates} from '../../source/domain/alerts';
import {parseInfo, statsFromInfo} from '../../source/domain/info';
import type {Sample} from '../../source/domain/rates';
import type {Snapshot} from '../../source/domain/types';
import {alertTracker} from '../../source/sources/alert-tracker';
import {jsonSnapshot, redisSnapshot, redisSourceInfo, T0} from '../support/fixtures';
import {info62, info72, serverConfig, type InfoOver} from '../support/stats-fixtures';
import {clusterSnapshot} from '../support/cluster-fixtures';

const MIN = 60_000;

/** A fresh Redis snapshot at `at` with INFO shaped by `over`. */
const snap = (at: number, over: InfoOver = {}, extra: Partial<Snapshot> = {}): Snapshot => {
	const info = parseInfo(info72(over));
	return redisSnapshot({takenAt: at, source: redisSourceInfo({dataAt: at}), info, stats: statsFromInfo(info, null), serverConfig: serverConfig(), ...extra});
};

/** Runs snapshots through one tracker; returns the alerts after each. */
const run = (snapshots: Snapshot[], settings = defaultAlertSettings()) => {
	const tracker = alertTracker(settings);
	return snapshots.map(s => tracker.observe(s).alerts);
};

const HALF_FULL = {used_memory: Math.round(0.5 * 2 * 1024 ** 3)};
const FULL = {used_memory: Math.round(0.95 * 2 * 1024 ** 3)};

describe('alert state machine', () => {
	it('stepRule: pending while shorter than for, then firing, then resolved, then gone', () => {
		let s = stepRule(undefined, true, 'v', 0, 5 * MIN);
		expect(s).toMatchObject({activeAt: 0, firedAt: null});
		s = stepRule(s, true, 'v', 4 * MIN, 5 * MIN);
		expect(s?.firedAt).toBeNull();
		s = stepRule(s, true, 'v', 5 * MIN, 5 * MIN);
		expect(s?.firedAt).toBe(5 * MIN);
		s = stepRule(s, false, 'v', 6 * MIN, 5 * MIN);
		expect(s).toMatchObject({resolvedAt: 6 * MIN, activeAt: null});
		// Holding again after a resolve starts a fresh pending period.
		const again = stepRule(s, true, 'v', 7 * MIN, 5 * MIN);
		expect(again).toMatchObject({activeAt: 7 * MIN, firedAt: null, resolvedAt: null});
		// A resolved alert is dropped after a while.
		expect(stepRule(s, false, 'v', 20 * MIN, 5 * MIN)).toBeUndefined();
	});

	it('a pending alert that clears just disappears; unknown freezes the state', () => {
		const pending = stepRule(undefined, true, 'v', 0, MIN);
		expect(stepRule(pending, false, 'v', 10_000, MIN)).toBeUndefined();
		expect(stepRule(pending, null, 'v', 2 * MIN, MIN)).toBe(pending);
	});

	it('RedisMemoryHigh: pending → firing after 5m → resolved, over synthetic time', () => {
		const times = [0, 1, 2, 4, 5, 6, 7].map(m => T0 + m * MIN);
		const over = [FULL, FULL, FULL, FULL, FULL, HALF_FULL, HALF_FULL];
		const alerts = run(times.map((t, i) => snap(t, over[i])));
		const mem = alerts.map(list => list.find(a => a.name === 'RedisMemoryHigh')?.status ?? 'none');
		expect(mem).toEqual(['pending', 'pending', 'pending', 'pending', 'firing', 'resolved', 'resolved']);
		const fired = alerts[4]!.find(a => a.name === 'RedisMemoryHigh')!;
		expect(fired).toMatchObject({severity: 'critical', activeAt: T0, firedAt: T0 + 5 * MIN});
		expect(fired.value).toBe('95.0% of 2.00G');
	});

	it('--alert-for 0 fires on the first evaluation', () => {
		const [alerts] = run([snap(T0, FULL)], withAlertFor(defaultAlertSettings(), 0));
		expect(alerts!.map(a => `${a.name}:${a.status}`)).toEqual(['RedisMemoryHigh:firing']);
	});

	it('a fresh, healthy server fires nothing, even with --alert-for 0', () => {
		const healthy = {mem_fragmentation_ratio: 7.7, used_memory: 900_000, used_memory_rss: 7_000_000, maxmemory: 0, keyspace_hits: 3, keyspace_misses: 40};
		const s0 = snap(T0, healthy);
		const s1 = snap(T0 + 1000, {...healthy, keyspace_misses: 60});
		const alerts = run([s0, s1], withAlertFor(defaultAlertSettings(), 0));
		expect(alerts[1]).toEqual([]);
	});

	it('RedisTooManyConnections over 100 clients, with the guide duration', () => {
		const alerts = run([snap(T0, {connected_clients: 150}), snap(T0 + 5 * MIN, {connected_clients: 150})]);
		expect(alerts[1]!.find(a => a.name === 'RedisTooManyConnections')).toMatchObject({status: 'firing', value: '150 clients'});
	});

	it('hit rate is judged only over a window with enough lookups', () => {
		const s = withAlertFor(defaultAlertSettings(), 0);
		// 50 lookups, all misses: too few to mean anything.
		const few = run([snap(T0, {keyspace_hits: 0, keyspace_misses: 0}), snap(T0 + 1000, {keyspace_hits: 0, keyspace_misses: 50})], s);
		expect(few[1]!.find(a => a.name === 'RedisHitRateLow')).toBeUndefined();
		// 1000 lookups at 50 %: fires. The since-start figure (90 %) is not what counts.
		const many = run([snap(T0, {keyspace_hits: 9000, keyspace_misses: 1000}), snap(T0 + 1000, {keyspace_hits: 9500, keyspace_misses: 1500})], s);
		expect(many[1]!.find(a => a.name === 'RedisHitRateLow')).toMatchObject({status: 'firing', value: '50.0% of 1000 lookups'});
	});

	it('evictions and rejected connections fire when the counters increase', () => {
		const alerts = run([snap(T0), snap(T0 + 1000, {evicted_keys: 20, rejected_connections: 3})]);
		expect(alerts[1]!.map(a => `${a.name}:${a.status}`).sort()).toEqual(['RedisEvictions:firing', 'RedisRejectedConnections:firing']);
		// Only one sample: the counters have no increase yet.
		expect(run([snap(T0, {evicted_keys: 20})])[0]).toEqual([]);
	});

	it('fragmentation needs a high ratio AND large wasted bytes', () => {
		const s = withAlertFor(defaultAlertSettings(), 0);
		const small = run([snap(T0, {mem_fragmentation_ratio: 8, used_memory: 1e6, used_memory_rss: 8e6})], s);
		expect(small[0]).toEqual([]);
		const big = run([snap(T0, {mem_fragmentation_ratio: 1.8, used_memory: 500e6, used_memory_rss: 900e6})], s);
		expect(big[0]!.map(a => a.name)).toEqual(['RedisFragmentationHigh']);
	});

	it('persistence failures and an old RDB save with unsaved changes', () => {
		const failed = run([snap(T0, {aof_last_write_status: 'err'})]);
		expect(failed[0]!.find(a => a.name === 'RedisPersistenceFailed')).toMatchObject({status: 'firing', value: 'AOF write failed'});
		const old = run([snap(T0, {rdb_last_save_time: T0 / 1000 - 90_000, rdb_changes_since_last_save: 5})]);
		expect(old[0]!.map(a => a.name)).toEqual(['RedisNoRecentSave']);
		// No changes since: nothing at risk, no alert.
		expect(run([snap(T0, {rdb_last_save_time: T0 / 1000 - 90_000, rdb_changes_since_last_save: 0})])[0]).toEqual([]);
		// CONFIG not readable: the RDB schedule is unknown, so the rule does not guess.
		const denied = {readAt: T0, values: {}, denied: 'noperm' as const, error: 'NOPERM'};
		expect(run([snap(T0, {rdb_last_save_time: T0 / 1000 - 90_000, rdb_changes_since_last_save: 5}, {serverConfig: denied})])[0]).toEqual([]);
	});

	it('RedisDown: disconnected or fallen back to the state dir; not for a plain JSON source', () => {
		const down = redisSnapshot({source: redisSourceInfo({connected: false, stale: true, error: 'connect ECONNREFUSED'})});
		const a = run([down, {...down, takenAt: T0 + 5 * MIN}]);
		expect(a[0]!.map(x => `${x.name}:${x.status}`)).toEqual(['RedisDown:pending']);
		expect(a[1]!.find(x => x.name === 'RedisDown')).toMatchObject({status: 'firing', value: 'connect ECONNREFUSED'});
		// The stale INFO of a dropped Redis is not evaluated: memory rules freeze.
		expect(run([snap(T0, FULL, {source: redisSourceInfo({connected: false, stale: true})})], withAlertFor(defaultAlertSettings(), 0))[0]!.map(x => x.name)).toEqual(['RedisDown']);
		expect(run([jsonSnapshot()], withAlertFor(defaultAlertSettings(), 0))[0]!.map(x => x.name)).toEqual(['RedisDown']);
		const plainJson = jsonSnapshot({source: {...jsonSnapshot().source, fallbackReason: null}});
		expect(run([plainJson], withAlertFor(defaultAlertSettings(), 0))[0]).toEqual([]);
	});

	it('Redis 6.2 INFO (no maxclients, maxmemory 0) evaluates without alerts', () => {
		const info = parseInfo(info62());
		const s = redisSnapshot({info, stats: statsFromInfo(info, null)});
		expect(evaluateAlerts({}, observationOf(s, [] as Sample[]), withAlertFor(defaultAlertSettings(), 0)).alerts).toEqual([]);
	});

	it('disabled rules are not evaluated', () => {
		const settings = applyAlertConfig(withAlertFor(defaultAlertSettings(), 0), {rules: {RedisMemoryHigh: {enabled: false}}});
		const states: AlertStates = {};
		expect(evaluateAlerts(states, observationOf(snap(T0, FULL), []), settings).alerts).toEqual([]);
	});
});

describe('alert settings', () => {
	it('parses durations', () => {
		expect(parseDuration('0')).toBe(0);
		expect(parseDuration('90')).toBe(90_000);
		expect(parseDuration('500ms')).toBe(500);
		expect(parseDuration('5m')).toBe(300_000);
		expect(parseDuration('1h30m')).toBe(5_400_000);
		for (const bad of ['', '5x', 'm5', '-1s', '5m junk']) expect(() => parseDuration(bad)).toThrow(/not a duration/);
	});

	it('layers defaults, config file, thresholds and --alert-for', () => {
		const file = JSON.stringify({window: '2m', hitRateMinLookups: 500, rules: {RedisMemoryHigh: {threshold: 0.8, for: '1m'}, RedisHitRateLow: {enabled: false}}});
		const s = alertSettingsFrom({alertConfig: 'a.json', alertThreshold: ['RedisTooManyConnections=500']}, {}, () => file);
		expect(s.windowMs).toBe(120_000);
		expect(s.hitRateMinLookups).toBe(500);
		expect(s.rules.RedisMemoryHigh).toEqual({enabled: true, threshold: 0.8, forMs: 60_000});
		expect(s.rules.RedisHitRateLow.enabled).toBe(false);
		expect(s.rules.RedisTooManyConnections.threshold).toBe(500);
		const all = alertSettingsFrom({alertFor: '0', alertConfig: 'a.json'}, {}, () => file);
		expect(Object.values(all.rules).every(r => r.forMs === 0)).toBe(true);
		// $TCMON_ALERTS is the default file.
		expect(alertSettingsFrom({}, {TCMON_ALERTS: 'x.json'}, () => file).windowMs).toBe(120_000);
	});

	it('rejects bad input with one-line reasons', () => {
		expect(() => alertSettingsFrom({alertThreshold: ['Nope=1']}, {})).toThrow(/--alert-threshold wants RULE=NUMBER/);
		expect(() => alertSettingsFrom({alertThreshold: ['RedisMemoryHigh=x']}, {})).toThrow(/RULE=NUMBER/);
		expect(() => alertSettingsFrom({alertConfig: 'a'}, {}, () => '{')).toThrow(/not valid JSON/);
		expect(() => alertSettingsFrom({alertConfig: 'a'}, {}, () => '{"rules": {"Bogus": {}}}')).toThrow(/unknown rule "Bogus"/);
		expect(() => alertSettingsFrom({alertConfig: 'a'}, {}, () => '{"rules": {"RedisDown": {"after": 1}}}')).toThrow(/unknown field "after"/);
		expect(() =>
			alertSettingsFrom({alertConfig: 'missing'}, {}, () => {
				throw Object.assign(new Error('x'), {code: 'ENOENT'});
			}),
		).toThrow(/cannot read --alert-config missing: ENOENT/);
	});
});

describe('RedisClusterDown', () => {
	const settings = withAlertFor(defaultAlertSettings(), 0);
	const names = (s: Snapshot, st = settings) => evaluateAlerts({}, observationOf(s, []), st).alerts.filter(a => a.name === 'RedisClusterDown').map(a => [a.status, a.value]);
	const base = clusterSnapshot();
	const healthy: Snapshot = {...base, cluster: {...base.cluster!, nodes: base.cluster!.nodes.filter(n => !n.failing)}};

	it('holds nothing for a healthy cluster, or for a standalone server', () => {
		expect(names(healthy)).toEqual([]);
		expect(names(snap(T0))).toEqual([]);
	});

	it('fires on a failing node (the threshold lets one go), on slots without a live master, and on cluster_state fail', () => {
		expect(names(base)).toEqual([['firing', '1 failing: 127.0.0.1:7003']]);
		const tolerant = withAlertFor(defaultAlertSettings(), 0);
		tolerant.rules.RedisClusterDown.threshold = 1;
		expect(names(base, tolerant)).toEqual([]);
		// 7006 (the promoted replica, slots 10923-16383) failing too: a third of the slots unserved, the state fail.
		const down: Snapshot = {...base, cluster: {...base.cluster!, state: 'fail', nodes: base.cluster!.nodes.map(n => (n.addr === '127.0.0.1:7006' ? {...n, failing: true} : n))}};
		expect(names(down)).toEqual([['firing', 'cluster_state fail · 5461 slots without a live master · 2 failing: 127.0.0.1:7003, 127.0.0.1:7006']]);
	});

	it('waits a minute by default: an automatic failover takes seconds', () => {
		const first = evaluateAlerts({}, observationOf(base, []), defaultAlertSettings());
		expect(first.alerts.find(a => a.name === 'RedisClusterDown')).toMatchObject({status: 'pending'});
		const later = evaluateAlerts(first.states, observationOf({...base, takenAt: base.takenAt + MIN}, []), defaultAlertSettings());
		expect(later.alerts.find(a => a.name === 'RedisClusterDown')).toMatchObject({status: 'firing'});
	});
});
