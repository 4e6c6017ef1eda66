// `tcmon status`: one short line for tmux's status-right. One poll, as
// `--json` does, no Ink; always exit 0 (a status line that fails shows
// nothing, so "redis down" is said in the line instead), 2 on a usage error.
import {ALERT_FLAGS, alertSettingsFrom} from '../alert-settings';
import {fail, parseFlags} from '../cli-flags';
import {UsageError} from '../config';
import {agentsView} from '../domain/agents';
import {lockState} from '../domain/locks';
import {sanitize} from '../domain/sanitize';
import type {Snapshot} from '../domain/types';
import {tmuxSocketOf} from '../sources/tmux-sessions';
import type {SubCommand} from './registry';

export const STATUS_HELP = `
  Usage
    $ tcmon status [options]

  Prints one short line for tmux's status-right: agents up (and ghosts),
  jobs pending / failed, stuck locks (no TTL, or a stale lock file) and the
  alert rules whose condition holds now. Exits 0 even when Redis is down (the
  line says so). Liveness needs a tmux server: the one in $TMUX, or
  --tmux-socket PATH; without one, agents are counted but not checked.

  Options
    connection and source flags as for tcmon (-u, -h, -p, -a, --user, -n, --tls,
    --source, --state-dir, --prefix)
        --tmux-socket PATH   the tmux server to check agents against
        --tmux-colors        wrap problems in tmux #[fg=…] colours
        --alert-threshold NAME=VALUE, --alert-config FILE  (as for tcmon;
                             --alert-for defaults to 0 here: one read)

  Example (.tmux.conf)
    set -g status-interval 15
    set -g status-right '#(tcmon status --tmux-colors -u redis://127.0.0.1:6379)'
`;

const FLAGS = {tmuxSocket: {type: 'string'}, tmuxColors: {type: 'boolean'}, ...ALERT_FLAGS} as const;

type Paint = (text: string, color: 'red' | 'yellow' | 'green') => string;
const plain: Paint = text => text;
// `#[` in tmux's format is markup: store text is sanitized and has no `#[` of its own left unescaped below.
const tmuxPaint: Paint = (text, color) => `#[fg=${color}]${text}#[default]`;

/** tmux expands `#` in #() output as a format: a literal one is `##`. */
const tmuxSafe = (text: string): string => text.replaceAll('#', '##');

/** The status line for one snapshot. */
export const statusLine = (snapshot: Snapshot, paint: Paint = plain): string => {
	const parts: string[] = [];
	const src = snapshot.source;
	if (!src.connected || src.fallbackReason) {
		const why = sanitize(src.error ?? 'not connected').slice(0, 60);
		parts.push(paint(src.fallbackReason ? 'redis down (state dir)' : `${src.kind === 'json' ? 'state dir' : src.kind} down: ${why}`, 'red'));
		// No data at all behind it: nothing else to count.
		if (!src.fallbackReason && src.dataAt === null) return parts.join(' | ');
	}
	const view = agentsView(snapshot);
	const s = view.summary;
	let agents = s.tmuxKnown ? `agents ${s.alive}/${s.agents} up` : `agents ${s.agents} (tmux ?)`;
	if (s.ghost) agents += ` ${paint(`${s.ghost} ghost`, 'red')}`;
	if (s.error) agents += ` ${paint(`${s.error} error`, 'red')}`;
	parts.push(agents);
	let jobs = `jobs ${s.pending} pending`;
	if (s.failed) jobs += ` ${paint(`${s.failed} failed`, 'red')}`;
	parts.push(jobs);
	const stuck = snapshot.locks.filter(l => {
		const state = lockState(l, l.fullTtlMs);
		return state === 'no-ttl' || state === 'stale';
	}).length;
	parts.push(stuck ? paint(`locks ${stuck} stuck`, 'yellow') : `locks ${snapshot.locks.length}`);
	const alerts = snapshot.alerts.filter(a => a.status !== 'resolved').length;
	parts.push(alerts ? paint(`${alerts} alert${alerts === 1 ? '' : 's'}`, 'red') : 'no alerts');
	return parts.join(' | ');
};

export const status: SubCommand = {
	summary: 'one short line for tmux status-right: agents, jobs, stuck locks, alerts; exit 0 even when Redis is down',
	run: async (argv, env) => {
		const parsed = parseFlags(argv, env, STATUS_HELP, FLAGS, {command: 'tcmon status', importMeta: import.meta});
		if (typeof parsed === 'number') return parsed;
		if (parsed.config.once || parsed.config.json) return fail('--once and --json do not apply to status', 'tcmon status');
		const socketFlag = parsed.flags.tmuxSocket as string | undefined;
		if (socketFlag !== undefined && !socketFlag.trim()) return fail('--tmux-socket must be a path', 'tcmon status');
		let alerts;
		try {
			// One read: a rule's "for" cannot be waited for, so a condition holding now counts.
			alerts = alertSettingsFrom({...parsed.flags, alertFor: parsed.flags.alertFor ?? '0'}, env);
		} catch (error) {
			if (error instanceof UsageError) return fail(error.message, 'tcmon status');
			throw error;
		}
		// Imported here: main imports the command registry, so a static import would be a cycle.
		const {openSources} = await import('../main');
		const {withClusterDetected} = await import('../sources/cluster-source');
		const set = openSources(await withClusterDetected({...parsed.config, alerts, tmuxSocket: tmuxSocketOf(env, socketFlag)}));
		let line: string;
		try {
			const snapshot = await set.source.poll();
			line = parsed.flags.tmuxColors ? statusLine(snapshot, (t, c) => tmuxPaint(tmuxSafe(t), c)) : statusLine(snapshot);
		} catch (error) {
			line = `tcmon: ${sanitize(error instanceof Error ? error.message : String(error)).slice(0, 80)}`;
		} finally {
			await set.close();
		}
		process.stdout.write(`${line}\n`);
		return 0;
	},
};
