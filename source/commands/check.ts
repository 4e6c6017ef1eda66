// `tcmon check`: evaluate the alert rules over a short sampling window and
// exit 0 (nothing firing), 1 (something firing) or 2 (usage error). Silent
// when healthy, so cron mails only problems; one line per pending or firing
// alert otherwise; `--json` prints the same as a document.
import {ALERT_FLAGS, ALERT_HELP, alertSettingsFrom} from '../alert-settings';
import {fail, parseFlags} from '../cli-flags';
import {UsageError} from '../config';
import {formatDuration} from '../domain/format';
import {STORE_RULES, storeAlerts} from '../domain/store-rules';
import type {AlertView, Snapshot} from '../domain/types';
import {tmuxSocketOf} from '../sources/tmux-sessions';
import {DEFAULT_TIMEOUT_MS} from '../config';
import type {SubCommand} from './registry';

export const CHECK_HELP = `
  Usage
    $ tcmon check [options]

  Evaluates the alert rules (the operators' guide's RedisDown, RedisMemoryHigh,
  RedisTooManyConnections and companions) once, over a short sampling window:
  --samples polls, --interval ms apart (default 3 polls, 1 s apart, so counter
  rules such as evictions see a 2 s window). Prints one line per pending or
  firing alert and nothing when all is well.

  Then tmux-claude's own state, once, on the last poll (these fire at once):
  AgentGhost (active in the store, no tmux session; needs $TMUX or
  --tmux-socket), InstanceError, JobFailed, QueueStalled (jobs pending, none
  running, the oldest waiting 10m or more), LockNoTtl (a lock key that never
  expires), LockFileStale (a lock file its writer left behind).

  Exit status: 0 nothing firing (pending is not firing), 1 something firing,
  2 usage error. A rule fires only after holding for its "for" (5m for the
  guide's rules), which a short check never reaches: use --alert-for 0 in cron,
  CI and status lines. A store that does not answer a poll within --timeout
  seconds (default 5) ends the check at once with RedisDown firing (exit 1).

  Options
    connection and source flags as for tcmon (-u, -h, -p, -a, --user, -n, --tls,
    --source, --state-dir, --prefix)
        --samples N      polls to take (1-60, default 3)
        --tmux-socket PATH  the tmux server for AgentGhost (default: $TMUX's)
        --interval MS    time between them (default 1000)
        --json           print a document instead of lines
        --timeout SECS   how long each poll waits for the store (default 5)

${ALERT_HELP}

  Examples
    $ tcmon check --alert-for 0
    $ tcmon check --alert-for 0 --alert-threshold RedisMemoryHigh=0.8 --json
    $ */5 * * * * tcmon check --alert-for 0 -u redis://127.0.0.1:6379
`;

const FLAGS = {samples: {type: 'number'}, tmuxSocket: {type: 'string'}, ...ALERT_FLAGS} as const;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export const alertLine = (a: AlertView, now: number): string => {
	// A store rule is a fact of one read: it has no "held for".
	if ((STORE_RULES as readonly string[]).includes(a.name)) return `FIRING ${a.name} [${a.severity}] ${a.value}`;
	const held = formatDuration(Math.max(0, now - a.activeAt));
	const state = a.status === 'firing' ? 'FIRING' : 'PENDING';
	return `${state} ${a.name} [${a.severity}] ${a.value} (held ${held}${a.status === 'pending' ? ` of ${formatDuration(a.forMs)}` : ''})`;
};

/** The Redis rules' pending and firing alerts, then the store rules that hold. */
export const checkAlerts = (snapshot: Snapshot): AlertView[] => [...snapshot.alerts.filter(a => a.status !== 'resolved'), ...storeAlerts(snapshot)];
/**
 * The alerts of a check whose store did not answer within its deadline:
 * RedisDown fires at once, whatever its "for" (a check cannot wait it out).
 */
export const withUnanswered = (alerts: readonly AlertView[], reason: string, now: number): AlertView[] => {
	const down = alerts.find(a => a.name === 'RedisDown');
	const firing: AlertView = {
		name: 'RedisDown',
		severity: 'critical',
		status: 'firing',
		activeAt: down?.activeAt ?? now,
		firedAt: now,
		resolvedAt: null,
		forMs: down?.forMs ?? 0,
		value: reason,
		summary: down?.summary ?? 'Redis is not answering',
	};
	return [firing, ...alerts.filter(a => a.name !== 'RedisDown')];
};

export const checkDocument = (snapshot: Snapshot, samples: number, windowMs: number) => {
	const active = checkAlerts(snapshot);
	const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
	return {
		version: 1,
		checkedAt: iso(snapshot.takenAt),
		source: {kind: snapshot.source.kind, target: snapshot.source.target, connected: snapshot.source.connected, error: snapshot.source.error, fallbackReason: snapshot.source.fallbackReason},
		samples,
		windowMs,
		firing: active.filter(a => a.status === 'firing').length,
		pending: active.filter(a => a.status === 'pending').length,
		alerts: active.map(a => ({...a, activeAt: iso(a.activeAt), firedAt: iso(a.firedAt), resolvedAt: iso(a.resolvedAt)})),
	};
};

export const check: SubCommand = {
	summary: 'evaluate the alert rules once; exit 0 ok, 1 firing, 2 usage error',
	run: async (argv, env) => {
		const parsed = parseFlags(argv, env, CHECK_HELP, FLAGS, {command: 'tcmon check', importMeta: import.meta});
		if (typeof parsed === 'number') return parsed;
		const samplesFlag = parsed.flags.samples as number | undefined;
		if (samplesFlag !== undefined && (!Number.isInteger(samplesFlag) || samplesFlag < 1 || samplesFlag > 60)) return fail('--samples must be a whole number from 1 to 60', 'tcmon check');
		if (parsed.config.once) return fail('--once does not apply to check', 'tcmon check');
		let alerts;
		try {
			alerts = alertSettingsFrom(parsed.flags, env);
		} catch (error) {
			if (error instanceof UsageError) return fail(error.message, 'tcmon check');
			throw error;
		}
		const samples = samplesFlag ?? 3;
		const socketFlag = parsed.flags.tmuxSocket as string | undefined;
		if (socketFlag !== undefined && !socketFlag.trim()) return fail('--tmux-socket must be a path', 'tcmon check');
		const config = {...parsed.config, alerts, tmuxSocket: tmuxSocketOf(env, socketFlag)};
		// Imported here: main imports the command registry, so a static import would be a cycle.
		const {openSources} = await import('../main');
		const {withClusterDetected} = await import('../sources/cluster-source');
		const set = openSources(await withClusterDetected(config));
		let snapshot: Snapshot;
		const started = Date.now();
		const deadlineMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		const unanswered = (s: Snapshot) => typeof s.source.waitingSince === 'number';
		try {
			snapshot = await set.source.poll({deadlineMs});
			for (let i = 1; i < samples && !unanswered(snapshot); i++) {
				await sleep(config.intervalMs);
				snapshot = await set.source.poll({deadlineMs});
			}
		} finally {
			await set.close();
		}
		// A store that did not answer in time: no more samples, RedisDown fires now.
		if (unanswered(snapshot)) snapshot = {...snapshot, alerts: withUnanswered(snapshot.alerts, snapshot.source.fallbackReason ?? snapshot.source.error ?? 'no answer', snapshot.takenAt)};
		const doc = checkDocument(snapshot, samples, Date.now() - started);
		if (config.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
		else for (const a of checkAlerts(snapshot)) process.stdout.write(`${alertLine(a, snapshot.takenAt)}\n`);
		return doc.firing > 0 ? 1 : 0;
	},
};
