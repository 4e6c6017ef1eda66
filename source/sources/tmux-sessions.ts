// Asking tmux which sessions exist, for agent liveness, and moving the
// user's tmux client to an agent. tcmon only ever runs `list-sessions` and
// `switch-client` (which changes what the client shows, nothing else): it
// never kills, creates or writes anything in tmux. execFile, never a shell:
// session names come from the store and may be hostile.
import {execFile} from 'node:child_process';
import type {Snapshot, TmuxView} from '../domain/types';
import type {PollOptions, Source} from './source';

export const TMUX_MIN_INTERVAL_MS = 2000;
export const TMUX_TIMEOUT_MS = 1000;
/** More sessions than any real server has: the rest are not read. */
const MAX_SESSIONS = 10_000;

/**
 * The tmux server to ask: `--tmux-socket PATH`, else the one tcmon runs
 * inside (`$TMUX` is `socket,pid,session`), else none.
 */
export const tmuxSocketOf = (env: NodeJS.ProcessEnv, flag?: string | null): string | null => {
	if (flag) return flag;
	const tmux = env['TMUX'];
	if (!tmux) return null;
	const socket = tmux.split(',')[0];
	return socket ? socket : null;
};

type Run = {ok: true; stdout: string} | {ok: false; kind: 'none' | 'error'; detail: string};

const firstLine = (text: string): string => text.trim().split('\n')[0]?.slice(0, 200) ?? '';

/** One tmux command on `socket`, with a timeout; never throws. */
export const runTmux = (socket: string, args: string[], timeoutMs = TMUX_TIMEOUT_MS, bin = 'tmux'): Promise<Run> =>
	new Promise(resolve => {
		try {
			execFile(bin, ['-S', socket, ...args], {timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024, encoding: 'utf8'}, (error, stdout, stderr) => {
				if (!error) return resolve({ok: true, stdout});
				const e = error as NodeJS.ErrnoException & {killed?: boolean; signal?: string | null};
				if (e.code === 'ENOENT') return resolve({ok: false, kind: 'none', detail: 'tmux is not installed'});
				if (e.killed || e.signal === 'SIGKILL') return resolve({ok: false, kind: 'error', detail: `tmux did not answer within ${timeoutMs} ms`});
				const said = firstLine(stderr || e.message);
				// "no server running on …", "error connecting to … (No such file or directory)"
				if (/no server running|error connecting to|No such file or directory|Connection refused/i.test(said)) return resolve({ok: false, kind: 'none', detail: `no tmux server on ${socket}`});
				resolve({ok: false, kind: 'error', detail: said || 'tmux failed'});
			});
		} catch (error) {
			resolve({ok: false, kind: 'error', detail: (error as Error).message});
		}
	});

export type TmuxReaderOptions = {
	socket: string | null;
	/** Why there is no socket (shown when socket is null). */
	noSocketDetail?: string;
	minIntervalMs?: number;
	timeoutMs?: number;
	bin?: string;
	now?: () => number;
};

const sameView = (a: TmuxView, b: TmuxView): boolean =>
	a.state === b.state && a.detail === b.detail && a.socket === b.socket && a.sessions.length === b.sessions.length && a.sessions.every((s, i) => s === b.sessions[i]);

/**
 * `tmux list-sessions` at most every `minIntervalMs`; between reads, the
 * last answer. One read in flight at a time.
 */
export class TmuxReader {
	private last: TmuxView | null = null;
	private askedAt = Number.NEGATIVE_INFINITY;
	private inFlight: Promise<TmuxView> | null = null;
	readonly socket: string | null;

	constructor(private readonly options: TmuxReaderOptions) {
		this.socket = options.socket;
	}

	read(): Promise<TmuxView> {
		const now = (this.options.now ?? Date.now)();
		if (this.last && now - this.askedAt < (this.options.minIntervalMs ?? TMUX_MIN_INTERVAL_MS)) return Promise.resolve(this.last);
		if (this.inFlight) return this.inFlight;
		this.askedAt = now;
		this.inFlight = this.ask(now).then(view => {
			// The same answer keeps the same object: what is built from it (the Agents view) is reused.
			if (!this.last || !sameView(this.last, view)) this.last = view;
			this.inFlight = null;
			return this.last;
		});
		return this.inFlight;
	}

	private async ask(readAt: number): Promise<TmuxView> {
		const socket = this.socket;
		if (!socket) return {state: 'none', sessions: [], detail: this.options.noSocketDetail ?? 'not inside tmux (no $TMUX) and no --tmux-socket', socket: null, readAt};
		const result = await runTmux(socket, ['list-sessions', '-F', '#{session_name}'], this.options.timeoutMs, this.options.bin);
		if (!result.ok) return {state: result.kind, sessions: [], detail: result.detail, socket, readAt};
		const sessions = result.stdout.split('\n').filter(Boolean).slice(0, MAX_SESSIONS);
		return {state: 'ok', sessions, detail: null, socket, readAt};
	}
}

export type SwitchResult = {ok: boolean; message: string};

/**
 * Moves the tmux client tcmon runs in to `target` (a pane target or a
 * session). Only the client's view changes; the store is not touched.
 */
export const switchClient = async (socket: string | null, target: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = TMUX_TIMEOUT_MS): Promise<SwitchResult> => {
	if (!env['TMUX']) return {ok: false, message: `not inside tmux: run tcmon in tmux to jump to ${target} (or: tmux attach -t ${target.split(':')[0]})`};
	if (!socket) return {ok: false, message: 'no tmux server to ask'};
	const result = await runTmux(socket, ['switch-client', '-t', target], timeoutMs);
	if (result.ok) return {ok: true, message: `switched to ${target}`};
	const detail = result.detail.replace(/^can't find (session|window|pane):?/i, 'no such $1:');
	return {ok: false, message: `cannot switch to ${target}: ${detail}`};
};

/** A Source whose snapshots carry tmux's session list (read on its own budget). */
export class TmuxSource implements Source {
	constructor(
		readonly inner: Source,
		readonly reader: TmuxReader,
	) {}

	get kind() {
		return this.inner.kind;
	}

	async poll(options?: PollOptions): Promise<Snapshot> {
		const [snapshot, tmux] = await Promise.all([this.inner.poll(options), this.reader.read()]);
		// A source that knows its own sessions (the demo) keeps them.
		return snapshot.tmux ? snapshot : {...snapshot, tmux};
	}

	close(): Promise<void> {
		return this.inner.close();
	}

	current(): Source {
		return this.inner.current();
	}
}
