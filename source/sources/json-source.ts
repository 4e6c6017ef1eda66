import type {Stats} from 'node:fs';
import {lstat} from 'node:fs/promises';
import path from 'node:path';
import {decodeInstanceValues, decodeMetricSample, decodeObject, seriesFromSamples} from '../domain/layouts';
import {emptySnapshot, type Instance, type Job, type KeyRow, type Lock, type MetricSample, type Snapshot, type SourceKind, type StateDirStats} from '../domain/types';
import {INSTANCES_MAX_BYTES, openRegular, readAt, readRegularFile} from './safe-file';
import {errorText, type Source} from './source';
import {listDir, LOCK_FILE_LIMIT, readLockFiles} from './state-dir-locks';

export type JsonSourceOptions = {
	dir: string;
	kind?: SourceKind;
	/** Samples kept per metric. */
	metricTail?: number;
	/** On first read of a big metrics.jsonl, only its last bytes are read. */
	metricsInitialBytes?: number;
	lockFileLimit?: number;
	/** instances.json above this is not read (reported, last good data kept). */
	instancesMaxBytes?: number;
};

/**
 * A file modified within the last RACY_MS may be rewritten again within the
 * same timestamp tick (filesystems with 1 s or 2 s mtimes) and the same size:
 * its signature is not trusted yet, as git does with "racily clean" entries.
 */
const RACY_MS = 2500;
const racy = (st: Stats, now: number): boolean => now - st.mtimeMs < RACY_MS;

/** What identifies one version of a file without reading it. */
const statSignature = (st: Stats): string => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;

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
	private readonly instancesMaxBytes: number;
	private good: {instances: Instance[]; jobs: Job[]; at: number} | null = null;
	/** fstat signature of the last instances.json read, and what was wrong with it. */
	private instancesSig: string | null = null;
	private instancesError: string | null = null;
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
		this.lockFileLimit = options.lockFileLimit ?? LOCK_FILE_LIMIT;
		this.instancesMaxBytes = options.instancesMaxBytes ?? INSTANCES_MAX_BYTES;
	}

	current(): Source {
		return this;
	}

	async close(): Promise<void> {}

	async poll(): Promise<Snapshot> {
		const now = Date.now();
		const errors: Snapshot['errors'] = {};
		const stateDir: StateDirStats = {dir: this.dir, exists: false, files: [], instancesParseError: null, metricsLines: 0, metricsBadLines: 0};
		const listing = await listDir(this.dir);
		stateDir.exists = listing.exists;
		if (listing.error) errors.state = listing.error;

		// Only regular files are listed (a symlink is not followed).
		for (const entry of listing.entries) {
			if (!entry.isFile()) continue;
			try {
				const st = await lstat(path.join(this.dir, entry.name));
				if (st.isFile()) stateDir.files.push({name: entry.name, size: st.size, mtimeMs: Math.round(st.mtimeMs)});
			} catch {
				// removed between readdir and lstat
			}
		}
		const lockFiles = await readLockFiles(this.dir, listing.entries, now, this.lockFileLimit);
		const locks = lockFiles.locks;

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
			lockFiles: listing.exists ? {dir: this.dir, total: lockFiles.total, shown: lockFiles.shown} : null,
			instances,
			jobs,
			metrics,
			stateDir,
			errors,
		};
	}

	/**
	 * instances.json is re-read only when its fstat (device, inode, size,
	 * mtime, ctime) changed since the last read: an unchanged file keeps what
	 * it decoded to (and the same objects, which the snapshot comparison then
	 * skips). Over INSTANCES_MAX_BYTES it is not read at all.
	 */
	private async readInstances(errors: Snapshot['errors'], stateDir: StateDirStats): Promise<void> {
		const file = path.join(this.dir, INSTANCES);
		const read = await readRegularFile(file, this.instancesMaxBytes, {unchanged: st => statSignature(st) === this.instancesSig && !racy(st, Date.now())});
		const fail = (why: string) => {
			stateDir.instancesParseError = `${INSTANCES}: ${why}${this.good ? '; showing the last good read' : ''}`;
			errors.state = stateDir.instancesParseError;
		};
		if (read.ok === 'unchanged') {
			if (this.instancesError) fail(this.instancesError);
			// Confirmed current by the fstat: the data shown is as fresh as this poll.
			else if (this.good) this.good.at = Date.now();
			return;
		}
		if (read.ok === false) {
			this.instancesSig = null;
			if (read.problem === 'missing') {
				// No instances yet is a normal, empty state.
				this.good = {instances: [], jobs: [], at: Date.now()};
				this.instancesError = null;
				return;
			}
			fail(read.error);
			return;
		}
		this.instancesSig = statSignature(read.stat);
		const text = read.text;
		const decoded = decodeObject(text.trim() === '' ? '' : text);
		if (!decoded.value) {
			this.instancesError = text.trim() === '' ? 'empty (mid-write?)' : decoded.error ?? 'unreadable';
			fail(this.instancesError);
			return;
		}
		this.instancesError = null;
		this.good = {...decodeInstanceValues(Object.entries(decoded.value), 'json-file'), at: Date.now()};
	}

	private async readMetrics(errors: Snapshot['errors']): Promise<void> {
		const file = path.join(this.dir, METRICS);
		// Non-blocking open and a regular-file check: a FIFO here must not hang the poll.
		const opened = await openRegular(file);
		if (!opened.ok) {
			if (opened.problem !== 'missing') errors.metrics = `${METRICS} ${opened.error}`;
			return;
		}
		const {handle, stat: st} = opened;
		try {
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
			const buf = await readAt(handle, this.metricsOffset, Math.min(length, 64 * 1024 * 1024));
			this.metricsOffset += buf.length;
			const text = this.metricsCarry + buf.toString('utf8');
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
