// Ink, React and the UI load only when a frame is drawn (import() below):
// `--json` and the subcommands start without them.
import {fail, parseFlags} from './cli-flags';
import {COMMANDS} from './commands/registry';
import {ALERT_FLAGS, ALERT_HELP, alertSettingsFrom} from './alert-settings';
import {DEFAULT_TIMEOUT_MS, UsageError, type Config} from './config';
import type {Snapshot} from './domain/types';
import {demoSource} from './demo/demo-source';
import {toDocument} from './document';
import {chooseSource, type SourceSet} from './sources/choose-source';
import {defaultTrackers, TrackedSource} from './sources/tracked-source';

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
        --user NAME      ACL user           --tls  use TLS

  Source
        --source MODE    auto | redis | json (default auto: Redis, falling back
                         to the state dir while Redis cannot be reached)
        --state-dir DIR  JSON fallback directory
                         (default: $TMUX_CLAUDE_STATE_DIR, else ./state)
        --prefix NAME    key prefix (default tmux-claude)
        --slowlog-count N
                         SLOWLOG GET N each poll (default 128, up to 10000)
        --demo           monitor a built-in simulated tmux-claude (no Redis needed)
        --allow-write    enable force-release of a lock in the Locks pane (x, then
                         type the resource name); off by default: read-only

  Display
        --interval MS    poll interval, at least 100 (default 1000)
        --once           print one frame as text and exit (no keyboard)
        --json           print one snapshot as JSON and exit
        --timeout SECS   how long --once, --json, keys and check wait for the
                         store (default 5; fractions allowed). Past it they
                         print what they have, saying why, and exit 1
        --width N        --height N   frame size for --once (default: the
                         terminal's, or 120x40 when not a terminal)

${ALERT_HELP}

  Keys: ? help · Tab/1-4 panes · j/k g/G PgUp/PgDn move · p pause · r refresh
        +/- interval · q quit

  Examples
    $ tcmon --demo
    $ tcmon -h 10.0.0.5 -p 6380 --user monitor -a "$PASS"
    $ REDIS_URL=redis://127.0.0.1:6390 tcmon --once --width 80 --height 24
    $ tcmon --source json --state-dir ~/app/state --json | jq '.locks'
    $ tcmon check --alert-for 0 || echo "redis unhealthy"
`;

const FLAGS = {
	once: {type: 'boolean'},
	width: {type: 'number'},
	height: {type: 'number'},
	allowWrite: {type: 'boolean'},
	...ALERT_FLAGS,
} as const;

/** Parses argv into a Config, or returns the exit code of a usage error. */
export const parseArgs = (argv: string[], env: NodeJS.ProcessEnv): Config | number => {
	const parsed = parseFlags(argv, env, HELP, FLAGS, {importMeta: import.meta});
	if (typeof parsed === 'number') return parsed;
	try {
		return {...parsed.config, alerts: alertSettingsFrom(parsed.flags, env)};
	} catch (error) {
		if (error instanceof UsageError) return fail(error.message);
		throw error;
	}
};

/** Whether a one-shot's snapshot is what was left when the store did not answer within the deadline. */
export const unanswered = (snapshot: Snapshot): boolean => typeof snapshot.source.waitingSince === 'number';

/** The configured source, wrapped with the session trackers. */
export const openSources = (config: Config): SourceSet => {
	const set = config.demo ? demoSource({stepMs: Math.max(500, config.intervalMs)}) : chooseSource(config);
	return {
		...set,
		source: new TrackedSource(set.source, defaultTrackers({prefix: config.prefix, slowlogCount: config.slowlogCount, ...(config.alerts ? {alerts: config.alerts} : {})})),
	};
};

export const main = async (argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> => {
	const sub = argv[0] && !argv[0].startsWith('-') ? COMMANDS[argv[0]] : undefined;
	if (sub) return sub.run(argv.slice(1), env);
	const config = parseArgs(argv, env);
	if (typeof config === 'number') return config;

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
				process.stdout.write(`${renderFrame(snapshot, {width, height, intervalMs: config.intervalMs, prefix: config.prefix})}\n`);
			}
			// The store did not answer within --timeout: what was printed says so.
			return unanswered(snapshot) ? 1 : 0;
		} finally {
			await set.close();
		}
	}

	if (!process.stdout.isTTY) return fail('stdout is not a terminal: use --once or --json in pipes and scripts');
	const {runInteractive} = await import('./interactive');
	return runInteractive(config, openSources(config));
};

