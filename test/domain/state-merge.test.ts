import {describe, expect, it} from 'vitest';
import {evaluateAlerts, defaultAlertSettings, windowHitRate, type Observation} from '../../source/domain/alerts';
import {historyHitRate, hitRateText} from '../../source/domain/health';
import {decodeInstanceMap} from '../../source/domain/layouts';
import {lookupsBetween, type Sample} from '../../source/domain/rates';
import {countsNote, dedupeById, stateOfValue, tokenText, truncatedInstance} from '../../source/domain/state-merge';
import type {Instance} from '../../source/domain/types';
import {instanceJson} from '../support/fixtures';
import {stats} from '../support/fixtures';

const one = (id: string, status: string, origin: Instance['origin']): Instance => ({...decodeInstanceMap([[id, instanceJson(id, 'specialist', status)]], origin).instances[0]!});

describe('dedupeById', () => {
	it('keeps one item per id, the preferred layout winning in the first place, and counts the copies that differ', () => {
		const items = [one('a', 'active', 'instance-key'), one('b', 'active', 'instances-hash'), one('a', 'terminated', 'instances-hash'), one('b', 'active', 'instance-key'), one('c', 'active', 'instance-key')];
		const out = dedupeById(items, 'instances-hash');
		expect(out.items.map(i => [i.id, i.status, i.origin])).toEqual([
			['a', 'terminated', 'instances-hash'],
			['b', 'active', 'instances-hash'],
			['c', 'active', 'instance-key'],
		]);
		expect(out).toMatchObject({duplicates: 2, differ: 1});
	});

	it('hands back the same array when no id repeats', () => {
		const items = [one('a', 'active', 'instance-key'), one('b', 'active', 'instances-hash')];
		expect(dedupeById(items, 'instances-hash')).toEqual({items, duplicates: 0, differ: 0});
		expect(dedupeById(items, 'instances-hash').items).toBe(items);
	});
});

describe('what the counts leave out', () => {
	it('says how much of the hash was read and what was merged, or nothing', () => {
		expect(countsNote({})).toBe('');
		expect(countsNote({instancesHash: {fields: 32, read: 32}})).toBe('');
		expect(countsNote({instancesHash: {fields: 1_000_000, read: 10_000}, duplicates: {instances: 32, jobs: 1, differ: 0}})).toBe(
			'hash: 10,000 of 1,000,000 fields read · 32 instances and 1 job in both layouts, counted once',
		);
		expect(countsNote({duplicates: {instances: 1, jobs: 0, differ: 1}})).toBe("1 instance in both layouts, counted once (1 differ: the hash's copy shown)");
	});

	it('a cut value counts as truncated, not unparsable, and a cut token says so first', () => {
		const cut = truncatedInstance('x', 'instance-key', 65_536, 67_108_864);
		expect(cut.parseError).toBe('value truncated: first 64.0K of 67,108,864 bytes read, not decoded');
		expect(stateOfValue(cut)).toBe('truncated');
		expect(stateOfValue({status: null, parseError: 'invalid JSON'})).toBe('unparsable');
		expect(stateOfValue({status: 'active', parseError: null})).toBe('active');
		expect(tokenText({token: '123-abc', truncated: true})).toBe('[truncated] 123-abc');
		expect(tokenText({token: '123-abc'})).toBe('123-abc');
	});
});

describe("the hit rate leaves tcmon's own lookups out", () => {
	const sample = (at: number, hits: number, misses: number, ownHits: number, ownMisses: number): Sample => ({at, stats: stats({keyspaceHits: hits, keyspaceMisses: misses, ownHits, ownMisses})});

	it('subtracts them, and is n/a when they are all there was', () => {
		const idle = [sample(0, 100, 500, 0, 0), sample(1000, 110, 900, 10, 400)];
		expect(lookupsBetween(idle[0]!.stats, idle[1]!.stats)).toEqual({hits: 0, misses: 0, own: 410});
		expect(hitRateText(historyHitRate(idle))).toBe("n/a: only tcmon's reads");
		const mixed = [sample(0, 100, 500, 0, 0), sample(1000, 140, 910, 10, 400)];
		expect(historyHitRate(mixed)).toEqual({rate: 0.75, lookups: 40, own: 410});
		expect(hitRateText(historyHitRate(mixed))).toBe('75.0% of 40');
		// Without own counts (the JSON source, older samples): the server's figures as they are.
		expect(historyHitRate([{at: 0, stats: stats({keyspaceHits: 1, keyspaceMisses: 1})}, {at: 1, stats: stats({keyspaceHits: 2, keyspaceMisses: 5})}])).toEqual({rate: 0.2, lookups: 5, own: 0});
	});

	it('never alerts on an idle store tcmon alone reads, and still does on real misses', () => {
		const settings = defaultAlertSettings();
		settings.rules.RedisHitRateLow.forMs = 0;
		const obs = (samples: Sample[]): Observation => ({at: samples.at(-1)!.at, redisExpected: true, connected: true, downReason: null, info: {stats: {}}, config: null, samples, cluster: null});
		const idle = [sample(0, 0, 0, 0, 0), sample(60_000, 0, 5000, 0, 5000)];
		expect(windowHitRate(idle, settings.windowMs)).toEqual({rate: null, lookups: 0, own: 5000});
		expect(evaluateAlerts({}, obs(idle), settings).alerts).toEqual([]);
		const misses = [sample(0, 0, 0, 0, 0), sample(60_000, 10, 5200, 10, 5000)];
		expect(evaluateAlerts({}, obs(misses), settings).alerts.map(a => [a.name, a.status, a.value])).toEqual([['RedisHitRateLow', 'firing', '0.0% of 200 lookups']]);
	});
});
