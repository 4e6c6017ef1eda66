// Slowlog fixtures: raw SLOWLOG GET replies (as the server sends them) merged
// over three polls with a SLOWLOG RESET between the first two, so the pane is
// tested on a history built the way the tracker builds it.
import {parseSlowlog} from '../../source/domain/slowlog';
import {mergeSlowlog, type HistoryState} from '../../source/domain/slowlog-history';
import type {MetricSeries, Snapshot} from '../../source/domain/types';
import {jsonSnapshot, redisSnapshot, T0} from './fixtures';

const s = (ms: number) => Math.floor(ms / 1000);

type Raw = [number, number, number, string[], string, string];
const raw = (id: number, agoMs: number, micros: number, args: string[], client = '127.0.0.1:50412 orchestrator'): Raw => {
	const [addr, name] = client.split(' ');
	return [id, s(T0 - agoMs), micros, args, addr ?? '', name ?? ''];
};

/** Poll 1 (T0-20s): ids 38–40. Then SLOWLOG RESET. Poll 2 (T0-10s): 41–42. Poll 3 (T0): 43–46 (new). */
export const POLLS: {at: number; reply: Raw[]}[] = [
	{
		at: T0 - 20_000,
		reply: [
			raw(40, 25_000, 230_000, ['KEYS', '*'], '10.0.0.9:6000'),
			raw(39, 60_000, 12_500, ['HGETALL', 'tmux-claude:instances']),
			raw(38, 3_600_000, 1200, ['SET', 'evil\u001b[2Jkey', 'v\u0007\u009b1m'], '10.0.0.9:6001 \u001b]0;x\u0007'),
		],
	},
	{
		at: T0 - 10_000,
		reply: [raw(42, 12_000, 15_300, ['HGETALL', 'tmux-claude:instances']), raw(41, 14_000, 48_000, ['AUTH', 'admin', 'hunter2'], '10.0.0.7:5100')],
	},
	{
		at: T0,
		reply: [
			raw(46, 500, 64_000, ['EVAL', `redis.call('HSET', KEYS[1], 'x', ARGV[1]) -- ${'a long script '.repeat(7)}`.slice(0, 128) + '... (72 more bytes)', '1', 'tmux-claude:instances', '\u001b[31mred']),
			raw(45, 1000, 101_000, ['ZRANGE', 'tmux-claude:metrics:queue_depth', '0', '-1', 'WITHSCORES']),
			raw(44, 2000, 11_000, ['CONFIG', 'SET', 'requirepass', 's3cret'], '10.0.0.7:5100'),
			raw(43, 3000, 22_000, ['HGETALL', 'tmux-claude:instances']),
			raw(42, 12_000, 15_300, ['HGETALL', 'tmux-claude:instances']),
			raw(41, 14_000, 48_000, ['AUTH', 'admin', 'hunter2'], '10.0.0.7:5100'),
		],
	},
];

export const mergedState = (polls = POLLS): HistoryState => {
	let state: HistoryState | null = null;
	for (const poll of polls) {
		state = mergeSlowlog(state, {at: poll.at, entries: parseSlowlog(poll.reply), count: 128, runId: 'abc', maxLen: 128, prefix: 'tmux-claude'});
	}
	return state!;
};

/** A Redis snapshot after the three polls, with the slowlog settings visible. */
export const slowlogSnapshot = (over: Partial<Snapshot> = {}): Snapshot => {
	const state = mergedState();
	const last = POLLS.at(-1)!;
	return redisSnapshot({
		slowlog: parseSlowlog(last.reply),
		slowlogLength: last.reply.length,
		slowlogHistory: state.history,
		slowlogSummary: state.summary,
		slowlogConfig: {logSlowerThan: 10_000, maxLen: 128, error: null, readAt: T0 - 20_000},
		...over,
	});
};

export const emptySlowlogSnapshot = (): Snapshot => {
	const state = mergeSlowlog(null, {at: T0, entries: [], count: 128, runId: 'abc', maxLen: 128, prefix: 'tmux-claude'});
	return redisSnapshot({slowlog: [], slowlogLength: 0, slowlogHistory: state.history, slowlogSummary: state.summary, slowlogConfig: {logSlowerThan: 10_000, maxLen: 128, error: null, readAt: T0}});
};

/** An ACL user with -@dangerous: SLOWLOG and CONFIG both NOPERM. */
export const deniedSlowlogSnapshot = (): Snapshot =>
	redisSnapshot({
		slowlog: [],
		slowlogLength: null,
		slowlogConfig: {logSlowerThan: null, maxLen: null, error: "NOPERM User tc has no permissions to run the 'config|get' command", readAt: T0},
		errors: {slowlog: "NOPERM User tc has no permissions to run the 'slowlog|get' command"},
	});

/** `--rename-command SLOWLOG ""`. */
export const renamedSlowlogSnapshot = (): Snapshot =>
	redisSnapshot({slowlog: [], slowlogLength: null, errors: {slowlog: "ERR unknown command 'SLOWLOG', with args beginning with: 'GET' '128' "}});

export const durationMetrics = (): MetricSeries[] => [
	{name: 'job_duration_ms', key: 'metrics.jsonl#job_duration_ms', count: 3, samples: [{at: T0 - 30_000, value: 41_250}, {at: T0 - 20_000, value: 5200}, {at: T0 - 10_000, value: 17_800}]},
	{name: 'queue_depth', key: 'metrics.jsonl#queue_depth', count: 1, samples: [{at: T0 - 10_000, value: 4}]},
	{name: 'merge', key: 'metrics.jsonl#merge', count: 1, samples: [{at: T0 - 5000, value: {durationMs: 95_000, files: 12}}]},
];

export const jsonDurationSnapshot = (): Snapshot => jsonSnapshot({metrics: durationMetrics()});
