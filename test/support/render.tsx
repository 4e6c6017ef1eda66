// The one place that knows the quirks of rendering Ink in tests: a fake TTY
// with a chosen size, frames read after a macrotask, ANSI stripped, every
// instance unmounted after each test so polling timers never leak.
import {EventEmitter} from 'node:events';
import {render as inkRender, renderToString, type Instance} from 'ink';
import type React from 'react';
import {stripVTControlCharacters} from 'node:util';
import {afterEach} from 'vitest';

class FakeStdout extends EventEmitter {
	isTTY = true;
	frames: string[] = [];
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}
	write = (frame: string) => {
		this.frames.push(frame);
		return true;
	};
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	read = () => {
		const d = this.data;
		this.data = null;
		return d;
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

const mounted: Instance[] = [];
afterEach(() => {
	while (mounted.length > 0) mounted.pop()!.unmount();
});

export const KEYS = {
	tab: '\t',
	shiftTab: '\u001b[Z',
	up: '\u001b[A',
	down: '\u001b[B',
	right: '\u001b[C',
	left: '\u001b[D',
	pageUp: '\u001b[5~',
	pageDown: '\u001b[6~',
	escape: '\u001b',
	enter: '\r',
	ctrlC: '\u0003',
} as const;

export const tick = (ms = 0) => new Promise(r => setTimeout(r, ms));

/** How long `press` waits for a frame a key may not cause (Esc alone: Ink waits to tell it from a sequence). */
const FRAME_WAIT_MS = 150;

export const renderTui = (tree: React.ReactElement, size: {columns: number; rows: number}) => {
	const stdout = new FakeStdout(size.columns, size.rows);
	const stdin = new FakeStdin();
	const instance = inkRender(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: new FakeStdout(size.columns, size.rows) as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	mounted.push(instance);
	const lastFrame = () => stripVTControlCharacters(stdout.frames.at(-1) ?? '');
	/** Resolves once a frame after the `before`-th is written, or after `FRAME_WAIT_MS`. */
	const nextFrame = async (before: number) => {
		const deadline = Date.now() + FRAME_WAIT_MS;
		while (stdout.frames.length === before && Date.now() < deadline) await tick(2);
		// The frame is written during the render's commit: let its effects run too.
		await tick(0);
	};
	return {
		lastFrame,
		stdout,
		instance,
		/**
		 * Types keys one at a time, each after the frame of the one before: it
		 * waits for the next frame Ink writes (a key that changes nothing writes
		 * none: then at most `FRAME_WAIT_MS`), not for a fixed time.
		 */
		press: async (...keys: string[]) => {
			for (const k of keys) {
				const before = stdout.frames.length;
				stdin.write(k);
				await nextFrame(before);
			}
		},
		/** Types keys in one burst, faster than a frame (a fast typist, a paste, tmux send-keys). */
		burst: async (...keys: string[]) => {
			for (const k of keys) stdin.write(k);
			await tick(40);
		},
		/** Waits until the frame satisfies `predicate` (or fails after `timeoutMs`). */
		waitFor: async (predicate: (frame: string) => boolean, timeoutMs = 5000) => {
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				if (predicate(lastFrame())) return lastFrame();
				await tick(20);
			}
			throw new Error(`frame never matched within ${timeoutMs} ms; last frame:\n${lastFrame()}`);
		},
		resize: (columns: number, rows: number) => {
			stdout.columns = columns;
			stdout.rows = rows;
			stdout.emit('resize');
		},
	};
};

/** A static frame as plain text, for pane snapshots. */
export const frameOf = (tree: React.ReactElement, columns: number): string => stripVTControlCharacters(renderToString(tree, {columns}));

/** Snapshot widths every pane is checked at. */
export const WIDTHS = [80, 120] as const;
