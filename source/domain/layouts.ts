// Decoding tmux-claude's two Redis layouts and the JSON fallback into the
// same Instance / Job / MetricSeries shapes. Every field may be missing, of
// the wrong type or hostile: decode what is there, mark what is not.
import {compareText} from './order';
import type {Instance, Job, MetricSample, MetricSeries, Origin} from './types';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export type Decoded = {value: Record<string, unknown> | null; error: string | null};

/**
 * Nesting kept from decoded store data. V8's JSON.parse copes with any depth,
 * but every later walk (JSON.stringify for --json and the viewer, equality of
 * snapshots) recurses and overflows the stack near 10k levels; real
 * tmux-claude data nests a handful of levels.
 */
export const MAX_JSON_DEPTH = 64;

/** What stands in for a value nested deeper than MAX_JSON_DEPTH. */
export const TOO_DEEP = `[tcmon: nested deeper than ${MAX_JSON_DEPTH} levels, not shown]`;

/**
 * Replaces, in place, every object or array nested deeper than `max` (the
 * root is depth 0) by the TOO_DEEP marker. Iterative: no stack to overflow.
 * Returns how many values were replaced.
 */
export const limitDepth = (root: unknown, max = MAX_JSON_DEPTH): number => {
	if (!root || typeof root !== 'object') return 0;
	let cut = 0;
	const stack: [Record<string, unknown> | unknown[], number][] = [[root as Record<string, unknown>, 0]];
	while (stack.length > 0) {
		const [node, depth] = stack.pop()!;
		const keys = Array.isArray(node) ? node.keys() : Object.keys(node);
		for (const k of keys) {
			const child = (node as Record<string | number, unknown>)[k];
			if (!child || typeof child !== 'object') continue;
			if (depth + 1 > max) {
				(node as Record<string | number, unknown>)[k] = TOO_DEEP;
				cut++;
			} else stack.push([child as Record<string, unknown>, depth + 1]);
		}
	}
	return cut;
};

/** JSON.parse, then limitDepth: a value safe for every later walk. Throws like JSON.parse. */
export const parseBounded = (text: string, max = MAX_JSON_DEPTH): unknown => {
	const value: unknown = JSON.parse(text);
	limitDepth(value, max);
	return value;
};

/** JSON.stringify that never throws: a value too deep (or cyclic) gives a marker. */
export const stringifySafe = (value: unknown, indent?: number): string | undefined => {
	try {
		return JSON.stringify(value, null, indent);
	} catch (error) {
		return JSON.stringify(`[tcmon: not serialisable: ${(error as Error).message}]`);
	}
};

/** JSON.parse that returns an object or an error message, never throws; nesting beyond MAX_JSON_DEPTH is cut. */
export const decodeObject = (text: string | null | undefined): Decoded => {
	if (text === null || text === undefined) return {value: null, error: 'missing value'};
	try {
		const value: unknown = parseBounded(text);
		if (value && typeof value === 'object' && !Array.isArray(value)) return {value: value as Record<string, unknown>, error: null};
		return {value: null, error: `not a JSON object (${Array.isArray(value) ? 'array' : typeof value})`};
	} catch (error) {
		return {value: null, error: `invalid JSON: ${(error as Error).message}`};
	}
};

export const instanceFrom = (id: string, decoded: Decoded, origin: Origin): Instance => {
	const v = decoded.value ?? {};
	return {
		id: str(v['instanceId']) ?? id,
		role: str(v['role']),
		status: str(v['status']),
		parentId: str(v['parentId']),
		sessionName: str(v['sessionName']),
		paneTarget: str(v['paneTarget']),
		created: str(v['created']),
		origin,
		parseError: decoded.error,
		raw: decoded.value,
	};
};

export const jobFrom = (id: string, decoded: Decoded, origin: Origin): Job => {
	const v = decoded.value ?? {};
	return {
		id: str(v['id']) ?? id,
		status: str(v['status']),
		priority: num(v['priority']),
		attempts: num(v['attempts']),
		maxAttempts: num(v['maxAttempts']),
		managerId: str(v['managerId']),
		enqueuedAt: str(v['enqueuedAt']),
		lastError: str(v['lastError']),
		origin,
		parseError: decoded.error,
		raw: decoded.value,
	};
};

export const JOB_FIELD = 'job:';

/**
 * Splits an id → JSON map (the layout 2 hash, or instances.json) into
 * instances and `job:{id}` jobs.
 */
export const decodeInstanceMap = (
	entries: Iterable<[string, string | null]>,
	origin: Origin,
): {instances: Instance[]; jobs: Job[]} => {
	const instances: Instance[] = [];
	const jobs: Job[] = [];
	for (const [field, text] of entries) {
		const decoded = decodeObject(text);
		if (field.startsWith(JOB_FIELD)) jobs.push(jobFrom(field.slice(JOB_FIELD.length), decoded, origin));
		else instances.push(instanceFrom(field, decoded, origin));
	}
	return {instances, jobs};
};

/**
 * decodeInstanceMap for values already parsed (instances.json is parsed
 * whole): no re-serialising and re-parsing of each entry.
 */
export const decodeInstanceValues = (entries: Iterable<[string, unknown]>, origin: Origin): {instances: Instance[]; jobs: Job[]} => {
	const instances: Instance[] = [];
	const jobs: Job[] = [];
	for (const [field, value] of entries) {
		const decoded: Decoded =
			value && typeof value === 'object' && !Array.isArray(value)
				? {value: value as Record<string, unknown>, error: null}
				: {value: null, error: `not a JSON object (${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value})`};
		if (field.startsWith(JOB_FIELD)) jobs.push(jobFrom(field.slice(JOB_FIELD.length), decoded, origin));
		else instances.push(instanceFrom(field, decoded, origin));
	}
	return {instances, jobs};
};

export const PRIORITY_NAMES: Record<number, string> = {100: 'critical', 75: 'high', 50: 'medium', 25: 'low'};

export const priorityName = (p: number | null): string => (p === null ? '-' : PRIORITY_NAMES[p] ?? String(p));

/** Parses one metric sample (`{"metric","value","timestamp"}`); score is epoch ms when from a zset. */
export const decodeMetricSample = (text: string, score?: number): {metric: string | null; sample: MetricSample} | null => {
	const {value} = decodeObject(text);
	if (!value) return null;
	const ts = str(value['timestamp']);
	const parsed = ts ? Date.parse(ts) : Number.NaN;
	const at = Number.isFinite(parsed) ? parsed : score ?? Number.NaN;
	if (!Number.isFinite(at)) return null;
	return {metric: str(value['metric']), sample: {at, value: value['value']}};
};

/** Groups decoded samples by metric name into series, newest last, keeping a tail. */
export const seriesFromSamples = (
	samples: {metric: string; sample: MetricSample}[],
	keyOf: (name: string) => string,
	tail = 120,
): MetricSeries[] => {
	const by = new Map<string, MetricSample[]>();
	for (const {metric, sample} of samples) {
		let list = by.get(metric);
		if (!list) by.set(metric, (list = []));
		list.push(sample);
	}
	return [...by.entries()]
		.map(([name, list]) => {
			list.sort((a, b) => a.at - b.at);
			return {name, key: keyOf(name), count: list.length, samples: list.slice(-tail)};
		})
		.sort((a, b) => compareText(a.name, b.name));
};

/** Instances by status, jobs by status: the at-a-glance orchestrator figures. */
export const countBy = <T>(items: T[], pick: (item: T) => string | null): [string, number][] => {
	const counts = new Map<string, number>();
	for (const item of items) {
		const k = pick(item) ?? '(none)';
		counts.set(k, (counts.get(k) ?? 0) + 1);
	}
	return [...counts.entries()].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
};
