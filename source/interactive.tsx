import {render} from 'ink';
import React from 'react';
import {App} from './app';
import {redactUrl} from './config';
import type {RunConfig} from './main';
import type {SourceSet} from './sources/choose-source';
import {enterAltScreen, leaveAltScreen} from './terminal';

/** The full-screen UI until the user quits; restores the terminal on every exit path. */
export const runInteractive = async (config: RunConfig, set: SourceSet): Promise<number> => {
	enterAltScreen(process.stdout);
	let instance: ReturnType<typeof render> | null = null;
	const restore = () => leaveAltScreen(process.stdout);
	const onSignal = () => {
		instance?.unmount();
	};
	const onCrash = (error: unknown) => {
		instance?.unmount();
		restore();
		process.stderr.write(`tcmon crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`.replaceAll(config.url, redactUrl(config.url)));
		process.exit(1);
	};
	process.on('SIGTERM', onSignal);
	process.on('SIGHUP', onSignal);
	process.on('SIGINT', onSignal);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	process.on('exit', restore);
	let rows = process.stdout.rows;
	const onResize = () => {
		// Ink clears on a narrower terminal but not on a shorter one.
		if (process.stdout.rows < rows) instance?.clear();
		rows = process.stdout.rows;
	};
	process.stdout.on('resize', onResize);
	try {
		instance = render(<App source={set.source} intervalMs={config.intervalMs} prefix={config.prefix} allowWrite={config.allowWrite} initialPane={config.pane} grid={config.grid} />, {
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
		for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.off(sig, onSignal);
	}
	return 0;
};
