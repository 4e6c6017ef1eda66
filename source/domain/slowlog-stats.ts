// Statistics over slow commands: per-command summaries of the session's
// slowlog, and, for the JSON source (which has no server to ask), the slowest
// metrics.jsonl samples that carry a duration. Pure: unit-tested on fixtures.
import {commandName} from './slowlog';
import type {MetricSeries, SlowlogCommandSummary} from './types';

/** Nearest-rank percentile of ascending `sorted` (p in 0–100); 0 for an empty list. */
export const percentile = (sorted: readonly number[], p: number): number => {
	if (sorted.length === 0) return 0;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
};

export type SlowSample = {args: readonly string[]; durationMicros: number; touchesPrefix: boolean};

/** Count, p50, p95, max and the prefix share per command name; slowest max first. */
export const summarize = (samples: Iterable<SlowSample>): SlowlogCommandSummary[] => {
	const by = new Map<string, {durations: number[]; prefix: number}>();
	for (const s of samples) {
		const name = commandName(s.args);
		let group = by.get(name);
		if (!group) by.set(name, (group = {durations: [], prefix: 0}));
		group.durations.push(s.durationMicros);
		if (s.touchesPrefix) group.prefix++;
	}
	return [...by.entries()]
		.map(([command, {durations, prefix}]) => {
			const sorted = [...durations].sort((a, b) => a - b);
			return {
				command,
				count: sorted.length,
				p50Micros: percentile(sorted, 50),
				p95Micros: percentile(sorted, 95),
				maxMicros: sorted.at(-1) ?? 0,
				prefixCount: prefix,
				prefixShare: sorted.length === 0 ? 0 : prefix / sorted.length,
			};
		})
		.sort((a, b) => b.maxMicros - a.maxMicros || b.count - a.count || (a.command < b.command ? -1 : 1));
};

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
