// The operators' guide's alert rules (RedisDown, RedisMemoryHigh,
// RedisTooManyConnections) plus the usual companions, evaluated the way
// Prometheus does: a condition that holds is *pending* until it has held for
// the rule's `for`, then *firing*; when it clears a firing alert is *resolved*
// (kept a while for display), a pending one just disappears. Pure: time comes
// from the snapshots (synthetic in tests), state is passed in and out.
import {formatBytes, formatCount, formatDuration} from './format';
import {infoField, infoNumber, type InfoMap} from './info';
import {lookupsBetween, type Sample} from './rates';
import {CLUSTER_SLOTS, type ClusterView} from './cluster';
import type {AlertSeverity, AlertView, ServerConfigRead, Snapshot, Stats} from './types';

export const RULE_NAMES = [
	'RedisDown',
	'RedisMemoryHigh',
	'RedisTooManyConnections',
	'RedisEvictions',
	'RedisHitRateLow',
	'RedisRejectedConnections',
	'RedisFragmentationHigh',
	'RedisPersistenceFailed',
	'RedisNoRecentSave',
	'RedisClusterDown',
] as const;

export type RuleName = (typeof RULE_NAMES)[number];

export type RuleSettings = {enabled: boolean; forMs: number; threshold: number};

export type AlertSettings = {
	rules: Record<RuleName, RuleSettings>;
	/** Window for counter rules (evictions, rejected, hit rate): increase over this long. */
	windowMs: number;
	/** A hit rate means something only over at least this many lookups. */
	hitRateMinLookups: number;
	/** Fragmentation matters only when RSS − used exceeds this. */
	fragmentationMinWasteBytes: number;
};

const MIN = 60_000;

/** What each rule means, its default threshold and `for`. */
export const RULES: Record<RuleName, {severity: AlertSeverity; threshold: number; forMs: number; describe: string}> = {
	RedisDown: {severity: 'critical', threshold: 0, forMs: 5 * MIN, describe: 'Redis unreachable (guide: redis_up == 0 for 5m)'},
	RedisMemoryHigh: {severity: 'critical', threshold: 0.9, forMs: 5 * MIN, describe: 'used_memory / maxmemory > threshold (guide: 0.9 for 5m)'},
	RedisTooManyConnections: {severity: 'warning', threshold: 100, forMs: 5 * MIN, describe: 'connected_clients > threshold (guide: 100 for 5m)'},
	RedisEvictions: {severity: 'warning', threshold: 0, forMs: 0, describe: 'evicted_keys increased by more than threshold over the window'},
	RedisHitRateLow: {severity: 'warning', threshold: 0.8, forMs: 5 * MIN, describe: 'keyspace hit rate < threshold over the window (with enough lookups)'},
	RedisRejectedConnections: {severity: 'warning', threshold: 0, forMs: 0, describe: 'rejected_connections increased by more than threshold over the window'},
	RedisFragmentationHigh: {severity: 'warning', threshold: 1.5, forMs: 10 * MIN, describe: 'mem_fragmentation_ratio > threshold and RSS − used is large'},
	RedisPersistenceFailed: {severity: 'critical', threshold: 0, forMs: 0, describe: 'last RDB bgsave, AOF write or AOF rewrite failed'},
	RedisNoRecentSave: {severity: 'warning', threshold: 86_400, forMs: 0, describe: 'RDB configured, unsaved changes, last save older than threshold seconds'},
	// A `for` that an automatic failover (node timeout plus election: seconds) stays under.
	RedisClusterDown: {severity: 'critical', threshold: 0, forMs: MIN, describe: 'Redis Cluster: cluster_state not ok, slots unserved, or more than threshold nodes failing'},
};

export const defaultAlertSettings = (): AlertSettings => ({
	rules: Object.fromEntries(RULE_NAMES.map(n => [n, {enabled: true, forMs: RULES[n].forMs, threshold: RULES[n].threshold}])) as Record<RuleName, RuleSettings>,
	windowMs: 5 * MIN,
	hitRateMinLookups: 100,
	fragmentationMinWasteBytes: 100 * 1024 * 1024,
});

/** Every `for` replaced at once (`--alert-for`). */
export const withAlertFor = (settings: AlertSettings, forMs: number): AlertSettings => ({
	...settings,
	rules: Object.fromEntries(RULE_NAMES.map(n => [n, {...settings.rules[n], forMs}])) as Record<RuleName, RuleSettings>,
});

/** What one evaluation looks at. */
export type Observation = {
	at: number;
	/** Redis is the store being monitored (redis source, or auto fell back). */
	redisExpected: boolean;
	/** Redis answered this poll with fresh data. */
	connected: boolean;
	downReason: string | null;
	info: InfoMap | null;
	config: ServerConfigRead | null;
	/** Recent fresh samples, oldest first (counter rules use the window). */
	samples: readonly Sample[];
	/** The node table of a Redis Cluster read this poll; null otherwise. */
	cluster: ClusterView | null;
};

export const observationOf = (snapshot: Snapshot, samples: readonly Sample[]): Observation => {
	const {source} = snapshot;
	const redisExpected = source.kind === 'redis' || source.fallbackReason !== null;
	const connected = source.kind === 'redis' && source.connected && !source.stale;
	return {
		at: snapshot.takenAt,
		redisExpected,
		connected,
		downReason: source.fallbackReason ?? source.error,
		info: connected ? snapshot.info : null,
		config: snapshot.serverConfig,
		samples,
		cluster: connected ? (snapshot.cluster ?? null) : null,
	};
};

/** Increase of a counter over the window ending at the last sample; null without two samples or after a reset. */
export const windowIncrease = (samples: readonly Sample[], pick: (s: Stats) => number | null | undefined, windowMs: number): {increase: number; spanMs: number} | null => {
	if (samples.length < 2) return null;
	const last = samples[samples.length - 1]!;
	const first = samples.find(s => s.at >= last.at - windowMs && pick(s.stats) != null);
	const a = first ? pick(first.stats) : null;
	const b = pick(last.stats);
	if (!first || first === last || a == null || b == null || b < a) return null;
	return {increase: b - a, spanMs: last.at - first.at};
};

/**
 * Hit rate over the window of the lookups other clients made: {rate,
 * lookups, own}; tcmon's own lookups (`own`) are left out, so an idle store
 * that only tcmon reads is never judged. rate null without lookups.
 */
export const windowHitRate = (samples: readonly Sample[], windowMs: number): {rate: number | null; lookups: number; own: number} | null => {
	if (samples.length < 2) return null;
	const last = samples[samples.length - 1]!;
	const first = samples.find(s => s.at >= last.at - windowMs && s.stats.keyspaceHits != null && s.stats.keyspaceMisses != null);
	if (!first || first === last) return null;
	const between = lookupsBetween(first.stats, last.stats);
	if (!between) return null;
	const lookups = between.hits + between.misses;
	return {rate: lookups === 0 ? null : between.hits / lookups, lookups, own: between.own};
};

/** A rule's verdict: holds (true/false) or unknown (null: data missing or denied). */
type Verdict = {holds: boolean | null; value: string};

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

const conditions = (obs: Observation, s: AlertSettings): Record<RuleName, Verdict> => {
	const unknown = (value: string): Verdict => ({holds: null, value});
	const info = obs.info;
	const num = (f: string) => (info ? infoNumber(info, f) : null);
	const str = (f: string) => (info ? infoField(info, f) : undefined);
	const t = (n: RuleName) => s.rules[n].threshold;
	const noData = obs.connected ? 'INFO not available' : 'no fresh data';
	const verdicts = {} as Record<RuleName, Verdict>;

	verdicts.RedisDown = obs.redisExpected ? {holds: !obs.connected, value: obs.connected ? 'up' : (obs.downReason ?? 'unreachable')} : {holds: false, value: 'not monitoring Redis'};

	const used = num('used_memory');
	const max = num('maxmemory');
	verdicts.RedisMemoryHigh =
		used === null || max === null
			? unknown(noData)
			: max === 0
				? {holds: false, value: 'no maxmemory limit'}
				: {holds: used / max > t('RedisMemoryHigh'), value: `${pct(used / max)} of ${formatBytes(max)}`};

	const clients = num('connected_clients');
	verdicts.RedisTooManyConnections = clients === null ? unknown(noData) : {holds: clients > t('RedisTooManyConnections'), value: `${clients} clients`};

	const counter = (pick: (st: Stats) => number | null | undefined, rule: RuleName, what: string): Verdict => {
		if (!info) return unknown(noData);
		const inc = windowIncrease(obs.samples, pick, s.windowMs);
		if (!inc) return unknown('needs two samples');
		return {holds: inc.increase > t(rule), value: `+${formatCount(inc.increase)} ${what} in ${formatDuration(inc.spanMs)}`};
	};
	verdicts.RedisEvictions = counter(st => st.evictedKeys, 'RedisEvictions', 'evicted');
	verdicts.RedisRejectedConnections = counter(st => st.rejectedConnections, 'RedisRejectedConnections', 'rejected');

	const hr = info ? windowHitRate(obs.samples, s.windowMs) : null;
	verdicts.RedisHitRateLow = !info
		? unknown(noData)
		: !hr
			? unknown('needs two samples')
			: hr.rate === null && hr.own > 0
				? {holds: false, value: `no lookups but tcmon's own (${formatCount(hr.own)}): not judged`}
				: hr.rate === null || hr.lookups < s.hitRateMinLookups
				? {holds: false, value: `${hr.lookups} lookups (< ${s.hitRateMinLookups}: not judged)`}
				: {holds: hr.rate < t('RedisHitRateLow'), value: `${pct(hr.rate)} of ${formatCount(hr.lookups)} lookups`};

	const frag = num('mem_fragmentation_ratio');
	const rss = num('used_memory_rss');
	if (frag === null || rss === null || used === null) verdicts.RedisFragmentationHigh = unknown(noData);
	else {
		const waste = rss - used;
		verdicts.RedisFragmentationHigh = {holds: frag > t('RedisFragmentationHigh') && waste > s.fragmentationMinWasteBytes, value: `ratio ${frag.toFixed(2)}, RSS − used ${formatBytes(waste)}`};
	}

	if (!info) verdicts.RedisPersistenceFailed = unknown(noData);
	else {
		const failed = [
			str('rdb_last_bgsave_status') !== undefined && str('rdb_last_bgsave_status') !== 'ok' ? 'RDB bgsave' : null,
			num('aof_enabled') === 1 && str('aof_last_write_status') !== undefined && str('aof_last_write_status') !== 'ok' ? 'AOF write' : null,
			str('aof_last_bgrewrite_status') !== undefined && str('aof_last_bgrewrite_status') !== 'ok' ? 'AOF rewrite' : null,
		].filter(Boolean);
		verdicts.RedisPersistenceFailed = {holds: failed.length > 0, value: failed.length ? `${failed.join(', ')} failed` : 'ok'};
	}

	const lastSave = num('rdb_last_save_time');
	const changes = num('rdb_changes_since_last_save');
	const save = obs.config?.values['save'];
	if (!info || lastSave === null) verdicts.RedisNoRecentSave = unknown(noData);
	else if (save === undefined) verdicts.RedisNoRecentSave = unknown('RDB schedule unknown (CONFIG GET save not available)');
	else if (save.trim() === '') verdicts.RedisNoRecentSave = {holds: false, value: 'RDB not configured'};
	else {
		const age = obs.at / 1000 - lastSave;
		verdicts.RedisNoRecentSave = {holds: age > t('RedisNoRecentSave') && (changes ?? 0) > 0, value: `last save ${formatDuration(age * 1000)} ago, ${formatCount(changes)} changes since`};
	}
	verdicts.RedisClusterDown = clusterVerdict(obs.cluster, t('RedisClusterDown'));
	return verdicts;
};

/** The cluster rule: what is wrong, in the order an operator fixes it. */
const clusterVerdict = (cluster: ClusterView | null, threshold: number): Verdict => {
	if (!cluster) return {holds: false, value: 'not a cluster'};
	const failing = cluster.nodes.filter(n => n.failing).map(n => n.addr);
	// From the node table, not from what tcmon walked: a node too slow to read still serves its slots.
	const served = cluster.nodes.filter(n => n.role === 'master' && !n.failing).reduce((sum, n) => sum + n.slots, 0);
	const wrong = [
		cluster.state !== null && cluster.state !== 'ok' ? `cluster_state ${cluster.state}` : null,
		served < CLUSTER_SLOTS ? `${formatCount(CLUSTER_SLOTS - served)} slots without a live master` : null,
		failing.length > threshold ? `${failing.length} failing: ${failing.slice(0, 3).join(', ')}${failing.length > 3 ? ` +${failing.length - 3}` : ''}` : null,
	].filter(Boolean);
	return {holds: wrong.length > 0, value: wrong.length ? wrong.join(' · ') : `ok, ${cluster.nodes.length} nodes`};
};

type RuleState = {activeAt: number | null; firedAt: number | null; resolvedAt: number | null; value: string};
export type AlertStates = Partial<Record<RuleName, RuleState>>;

/** How long a resolved alert stays listed. */
export const RESOLVED_KEEP_MS = 5 * MIN;

/** One step of one rule's state machine. Unknown (null) freezes the state: no data is no news. */
export const stepRule = (prev: RuleState | undefined, holds: boolean | null, value: string, now: number, forMs: number): RuleState | undefined => {
	if (holds === null) return prev;
	if (holds) {
		const live = prev && prev.resolvedAt === null ? prev : undefined;
		const activeAt = live?.activeAt ?? now;
		const firedAt = live?.firedAt ?? (now - activeAt >= forMs ? now : null);
		return {activeAt, firedAt, resolvedAt: null, value};
	}
	if (prev?.firedAt != null && prev.activeAt !== null) return {activeAt: null, firedAt: prev.firedAt, resolvedAt: now, value};
	if (prev?.resolvedAt != null && now - prev.resolvedAt < RESOLVED_KEEP_MS) return prev;
	return undefined;
};

/** Evaluates every enabled rule once; returns the new states and the alerts to show (firing first). */
export const evaluateAlerts = (prev: AlertStates, obs: Observation, settings: AlertSettings): {states: AlertStates; alerts: AlertView[]} => {
	const verdicts = conditions(obs, settings);
	const states: AlertStates = {};
	const alerts: AlertView[] = [];
	for (const name of RULE_NAMES) {
		const rule = settings.rules[name];
		if (!rule.enabled) continue;
		const v = verdicts[name];
		const next = stepRule(prev[name], v.holds, v.value, obs.at, rule.forMs);
		if (!next) continue;
		states[name] = next;
		const status = next.resolvedAt !== null ? 'resolved' : next.firedAt !== null ? 'firing' : 'pending';
		alerts.push({
			name,
			severity: RULES[name].severity,
			status,
			activeAt: next.activeAt ?? next.firedAt ?? obs.at,
			firedAt: next.firedAt,
			resolvedAt: next.resolvedAt,
			forMs: rule.forMs,
			value: next.value,
			summary: RULES[name].describe,
		});
	}
	const order = {firing: 0, pending: 1, resolved: 2} as const;
	alerts.sort((a, b) => order[a.status] - order[b.status] || RULE_NAMES.indexOf(a.name as RuleName) - RULE_NAMES.indexOf(b.name as RuleName));
	return {states, alerts};
};

/** Every rule's current verdict, for the detail view and `check --verbose`: name, holds, value. */
export const ruleVerdicts = (obs: Observation, settings: AlertSettings): {name: RuleName; holds: boolean | null; value: string}[] => {
	const v = conditions(obs, settings);
	return RULE_NAMES.map(name => ({name, ...v[name]}));
};

export const firing = (alerts: readonly AlertView[]): AlertView[] => alerts.filter(a => a.status === 'firing');
