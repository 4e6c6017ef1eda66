// The key viewer's content as lines of coloured segments, from what was
// fetched (never more than a bounded head of a value). Pure: the pane calls
// this with its width; every segment is sanitised here.
import type {theme} from '../theme';
import {formatBytes, formatDuration} from './format';
import {decodeMetricSample, decodeObject, parseBounded, priorityName, stringifySafe} from './layouts';
import {tokenAcquiredAt} from './locks';
import type {KeyKind} from './namespaces';
import {decodeBytes, sanitize} from './sanitize';
import type {MetricSample} from './types';

/** Bytes of a string value ever fetched (GETRANGE 0 65535). */
export const STRING_HEAD_BYTES = 64 * 1024;
/** Bytes of one collection element kept for display. */
export const ELEMENT_HEAD_BYTES = 4096;
/** Elements kept loaded in a viewer (pages beyond are not fetched). */
export const MAX_LOADED_ITEMS = 20_000;

export type Tone = keyof typeof theme;
export type Seg = {text: string; tone?: Tone; bold?: boolean};
export type Line = Seg[];

export type ValueItem = {
	/** Hash field, list index, set member, zset member, stream id. */
	label: string;
	/** Hash/stream value (clipped copy), or null. */
	value: Buffer | null;
	/** Full length of the value before clipping. */
	fullLength: number;
	score?: number;
};

export type ValueData = {
	name: string;
	kind: KeyKind;
	/** Redis type, or the JSON source's entry kind (instance, job, lock file, metric). */
	type: string;
	ttlMs: number | null | undefined;
	memory: number | null;
	/** STRLEN / HLEN / LLEN / SCARD / ZCARD / XLEN. */
	size: number | null;
	/** Head of a string value (≤ STRING_HEAD_BYTES). */
	bytes: Buffer | null;
	items: ValueItem[];
	/** Where the next page starts (cursor, index or stream id); null = all loaded. */
	next: string | null;
	loading: boolean;
	error: string | null;
	fetchedAt: number;
	/** JSON source: the decoded entry, a lock token, metric samples. */
	json?: unknown;
	token?: string;
	acquiredAt?: number | null;
	samples?: MetricSample[];
};

/** A value with nothing fetched yet; callers set what they know. */
export const blankValue = (name: string, over: Partial<ValueData> = {}): ValueData => ({
	name,
	kind: 'other',
	type: '?',
	ttlMs: undefined,
	memory: null,
	size: null,
	bytes: null,
	items: [],
	next: null,
	loading: false,
	error: null,
	fetchedAt: Date.now(),
	...over,
});

const line = (...segs: Seg[]): Line => segs.map(s => ({...s, text: sanitize(s.text)}));
const label = (name: string, value: string, tone?: Tone): Line => line({text: `${name.padEnd(10)} `, tone: 'muted'}, {text: value, tone});

/** Valid UTF-8 without NUL: shown as text, else as a hex dump. */
export const isText = (buf: Buffer): boolean => !buf.includes(0) && Buffer.from(buf.toString('utf8'), 'utf8').equals(buf);

/** Like isText, but a head cut mid-character is still text. */
const isTextHead = (buf: Buffer, truncated: boolean): boolean => {
	if (isText(buf)) return true;
	if (!truncated) return false;
	for (let cut = 1; cut <= 3 && cut < buf.length; cut++) if (isText(buf.subarray(0, buf.length - cut))) return true;
	return false;
};

/** `00000000  48 65 6c 6c 6f  |Hello|`, `perLine` bytes a line. */
export const hexDump = (buf: Buffer, perLine = 16, maxLines = 5000): Line[] => {
	const out: Line[] = [];
	for (let off = 0; off < buf.length && out.length < maxLines; off += perLine) {
		const chunk = buf.subarray(off, off + perLine);
		const hex = [...chunk].map(b => b.toString(16).padStart(2, '0')).join(' ').padEnd(perLine * 3 - 1);
		const ascii = [...chunk].map(b => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
		out.push([{text: off.toString(16).padStart(8, '0'), tone: 'muted'}, {text: `  ${hex}  `}, {text: `|${ascii}|`, tone: 'info'}]);
	}
	return out;
};

/** Cuts a line of text into pieces of at most `cols` characters. */
const wrap = (text: string, cols: number): string[] => {
	if (cols <= 0 || text.length <= cols) return [text];
	const out: string[] = [];
	for (let i = 0; i < text.length; i += cols) out.push(text.slice(i, i + cols));
	return out;
};

/** Pretty-printed, coloured JSON: keys, strings, numbers and literals in their own tones. */
export const jsonLines = (value: unknown, cols = 0, maxLines = 5000): Line[] => {
	const text = stringifySafe(value, 2) ?? String(value);
	const out: Line[] = [];
	for (const raw of text.split('\n')) {
		if (out.length >= maxLines) break;
		const m = /^(\s*)("(?:[^"\\]|\\.)*")(: )?(.*)$/.exec(raw);
		let segs: Seg[];
		if (m && m[3]) segs = [{text: m[1]!}, {text: m[2]!, tone: 'accent'}, {text: m[3]}, ...valueSegs(m[4]!)];
		else {
			const indent = /^\s*/.exec(raw)![0];
			segs = [{text: indent}, ...valueSegs(raw.slice(indent.length))];
		}
		const safe = segs.map(s => ({...s, text: sanitize(s.text)}));
		const width = safe.reduce((n, s) => n + s.text.length, 0);
		if (cols > 0 && width > cols) for (const piece of wrap(safe.map(s => s.text).join(''), cols)) out.push([{text: piece}]);
		else out.push(safe);
	}
	return out;
};

const valueSegs = (text: string): Seg[] => {
	const m = /^(.*?)(,?)$/.exec(text)!;
	const v = m[1]!;
	const tone: Tone | undefined = v.startsWith('"') ? 'ok' : /^-?\d/.test(v) ? 'info' : /^(true|false|null)$/.test(v) ? 'highlight' : undefined;
	return [{text: v, tone}, {text: m[2]!}];
};

/** Text as wrapped, escaped lines. */
export const textLines = (text: string, cols: number, maxLines = 5000): Line[] => {
	const out: Line[] = [];
	for (const raw of text.split('\n')) {
		for (const piece of wrap(sanitize(raw), cols)) {
			if (out.length >= maxLines) return out;
			out.push([{text: piece}]);
		}
	}
	return out;
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);

/** Labelled fields of tmux-claude instance JSON. */
export const instanceFields = (v: Record<string, unknown>): Line[] => {
	const children = Array.isArray(v['children']) ? `${v['children'].length}` : '-';
	return [
		label('instance', str(v['instanceId']) ?? '-', 'accent'),
		label('role', str(v['role']) ?? '-'),
		label('status', str(v['status']) ?? '-', statusTone(str(v['status']))),
		label('parent', str(v['parentId']) ?? '-'),
		label('session', str(v['sessionName']) ?? '-'),
		label('pane', str(v['paneTarget']) ?? '-'),
		label('created', str(v['created']) ?? '-'),
		label('workdir', str(v['workDir']) ?? str(v['projectDir']) ?? '-'),
		label('children', children),
	];
};

/** Labelled fields of tmux-claude job JSON. */
export const jobFields = (v: Record<string, unknown>): Line[] => {
	const num = (k: string) => (typeof v[k] === 'number' ? (v[k] as number) : null);
	const priority = num('priority');
	const attempts = `${num('attempts') ?? '-'} / ${num('maxAttempts') ?? '-'}`;
	const lines = [
		label('job', str(v['id']) ?? '-', 'accent'),
		label('status', str(v['status']) ?? '-', statusTone(str(v['status']))),
		label('priority', priority === null ? '-' : `${priorityName(priority)}${priorityName(priority) === String(priority) ? '' : ` (${priority})`}`),
		label('attempts', attempts),
		label('manager', str(v['managerId']) ?? '-'),
		label('enqueued', str(v['enqueuedAt']) ?? '-'),
	];
	for (const k of ['startedAt', 'completedAt', 'failedAt', 'nextRetryAt', 'lastError']) {
		const text = str(v[k]);
		if (text !== null) lines.push(label(k.replace(/At$/, ''), text, k === 'lastError' ? 'critical' : undefined));
	}
	return lines;
};

const statusTone = (status: string | null): Tone | undefined =>
	status === 'active' || status === 'completed' ? 'ok' : status === 'error' || status === 'failed' ? 'critical' : status === 'terminated' ? 'muted' : undefined;

/** A lock token and the acquisition time it encodes. */
export const lockLines = (token: string, now: number, acquiredAt: number | null = tokenAcquiredAt(token)): Line[] => [
	label('token', token),
	acquiredAt === null
		? label('acquired', 'unknown: foreign token (not {epoch ms}-{random})', 'warn')
		: label('acquired', `${new Date(acquiredAt).toISOString()} (${formatDuration(now - acquiredAt)} ago)`),
];

/** Metric samples: a sparkline of the numeric values, then one line per sample. */
export const sampleLines = (samples: readonly MetricSample[], cols: number, spark: (values: (number | null)[], width: number) => string): Line[] => {
	const values = samples.map(s => (typeof s.value === 'number' ? s.value : null));
	const nums = values.filter((v): v is number => v !== null);
	const out: Line[] = [];
	if (nums.length > 0) {
		const r = (v: number) => String(Math.round(v * 1000) / 1000);
		out.push(label('samples', `${samples.length} · min ${r(Math.min(...nums))} · max ${r(Math.max(...nums))} · last ${r(nums.at(-1)!)}`));
		out.push(line({text: spark(values, Math.max(1, Math.min(cols - 11, values.length)))}));
		out[out.length - 1]!.unshift({text: `${'trend'.padEnd(10)} `, tone: 'muted'});
	}
	for (const s of samples) out.push(line({text: `${new Date(s.at).toISOString()}  `, tone: 'muted'}, {text: typeof s.value === 'string' ? s.value : stringifySafe(s.value) ?? 'undefined'}));
	return out;
};

const clipText = (buf: Buffer, full: number): string => {
	const text = decodeBytes(buf);
	return full > buf.length ? `${text}… (${formatBytes(full)})` : text;
};

/** The header: type, size, TTL, memory, and what is truncated. */
export const SIZE_WORD: Record<string, string> = {string: 'bytes', hash: 'fields', list: 'items', set: 'members', zset: 'members', stream: 'entries'};

/**
 * The body of the viewer for what was fetched so far. `cols` is the width the
 * lines are wrapped to (text) or sized for (hex dump).
 */
export const valueLines = (
	data: ValueData,
	cols: number,
	now: number,
	spark: (values: (number | null)[], width: number) => string,
): Line[] => {
	const out: Line[] = [];
	if (data.error) out.push(line({text: `error: ${data.error}`, tone: 'critical'}));
	// The JSON source's logical entries.
	if (data.json !== undefined || data.token !== undefined || data.samples) {
		if (data.token !== undefined) out.push(...lockLines(data.token, now, data.acquiredAt ?? tokenAcquiredAt(data.token)));
		if (data.samples) out.push(...sampleLines(data.samples, cols, spark));
		if (data.json && typeof data.json === 'object' && !Array.isArray(data.json)) {
			const v = data.json as Record<string, unknown>;
			if (data.kind === 'instance') out.push(...instanceFields(v), []);
			if (data.kind === 'job') out.push(...jobFields(v), []);
			out.push(...jsonLines(v, cols));
		}
		return out;
	}
	if (data.type === 'string' && data.bytes) {
		const truncated = data.size !== null && data.size > data.bytes.length;
		const buf = data.bytes;
		if (!isTextHead(buf, truncated)) return [...out, ...hexDump(buf, cols >= 78 ? 16 : 8)];
		const text = buf.toString('utf8');
		// A lock's value is its token: decoded above, not repeated.
		if (data.kind === 'lock' && !truncated && !text.includes('\n')) return [...out, ...lockLines(text.trim(), now)];
		const decoded = truncated ? null : decodeObject(text);
		if (decoded?.value) {
			if (data.kind === 'instance') out.push(...instanceFields(decoded.value), []);
			if (data.kind === 'job') out.push(...jobFields(decoded.value), []);
			out.push(...jsonLines(decoded.value, cols));
			return out;
		}
		if ((data.kind === 'instance' || data.kind === 'job') && decoded?.error) out.push(line({text: `unparsable: ${decoded.error}`, tone: 'warn'}), []);
		if (!truncated && /^\s*\[/.test(text)) {
			try {
				return [...out, ...jsonLines(parseBounded(text), cols)];
			} catch {
				// not JSON after all: shown as text
			}
		}
		return [...out, ...textLines(text, cols)];
	}
	if (data.kind === 'metrics' && data.type === 'zset') {
		const samples = data.items.map(it => decodeMetricSample(it.label, it.score)?.sample).filter((s): s is MetricSample => s !== undefined);
		const bad = data.items.length - samples.length;
		out.push(...sampleLines(samples, cols, spark));
		if (bad > 0) out.push(line({text: `${bad} member(s) not metric JSON:`, tone: 'warn'}));
		if (bad > 0) for (const it of data.items) if (!decodeMetricSample(it.label, it.score)) out.push(line({text: `${it.score ?? ''}  `, tone: 'info'}, {text: it.label}));
		return out;
	}
	const isInstancesHash = data.kind === 'instances-hash';
	for (const it of data.items) {
		if (data.type === 'hash' && isInstancesHash && it.value) {
			const {value} = decodeObject(it.value.toString('utf8'));
			const summary = value
				? it.label.startsWith('job:')
					? `job ${str(value['status']) ?? '?'} · ${priorityName(typeof value['priority'] === 'number' ? value['priority'] : null)} · ${str(value['attempts']) ?? '-'}/${str(value['maxAttempts']) ?? '-'}`
					: `${str(value['role']) ?? '?'} ${str(value['status']) ?? '?'} · parent ${str(value['parentId']) ?? '-'} · ${str(value['sessionName']) ?? '-'}`
				: `unparsable: ${clipText(it.value, it.fullLength)}`;
			out.push(line({text: `${it.label}  `, tone: 'accent'}, {text: summary, tone: value ? undefined : 'warn'}));
			continue;
		}
		const segs: Seg[] = [];
		if (data.type === 'zset') segs.push({text: `${it.score}  `, tone: 'info'});
		segs.push({text: it.label, tone: data.type === 'hash' || data.type === 'stream' || data.type === 'list' ? 'accent' : undefined});
		if (it.value) segs.push({text: data.type === 'list' ? '  ' : ' = ', tone: 'muted'}, {text: clipText(it.value, it.fullLength)});
		out.push(line(...segs));
	}
	return out;
};
