// The bundle is the source: `--once` of the built dist/cli.js (with its
// swapped Ink internals and patched dependencies) prints the same frame as
// the source's own main() on the same fixture, at several sizes and panes.
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {stripVTControlCharacters} from 'node:util';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {main} from '../../source/main';
import {instanceJson} from '../support/fixtures';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const CLEAN_ENV = ['REDIS_URL', 'REDISCLI_AUTH', 'TMUX_CLAUDE_STATE_DIR', 'NO_COLOR', 'FORCE_COLOR', 'TCMON_ALERTS', 'TMUX'];

let dir: string;
beforeAll(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-bundle-once-'));
	writeFileSync(
		path.join(dir, 'instances.json'),
		JSON.stringify({exec_1: JSON.parse(instanceJson('exec_1', 'executive', 'active')), mgr_1_2: JSON.parse(instanceJson('mgr_1_2', 'manager', 'idle', 'exec_1'))}),
	);
	for (const name of ['alpha', 'bravo']) writeFileSync(path.join(dir, `${name}.lock`), `${Date.now() - 5000}-0.1`);
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** Ages and clocks move between the two runs: compare the frame without them. */
const steady = (frame: string) =>
	stripVTControlCharacters(frame)
		.replace(/\d+(\.\d+)?(ms|s|m|h)\b/g, '#')
		.replace(/\d\d:\d\d:\d\d/g, '#')
		.replace(/█+░*|░+/g, '#')
		.replace(/[ ─]+$/gm, '')
		// A shorter age pads the line by a space elsewhere.
		.replace(/ +/g, ' ');

const bundled = (args: string[]): Promise<string> =>
	new Promise((resolve, reject) => {
		const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !CLEAN_ENV.includes(k)));
		execFile('node', [CLI, ...args], {env}, (error, stdout) => (error ? reject(error) : resolve(stdout)));
	});

const fromSource = async (args: string[]): Promise<string> => {
	let out = '';
	const write = vi.spyOn(process.stdout, 'write').mockImplementation(chunk => {
		out += String(chunk);
		return true;
	});
	const saved = Object.fromEntries(CLEAN_ENV.map(k => [k, process.env[k]]));
	for (const k of CLEAN_ENV) delete process.env[k];
	try {
		expect(await main(args)).toBe(0);
	} finally {
		write.mockRestore();
		for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
	}
	return out;
};

describe('the built bundle renders what the source renders', () => {
	for (const [width, height, pane] of [
		[80, 24, 'stats'],
		[120, 35, 'locks'],
		[100, 30, 'agents'],
	] as const) {
		it(`--once at ${width}x${height}, pane ${pane}`, async () => {
			const args = ['--source', 'json', '--state-dir', dir, '--once', '--width', String(width), '--height', String(height), '--pane', pane];
			const [built, source] = await Promise.all([bundled(args), fromSource(args)]);
			expect(built.length).toBeGreaterThan(100);
			expect(steady(built)).toBe(steady(source));
		});
	}
});
