// `tcmon split`: opens tcmon in a new tmux pane beside the current one
// (`tmux split-window`). The only thing tcmon ever creates in tmux, and only
// when asked to by this command. execFile, no shell of ours: tmux runs the
// pane's command through its own shell, so every argument is single-quoted.
import {execFile} from 'node:child_process';
import {fail} from '../cli-flags';
import {redactUrl} from '../config';
import type {SubCommand} from './registry';

export const SPLIT_HELP = `
  Usage
    $ tcmon split [--side right|left|below|above] [--size N|N%] [--] [tcmon options]

  Opens tcmon in a new tmux pane beside the current one (tmux split-window),
  with the tcmon options given (the connection, --pane, --panes…). Must be run
  inside tmux. The new pane starts in the current directory, with $REDIS_URL
  and $TMUX_CLAUDE_STATE_DIR passed on (not a URL holding a password, nor
  $REDISCLI_AUTH: they would show in the process list; pass -a instead, or set
  them in tmux's environment).

  Options
        --side SIDE   right (default), left, below or above
        --size SIZE   the new pane's width (or height): cells, or a percentage
                      (default 40%)

  Examples
    $ tcmon split -- --pane agents -u redis://127.0.0.1:6379
    $ tcmon split --side below --size 15 -- --demo
  .tmux.conf
    bind-key M run-shell 'tcmon split -- --pane agents'
`;

const SIDES = {right: ['-h'], left: ['-h', '-b'], below: ['-v'], above: ['-v', '-b']} as const;
type Side = keyof typeof SIDES;

export type SplitPlan = {side: Side; size: string; forward: string[]};

/** Parses split's own flags; everything else (and all after `--`) goes to the new tcmon. */
export const parseSplit = (argv: string[]): SplitPlan | {help: true} | {error: string} => {
	let side: string = 'right';
	let size = '40%';
	const forward: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '--') {
			forward.push(...argv.slice(i + 1));
			break;
		}
		if (arg === '--help') return {help: true};
		const m = /^--(side|size)(?:=(.*))?$/.exec(arg);
		if (!m) {
			forward.push(arg);
			continue;
		}
		const value = m[2] ?? argv[++i];
		if (value === undefined) return {error: `--${m[1]} needs a value`};
		if (m[1] === 'side') side = value;
		else size = value;
	}
	if (!(side in SIDES)) return {error: `--side must be right, left, below or above, got ${JSON.stringify(side)}`};
	const sm = /^(\d{1,4})(%?)$/.exec(size);
	if (!sm || Number(sm[1]) < 1 || (sm[2] === '%' && Number(sm[1]) > 99)) return {error: `--size must be a number of cells or a percentage from 1% to 99%, got ${JSON.stringify(size)}`};
	return {side: side as Side, size, forward};
};

/** A word for the shell tmux runs the pane's command with. */
export const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

const hasPassword = (url: string): boolean => redactUrl(url) !== url;

/** The split-window argv (without the socket). */
export const splitArgs = (plan: SplitPlan, bin: string, env: NodeJS.ProcessEnv, cwd: string): string[] => {
	const passEnv: string[] = [];
	const url = env['REDIS_URL'];
	if (url && !hasPassword(url)) passEnv.push('-e', `REDIS_URL=${url}`);
	const dir = env['TMUX_CLAUDE_STATE_DIR'];
	if (dir) passEnv.push('-e', `TMUX_CLAUDE_STATE_DIR=${dir}`);
	const target = env['TMUX_PANE'] ? ['-t', env['TMUX_PANE']] : [];
	return ['split-window', ...SIDES[plan.side], '-l', plan.size, '-c', cwd, ...target, ...passEnv, [bin, ...plan.forward].map(shellQuote).join(' ')];
};

export const split: SubCommand = {
	summary: 'open tcmon in a new tmux pane beside this one',
	run: async (argv, env) => {
		const plan = parseSplit(argv);
		if ('help' in plan) {
			process.stdout.write(`${SPLIT_HELP.slice(1)}`);
			return 0;
		}
		if ('error' in plan) return fail(plan.error, 'tcmon split');
		const socket = env['TMUX']?.split(',')[0];
		if (!socket) {
			process.stderr.write('tcmon split: not inside tmux ($TMUX is not set): run it from a tmux pane\n');
			return 1;
		}
		const skipped = [env['REDISCLI_AUTH'] ? '$REDISCLI_AUTH' : '', env['REDIS_URL'] && hasPassword(env['REDIS_URL']) ? '$REDIS_URL (it holds a password)' : ''].filter(Boolean);
		if (skipped.length) process.stderr.write(`tcmon split: not passed to the new pane: ${skipped.join(', ')}; pass -a, or set it in tmux's environment\n`);
		const bin = env['TCMON_BIN'] ?? process.argv[1] ?? 'tcmon';
		const args = ['-S', socket, ...splitArgs(plan, bin, env, process.cwd())];
		return new Promise<number>(resolve => {
			execFile('tmux', args, {timeout: 5000}, (error, _stdout, stderr) => {
				if (!error) return resolve(0);
				process.stderr.write(`tcmon split: tmux split-window failed: ${(stderr || error.message).trim().split('\n')[0]}\n`);
				resolve(1);
			});
		});
	},
};
