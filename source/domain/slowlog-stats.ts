// Statistics over slow commands: per-command summaries of the session's
// slowlog, and, for the JSON source (which has no server to ask), the slowest
// metrics.jsonl samples that carry a duration. Pure: unit-tested on fixtures.
import {compareText} from './order';
import {commandName} from './slowlog';
import type {MetricSeries, SlowlogCommandSummary} from './types';

/** Nearest-rank percentile of ascending `sorted` (p in 0–100); 0 for an empty list. */
export const percentile = (sorted: readonly number[], p: number): number => {
	if (sorted.length === 0) return 0;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
};

export type SlowSample = {args: readonly string[]; durationMicros: number; touchesPrefix: boolean};

/**
 * One command's durations over the session, ascending. Past GROUP_CAP they
 * are thinned (every other value) and from then on only every `stride`-th new
 * one is kept, so old and new samples weigh the same: percentiles stay close
 * while memory and per-poll work stay bounded. count, prefix and max are exact.
 */
export type CommandGroup = {sorted: number[]; count: number; prefix: number; max: number; stride: number};
export const GROUP_CAP = 20_000;

const mergeSorted = (a: readonly number[], b: readonly number[]): number[] => {
	const out = new Array<number>(a.length + b.length);
	let i = 0;
	let j = 0;
	let k = 0;
	while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
	while (i < a.length) out[k++] = a[i++]!;
	while (j < b.length) out[k++] = b[j++]!;
	return out;
};

const thin = (sorted: number[], stride: number, cap: number): {sorted: number[]; stride: number} => {
	let out = sorted;
	let s = stride;
	while (out.length > cap) {
		out = out.filter((_, i) => i % 2 === 0);
		s *= 2;
	}
	return {sorted: out, stride: s};
};

/**
 * Adds samples to per-command groups. Copy-on-write: the groups given are
 * not changed, only the commands that got samples get new arrays, so a poll
 * costs what it adds, not what the session holds.
 */
export const addSamples = (groups: ReadonlyMap<string, CommandGroup>, samples: Iterable<SlowSample>, cap = GROUP_CAP): Map<string, CommandGroup> => {
	const batches = new Map<string, {durations: number[]; prefix: number}>();
	for (const s of samples) {
		const name = commandName(s.args);
		let batch = batches.get(name);
		if (!batch) batches.set(name, (batch = {durations: [], prefix: 0}));
		batch.durations.push(s.durationMicros);
		if (s.touchesPrefix) batch.prefix++;
	}
	const out = new Map(groups);
	for (const [name, {durations, prefix}] of batches) {
		const old = groups.get(name);
		const before = old?.count ?? 0;
		const stride = old?.stride ?? 1;
		// Keep by arrival order, not by value, so the sample stays unbiased.
		const kept = durations.filter((_, i) => (before + i) % stride === 0).sort((a, b) => a - b);
		const merged = thin(old ? mergeSorted(old.sorted, kept) : kept, stride, cap);
		out.set(name, {
			...merged,
			count: before + durations.length,
			prefix: (old?.prefix ?? 0) + prefix,
			max: Math.max(old?.max ?? 0, ...durations),
		});
	}
	return out;
};

/** Count, p50, p95, max and the prefix share per command name; slowest max first. */
export const summaryOf = (groups: ReadonlyMap<string, CommandGroup>): SlowlogCommandSummary[] =>
	[...groups.entries()]
		.map(([command, g]) => ({
			command,
			count: g.count,
			p50Micros: percentile(g.sorted, 50),
			p95Micros: percentile(g.sorted, 95),
			maxMicros: g.max,
			prefixCount: g.prefix,
			prefixShare: g.count === 0 ? 0 : g.prefix / g.count,
		}))
		.sort((a, b) => b.maxMicros - a.maxMicros || b.count - a.count || compareText(a.command, b.command));

export const summarize = (samples: Iterable<SlowSample>): SlowlogCommandSummary[] => summaryOf(addSamples(new Map(), samples));

/** A metrics.jsonl sample that carries a duration, in milliseconds. */
export type DurationSample = {metric: string; at: number; durationMs: number; field: string | null};

const UNIT_MS: [RegExp, number][] = [
	[/(?:_|-|\b)(?:us|micros|microseconds|µs)$/i, 0.001],
	[/(?:_|-|\b)(?:ms|millis|milliseconds)$/i, 1],
	[/(?:_|-|\b)(?:s|sec|secs|seconds)$/i, 1000],
	[/(?:Us|Micros)$/, 0.001],
	[/(?:Ms|Millis)$/, 1],
	[/(?:Sec|Secs|Seconds)$/, 1000],
];

const DURATION_WORD = /duration|latency|elapsed|took|runtime/i;
/** "response_time_ms" is a duration, "timestamp_ms" / "started_at" are not. */
const TIME_WORD = (name: string): boolean => /time/i.test(name) && !/stamp|_at$|At$|times\b/i.test(name);

/** Milliseconds per unit the name says (`_ms`, `Seconds`…); ms when it only says "duration". null = not a duration. */
export const durationUnit = (name: string): number | null => {
	for (const [re, ms] of UNIT_MS) if (re.test(name) && (DURATION_WORD.test(name) || TIME_WORD(name))) return ms;
	return DURATION_WORD.test(name) ? 1 : null;
};

/**
 * The slowest samples whose value is a duration: a numeric value of a metric
 * named like one (`job_duration_ms`), or a numeric field of an object value
 * named like one (`{"durationMs": 1200}`). Longest first, at most `limit`.
 */
export const slowestDurations = (metrics: readonly MetricSeries[], limit = 50): DurationSample[] => {
	const out: DurationSample[] = [];
	for (const series of metrics) {
		const seriesUnit = durationUnit(series.name);
		for (const sample of series.samples) {
			const {value} = sample;
			if (typeof value === 'number' && Number.isFinite(value) && seriesUnit !== null) {
				out.push({metric: series.name, at: sample.at, durationMs: value * seriesUnit, field: null});
			} else if (value && typeof value === 'object' && !Array.isArray(value)) {
				for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
					const unit = durationUnit(field);
					if (unit !== null && typeof v === 'number' && Number.isFinite(v)) out.push({metric: series.name, at: sample.at, durationMs: v * unit, field});
				}
			}
		}
	}
	return out.sort((a, b) => b.durationMs - a.durationMs || b.at - a.at).slice(0, limit);
};
