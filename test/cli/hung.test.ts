// A server that stops answering (issue 12): every one-shot ends within its
// --timeout, says why, and exits non-zero. The proxy passes the first few
// replies (the connection's handshake and ready check, so a client that has
// no deadline of its own hangs in its first read) and then goes quiet, as a
// stopped server or a dead proxy does; a SIGSTOPped server is tried too.
import {existsSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {QuietProxy, RedisServer} from '../support/redis-server';
import {writeLayout1} from '../support/store';
import {CLI, runCli} from '../support/cli';


/** A run still going after 15 s is killed (code null): a hang. */
const run = (args: string[]) => runCli(args, {timeoutMs: 15_000});

let server: RedisServer;
let stopped: RedisServer;
let proxy: QuietProxy;
beforeAll(async () => {
	if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
	[server, stopped] = await Promise.all([RedisServer.start(), RedisServer.start()]);
	const client = server.client();
	await writeLayout1(client);
	// Enough keys that a walk at --count 10 needs many SCAN replies.
	const pipe = client.pipeline();
	for (let i = 0; i < 300; i++) pipe.set(`other:${i}`, 'x');
	await pipe.exec();
	proxy = await QuietProxy.start(server.port, 4);
	stopped.pause();
}, 20_000);
afterAll(async () => {
	await proxy.stop();
	await Promise.all([server.stop(), stopped.stop()]);
});

// The deadline (1 s) plus start-up and exit; far below the 15 s a hang is killed at.
const MARGIN_MS = 4000;

describe('one-shots against a server that stopped answering', () => {
	it('--json: exits 1 within --timeout, the document saying Redis did not answer', async () => {
		const r = await run(['--url', proxy.url, '--source', 'redis', '--json', '--timeout', '1']);
		expect(r.code).toBe(1);
		expect(r.ms).toBeLessThan(1000 + MARGIN_MS);
		const doc = JSON.parse(r.stdout);
		expect(doc.source.connected).toBe(false);
		expect(doc.source.error).toBe(`Redis ${proxy.url} did not answer within 1 s`);
		expect(r.stderr).toBe('');
	});

	it('--json without --timeout: the default 5 s deadline', async () => {
		const r = await run(['--url', proxy.url, '--source', 'redis', '--json']);
		expect(r.code).toBe(1);
		expect(r.ms).toBeLessThan(5000 + MARGIN_MS);
		expect(JSON.parse(r.stdout).source.error).toBe(`Redis ${proxy.url} did not answer within 5 s`);
	}, 20_000);

	it('--json on a SIGSTOPped server: the same, with the default 5 s', async () => {
		const r = await run(['--url', stopped.url, '--source', 'redis', '--json']);
		expect(r.code).toBe(1);
		expect(r.ms).toBeGreaterThanOrEqual(4500);
		expect(r.ms).toBeLessThan(5000 + MARGIN_MS);
		expect(JSON.parse(r.stdout).source.error).toBe(`Redis ${stopped.url} did not answer within 5 s`);
	}, 20_000);

	it('--once: exits 1 within --timeout, the frame saying not answering', async () => {
		const r = await run(['--url', proxy.url, '--source', 'redis', '--once', '--timeout', '1', '--width', '120', '--height', '20']);
		expect(r.code).toBe(1);
		expect(r.ms).toBeLessThan(1000 + MARGIN_MS);
		expect(r.stdout).toMatch(/not answering for \d+ s .*did not answer within 1 s/);
	});

	it('--source auto: falls back to the state dir, saying Redis is not answering', async () => {
		const r = await run(['--url', proxy.url, '--json', '--timeout', '1', '--state-dir', '/nonexistent-tcmon-dir']);
		expect(r.code).toBe(1);
		expect(r.ms).toBeLessThan(1000 + MARGIN_MS);
		const doc = JSON.parse(r.stdout);
		expect(doc.source.kind).toBe('json');
		expect(doc.source.fallbackReason).toMatch(new RegExp(`^Redis ${proxy.url} did not answer within 1 s: not answering for \\d+ s$`));
	});

	it('keys on a SIGSTOPped server: exits 1 within --timeout, saying Redis did not answer', async () => {
		const r = await run(['keys', '--url', stopped.url, '--source', 'redis', '--timeout', '1']);
		expect(r.code).toBe(1);
		expect(r.ms).toBeLessThan(1000 + MARGIN_MS);
		expect(r.stderr).toBe(`tcmon keys: Redis ${stopped.url} did not answer within 1 s\n`);
	});

	it('keys through a proxy that goes quiet: exits 1 within --timeout with the reason', async () => {
		// Where it goes quiet (the handshake or the walk) depends on how the replies are split into packets.
		const r = await run(['keys', '--url', proxy.url, '--source', 'redis', '--all', '--count', '10', '--timeout', '1']);
		expect(r.code).toBe(1);
		expect(r.ms).toBeLessThan(1000 + MARGIN_MS);
		expect(`${r.stdout}${r.stderr}`).toContain(`Redis ${proxy.url} did not answer within 1 s`);
	});

	it('check: reports RedisDown firing and exits 1 within --timeout', async () => {
		const r = await run(['check', '--url', proxy.url, '--source', 'redis', '--timeout', '1', '--json']);
		expect(r.code).toBe(1);
		expect(r.ms).toBeLessThan(1000 + MARGIN_MS);
		const doc = JSON.parse(r.stdout);
		expect(doc.firing).toBeGreaterThanOrEqual(1);
		expect(doc.alerts[0]).toMatchObject({name: 'RedisDown', status: 'firing', value: `Redis ${proxy.url} did not answer within 1 s`});
	});

	it('--timeout must be seconds in range: exit 2 with one line', async () => {
		const r = await run(['--json', '--timeout', '0']);
		expect(r.code).toBe(2);
		expect(r.stderr.split('\n')[0]).toBe('tcmon: --timeout must be a number of seconds from 0.1 to 3600, got 0');
	});
});
