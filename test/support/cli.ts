// The built bin (dist/cli.js), run as a user or a cron job runs it: one
// runner for every CLI test, with an environment cleaned of what would make a
// developer's shell change the outcome (REDIS_URL, $TMUX, NO_COLOR…).
import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Variables a test run never inherits from the developer's shell. */
const INHERITED_NOT = ['REDIS_URL', 'REDISCLI_AUTH', 'TMUX_CLAUDE_STATE_DIR', 'NO_COLOR', 'FORCE_COLOR', 'TCMON_ALERTS', 'TCMON_DEBUG', 'TCMON_CODE_CACHE', 'TMUX'];

export const cleanEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !INHERITED_NOT.includes(k)));

/** code: the exit status; null when the run was killed at its timeout (a hang) or died by a signal. */
export type CliRun = {code: number | null; signal: string | null; stdout: string; stderr: string; ms: number};

export type CliOptions = {
	env?: Record<string, string>;
	/** node flags before the bin (run as `node FLAGS dist/cli.js`). */
	nodeFlags?: string[];
	/** Run this file itself (its `#!` line picks `node` from PATH), not `node dist/cli.js`. */
	bin?: string;
	cwd?: string;
	timeoutMs?: number;
	maxBuffer?: number;
};

export const runCli = (args: string[], options: CliOptions = {}): Promise<CliRun> =>
	new Promise(resolve => {
		const started = Date.now();
		const [file, argv] = options.bin ? [options.bin, args] : ['node', [...(options.nodeFlags ?? []), CLI, ...args]];
		execFile(
			file,
			argv,
			{env: {...cleanEnv(), ...options.env}, cwd: options.cwd, timeout: options.timeoutMs ?? 20_000, killSignal: 'SIGKILL', maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024},
			(error, stdout, stderr) => {
				const e = error as {code?: unknown; signal?: string | null; killed?: boolean} | null;
				const code = !e ? 0 : e.killed || typeof e.code !== 'number' ? (e.signal ? null : 1) : e.code;
				resolve({code, signal: e?.signal ?? null, stdout, stderr, ms: Date.now() - started});
			},
		);
	});
