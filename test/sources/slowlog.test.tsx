// The slowlog on a real redis-server that logs every command
// (slowlog-log-slower-than 0): merge across polls, reset and restart
// detection, redaction and sanitising, denied and renamed SLOWLOG.
import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import React from 'react';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {toDocument} from '../../source/document';
import type {Snapshot} from '../../source/domain/types';
import {App} from '../../source/app';
import {SlowlogPane} from '../../source/panes/slowlog-pane';
import {RedisSource} from '../../source/sources/redis-source';
import {slowlogTracker} from '../../source/sources/slowlog-tracker';
import {TrackedSource} from '../../source/sources/tracked-source';
import {RedisServer} from '../support/redis-server';
import {frameOf, KEYS, renderTui} from '../support/render';
import {P} from '../support/store';

let server: RedisServer;
const opened: TrackedSource[] = [];

beforeAll(async () => {
	server = await RedisServer.start({args: ['--slowlog-log-slower-than', '0', '--slowlog-max-len', '1000']});
});
afterAll(async () => {
	await server.stop();
});
beforeEach(async () => {
	const admin = server.client();
	await admin.flushall();
	await admin.config('SET', 'slowlog-max-len', '1000');
	await admin.call('SLOWLOG', 'RESET');
});
afterEach(async () => {
	while (opened.length > 0) await opened.pop()!.close();
});

const open = (over: {url?: string; slowlogCount?: number} = {}) => {
	const redis = new RedisSource({url: over.url ?? server.url, prefix: P, slowlogCount: over.slowlogCount ?? 128});
	const source = new TrackedSource(redis, [slowlogTracker({prefix: P, slowlogCount: over.slowlogCount ?? 128})]);
	opened.push(source);
	return source;
};

const argsOf = (snap: Snapshot) => snap.slowlogHistory!.entries.map(e => e.args.join(' '));
const pane = (snap: Snapshot, width = 120) =>
	frameOf(<SlowlogPane snapshot={snap} history={[]} width={width} height={40} focused cursor={{index: 0, offset: 0}} />, width);

describe('slowlog on a real redis-server (slowlog-log-slower-than 0)', () => {
	it('merges every poll into one history: no duplicates, entries kept after the server drops them', async () => {
		const r = server.client();
		const s = open();
		await r.set(`${P}:tmp:a`, '1');
		const first = await s.poll();
		expect(argsOf(first)).toContain(`set ${P}:tmp:a 1`);
		expect(first.slowlogConfig).toMatchObject({logSlowerThan: 0, maxLen: 1000, error: null});

		await r.get('outside:key');
		const second = await s.poll();
		const history = second.slowlogHistory!;
		expect(argsOf(second)).toContain('get outside:key');
		expect(argsOf(second)).toContain(`set ${P}:tmp:a 1`);
		const keys = history.entries.map(e => `${e.epoch}:${e.id}`);
		expect(new Set(keys).size).toBe(keys.length);
		expect(history.marks).toEqual([]);
		// tcmon's own commands are logged too here; the prefix ones are marked.
		expect(history.entries.find(e => e.args[0] === 'set')?.touchesPrefix).toBe(true);
		expect(history.entries.find(e => e.args[0] === 'get')?.touchesPrefix).toBe(false);
		expect(second.slowlogSummary!.find(c => c.command === 'SET')).toMatchObject({count: 1, prefixShare: 1});
	});

	it("keeps entries after the server's ring buffer rolled them out, and marks what it never saw", async () => {
		const r = server.client();
		// Room for tcmon's own first commands (CLIENT SETNAME, ready-check INFO, SCAN, INFO, DBSIZE) besides ours.
		await r.config('SET', 'slowlog-max-len', '9');
		const s = open();
		await r.set('before', '1');
		const first = await s.poll();
		expect(first.slowlogConfig?.maxLen).toBe(9);
		expect(argsOf(first)).toContain('set before 1');
		for (let i = 0; i < 10; i++) await r.set(`k${i}`, '1');
		const snap = await s.poll();
		// The server holds 9 entries (tcmon's own SCAN, INFO and DBSIZE among them); the session holds more.
		expect(snap.slowlog).toHaveLength(9);
		expect(snap.slowlog.map(e => e.args.join(' '))).not.toContain('set before 1');
		expect(argsOf(snap)).toEqual(expect.arrayContaining(['set before 1', 'set k9 1', 'set k8 1']));
		const gap = snap.slowlogHistory!.marks.find(m => m.kind === 'gap');
		expect(gap?.missed).toBeGreaterThanOrEqual(4);
		expect(gap?.detail).toMatch(/rolled out of the server's list \(max-len 9\)/);
		expect(snap.slowlogHistory!.marks.map(m => m.kind)).not.toContain('reset');
	});

	it('detects a SLOWLOG RESET and marks it, keeping what came before', async () => {
		const r = server.client();
		const s = open();
		await r.set('before', '1');
		const first = await s.poll();
		const before = first.slowlogHistory!.entries.length;
		await r.call('SLOWLOG', 'RESET');
		await r.set('after', '1');
		const snap = await s.poll();
		const marks = snap.slowlogHistory!.marks;
		expect(marks.map(m => m.kind)).toEqual(['reset']);
		expect(argsOf(snap)).toEqual(expect.arrayContaining(['set before 1', 'set after 1']));
		expect(snap.slowlogHistory!.entries.length).toBeGreaterThan(before);
		expect(snap.slowlogHistory!.entries.find(e => e.args.join(' ') === 'set after 1')?.epoch).toBe(1);
		expect(pane(snap)).toMatch(/── SLOWLOG RESET \(seen \d\d:\d\d:\d\d\): the server's list was emptied after id \d+ ──/);
		// Polling on without a reset adds no mark.
		await r.set('later', '1');
		expect((await s.poll()).slowlogHistory!.marks).toHaveLength(1);
	});

	it('detects a server restart (new run id, ids start again) without mixing the generations', async () => {
		const r = server.client();
		const s = open();
		await r.set('gen1', '1');
		const first = await s.poll();
		await server.restart();
		let snap = first;
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline) {
			snap = await s.poll();
			if (snap.source.connected && snap.server?.runId !== first.server?.runId) break;
			await new Promise(res => setTimeout(res, 100));
		}
		expect(snap.slowlogHistory!.marks.map(m => m.kind)).toContain('restart');
		expect(snap.slowlogHistory!.marks.find(m => m.kind === 'restart')!.detail).toMatch(/run id .* → .*ids start again/);
		expect(argsOf(snap)).toContain('set gen1 1');
		const keys = snap.slowlogHistory!.entries.map(e => `${e.epoch}:${e.id}`);
		expect(new Set(keys).size).toBe(keys.length);
		// The restarted server (no config file) logs everything again only if told: it was started with the same args.
		expect(snap.slowlogConfig?.logSlowerThan).toBe(0);
	});

	it('redacts secrets and escapes hostile arguments on the way to the screen and --json', async () => {
		const admin = server.client();
		await admin.config('SET', 'masterauth', 'masterpw1');
		await admin.call('ACL', 'SETUSER', 'bob', 'on', '>bobpw1', '~*', '+get');
		await server.client().call('AUTH', 'bob', 'bobpw1');
		const r = server.client();
		await r.set(`${P}:tmp:\u001b[31mred`, 'v\u001b]0;pwned\u0007');
		const snap = await open().poll();
		const doc = JSON.stringify(toDocument(snap));
		for (const secret of ['masterpw1', 'bobpw1']) {
			expect(JSON.stringify(snap)).not.toContain(secret);
			expect(doc).not.toContain(secret);
		}
		expect(argsOf(snap)).toContain('config SET masterauth (redacted)');
		// The raw ESC is kept in the data (for --json), escaped on screen.
		expect(argsOf(snap)).toContain(`set ${P}:tmp:\u001b[31mred v\u001b]0;pwned\u0007`);
		const frame = pane(snap, 200);
		expect(frame).toContain(`set ${P}:tmp:\\e[31mred v\\e]0;pwned\\x07`);
		// eslint-disable-next-line no-control-regex
		expect(frame).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
		await admin.config('SET', 'masterauth', '');
		await admin.call('ACL', 'DELUSER', 'bob');
	});

	it('reads only SLOWLOG GET n and marks the entries it could not read', async () => {
		const r = server.client();
		const s = open({slowlogCount: 5});
		await s.poll();
		for (let i = 0; i < 20; i++) await r.set(`k${i}`, '1');
		const snap = await s.poll();
		expect(snap.slowlog).toHaveLength(5);
		const gap = snap.slowlogHistory!.marks.find(m => m.kind === 'gap');
		expect(gap?.missed).toBeGreaterThanOrEqual(15);
		expect(pane(snap)).toMatch(/GAP .* entries between polls not read: raise --slowlog-count/);
	});

	it('says so when SLOWLOG and CONFIG are denied to an ACL user, and the rest keeps working', async () => {
		const admin = server.client();
		await admin.call('ACL', 'SETUSER', 'tc', 'on', '>pw', '~*', '&*', '+@all', '-@dangerous');
		await admin.set(`${P}:instance:a`, '{"instanceId":"a","status":"active"}');
		const snap = await open({url: `redis://tc:pw@127.0.0.1:${server.port}`}).poll();
		expect(snap.errors.slowlog).toMatch(/NOPERM/);
		expect(snap.slowlogConfig?.error).toMatch(/NOPERM/);
		expect(snap.instances.map(i => i.id)).toEqual(['a']);
		const frame = pane(snap);
		expect(frame).toContain('SLOWLOG is denied for this user (NOPERM');
		expect(frame).toMatch(/slowlog settings: not visible \(NOPERM/);
		expect(JSON.stringify(toDocument(snap))).not.toContain(':pw@');
		await admin.call('ACL', 'DELUSER', 'tc');
	});
});

describe('tcmon --json with the slowlog', () => {
	const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
	const cli = (args: string[]): Promise<{code: number; stdout: string; stderr: string}> =>
		new Promise(resolve => {
			execFile('node', [CLI, ...args], {timeout: 20_000}, (error, stdout, stderr) => resolve({code: error ? ((error as {code?: number}).code ?? 1) : 0, stdout, stderr}));
		});

	it('carries the history, the per-command summary and the settings, honouring --slowlog-count', async () => {
		const r = server.client();
		for (let i = 0; i < 10; i++) await r.hgetall(`${P}:instances`);
		await r.call('AUTH', 'default', 'nopass-but-secret'); // fails, and is logged redacted (if at all)
		const {code, stdout} = await cli(['--source', 'redis', '--url', server.url, '--json', '--slowlog-count', '6']);
		expect(code).toBe(0);
		const doc = JSON.parse(stdout);
		expect(doc.slowlog).toHaveLength(6);
		expect(doc.slowlog[0]).toMatchObject({epoch: 0, touchesPrefix: expect.any(Boolean), firstSeenAt: doc.takenAt});
		expect(doc.slowlogSummary.length).toBeGreaterThan(0);
		expect(doc.slowlogSummary[0]).toEqual(expect.objectContaining({command: expect.any(String), count: expect.any(Number), p50Micros: expect.any(Number), p95Micros: expect.any(Number), maxMicros: expect.any(Number), prefixShare: expect.any(Number)}));
		expect(doc.slowlogConfig).toMatchObject({logSlowerThan: 0, maxLen: 1000, error: null});
		expect(doc.slowlogMarks).toEqual([]);
		expect(stdout).not.toContain('nopass-but-secret');
	});

	it('rejects a bad --slowlog-count with exit 2 and one line', async () => {
		const {code, stderr} = await cli(['--slowlog-count', '0', '--json']);
		expect(code).toBe(2);
		expect(stderr).toMatch(/^tcmon: --slowlog-count must be a whole number from 1 to 10000, got 0\n/);
	});
});

describe('Slowlog pane in the app, on a real server', () => {
	it('sorts, filters at the / prompt, opens an entry and goes back', async () => {
		await server.client().set('needle', `x${'y'.repeat(150)}`);
		let quit = 0;
		const ui = renderTui(<App source={open()} intervalMs={300} prefix={P} size={{columns: 80, rows: 24}} initialPane="slowlog" onQuit={() => quit++} />, {columns: 80, rows: 24});
		await ui.waitFor(f => f.includes('set needle'));
		await ui.press('s');
		expect(ui.lastFrame()).toMatch(/╭─ 2 Slowlog · .* slowest/);
		await ui.press('/', ...'needle', 'q');
		expect(ui.lastFrame()).toContain('filter /needleq▏');
		expect(quit).toBe(0); // q was typed, not obeyed
		await ui.press('\u007f', KEYS.enter);
		await ui.waitFor(f => /\/needle/.test(f));
		let frame = ui.lastFrame();
		expect(frame).toMatch(/set needle xyyy/);
		expect(frame).not.toMatch(/ info /);
		await ui.press(KEYS.enter);
		frame = await ui.waitFor(f => f.includes('args 1–3 of 3'));
		expect(frame).toContain('... (23'); // Redis cut the 151-byte argument
		expect(frame).toContain('more bytes)'); // Redis cut the 151-byte argument; the rest wraps
		await ui.press('q');
		frame = await ui.waitFor(f => !f.includes('args 1–3'));
		expect(frame).toMatch(/set needle/);
		expect(quit).toBe(0);
		await ui.press('q');
		expect(quit).toBe(1);
	});
});

describe('slowlog renamed away', () => {
	let renamed: RedisServer;
	beforeAll(async () => {
		renamed = await RedisServer.start({args: ['--rename-command', 'SLOWLOG', '', '--rename-command', 'CONFIG', '']});
	});
	afterAll(async () => {
		await renamed.stop();
	});

	it('shows SLOWLOG as renamed or disabled, the settings as not visible, and reads everything else', async () => {
		await renamed.client().set(`${P}:instance:b`, '{"instanceId":"b","status":"active"}');
		const snap = await open({url: renamed.url}).poll();
		expect(snap.source.connected).toBe(true);
		expect(snap.errors.slowlog).toMatch(/unknown command/);
		expect(snap.slowlogConfig?.error).toMatch(/unknown command/);
		expect(snap.instances.map(i => i.id)).toEqual(['b']);
		expect(pane(snap)).toContain('SLOWLOG is renamed or disabled on this server');
	});
});
