import {describe, expect, it} from 'vitest';
import {commandName, parseSlowlog, REDACTED, redactArgs, touchesPrefix} from '../../source/domain/slowlog';
import {isNew, mergeSlowlog, NEW_FOR_MS, type HistoryState, type Observation} from '../../source/domain/slowlog-history';
import {addSamples, durationUnit, percentile, slowestDurations, summarize, summaryOf} from '../../source/domain/slowlog-stats';
import type {SlowlogEntry} from '../../source/domain/types';
import {durationMetrics, mergedState} from '../support/slowlog-fixtures';

const R = REDACTED;

describe('redactArgs', () => {
	it.each([
		[['AUTH', 'pw'], ['AUTH', R]],
		[['auth', 'alice', 'pw'], ['auth', 'alice', R]],
		[['HELLO', '3', 'AUTH', 'alice', 'pw', 'SETNAME', 'tc'], ['HELLO', '3', 'AUTH', 'alice', R, 'SETNAME', 'tc']],
		[['hello', '3', 'auth', 'alice'], ['hello', '3', 'auth', 'alice']],
		[['MIGRATE', 'h', '6379', '', '0', '5000', 'COPY', 'AUTH', 'pw', 'KEYS', 'a', 'AUTH'], ['MIGRATE', 'h', '6379', '', '0', '5000', 'COPY', 'AUTH', R, 'KEYS', 'a', 'AUTH']],
		[['MIGRATE', 'h', '6379', 'k', '0', '5000', 'AUTH2', 'bob', 'pw'], ['MIGRATE', 'h', '6379', 'k', '0', '5000', 'AUTH2', 'bob', R]],
		[['ACL', 'SETUSER', 'bob', 'on', '>pw1', '<pw2', '#ab12', '!cd34', '~*', '+get', 'nopass'], ['ACL', 'SETUSER', 'bob', 'on', `>${R}`, `<${R}`, `#${R}`, `!${R}`, '~*', '+get', 'nopass']],
		[['CONFIG', 'SET', 'requirepass', 'pw', 'maxmemory', '1gb', 'masterauth', 'pw2', 'tls-key-file-pass', 'pw3'], ['CONFIG', 'SET', 'requirepass', R, 'maxmemory', '1gb', 'masterauth', R, 'tls-key-file-pass', R]],
		[['config', 'set', 'MASTERAUTH', 'pw'], ['config', 'set', 'MASTERAUTH', R]],
		[['SENTINEL', 'SET', 'mymaster', 'auth-pass', 'pw', 'quorum', '2'], ['SENTINEL', 'SET', 'mymaster', 'auth-pass', R, 'quorum', '2']],
		[['SENTINEL', 'CONFIG', 'SET', 'sentinel-pass', 'pw'], ['SENTINEL', 'CONFIG', 'SET', 'sentinel-pass', R]],
	])('%j → %j', (args, expected) => {
		expect(redactArgs(args)).toEqual(expected);
	});

	it('leaves other commands and already-redacted args alone', () => {
		for (const args of [['GET', 'pw'], ['SET', 'auth', 'pw'], ['CONFIG', 'GET', 'requirepass'], ['AUTH', R], []]) expect(redactArgs(args)).toEqual(args);
	});

	it('is applied by parseSlowlog, so no secret is ever stored', () => {
		const reply = [
			[3, 1_700_000_000, 50, ['AUTH', 'alice', 'hunter2'], '10.0.0.1:5000', 'app'],
			[2, 1_700_000_000, 40, [Buffer.from('CONFIG'), Buffer.from('SET'), Buffer.from('requirepass'), Buffer.from('hunter2')], '10.0.0.1:5000', ''],
			['bad'],
			[1, 1_700_000_000, 30, ['GET', Buffer.from([0x66, 0xff])]],
		];
		const entries = parseSlowlog(reply);
		expect(JSON.stringify(entries)).not.toContain('hunter2');
		expect(entries.map(e => e.args)).toEqual([
			['AUTH', 'alice', R],
			['CONFIG', 'SET', 'requirepass', R],
			['GET', 'f\\xff'],
		]);
		expect(entries[0]!.client).toBe('10.0.0.1:5000 app');
		expect(entries[2]!.client).toBe('');
	});
});

describe('slowlog words', () => {
	it('knows which entries touch the prefix', () => {
		expect(touchesPrefix(['HGETALL', 'tmux-claude:instances'], 'tmux-claude')).toBe(true);
		expect(touchesPrefix(['MGET', 'a', 'tmux-claude:lock:x'], 'tmux-claude')).toBe(true);
		expect(touchesPrefix(['GET', 'tmux-claudette:x'], 'tmux-claude')).toBe(false);
		expect(touchesPrefix(['tmux-claude:x'], 'tmux-claude')).toBe(false); // the command name is not a key
	});

	it('groups container commands with their subcommand', () => {
		expect(commandName(['hgetall', 'k'])).toBe('HGETALL');
		expect(commandName(['config', 'set', 'x', 'y'])).toBe('CONFIG SET');
		expect(commandName([])).toBe('?');
	});
});

describe('statistics', () => {
	it('takes nearest-rank percentiles', () => {
		const sorted = Array.from({length: 100}, (_, i) => i + 1);
		expect(percentile(sorted, 50)).toBe(50);
		expect(percentile(sorted, 95)).toBe(95);
		expect(percentile(sorted, 100)).toBe(100);
		expect(percentile([7], 95)).toBe(7);
		expect(percentile([1, 2, 3, 4], 50)).toBe(2);
		expect(percentile([], 50)).toBe(0);
	});

	it('summarises per command: count, p50, p95, max and the prefix share, slowest max first', () => {
		const samples = [
			...Array.from({length: 20}, (_, i) => ({args: ['HGETALL', i % 4 === 0 ? 'other' : 'tmux-claude:instances'], durationMicros: (i + 1) * 1000, touchesPrefix: i % 4 !== 0})),
			{args: ['KEYS', '*'], durationMicros: 900_000, touchesPrefix: false},
		];
		expect(summarize(samples)).toEqual([
			{command: 'KEYS', count: 1, p50Micros: 900_000, p95Micros: 900_000, maxMicros: 900_000, prefixCount: 0, prefixShare: 0},
			{command: 'HGETALL', count: 20, p50Micros: 10_000, p95Micros: 19_000, maxMicros: 20_000, prefixCount: 15, prefixShare: 0.75},
		]);
		expect(summarize([])).toEqual([]);
	});

	it('adds samples poll by poll without touching the groups it was given, thinning past the cap', () => {
		const sample = (d: number) => ({args: ['GET', 'k'], durationMicros: d, touchesPrefix: d % 2 === 0});
		const first = addSamples(new Map(), [5, 1, 3].map(sample), 10);
		const second = addSamples(first, [4, 2].map(sample), 10);
		expect(first.get('GET')!.sorted).toEqual([1, 3, 5]);
		expect(second.get('GET')).toEqual({sorted: [1, 2, 3, 4, 5], count: 5, prefix: 2, max: 5, stride: 1});
		let groups = second;
		for (let poll = 0; poll < 10; poll++) groups = addSamples(groups, Array.from({length: 10}, (_, i) => sample(100 + poll * 10 + i)), 10);
		const g = groups.get('GET')!;
		expect(g.sorted.length).toBeLessThanOrEqual(10);
		expect(g).toMatchObject({count: 105, max: 199});
		expect(g.sorted).toEqual([...g.sorted].sort((a, b) => a - b));
		const [row] = summaryOf(groups);
		expect(row).toMatchObject({command: 'GET', count: 105, maxMicros: 199});
		expect(row!.p50Micros).toBeGreaterThan(120);
		expect(row!.p50Micros).toBeLessThan(180);
	});

	it('summarises the fixture session across a reset', () => {
		const hget = mergedState().summary.find(s => s.command === 'HGETALL')!;
		expect(hget).toMatchObject({count: 3, p50Micros: 15_300, maxMicros: 22_000, prefixShare: 1});
	});

	it('reads durations from metric names and value fields', () => {
		expect(durationUnit('job_duration_ms')).toBe(1);
		expect(durationUnit('build_seconds_duration')).toBe(1);
		expect(durationUnit('latency_us')).toBe(0.001);
		expect(durationUnit('elapsedSec')).toBe(1000);
		expect(durationUnit('response_time_s')).toBe(1000);
		expect(durationUnit('durationMs')).toBe(1);
		for (const name of ['queue_depth', 'timestamp_ms', 'started_at', 'managers']) expect(durationUnit(name)).toBeNull();
		const slowest = slowestDurations(durationMetrics());
		expect(slowest.map(s => [s.metric, s.field, s.durationMs])).toEqual([
			['merge', 'durationMs', 95_000],
			['job_duration_ms', null, 41_250],
			['job_duration_ms', null, 17_800],
			['job_duration_ms', null, 5200],
		]);
		expect(slowestDurations(durationMetrics(), 1)).toHaveLength(1);
		expect(slowestDurations([{name: 'queue_depth', key: 'k', count: 1, samples: [{at: 1, value: 4}]}])).toEqual([]);
	});
});

const entry = (id: number, args: string[] = ['GET', `k${id}`], micros = 100): SlowlogEntry => ({id, time: 1_700_000_000 + id, durationMicros: micros, args, client: ''});
const ids = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => entry(to - i));
const obs = (at: number, entries: SlowlogEntry[], over: Partial<Observation> = {}): Observation => ({at, entries, count: 128, runId: 'run-a', maxLen: 128, prefix: 'tmux-claude', ...over});
const run = (...observations: Observation[]): HistoryState => observations.reduce<HistoryState | null>((s, o) => mergeSlowlog(s, o), null)!;

describe('mergeSlowlog', () => {
	it('merges by id across polls without duplicates, newest first', () => {
		const state = run(obs(1000, ids(1, 3)), obs(2000, ids(2, 5)), obs(3000, ids(2, 5)));
		expect(state.history.entries.map(e => e.id)).toEqual([5, 4, 3, 2, 1]);
		expect(state.history.entries.map(e => e.firstSeenAt)).toEqual([2000, 2000, 1000, 1000, 1000]);
		expect(state.history.marks).toEqual([]);
		expect(state.history.seen).toBe(5);
		expect(state.summary).toEqual([expect.objectContaining({command: 'GET', count: 5})]);
	});

	it('keeps entries the server rolled out of its ring buffer', () => {
		// max-len 3: the server only ever holds three entries.
		const state = run(obs(1000, ids(1, 3), {maxLen: 3}), obs(2000, ids(3, 5), {maxLen: 3}), obs(3000, ids(5, 7), {maxLen: 3}));
		expect(state.history.entries.map(e => e.id)).toEqual([7, 6, 5, 4, 3, 2, 1]);
		expect(state.history.marks).toEqual([]);
	});

	it('marks a gap when entries rolled out between two polls', () => {
		const state = run(obs(1000, ids(1, 3), {maxLen: 3}), obs(2000, ids(8, 10), {maxLen: 3}));
		expect(state.history.marks).toEqual([expect.objectContaining({kind: 'gap', afterId: 3, missed: 4, epoch: 0})]);
		expect(state.history.entries.map(e => e.id)).toEqual([10, 9, 8, 3, 2, 1]);
	});

	it('marks a gap when SLOWLOG GET n read only the newest n', () => {
		const state = run(obs(1000, ids(1, 2), {count: 2}), obs(2000, ids(9, 10), {count: 2}));
		expect(state.history.marks).toEqual([expect.objectContaining({kind: 'gap', missed: 6})]);
		expect(state.history.marks[0]!.detail).toMatch(/not read: raise --slowlog-count/);
	});

	it('detects a SLOWLOG RESET: ids go on, the old ones vanish from a list that is not full', () => {
		const state = run(obs(1000, ids(1, 5)), obs(2000, ids(6, 7)), obs(3000, []));
		expect(state.history.entries.map(e => [e.epoch, e.id])).toEqual([
			[1, 7],
			[1, 6],
			[0, 5],
			[0, 4],
			[0, 3],
			[0, 2],
			[0, 1],
		]);
		expect(state.history.marks.map(m => [m.kind, m.epoch, m.afterId])).toEqual([
			['reset', 1, 5],
			['reset', 2, 7],
		]);
	});

	it('without slowlog-max-len, a list shorter than ever seen is a reset, a steady full one a rollover', () => {
		const reset = run(obs(1000, ids(1, 4), {maxLen: null}), obs(2000, ids(5, 6), {maxLen: null}));
		expect(reset.history.marks.map(m => m.kind)).toEqual(['reset']);
		const rollover = run(obs(1000, ids(1, 4), {maxLen: null}), obs(2000, ids(7, 10), {maxLen: null}));
		expect(rollover.history.marks.map(m => [m.kind, m.missed])).toEqual([['gap', 2]]);
	});

	it('detects a restart by the run id, and keeps both generations apart', () => {
		const state = run(obs(1000, ids(1, 3)), obs(2000, ids(1, 2), {runId: 'run-b'}));
		expect(state.history.marks).toEqual([expect.objectContaining({kind: 'restart', epoch: 1, afterId: -1})]);
		expect(state.history.marks[0]!.detail).toMatch(/run id run-a → run-b/);
		expect(state.history.entries.map(e => `${e.epoch}:${e.id}`)).toEqual(['1:2', '1:1', '0:3', '0:2', '0:1']);
	});

	it('detects a restart by ids going backwards when the run id is not visible', () => {
		const state = run(obs(1000, ids(10, 12), {runId: null}), obs(2000, ids(0, 1), {runId: null}));
		expect(state.history.marks.map(m => m.kind)).toEqual(['restart']);
		expect(state.history.marks[0]!.detail).toMatch(/went back from 12 to 1/);
	});

	it('caps the history, counting what it dropped', () => {
		const state = [obs(1000, ids(1, 5)), obs(2000, ids(1, 9))].reduce<HistoryState | null>((s, o) => mergeSlowlog(s, o, 6), null)!;
		expect(state.history.entries.map(e => e.id)).toEqual([9, 8, 7, 6, 5, 4]);
		expect(state.history).toMatchObject({evicted: 3, seen: 9});
		expect(state.summary[0]!.count).toBe(9); // the summary covers the whole session
	});

	it('returns the same state when nothing changed (cheap polls)', () => {
		const a = run(obs(1000, ids(1, 3)));
		expect(mergeSlowlog(a, obs(2000, ids(1, 3)))).toBe(a);
	});

	it('highlights only entries first seen after the first poll, for a moment', () => {
		const state = run(obs(1000, ids(1, 2)), obs(2000, ids(1, 3)));
		const [three, two] = state.history.entries;
		expect(isNew(two!, state.history, 2000)).toBe(false); // there before tcmon looked
		expect(isNew(three!, state.history, 2000)).toBe(true);
		expect(isNew(three!, state.history, 2000 + NEW_FOR_MS)).toBe(false);
	});
});
