// The Keys pane follows the store (issue 13): with change tracking, keys
// created and deleted under the prefix appear and go within a poll or two;
// without it, the pane says how old its walk is.
import React from 'react';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {App} from '../../source/app';
import {openSources, parseArgs} from '../../source/main';
import {RedisSource} from '../../source/sources/redis-source';
import {RedisServer} from '../support/redis-server';
import {renderTui} from '../support/render';
import {P, writeLayout1} from '../support/store';

let server: RedisServer;
let source: RedisSource | null = null;
beforeAll(async () => {
	server = await RedisServer.start();
});
afterAll(async () => {
	await server.stop();
});
beforeEach(async () => {
	const r = server.client();
	await r.flushall();
	await writeLayout1(r);
});
afterEach(async () => {
	await source?.close();
	source = null;
});

const app = (keyTracking: boolean) => {
	source = new RedisSource({url: server.url, prefix: P, keyTracking});
	return renderTui(<App source={source} intervalMs={300} prefix={P} size={{columns: 100, rows: 40}} initialPane="keys" />, {columns: 100, rows: 40});
};

describe('Keys pane follows writes', () => {
	it('shows a new namespace and drops a deleted key while change tracking covers the store', async () => {
		const ui = app(true);
		await ui.waitFor(f => /follows writes/.test(f), 8000);
		expect(ui.lastFrame()).not.toContain('freshns');
		// Tracking turns on after the first polls (its subscriber connects then): give it a moment.
		await new Promise(r => setTimeout(r, 1000));
		const r = server.client();
		await r.set(`${P}:freshns:one`, '1');
		await ui.waitFor(f => f.includes('freshns'), 5000);
		await r.del(`${P}:freshns:one`);
		await ui.waitFor(f => !f.includes('freshns'), 5000);
	});

	it('started on Keys with the CLI\'s own source set, walks Redis once it answers, with the prefix open', async () => {
		// The auto source is a state dir until Redis answers: the pane used to stay on "state dir · 0 keys".
		const config = parseArgs(['--url', server.url, '--pane', 'keys'], {});
		if (typeof config === 'number') throw new Error(`bad flags: ${config}`);
		const set = openSources(config);
		try {
			const ui = renderTui(<App source={set.source} capabilities={set.capabilities} intervalMs={300} prefix={P} size={{columns: 100, rows: 40}} initialPane="keys" />, {columns: 100, rows: 40});
			const frame = await ui.waitFor(f => /Keys · tree · tmux-claude:\*/.test(f), 8000);
			await ui.waitFor(f => /▾ tmux-claude:/.test(f) && f.includes('instance:'), 4000).catch(() => {
				throw new Error(`the prefix namespace is not open:\n${frame}`);
			});
		} finally {
			await set.close();
		}
	});

	it('says how old the walk is when writes cannot be followed', async () => {
		const ui = app(false);
		await ui.waitFor(f => /walked \S+ ago/.test(f), 8000);
	});
});
