import {describe, expect, it} from 'vitest';
import {countBy, decodeInstanceMap, decodeMetricSample, decodeObject, priorityName, seriesFromSamples} from '../../source/domain/layouts';
import {instanceJson, jobJson} from '../support/fixtures';

describe('decodeInstanceMap', () => {
	it('splits instances from job: entries and labels the fields', () => {
		const {instances, jobs} = decodeInstanceMap(
			[
				['spec_1_2_483920', instanceJson('spec_1_2_483920', 'specialist', 'active', 'mgr_1_201938')],
				['job:job_1_7', jobJson('job_1_7', 'failed', 50, {lastError: 'boom'})],
			],
			'instances-hash',
		);
		expect(instances).toHaveLength(1);
		expect(instances[0]).toMatchObject({id: 'spec_1_2_483920', role: 'specialist', status: 'active', parentId: 'mgr_1_201938', parseError: null});
		expect(jobs[0]).toMatchObject({id: 'job_1_7', status: 'failed', priority: 50, lastError: 'boom', origin: 'instances-hash'});
	});

	it('marks truncated, non-object and wrongly typed values without throwing', () => {
		const {instances, jobs} = decodeInstanceMap(
			[
				['a', '{"instanceId": "a", "sta'],
				['b', '[1,2]'],
				['c', '{"instanceId": 42, "status": {"x": 1}, "role": null}'],
				['job:j', null],
			],
			'json-file',
		);
		expect(instances[0]!.parseError).toMatch(/invalid JSON/);
		expect(instances[1]!.parseError).toMatch(/not a JSON object \(array\)/);
		expect(instances[2]).toMatchObject({id: 'c', status: null, role: null, parseError: null});
		expect(jobs[0]).toMatchObject({id: 'j', parseError: 'missing value'});
	});
});

describe('metrics', () => {
	it('decodes samples, preferring the ISO timestamp, then the score', () => {
		expect(decodeMetricSample('{"metric":"m","value":3,"timestamp":"2026-11-26T09:00:00.000Z"}')).toEqual({metric: 'm', sample: {at: Date.UTC(2026, 10, 26, 9), value: 3}});
		expect(decodeMetricSample('{"metric":"m","value":{"a":1}}', 1234)?.sample).toEqual({at: 1234, value: {a: 1}});
		expect(decodeMetricSample('{"metric":"m","value":1}')).toBeNull();
		expect(decodeMetricSample('not json')).toBeNull();
	});

	it('groups samples into sorted series with a bounded tail', () => {
		const samples = [3, 1, 2].map(at => ({metric: 'm', sample: {at, value: at}}));
		const [series] = seriesFromSamples(samples, n => `k:${n}`, 2);
		expect(series).toEqual({name: 'm', key: 'k:m', count: 3, samples: [{at: 2, value: 2}, {at: 3, value: 3}]});
	});
});

describe('helpers', () => {
	it('names priorities and shows other numbers as numbers', () => {
		expect([100, 75, 50, 25, 60, null].map(priorityName)).toEqual(['critical', 'high', 'medium', 'low', '60', '-']);
	});
	it('counts by a field, most first', () => {
		expect(countBy([{s: 'a'}, {s: 'b'}, {s: 'a'}, {s: null}], x => x.s)).toEqual([['a', 2], ['(none)', 1], ['b', 1]]);
	});
	it('decodeObject never throws', () => {
		expect(decodeObject(undefined).error).toBe('missing value');
		expect(decodeObject('"str"').error).toMatch(/string/);
	});
});
