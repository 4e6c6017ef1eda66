// The live UI. Ink traps met in tmux, each handled where noted:
// - a frame as tall as the terminal makes Ink 6 clear the whole screen on
//   every render, so the frame is one row shorter (layout.ts);
// - Ink 6.8's incremental renderer drifts a row per frame in tmux: the
//   standard one is used (below);
// - Ink's frame rate cap went from 10 to 30 a second, so a key press no
//   longer waits up to 100 ms for its frame (test/bench/keys.mjs);
// - a lone Esc waits for tmux's escape-time (500 ms before tmux 3.5), so q, h
//   and Backspace close views too (keymap.ts).
import {render} from 'ink';
import React from 'react';
import {App} from './app';
import type {RunConfig} from './main';
import type {OpenSources} from './main';
import {enterAltScreen, leaveAltScreen} from './terminal';

/** Errors that mean the terminal is gone (closed pane or window, hung-up pty), not a bug. */
const TERMINAL_GONE = new Set(['EIO', 'EPIPE', 'ENXIO', 'EBADF', 'ERR_STREAM_DESTROYED']);
const terminalGone = (error: unknown): boolean => TERMINAL_GONE.has((error as {code?: unknown} | null)?.code as string);

/**
 * Ends the process by SIGHUP itself, as if it had no handler: the parent sees
 * death by hangup (a shell's `$?` is 129), the conventional end when the
 * terminal goes away. Exiting normally would make Node reset the terminal's
 * modes (tcsetattr) at exit, which on a hung-up pty fails an assertion inside
 * Node: a native stack dump and exit 139. A signal death skips that reset.
 */
const dieOfHangup = (): Promise<never> => {
	process.removeAllListeners('SIGHUP');
	process.kill(process.pid, 'SIGHUP');
	// Delivered at once; should something still hold SIGHUP, SIGKILL also skips the reset.
	return new Promise(() => setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1000));
};

/**
 * The full-screen UI until the user quits; restores the terminal on every exit
 * path. Returns 0; when the terminal goes away under it, the process ends by SIGHUP.
 */
export const runInteractive = async (config: RunConfig, set: OpenSources): Promise<number> => {
	enterAltScreen(process.stdout);
	let instance: ReturnType<typeof render> | null = null;
	// Set once the terminal hangs up (tmux kill-session, a closed window):
	// every write to it then fails with EIO and there is nothing to restore,
	// so tcmon stops drawing, closes its connections and exits without a word.
	let hungUp = false;
	const restore = () => {
		if (!hungUp) leaveAltScreen(process.stdout);
	};
	const onSignal = () => {
		instance?.unmount();
	};
	const onHangup = () => {
		hungUp = true;
		instance?.unmount();
	};
	// The final frame and the restore after a hangup fail with EIO on stdout
	// (and a pending read on stdin too); with no listener Node made each one a crash.
	const onStreamError = (error: unknown) => {
		if (!terminalGone(error)) throw error;
		onHangup();
	};
	// Runs before the last-resort handler in cli.tsx (which restores the
	// terminal and prints one line): the final frame goes to the alternate screen.
	const onCrash = () => {
		try {
			instance?.unmount();
		} catch {}
	};
	process.on('SIGTERM', onSignal);
	process.on('SIGHUP', onHangup);
	process.on('SIGINT', onSignal);
	process.stdout.on('error', onStreamError);
	process.stdin.on('error', onStreamError);
	process.prependListener('uncaughtException', onCrash);
	process.prependListener('unhandledRejection', onCrash);
	process.on('exit', restore);
	let rows = process.stdout.rows;
	const onResize = () => {
		// Ink clears on a narrower terminal but not on a shorter one.
		if (process.stdout.rows < rows) instance?.clear();
		rows = process.stdout.rows;
	};
	process.stdout.on('resize', onResize);
	try {
		instance = render(<App source={set.source} intervalMs={config.intervalMs} prefix={config.prefix} allowWrite={config.allowWrite} initialPane={config.pane} grid={config.grid} capabilities={set.capabilities} />, {
			exitOnCtrlC: false,
			patchConsole: false,
			// Ink throttles frames to this rate: at 10 a key press right after a
			// frame waited up to 100 ms for its own (measured by test/bench/keys.mjs).
			maxFps: 30,
			// Off on purpose: Ink 6.8's incremental writer rewinds with
			// cursorUp(lines - 1) although every non-fullscreen frame ends in a
			// newline, so each repaint lands one row lower (seen in tmux; fixed in
			// Ink 7, which needs Node 22). The standard writer erases and rewrites
			// the frame in one write, which tmux applies before it redraws.
			incrementalRendering: false,
		});
		await instance.waitUntilExit();
	} finally {
		process.stdout.off('resize', onResize);
		await set.close();
		restore();
		process.off('SIGTERM', onSignal);
		process.off('SIGINT', onSignal);
		// SIGHUP stays handled: a second one while closing must not end the process mid-close.
	}
	if (hungUp) return dieOfHangup();
	return 0;
};
