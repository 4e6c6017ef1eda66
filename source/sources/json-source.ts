import {open, readdir, readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {decodeInstanceMap, decodeMetricSample, decodeObject, seriesFromSamples} from '../domain/layouts';
import {fileLock} from '../domain/locks';
import {emptySnapshot, type Instance, type Job, type KeyRow, type Lock, type MetricSample, type Snapshot, type SourceKind, type StateDirStats} from '../domain/types';
import {errorText, type Source} from './source';

export type JsonSourceOptions = {
	dir: string;
	kind?: SourceKind;
	/** Samples kept per metric. */
	metricTail?: number;
	/** On first read of a big metrics.jsonl, only its last bytes are read. */
	metricsInitialBytes?: number;
	lockFileLimit?: number;
};

const INSTANCES = 'instances.json';
const METRICS = 'metrics.jsonl';

/**
 * Reads tmux-claude's JSON fallback state directory, read-only. instances.json
 * is rewritten in place by its writer, so a read can see it truncated: the
 * last good content is kept and the parse error reported. metrics.jsonl only
 * grows, so it is tailed from the last offset, never re-read whole.
 */
export class JsonSource implements Source {
	readonly kind: SourceKind;
	readonly dir: string;
	private readonly metricTail: number;
	private readonly metricsInitialBytes: number;
	private readonly lockFileLimit: number;
	private good: {instances: Instance[]; jobs: Job[]; at: number} | null = null;
	private metricsOffset = 0;
	private metricsIno: number | null = null;
	private metricsCarry = '';
	private metricsLines = 0;
	private metricsBadLines = 0;
	private metricsPartial = false;
	private samples = new Map<string, MetricSample[]>();
	private metricCounts = new Map<string, number>();

	constructor(options: JsonSourceOptions) {
		this.dir = path.resolve(options.dir);
		this.kind = options.kind ?? 'json';
		this.metricTail = options.metricTail ?? 120;
		this.metricsInitialBytes = options.metricsInitialBytes ?? 8 * 1024 * 1024;
		this.lockFileLimit = options.lockFileLimit ?? 5000;
	}

	current(): Source {
		return this;
	}

	async close(): Promise<void> {}

	async poll(): Promise<Snapshot> {
		const now = Date.now();
		const errors: Snapshot['errors'] = {};
		const stateDir: StateDirStats = {dir: this.dir, exists: false, files: [], instancesParseError: null, metricsLines: 0, metricsBadLines: 0};
		let names: string[] = [];
		try {
			names = (await readdir(this.dir)).sort();
			stateDir.exists = true;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			errors.state = code === 'ENOENT' ? `state directory ${this.dir} does not exist` : `cannot read ${this.dir}: ${errorText(error)}`;
		}

		const locks: Lock[] = [];
		let lockFiles = 0;
		for (const name of names) {
			const full = path.join(this.dir, name);
			let st;
			try {
				st = await stat(full);
			} catch {
				continue; // removed between readdir and stat: a released lock
			}
			if (!st.isFile()) continue;
			stateDir.files.push({name, size: st.size, mtimeMs: Math.round(st.mtimeMs)});
			if (!name.endsWith('.lock') || lockFiles >= this.lockFileLimit) continue;
			lockFiles++;
			try {
				const token = (await readFile(full, 'utf8')).slice(0, 4096).trim();
				locks.push(fileLock({path: full, name, token, mtimeMs: st.mtimeMs}, now));
			} catch {
				// Deleted after stat: released between our two reads.
			}
		}

		if (stateDir.exists) await this.readInstances(errors, stateDir);
		if (stateDir.exists) await this.readMetrics(errors);
		stateDir.metricsLines = this.metricsLines;
		stateDir.metricsBadLines = this.metricsBadLines;

		const instances = this.good?.instances ?? [];
		const jobs = this.good?.jobs ?? [];
		const metrics = seriesFromSamples(
			[...this.samples.entries()].flatMap(([metric, list]) => list.map(sample => ({metric, sample}))),
			name => `${METRICS}#${name}`,
			this.metricTail,
		).map(series => ({...series, count: this.metricCounts.get(series.name) ?? series.count}));

		// The Keys pane's view of a state directory: its logical entries.
		const keys: KeyRow[] = [
			...instances.map(i => ({key: `${INSTANCES}#${i.id}`, type: 'instance', ttlMs: null})),
			...jobs.map(j => ({key: `${INSTANCES}#job:${j.id}`, type: 'job', ttlMs: null})),
			...locks.map(l => ({key: path.basename(l.key), type: 'lock file', ttlMs: l.ttlMs})),
			...metrics.map(m => ({key: m.key, type: 'metric', ttlMs: null})),
		];

		return {
			...emptySnapshot(
				{
					kind: this.kind,
					target: this.dir,
					connected: stateDir.exists,
					error: errors.state ?? null,
					fallbackReason: null,
					stale: Boolean(stateDir.instancesParseError) && this.good !== null,
					dataAt: this.good?.at ?? (stateDir.exists ? now : null),
				},
				now,
			),
			keys,
			locks,
			instances,
			jobs,
			metrics,
			stateDir,
			errors,
		};
	}

	private async readInstances(errors: Snapshot['errors'], stateDir: StateDirStats): Promise<void> {
		let text: string;
		try {
			text = await readFile(path.join(this.dir, INSTANCES), 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				// No instances yet is a normal, empty state.
				this.good = {instances: [], jobs: [], at: Date.now()};
				return;
			}
			stateDir.instancesParseError = `${INSTANCES}: ${errorText(error)}`;
			errors.state = stateDir.instancesParseError;
			return;
		}
		const decoded = decodeObject(text.trim() === '' ? '' : text);
		if (!decoded.value) {
			const why = text.trim() === '' ? 'empty (mid-write?)' : decoded.error ?? 'unreadable';
			stateDir.instancesParseError = `${INSTANCES}: ${why}${this.good ? '; showing the last good read' : ''}`;
			errors.state = stateDir.instancesParseError;
			return;
		}
		const entries = Object.entries(decoded.value).map(([id, v]): [string, string | null] => [id, v === undefined ? null : JSON.stringify(v)]);
		this.good = {...decodeInstanceMap(entries, 'json-file'), at: Date.now()};
	}

	private async readMetrics(errors: Snapshot['errors']): Promise<void> {
		const file = path.join(this.dir, METRICS);
		let handle;
		try {
			handle = await open(file, 'r');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') errors.metrics = `${METRICS}: ${errorText(error)}`;
			return;
		}
		try {
			const st = await handle.stat();
			// Replaced or truncated: start over.
			if (this.metricsIno !== st.ino || st.size < this.metricsOffset) {
				this.metricsIno = st.ino;
				this.metricsOffset = 0;
				this.metricsCarry = '';
				this.metricsLines = 0;
				this.metricsBadLines = 0;
				this.samples.clear();
				this.metricCounts.clear();
				if (st.size > this.metricsInitialBytes) {
					this.metricsOffset = st.size - this.metricsInitialBytes;
					this.metricsPartial = true;
				}
			}
			const length = st.size - this.metricsOffset;
			if (length <= 0) return;
			const buf = Buffer.alloc(Math.min(length, 64 * 1024 * 1024));
			const {bytesRead} = await handle.read(buf, 0, buf.length, this.metricsOffset);
			this.metricsOffset += bytesRead;
			const text = this.metricsCarry + buf.subarray(0, bytesRead).toString('utf8');
			const lines = text.split('\n');
			this.metricsCarry = lines.pop() ?? '';
			if (this.metricsPartial) {
				lines.shift(); // first line of a tail read starts mid-line
				this.metricsPartial = false;
			}
			for (const line of lines) {
				if (!line.trim()) continue;
				this.metricsLines++;
				const decoded = decodeMetricSample(line);
				if (!decoded?.metric) {
					this.metricsBadLines++;
					continue;
				}
				this.metricCounts.set(decoded.metric, (this.metricCounts.get(decoded.metric) ?? 0) + 1);
				let list = this.samples.get(decoded.metric);
				if (!list) this.samples.set(decoded.metric, (list = []));
				list.push(decoded.sample);
				if (list.length > this.metricTail * 2) list.splice(0, list.length - this.metricTail);
			}
			if (this.metricsBadLines > 0) errors.metrics = `${METRICS}: ${this.metricsBadLines} unparsable line(s) skipped`;
		} catch (error) {
			errors.metrics = `${METRICS}: ${errorText(error)}`;
		} finally {
			await handle.close();
		}
	}
}
