// Issue 13's user-visible key bugs, one test each, driven through the App as
// a user types: every key acts on the state the key before it produced.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {App} from '../source/app';
import {JsonSource} from '../source/sources/json-source';
import {RedisSource} from '../source/sources/redis-source';
import {slowlogTracker} from '../source/sources/slowlog-tracker';
import {TrackedSource} from '../source/sources/tracked-source';
import {instanceJson} from './support/fixtures';
import {RedisServer} from './support/redis-server';
import {KEYS, renderTui, tick} from './support/render';
import {P} from './support/store';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-order-'));
	const now = Date.now();
	writeFileSync(path.join(dir, 'instances.json'), JSON.stringify({exec_1: JSON.parse(instanceJson('exec_1', 'executive', 'active'))}));
	for (let i = 0; i < 30; i++) writeFileSync(path.join(dir, `res-${String(i).padStart(2, '0')}.lock`), `${now}-0.${i}`);
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const app = (columns: number, rows: number, over: {intervalMs?: number; allowWrite?: boolean} = {}) =>
	renderTui(
		<App source={new JsonSource({dir})} intervalMs={over.intervalMs ?? 200} prefix="tmux-claude" allowWrite={over.allowWrite} size={{columns, rows}} />,
		{columns, rows},
	);

/** The status bar: the frame's last line. */
const statusOf = (frame: string) => frame.split('\n').at(-1) ?? '';

describe('keys on a JSON source', () => {
	it('the Keys pane takes keys after a poll rebuilt its tree (3 then v, j, ← in --demo)', async () => {
		const ui = app(80, 24, {intervalMs: 100});
		await ui.waitFor(f => f.includes('1 instances'));
		await ui.press('3');
		await ui.waitFor(f => f.includes('instances.json'));
		// Several polls land between keys: each used to make the next key rebuild the tree instead.
		await tick(350);
		await ui.press('v');
		await ui.waitFor(f => !/▾ instances\.json|▸ instances\.json/.test(f) && f.includes('╭─ 3 Keys'), 2000);
		await tick(350);
		await ui.press('v');
		await ui.waitFor(f => /[▾▸] instances\.json/.test(f), 2000);
	});

	it('← collapses and → expands a namespace in the Keys tree; they do not switch panes', async () => {
		const ui = app(80, 24);
		await ui.waitFor(f => f.includes('1 instances'));
		await ui.press('3');
		await ui.waitFor(f => f.includes('▾ instances.json'));
		await ui.press(KEYS.left);
		let frame = await ui.waitFor(f => f.includes('▸ instances.json'), 2000);
		expect(frame).toContain('╭─ 3 Keys');
		await ui.press(KEYS.right);
		frame = await ui.waitFor(f => f.includes('▾ instances.json'), 2000);
		expect(frame).toContain('╭─ 3 Keys');
	});

	it('h is the previous pane as l is the next one', async () => {
		const ui = app(80, 24);
		await ui.waitFor(f => f.includes('1 instances'));
		await ui.press('l');
		await ui.waitFor(f => f.includes('╭─ 2 Slowlog'));
		await ui.press('h');
		await ui.waitFor(f => f.includes('╭─ 1 Stats'), 2000);
	});

	it('+ and - step a fixed ladder and come back to 1.0 s', async () => {
		const ui = app(120, 35);
		await ui.waitFor(f => f.includes('every 200ms'));
		await ui.press('-');
		await ui.waitFor(f => f.includes('every 500ms'), 2000);
		await ui.press('-');
		await ui.waitFor(f => /every 1(\.0)?s/.test(f), 2000);
		await ui.press('-', '+');
		await ui.waitFor(f => /every 1(\.0)?s/.test(f), 2000);
		await ui.press('+', '+', '+', '+');
		await ui.waitFor(f => f.includes('every 100ms'), 2000);
	});

	it('z zooms the focused pane to the whole body and back', async () => {
		const ui = app(120, 35);
		await ui.waitFor(f => f.includes('1 instances'));
		await ui.press('4');
		expect(ui.lastFrame()).toContain('╭─ 1 Stats');
		expect(ui.lastFrame()).not.toContain('res-14');
		await ui.press('z');
		let frame = await ui.waitFor(f => !f.includes('╭─ 1 Stats'), 2000);
		expect(frame).toContain('╭─ 4 Locks');
		// The zoomed pane shows more rows than its grid cell did.
		expect(frame).toContain('res-14');
		await ui.press('z');
		frame = await ui.waitFor(f => f.includes('╭─ 1 Stats'), 2000);
		expect(frame).toContain('╭─ 4 Locks');
	});

	it('the lock detail: G and PgDn do not move the list behind it, and the bar lists only what works there', async () => {
		const ui = app(80, 24);
		await ui.waitFor(f => f.includes('1 instances'));
		await ui.press('4', KEYS.enter);
		const detail = await ui.waitFor(f => f.includes('res-00 · file'));
		expect(statusOf(detail)).not.toMatch(/\bsort\b|\bfilter\b|\bevents\b|\bpane\b/);
		await ui.press('G', KEYS.pageDown);
		await ui.press('q');
		const list = await ui.waitFor(f => !f.includes('res-00 · file'));
		// Enter again opens the same lock: the cursor did not move underneath.
		expect(list).toContain('res-00');
		await ui.press(KEYS.enter);
		await ui.waitFor(f => f.includes('res-00 · file'));
	});

	it('the force-release prompt echoes what is typed, and the header says write mode is on', async () => {
		const ui = app(80, 24, {allowWrite: true});
		const first = await ui.waitFor(f => f.includes('1 instances'));
		expect(first.split('\n').slice(0, 2).join('\n')).toMatch(/WRITE/);
		await ui.press('4', 'x');
		await ui.waitFor(f => /force-release/.test(statusOf(f)));
		await ui.press(...'res-0');
		await ui.waitFor(f => statusOf(f).includes('res-0▏'), 2000);
		// Ctrl-U clears the line, Esc cancels without releasing.
		await ui.press('\u0015');
		await ui.waitFor(f => !statusOf(f).includes('res-0▏'), 2000);
	});

	it('/ is one prompt in every pane: it echoes, Ctrl-U clears, Esc cancels and keeps the old filter, Enter applies', async () => {
		const ui = app(80, 24);
		await ui.waitFor(f => f.includes('1 instances'));
		await ui.press('4', '/', ...'res-1');
		let frame = await ui.waitFor(f => statusOf(f).includes('res-1▏'));
		await ui.press(KEYS.enter);
		frame = await ui.waitFor(f => !statusOf(f).includes('▏'));
		expect(frame).toContain('res-10');
		expect(frame).not.toContain('res-20');
		// A new prompt starts from the filter applied; Ctrl-U clears it, Esc cancels: the filter stays.
		await ui.press('/');
		await ui.waitFor(f => statusOf(f).includes('res-1▏'));
		await ui.press('\u0015', 'z');
		await ui.waitFor(f => statusOf(f).includes('/z▏'));
		await ui.press(KEYS.escape);
		await tick(80);
		frame = await ui.waitFor(f => !statusOf(f).includes('▏'));
		expect(frame).toContain('res-10');
		expect(frame).not.toContain('res-20');
		// The same prompt in Slowlog's and Keys' filters.
		for (const pane of ['2', '3']) {
			await ui.press(pane, '/', ...'ab', '\u0015', 'c');
			await ui.waitFor(f => statusOf(f).includes('/c▏'), 2000);
			await ui.press(KEYS.escape);
			await tick(80);
			await ui.waitFor(f => !statusOf(f).includes('▏'));
		}
	});
});

describe('keys on a real server', () => {
	let server: RedisServer;
	const opened: TrackedSource[] = [];
	beforeAll(async () => {
		server = await RedisServer.start({args: ['--slowlog-log-slower-than', '0', '--slowlog-max-len', '1000']});
	});
	afterAll(async () => {
		while (opened.length > 0) await opened.pop()!.close();
		await server.stop();
	});
	const open = () => {
		const source = new TrackedSource(new RedisSource({url: server.url, prefix: P, slowlogCount: 128}), [slowlogTracker({prefix: P, slowlogCount: 128})]);
		opened.push(source);
		return source;
	};

	it('g then j Enter in one burst opens the second entry, not the top one', async () => {
		const r = server.client();
		await r.set('first-marker', '1');
		await r.set('second-marker', '2');
		const ui = renderTui(<App source={open()} intervalMs={60_000} prefix={P} size={{columns: 80, rows: 24}} initialPane="slowlog" />, {columns: 80, rows: 24});
		await ui.waitFor(f => f.includes('second-marker'));
		// The top entry (newest first, one poll: nothing moves under us).
		await ui.press(KEYS.enter);
		const top = Number((await ui.waitFor(f => /entry\s+#\d+/i.test(f))).match(/entry\s+#(\d+)/i)![1]);
		await ui.press('q');
		await ui.waitFor(f => !/args 1–/.test(f));
		await ui.press('j', 'j', 'j');
		await ui.burst('g', 'j', KEYS.enter);
		const detail = await ui.waitFor(f => /entry\s+#\d+/i.test(f));
		expect(Number(detail.match(/entry\s+#(\d+)/i)![1])).toBe(top - 1);
	});

	it('a filter sorts by duration and the title says so, not "newest"', async () => {
		const r = server.client();
		await r.set('needle-a', '1');
		const ui = renderTui(<App source={open()} intervalMs={5000} prefix={P} size={{columns: 80, rows: 24}} initialPane="slowlog" />, {columns: 80, rows: 24});
		await ui.waitFor(f => f.includes('needle-a'));
		await ui.press('/', ...'needle', KEYS.enter);
		const frame = await ui.waitFor(f => /\/needle/.test(f));
		const title = frame.split('\n').find(l => l.includes('╭─ 2 Slowlog'))!;
		expect(title).not.toContain('newest');
		expect(title).toMatch(/slowest|duration/);
	});
});
