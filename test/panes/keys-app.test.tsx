// The key browser driven by keys, in the real App, on a real redis-server.
import React from 'react';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/app';
import {RedisSource} from '../../source/sources/redis-source';
import {setClipboardWriter} from '../../source/ui/clipboard';
import {RedisServer} from '../support/redis-server';
import {KEYS, renderTui} from '../support/render';
import {P, writeLayout1, writeLayout2} from '../support/store';

let server: RedisServer;
let source: RedisSource | null = null;
beforeAll(async () => {
	server = await RedisServer.start();
	const r = server.client();
	await writeLayout1(r);
	await writeLayout2(r);
	await r.set(Buffer.concat([Buffer.from(`${P}:tmp:bin`), Buffer.from([0xff, 0x1b])]), Buffer.from([0, 1, 0xff]));
	const pipe = r.pipeline();
	for (let i = 0; i < 4000; i++) pipe.set(`bulk:${i % 5}:${i}`, 'x');
	await pipe.exec();
	await server.client({db: 2}).set('other:db', '1');
});
afterAll(async () => {
	await server.stop();
});
afterEach(async () => {
	setClipboardWriter(null);
	await source?.close();
	source = null;
});

const app = (columns = 120, rows = 35) => {
	source = new RedisSource({url: server.url, prefix: P});
	return renderTui(<App source={source} intervalMs={500} prefix={P} size={{columns, rows}} initialPane="keys" />, {columns, rows});
};

describe('Keys pane in the App', () => {
	it('indexes on focus, opens namespaces and keys, and goes back without quitting', async () => {
		const ui = app(80, 24);
		await ui.waitFor(f => /13 keys · \d+ scanned/.test(f));
		expect(ui.lastFrame()).toMatch(/▾ tmux-claude:\s+13/);
		// Narrow the scan to the locks with a glob, then open the first one.
		// One key per frame: the App reads a pane's state as of the last render.
		for (const k of '/lock:*') await ui.press(k);
		await ui.waitFor(f => /SCAN MATCH <prefix>:… \/lock:\*▏/.test(f));
		await ui.press(KEYS.enter);
		await ui.waitFor(f => /tree · tmux-claude:lock:\* · 1 keys/.test(f) && f.includes('1 keys · '));
		await ui.press('j');
		await ui.press(KEYS.enter);
		await ui.waitFor(f => /git-main\s+string\s+\d+s/.test(f));
		await ui.press('j');
		await ui.press(KEYS.enter);
		const viewer = await ui.waitFor(f => f.includes('acquired'));
		expect(viewer).toMatch(/tmux-claude:lock:git-main/);
		expect(viewer).toMatch(/string · 1\dB · TTL \d+s/);
		let copied = '';
		setClipboardWriter(seq => {
			copied = seq;
			return true;
		});
		await ui.press('y');
		await ui.waitFor(f => f.includes('copied 25 bytes'));
		expect(copied).toBe(`\u001b]52;c;${Buffer.from(`${P}:lock:git-main`).toString('base64')}\u0007`);
		await ui.press('q');
		await ui.waitFor(f => /namespace \/ key/.test(f));
		await ui.press('v');
		await ui.waitFor(f => /Keys · list/.test(f));
	});

	it('scans the whole database with a, filters by type with t, switches database with n', async () => {
		const ui = app();
		await ui.waitFor(f => /13 keys · [0-9]+ scanned/.test(f));
		await ui.press('a');
		await ui.waitFor(f => /4013 keys · [0-9]+ scanned/.test(f));
		expect(ui.lastFrame()).toMatch(/▸ bulk:\s+4000/);
		await ui.press('t');
		await ui.waitFor(f => /tree · \* · string · 4009 keys/.test(f) && / 4009 keys · [0-9]+ scanned/.test(f));
		await ui.press('s');
		await ui.waitFor(f => /scanning|cancelled at| 4009 keys · /.test(f));
		await ui.press('x');
		await ui.waitFor(f => / 4009 keys · |cancelled at/.test(f));
		// n: the other database in use, read on its own connection.
		for (const type of ['hash', 'list', 'set', 'zset', 'stream']) {
			await ui.press('t');
			await ui.waitFor(f => f.includes(`tree · * · ${type} · `));
		}
		await ui.press('t');
		await ui.waitFor(f => /tree · \* · 4013 keys/.test(f));
		await ui.press('n');
		await ui.waitFor(f => /tree · \* · db2 · 1 keys/.test(f) && /▸ other:\s+1/.test(f));
		await ui.press('n');
		await ui.waitFor(f => /tree · \* · 4013 keys/.test(f));
	});

	it('opens a binary key by its exact bytes and shows it escaped', async () => {
		const ui = app(80, 40);
		await ui.waitFor(f => /13 keys · [0-9]+ scanned/.test(f));
		await ui.press('v');
		const lines = (await ui.waitFor(f => f.includes('bin\\xff'))).split('\n');
		const header = lines.findIndex(l => /│ key\s+type/.test(l));
		const row = lines.findIndex(l => l.includes('bin\\xff\\x1b'));
		for (let i = 0; i < row - header - 1; i++) await ui.press('j');
		await ui.press(KEYS.enter);
		const view = await ui.waitFor(f => f.includes('00000000'));
		expect(view).toMatch(/tmux-claude:tmp:bin\\xff\\x1b/);
		expect(view).toMatch(/00000000 {2}00 01 ff/);
	});
});
