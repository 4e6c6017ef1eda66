// Drives a command in a private tmux server (its own -L socket, no user
// config) the way a user types: one send-keys per key, then polls
// capture-pane until the screen shows what the key should have done.
import {execFileSync} from 'node:child_process';
import {rmSync} from 'node:fs';
import path from 'node:path';

export type Step = {commands: string[]; keys: string[]; expect: (frame: string) => boolean; what: string};

export const tmuxAvailable = (): boolean => {
	try {
		execFileSync('tmux', ['-V']);
		return true;
	} catch {
		return false;
	}
};

export class TmuxDriver {
	/** Commands of the keymap a step exercised (checked against the keymap at the end). */
	readonly covered = new Set<string>();
	private readonly socket: string;

	constructor(
		name: string,
		private readonly session = 'e2e',
	) {
		this.socket = `tcmon-${name}-${process.pid}-${Date.now()}`;
	}

	tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	}

	/** Whether the pane's command still runs (its session closes when it exits). */
	running(): boolean {
		try {
			this.tmux('has-session', '-t', this.session);
			return true;
		} catch {
			return false;
		}
	}

	/** Waits for the command to exit; false if it still runs after `timeoutMs`. */
	async exited(timeoutMs = 5000): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		while (this.running()) {
			if (Date.now() > deadline) return false;
			await new Promise(r => setTimeout(r, 50));
		}
		return true;
	}

	/**
	 * Starts `command` in a width × height pane. Esc is held by tmux for
	 * escape-time (500 ms by default before 3.5) to tell it from Alt-key:
	 * 10 ms makes a lone Esc arrive as Esc at once.
	 */
	start(command: string, width = 100, height = 30): void {
		this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', this.session, '-x', String(width), '-y', String(height), command, ';', 'set-option', '-sg', 'escape-time', '10');
	}

	screen(): string {
		return this.tmux('capture-pane', '-p', '-t', this.session);
	}

	/** The status bar: the last non-empty row. */
	status(): string {
		return this.screen().trimEnd().split('\n').at(-1) ?? '';
	}

	async waitFor(what: string, predicate: (frame: string) => boolean, timeoutMs = 6000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const frame = this.screen();
			if (predicate(frame)) return frame;
			if (Date.now() > deadline) throw new Error(`${what}: the screen never matched; last screen:\n${frame}`);
			await new Promise(r => setTimeout(r, 50));
		}
	}

	/** tmux key names: one send-keys call per key, as a user types them. */
	async send(...keys: string[]): Promise<void> {
		for (const k of keys) {
			this.tmux('send-keys', '-t', this.session, ...(k.length === 1 ? ['-l', k] : [k]));
			await new Promise(r => setTimeout(r, 30));
		}
	}

	async step({commands, keys, expect, what}: Step): Promise<string> {
		await this.send(...keys);
		const t0 = Date.now();
		const frame = await this.waitFor(`${what} (${keys.join(' ')})`, expect);
		if (process.env.TMUX_STEP_TIMES) process.stderr.write(`${Date.now() - t0}ms ${what}\n`);
		for (const c of commands) this.covered.add(c);
		return frame;
	}

	/** Every way between panes (numbers, Tab / Shift-Tab, l / h, → / ←), then zoom in and out: the same in every UI. */
	async walkPanes(): Promise<void> {
		for (const [n, name] of [[2, 'Slowlog'], [3, 'Keys'], [4, 'Locks'], [5, 'Agents'], [1, 'Stats']] as const) {
			await this.step({commands: [`pane.${n}`], keys: [String(n)], expect: title(n, name), what: `pane ${n}`});
		}
		await this.step({commands: ['pane.next'], keys: ['Tab'], expect: title(2, 'Slowlog'), what: 'Tab'});
		await this.step({commands: ['pane.prev'], keys: ['BTab'], expect: title(1, 'Stats'), what: 'Shift-Tab'});
		await this.step({commands: ['pane.next'], keys: ['l'], expect: title(2, 'Slowlog'), what: 'l'});
		await this.step({commands: ['pane.prev'], keys: ['h'], expect: title(1, 'Stats'), what: 'h'});
		await this.step({commands: ['pane.next'], keys: ['Right'], expect: title(2, 'Slowlog'), what: '→'});
		await this.step({commands: ['pane.prev'], keys: ['Left'], expect: title(1, 'Stats'), what: '←'});
		await this.step({commands: ['pane.zoom'], keys: ['z'], expect: f => !f.includes('2 Slowlog  3 Keys'), what: 'zoom in'});
		await this.step({commands: ['pane.zoom'], keys: ['z'], expect: f => f.includes('2 Slowlog  3 Keys'), what: 'zoom out'});
	}

	kill(): void {
		try {
			execFileSync('tmux', ['-L', this.socket, 'kill-server'], {stdio: 'ignore'});
		} catch {}
		// tmux 3.3 leaves its socket file behind.
		rmSync(path.join(process.env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), {force: true});
	}
}

/** A pane's title as the frame draws it: `╭─ 2 Slowlog`. */
export const title = (n: number, name: string) => (f: string) => f.includes(`╭─ ${n} ${name}`);
