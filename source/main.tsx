// Ink, React and the UI load only when a frame is drawn (import() below):
// `--json` and the subcommands start without them.
import {fail, parseFlags} from './cli-flags';
import {COMMANDS} from './commands/registry';
import {ALERT_HELP, alertSettingsFrom} from './alert-settings';
import {MAIN_FLAGS, subcommandOf} from './main-flags';
import {DEFAULT_TIMEOUT_MS, UsageError, type Config} from './config';
import type {Snapshot} from './domain/types';
import {demoSource} from './demo/demo-source';
import {toDocument} from './document';
import {ActivitySource} from './sources/activity-feed';
import {uiCapabilitiesFor, type UiCapabilities} from './sources/capabilities';
import {chooseSource, type SourceSet} from './sources/choose-source';
import {withClusterDetected} from './sources/cluster-source';
import {PANES, type PaneId} from './keymap';
import {paneByName, parseGrid} from './layout';
import {tmuxSocketOf, TmuxReader, TmuxSource} from './sources/tmux-sessions';
import {defaultTrackers, TrackedSource} from './sources/tracked-source';
import {captureClientWarnings} from './sources/client-warnings';

export const HELP = `
  Usage
    $ tcmon [options]

  A keyboard-driven monitor for tmux-claude's state store: Redis health,
  SLOWLOG, a SCAN-only key browser and the distributed locks, or the JSON
  fallback state directory when Redis is absent.

  Connection (redis-cli style; parts override --url)
    -u, --url URL        redis://[user:pass@]host:port[/db], rediss:// for TLS,
                         or redis-sentinel://host:port[,host:port]/master
                         (default: $REDIS_URL, else redis://127.0.0.1:6379)
    -h, --host HOST      -p, --port PORT      -n, --db N
    -a, --password PASS  (or $REDISCLI_AUTH; never printed)
        --user NAME      ACL user
                         redis://SECRET@host (no colon) is a password, as
                         in redis-cli

  TLS (as redis-cli; any of these means --tls)
        --tls            connect with TLS (as rediss://)
        --cacert FILE    CA certificate(s) that signed the server's (PEM)
        --cert FILE      client certificate (PEM), with --key FILE its key
        --insecure       do not verify the server's certificate
        --sni NAME       server name to ask for and check the certificate against

  Cluster
        --cluster        Redis Cluster (also found from INFO cluster_enabled:1):
                         every node's stats and SLOWLOG, every master's keys;
                         no state-dir fallback in this mode

  Source
        --source MODE    auto | redis | json (default auto: Redis, falling back
                         to the state dir while Redis cannot be reached)
        --state-dir DIR  JSON fallback directory
                         (default: $TMUX_CLAUDE_STATE_DIR, else ./state)
        --prefix NAME    key prefix (default tmux-claude)
        --slowlog-count N
                         SLOWLOG GET N each poll (default 128, up to 10000)
        --demo           monitor a built-in simulated tmux-claude (no Redis needed)
        --tmux-socket PATH
                         the tmux server whose sessions tell which agents are
                         alive (default: the one in $TMUX; none outside tmux)
        --allow-write    enable force-release of a lock in the Locks pane (x, then
                         type the resource name); off by default: read-only

  Display
        --interval MS    poll interval, at least 100 (default 1000)
        --pane NAME      start on this pane: stats, slowlog, keys, locks, agents
                         (or 1-5)
        --panes A,B,C,D  the four panes that share the grid below 160 columns
                         (default stats,slowlog,keys,locks; from 160 columns
                         all five are shown)
        --once           print one frame as text and exit (no keyboard)
        --json           print one snapshot as JSON and exit
        --timeout SECS   how long --once, --json, keys and check wait for the
                         store (default 5; fractions allowed). Past it they
                         print what they have, saying why, and exit 1
        --width N        --height N   frame size for --once (default: the
                         terminal's, or 120x40 when not a terminal)

${ALERT_HELP}

  Keys: ? help · Tab/1-5 panes · j/k g/G PgUp/PgDn move · p pause · r refresh
        +/- interval · q quit

  Examples
    $ tcmon --demo
    $ tcmon --tls --cacert ca.crt -h redis.internal -p 6380 --once
    $ tcmon -u redis://127.0.0.1:7000 keys   (a subcommand may follow the flags)
    $ tcmon -h 10.0.0.5 -p 6380 --user monitor -a "$PASS"
    $ REDIS_URL=redis://127.0.0.1:6390 tcmon --once --width 80 --height 24
    $ tcmon --source json --state-dir ~/app/state --json | jq '.locks'
    $ tcmon check --alert-for 0 || echo "redis unhealthy"
    $ tcmon --json | jq '.agents.summary'
    $ tcmon split -- --pane agents        (inside tmux: tcmon in a new pane)
    $ tcmon status                        (one line for tmux's status-right)
`;

const FLAGS = MAIN_FLAGS;

/** The Config plus the tmux server to ask for agent liveness (null: none). */
export type RunConfig = Config & {tmuxSocket?: string | null; pane?: PaneId; grid?: readonly PaneId[]};

/** Parses argv into a Config, or returns the exit code of a usage error. */
export const parseArgs = (argv: string[], env: NodeJS.ProcessEnv): RunConfig | number => {
	const parsed = parseFlags(argv, env, HELP, FLAGS, {importMeta: import.meta});
	if (typeof parsed === 'number') return parsed;
	try {
		const socketFlag = parsed.flags.tmuxSocket as string | undefined;
		if (socketFlag !== undefined && !socketFlag.trim()) return fail('--tmux-socket must be a path');
		const paneFlag = parsed.flags.pane as string | undefined;
		const pane = paneFlag === undefined ? undefined : paneByName(paneFlag);
		if (pane === null) return fail(`--pane: no pane ${JSON.stringify(paneFlag)} (panes: ${PANES.map(p => p.id).join(', ')}, or 1-${PANES.length})`);
		const panesFlag = parsed.flags.panes as string | undefined;
		const grid = panesFlag === undefined ? undefined : parseGrid(panesFlag);
		if (typeof grid === 'string') return fail(grid);
		return {
			...parsed.config,
			alerts: alertSettingsFrom(parsed.flags, env),
			tmuxSocket: tmuxSocketOf(env, socketFlag),
			...(pane ? {pane} : {}),
			...(grid ? {grid} : {}),
		};
	} catch (error) {
		if (error instanceof UsageError) return fail(error.message);
		throw error;
	}
};

/** Whether a one-shot's snapshot is what was left when the store did not answer within the deadline. */
export const unanswered = (snapshot: Snapshot): boolean => typeof snapshot.source.waitingSince === 'number';
/** No source gave any data: no connection and no state dir read. */
export const nothingRead = (snapshot: Snapshot): boolean => snapshot.source.dataAt === null;

/** The sources and what panes may ask of them, closed together. */
export type OpenSources = SourceSet & {capabilities: UiCapabilities};

/**
 * The configured source, with tmux's sessions (agent liveness), the activity
 * feed (the live UI only: one-shot reads have nothing to compare), and the
 * session trackers; and its capabilities (the key browser's walk, connections
 * and timers; lock admin with --allow-write only), closed with the set.
 * Creating them opens nothing: a one-shot never uses them.
 */
export const openSources = (config: RunConfig, options: {activity?: boolean} = {}): OpenSources => {
	const set = config.demo ? demoSource({stepMs: Math.max(500, config.intervalMs)}) : chooseSource(config);
	// The demo brings its own simulated sessions. (The state dir's split-off
	// lock files and instances.json come with chooseSource's SplitStateSource.)
	const withTmux = config.demo ? set.source : new TmuxSource(set.source, new TmuxReader({socket: config.tmuxSocket ?? null}));
	const activity = options.activity ? new ActivitySource(withTmux) : null;
	const inner = activity ?? withTmux;
	const source = new TrackedSource(inner, defaultTrackers({prefix: config.prefix, slowlogCount: config.slowlogCount, ...(config.alerts ? {alerts: config.alerts} : {})}));
	const capabilities = uiCapabilitiesFor(source, config.allowWrite);
	return {
		...set,
		source,
		capabilities,
		close: async () => {
			capabilities.close();
			activity?.detach();
			await set.close();
		},
	};
};

export const main = async (argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> => {
	const sub = subcommandOf(argv, COMMANDS);
	if (sub) return sub.command.run(sub.rest, env);
	// Only where a snapshot can show them (errors.connection): subcommands keep ioredis' own stderr line.
	captureClientWarnings();
	const parsed = parseArgs(argv, env);
	if (typeof parsed === 'number') return parsed;
	const config = await withClusterDetected(parsed);

	if (config.once || config.json) {
		const set = openSources(config);
		try {
			const snapshot = await set.source.poll({deadlineMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS});
			if (config.json) {
				process.stdout.write(`${JSON.stringify(toDocument(snapshot), null, 2)}\n`);
			} else {
				const tty = process.stdout.isTTY;
				const columns = config.width ?? (tty ? process.stdout.columns : 0) ?? 0;
				const rows = config.height ?? (tty ? process.stdout.rows : 0) ?? 0;
				const width = columns || 120;
				const height = rows || 40;
				const {renderFrame} = await import('./render-frame');
				process.stdout.write(`${renderFrame(snapshot, {width, height, intervalMs: config.intervalMs, prefix: config.prefix, ...(config.pane ? {active: config.pane} : {}), ...(config.grid ? {grid: config.grid} : {})})}\n`);
			}
			// The store did not answer within --timeout, or nothing could be read at all (Redis
			// refused and no state dir to fall back to): what was printed says why; scripts see 1.
			return unanswered(snapshot) || nothingRead(snapshot) ? 1 : 0;
		} finally {
			await set.close();
		}
	}

	if (!process.stdout.isTTY) return fail('stdout is not a terminal: use --once or --json in pipes and scripts');
	const {runInteractive} = await import('./interactive');
	return runInteractive(config, openSources(config, {activity: true}));
};

