// The Snapshot is the one data shape that flows from a Source to the panes.
// Everything in it is plain data (JSON-serialisable) so panes, `--json` and
// snapshot tests all see exactly the same thing.
import type {ClusterView} from './cluster';

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
	/** Epoch ms since which the store has not answered a read in flight (a hung server), when past the poll's deadline. */
	waitingSince?: number | null;
	/** Redis: counts the times the data was found replaced without writes (REPLICAOF, SWAPDB…): what was walked before is void. */
	dataset?: number;
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
	/** total_net_input_bytes / total_net_output_bytes (for per-second rates). */
	netInputBytes?: number | null;
	netOutputBytes?: number | null;
	/**
	 * tcmon's own keyspace hits and misses (its reads of the store), counted
	 * by the Redis source up to this sample's INFO: the hit rate leaves them out.
	 */
	ownHits?: number | null;
	ownMisses?: number | null;
};

export type SlowlogEntry = {
	id: number;
	/** Epoch seconds, as the server reports it. */
	time: number;
	durationMicros: number;
	args: string[];
	/** "addr name" as the server reports it (Redis ≥ 4), or empty. */
	client: string;
	/** Redis Cluster: the node (host:port) whose SLOWLOG holds the entry. */
	node?: string;
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
	/** Redis Cluster: the nodes read, and those whose settings differ from the ones shown (the first master's). */
	cluster?: {nodes: number; shownFrom: string; differ: string[]};
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
	/** The lock's full TTL as estimated across polls (lock tracker); absent = unknown. */
	fullTtlMs?: number;
	/** Lock files only: why the entry could not be read (not a regular file, a symlink, over the cap). */
	error?: string;
	/** The token was longer than tcmon reads (TOKEN_CAP): `token` is its start. */
	truncated?: boolean;
	/** The value's full length in bytes, when truncated (null: unknown). */
	bytes?: number | null;
};

/** `{resource}.lock` files in the state directory: how many exist and how many were read (the cap). */
export type LockFileCount = {dir: string; total: number; shown: number};

/**
 * Redis is the source, yet the state directory holds lock files: the writer
 * fell back to the files for some calls, so the state is split in two.
 */
export type SplitState = {dir: string; lockFiles: number};

/** A keyspace notification on a lock key, as received between polls. */
export type LockNotice = {at: number; key: string; event: string};

/** Keyspace-notification watching of the lock keys (Redis only). */
export type LockWatch = {
	/** on: notifications arrive; off: the server has them disabled; unknown: CONFIG GET denied. */
	state: 'on' | 'off' | 'unknown';
	detail: string;
	/** Notices received since the last poll, oldest first. */
	notices: LockNotice[];
	/** Epoch ms when this poll's lock read was sent: notices before it happened before the read. */
	readAt: number;
};

export type LockEventKind = 'acquired' | 'released' | 'expired';

export type LockEvent = {
	at: number;
	kind: LockEventKind;
	resource: string;
	key: string;
	layout: LockLayout;
	/** null when only a keyspace notification saw it. */
	token: string | null;
	/** For released / expired: how long it was held. */
	heldMs: number | null;
	/** Acquisitions: the resource was taken again soon after its last holder left. */
	contended: boolean;
	/** What saw it: a poll, or a keyspace notification between polls. */
	via: 'poll' | 'notification';
};

export type LockResourceStats = {
	resource: string;
	key: string;
	layout: LockLayout;
	acquisitions: number;
	releases: number;
	expiries: number;
	contention: number;
	holdP50Ms: number | null;
	holdMaxMs: number | null;
	lastEventAt: number;
};

/** Session memory of the locks (lock tracker): what came, went, and how. */
export type LockHistory = {
	since: number;
	/** Newest first, at most 200. */
	events: LockEvent[];
	/** One entry per lock key that had an event, most recent activity first. */
	resources: LockResourceStats[];
	totals: {acquisitions: number; releases: number; expiries: number; contention: number};
	notifications: {state: 'on' | 'off' | 'unknown' | 'n/a'; detail: string};
	/** The gap between the last two polls (locks shorter than this can be missed without notifications). */
	pollGapMs: number | null;
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
	/** The value was longer than tcmon reads (VALUE_CAP): not decoded, parseError says so. */
	truncated?: boolean;
	/** The value's full length in bytes, when truncated (null: unknown). */
	bytes?: number | null;
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
	truncated?: boolean;
	bytes?: number | null;
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
	/** Lock files in the state dir (JSON source, or beside Redis): total and shown. */
	lockFiles?: LockFileCount | null;
	/** Set when lock files in the state dir are shown beside Redis' locks. */
	splitState?: SplitState | null;
	/**
	 * Redis source, layout 2: the instances hash's field count (HLEN) and how
	 * many of its fields the instances and jobs shown come from (fewer when the
	 * hash is too large to hold, see redis-source.ts). null: no such hash.
	 */
	instancesHash?: {fields: number; read: number} | null;
	/** Instances / jobs found in both key layouts, shown once (the layout-2 copy). */
	duplicates?: {instances: number; jobs: number; differ: number} | null;
	/** Redis source: keyspace notifications on the lock keys. */
	lockWatch?: LockWatch | null;
	/** Redis source: whether the server names the keys written (CLIENT TRACKING), so a written tick reads only those. */
	changeTracking?: {on: boolean; detail: string} | null;
	/** Lock tracker: the session's lock history. */
	lockHistory?: LockHistory;
	/** Session slowlog history, added by the slowlog tracker. */
	slowlogHistory?: SlowlogHistory;
	/** Per-command summary over slowlogHistory, added by the slowlog tracker. */
	slowlogSummary?: SlowlogCommandSummary[];
	/** Read on a slow budget by the Redis source; undefined = not read yet / not Redis. */
	slowlogConfig?: SlowlogConfig;
	/** Per-section problems (NOPERM, unknown command, parse errors); `connection`: what the client library warned of. */
	errors: Partial<Record<'info' | 'slowlog' | 'keys' | 'locks' | 'state' | 'metrics' | 'connection', string>>;
	/** Alert rules' states (pending/firing/recently resolved), from the alert tracker. */
	alerts: AlertView[];
	/** CONFIG GET of the audited parameters, read on a slow budget (Redis only). */
	serverConfig: ServerConfigRead | null;
	/** MEMORY USAGE of a bounded sample of tmux-claude keys, on a slow budget. */
	keySizes: KeySizes | null;
	/** tmux's session list (agent liveness); undefined = tmux not asked. */
	tmux?: TmuxView;
	/** The activity feed, newest first (activity source); undefined = not kept. */
	activity?: ActivityEvent[];
	/** Where the feed's published messages come from, or why none come. */
	activityNote?: string;
	/** Redis source: instances.json of the state dir, read beside Redis (the writer's split state). */
	stateDirAgents?: StateDirAgents;
	/** Redis Cluster: the node table and slot coverage (undefined: not a cluster). */
	cluster?: ClusterView | null;
};

export type AlertSeverity = 'warning' | 'critical';

export type AlertView = {
	name: string;
	severity: AlertSeverity;
	status: 'pending' | 'firing' | 'resolved';
	/** Epoch ms the condition started holding (pending since). */
	activeAt: number;
	/** Epoch ms it started firing, or null while pending. */
	firedAt: number | null;
	/** Epoch ms it cleared (status resolved), else null. */
	resolvedAt: number | null;
	/** The rule's `for`, ms. */
	forMs: number;
	/** What was measured, human text ("93.1% of 2.00M"). */
	value: string;
	summary: string;
};

export type ServerConfigRead = {
	/** Epoch ms of the read. */
	readAt: number;
	/** Parameter → value, for what CONFIG GET returned. */
	values: Record<string, string>;
	/** Why CONFIG GET could not be used: denied by ACL, renamed/disabled, other. */
	denied: 'noperm' | 'renamed' | 'error' | null;
	error: string | null;
	/**
	 * Redis Cluster: the masters read (values are the first one's), and per
	 * parameter that differs between them, each master's value ("a on X; b on Y").
	 */
	cluster?: {masters: number; shownFrom: string; differs: Record<string, string>};
};

export type KeySizeGroup = {sampled: number; totalBytes: number};

export type KeySizes = {
	readAt: number;
	instance: KeySizeGroup | null;
	job: KeySizeGroup | null;
	metric: KeySizeGroup | null;
	/** Layout 2: MEMORY USAGE of the instances hash and its field count. */
	instancesHash: {bytes: number; fields: number} | null;
	error: string | null;
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
	alerts: [],
	serverConfig: null,
	keySizes: null,
});

/**
 * What tmux said about its sessions (source/sources/tmux-sessions.ts).
 * `ok`: the session names; `none`: no tmux server to ask (not inside tmux,
 * no --tmux-socket, or the server is not running); `error`: asking failed.
 */
export type TmuxView = {
	state: 'ok' | 'none' | 'error';
	/** Session names when `ok`, else empty. */
	sessions: string[];
	/** Why there are no sessions to compare with (none/error), or null. */
	detail: string | null;
	/** The socket asked, or null (tmux's default). */
	socket: string | null;
	/** Epoch ms of the read. */
	readAt: number;
};

/** One line of the Agents pane's activity feed. */
export type ActivityEvent = {
	/** Epoch ms: the message's arrival, or the poll that saw the change. */
	at: number;
	/** published: a message on `instance-updates`; the others: what tcmon saw change between polls. */
	kind: 'published' | 'status' | 'appeared' | 'gone' | 'tmux' | 'job';
	/** The instance or job id, or null for a message tcmon could not read. */
	id: string | null;
	text: string;
};

/** The state dir's instances and jobs, read while the source is Redis. */
export type StateDirAgents = {
	dir: string;
	instances: Instance[];
	jobs: Job[];
	readAt: number;
	/** Why the file could not be read (too big, unreadable), or null. */
	error: string | null;
};
