// The Snapshot is the one data shape that flows from a Source to the panes.
// Everything in it is plain data (JSON-serialisable) so panes, `--json` and
// snapshot tests all see exactly the same thing.

export type SourceKind = 'redis' | 'json' | 'demo';

/** Where a piece of tmux-claude state came from. */
export type Origin =
	| 'instance-key' // layout 1: tmux-claude:instance:{id} / job:{id}
	| 'instances-hash' // layout 2: field of tmux-claude:instances
	| 'json-file'; // JSON fallback: instances.json

export type LockLayout = 'lock' | 'locks' | 'file';

export type SourceInfo = {
	kind: SourceKind;
	/** Redacted target: a URL without password, or the state directory. */
	target: string;
	connected: boolean;
	/** Last error of the source, secret-free, or null. */
	error: string | null;
	/** Set when `auto` fell back from Redis to the state directory: why. */
	fallbackReason: string | null;
	/** True when the data shown is the last good data, not fresh. */
	stale: boolean;
	/** Epoch ms of the data shown (the last successful read). */
	dataAt: number | null;
};

export type ServerInfo = {
	version: string | null;
	role: string | null;
	mode: string | null;
	uptimeSeconds: number | null;
	runId: string | null;
};

/** The `redis-cli --stat` figures plus what the health view needs. */
export type Stats = {
	keys: number | null;
	usedMemory: number | null;
	usedMemoryRss: number | null;
	maxMemory: number | null;
	clients: number | null;
	blocked: number | null;
	/** total_commands_processed */
	totalCommands: number | null;
	/** total_connections_received */
	connections: number | null;
	opsPerSec: number | null;
	keyspaceHits: number | null;
	keyspaceMisses: number | null;
	evictedKeys: number | null;
	expiredKeys: number | null;
	rejectedConnections: number | null;
};

export type SlowlogEntry = {
	id: number;
	/** Epoch seconds, as the server reports it. */
	time: number;
	durationMicros: number;
	args: string[];
	/** "addr name" as the server reports it (Redis ≥ 4), or empty. */
	client: string;
};

/** A slowlog entry as kept in the session history (merged across polls). */
export type SlowlogHistoryEntry = SlowlogEntry & {
	/** Server generation: bumped by each detected SLOWLOG RESET or restart (ids restart). */
	epoch: number;
	/** Poll time (epoch ms) at which tcmon first saw this entry. */
	firstSeenAt: number;
	/** True when an argument is a key under the tmux-claude prefix (the orchestrator's own command). */
	touchesPrefix: boolean;
};

/** Something that happened to the server's slowlog between two polls, shown in the list. */
export type SlowlogMark = {
	kind: 'reset' | 'restart' | 'gap';
	/** Poll time (epoch ms) of detection. */
	at: number;
	/** The epoch that starts here (reset/restart) or the current one (gap). */
	epoch: number;
	/** Entries after the mark have ids greater than this (in `epoch`); -1 at a restart or reset. */
	afterId: number;
	/** gap: how many entries were logged between polls but never read. */
	missed: number;
	detail: string;
};

export type SlowlogHistory = {
	/** Poll time of the first observation this session. */
	since: number;
	/** Newest first (epoch, then id). */
	entries: SlowlogHistoryEntry[];
	marks: SlowlogMark[];
	/** Entries dropped from the session history at its cap (oldest first). */
	evicted: number;
	/** Entries seen over the session (including evicted ones). */
	seen: number;
};

/** Per command name, over the session. Durations in µs. */
export type SlowlogCommandSummary = {
	command: string;
	count: number;
	p50Micros: number;
	p95Micros: number;
	maxMicros: number;
	/** Entries of this command that touched the prefix, and their share (0–1). */
	prefixCount: number;
	prefixShare: number;
};

/** slowlog-log-slower-than / slowlog-max-len, or why they are not visible. */
export type SlowlogConfig = {
	/** µs; negative disables the slowlog, 0 logs everything. null = not visible. */
	logSlowerThan: number | null;
	maxLen: number | null;
	/** Why not visible (NOPERM, CONFIG renamed), or null. */
	error: string | null;
	/** Epoch ms of the CONFIG GET. */
	readAt: number;
};

export type KeyRow = {
	key: string;
	type: string | null;
	/** Milliseconds left; null = no TTL; undefined = unknown. */
	ttlMs: number | null | undefined;
};

export type Lock = {
	resource: string;
	/** Redis key, or the lock file path. */
	key: string;
	token: string;
	/** Epoch ms decoded from the token (or the file's mtime); null when foreign. */
	acquiredAt: number | null;
	/** Milliseconds left; null = no TTL (never expires). Files: computed from mtime. */
	ttlMs: number | null;
	layout: LockLayout;
	/** True when the token is not `{epoch ms}-{random}`. */
	foreignToken: boolean;
};

export type Instance = {
	id: string;
	role: string | null;
	status: string | null;
	parentId: string | null;
	sessionName: string | null;
	paneTarget: string | null;
	created: string | null;
	origin: Origin;
	/** Set when the value could not be parsed; the other fields are then null. */
	parseError: string | null;
	/** The decoded JSON object (or null on parse error). */
	raw: Record<string, unknown> | null;
};

export type Job = {
	id: string;
	status: string | null;
	priority: number | null;
	attempts: number | null;
	maxAttempts: number | null;
	managerId: string | null;
	enqueuedAt: string | null;
	lastError: string | null;
	origin: Origin;
	parseError: string | null;
	raw: Record<string, unknown> | null;
};

export type MetricSample = {
	/** Epoch ms */
	at: number;
	value: unknown;
};

export type MetricSeries = {
	name: string;
	key: string;
	count: number;
	/** Newest last; a bounded tail. */
	samples: MetricSample[];
	/** TTL of the metrics key (Redis only); null = none, undefined = n/a. */
	ttlMs?: number | null;
};

/** The JSON fallback's own figures, shown instead of server stats. */
export type StateDirStats = {
	dir: string;
	exists: boolean;
	files: {name: string; size: number; mtimeMs: number}[];
	instancesParseError: string | null;
	metricsLines: number;
	metricsBadLines: number;
};

export type Snapshot = {
	takenAt: number;
	source: SourceInfo;
	server: ServerInfo | null;
	stats: Stats | null;
	/** Parsed INFO, section → field → value, when the source is Redis. */
	info: Record<string, Record<string, string>> | null;
	slowlog: SlowlogEntry[];
	slowlogLength: number | null;
	keys: KeyRow[];
	/** True when the key list was cut at its bound. */
	keysTruncated: boolean;
	locks: Lock[];
	instances: Instance[];
	jobs: Job[];
	metrics: MetricSeries[];
	stateDir: StateDirStats | null;
	/** Session slowlog history, added by the slowlog tracker. */
	slowlogHistory?: SlowlogHistory;
	/** Per-command summary over slowlogHistory, added by the slowlog tracker. */
	slowlogSummary?: SlowlogCommandSummary[];
	/** Read on a slow budget by the Redis source; undefined = not read yet / not Redis. */
	slowlogConfig?: SlowlogConfig;
	/** Per-section problems (NOPERM, unknown command, parse errors). */
	errors: Partial<Record<'info' | 'slowlog' | 'keys' | 'locks' | 'state' | 'metrics', string>>;
};

export const emptySnapshot = (source: SourceInfo, takenAt = Date.now()): Snapshot => ({
	takenAt,
	source,
	server: null,
	stats: null,
	info: null,
	slowlog: [],
	slowlogLength: null,
	keys: [],
	keysTruncated: false,
	locks: [],
	instances: [],
	jobs: [],
	metrics: [],
	stateDir: null,
	errors: {},
});
