// The built CLI, end to end, as a user or a cron job runs it.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {instanceJson} from '../support/fixtures';
import {freePort, RedisServer} from '../support/redis-server';
import {writeLayout1, writeLayout2} from '../support/store';
import {CLI, runCli} from '../support/cli';


const run = (args: string[], env: Record<string, string> = {}, nodeFlags: string[] = []) => runCli(args, {env, nodeFlags});

let server: RedisServer;
let dir: string;
beforeAll(async () => {
	if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
	server = await RedisServer.start({args: ['--requirepass', 's3cr3t-pw']});
	const r = server.client({password: 's3cr3t-pw'});
	await writeLayout1(r);
	await writeLayout2(r);
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-cli-'));
	writeFileSync(path.join(dir, 'instances.json'), JSON.stringify({exec_9: JSON.parse(instanceJson('exec_9', 'executive', 'active'))}));
});
afterAll(async () => {
	await server.stop();
	rmSync(dir, {recursive: true, force: true});
});

describe('tcmon CLI', () => {
	it('prints usage with examples', async () => {
		const r = await run(['--help']);
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/Usage\s+\$ tcmon \[options\]/);
		expect(r.stdout).toContain('Examples');
		expect(r.stdout).toContain('--state-dir');
	});

	it.each([
		[['--bogus'], /^tcmon: unknown flag --bogus$/m],
		[['--interval', '10'], /--interval must be a whole number from 100/],
		[['--source', 'x'], /--source must be auto, redis or json/],
		[['frobnicate'], /unknown command "frobnicate"/],
		[['--url', 'redis://:topsecret@[::1'], /not a valid URL/],
	])('exits 2 with a one-line reason for %j', async (args, message) => {
		const r = await run(args);
		expect(r.code).toBe(2);
		expect(r.stderr.split('\n')[0]).toMatch(message);
		expect(r.stderr).not.toContain('topsecret');
		expect(r.stdout).toBe('');
	});

	it('--once renders one plain frame at the asked size, without a TTY', async () => {
		const r = await run(['--once', '--width', '80', '--height', '24', '-p', String(server.port), '-a', 's3cr3t-pw']);
		expect(r.code).toBe(0);
		const lines = r.stdout.trimEnd().split('\n');
		expect(lines.length).toBe(23);
		for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
		expect(r.stdout).toContain('tcmon redis redis://:***@127.0.0.1');
		expect(r.stdout).toMatch(/instances\s+4: active 2/);
		expect(r.stdout).not.toContain('s3cr3t-pw');
		// eslint-disable-next-line no-control-regex
		expect(r.stdout).not.toMatch(/\u001b\[/); // no colour in a pipe
	});

	it('--once defaults to 120x40 off a terminal', async () => {
		const r = await run(['--once', '--source', 'json', '--state-dir', dir]);
		expect(r.code).toBe(0);
		expect(r.stdout.trimEnd().split('\n').length).toBe(39);
		expect(r.stdout).toContain('╭─ 4 Locks');
	});

	it('--json prints the documented document, password redacted', async () => {
		const r = await run(['--json'], {REDIS_URL: `redis://:s3cr3t-pw@127.0.0.1:${server.port}`});
		expect(r.code).toBe(0);
		expect(r.stdout).not.toContain('s3cr3t-pw');
		const doc = JSON.parse(r.stdout);
		expect(doc.version).toBe(1);
		expect(doc.source).toMatchObject({kind: 'redis', target: `redis://:***@127.0.0.1:${server.port}`, connected: true, error: null});
		expect(Object.keys(doc.stats)).toEqual(expect.arrayContaining(['keys', 'usedMemory', 'clients', 'blocked', 'totalCommands', 'connections']));
		expect(doc.stats.keys).toBe(12);
		expect(doc.locks[0]).toEqual(expect.objectContaining({resource: expect.any(String), key: expect.any(String), token: expect.any(String), layout: expect.any(String)}));
		expect(doc.locks.map((l: {resource: string}) => l.resource).sort()).toEqual(['forever', 'git-main', 'worktree']);
		expect(doc.lockHistory).toMatchObject({totals: {acquisitions: 0, releases: 0, expiries: 0, contention: 0}, notifications: {state: 'off'}, events: []});
		expect(doc.instances.map((i: {id: string}) => i.id).sort()).toEqual(['broken_1', 'exec_100001', 'mgr_1_100002', 'spec_1_1_200001']);
		expect(doc.jobs).toHaveLength(2);
		expect(Array.isArray(doc.slowlog)).toBe(true);
	});

	it('a wrong password shows as an error without the password', async () => {
		const r = await run(['--json', '--source', 'redis', '-p', String(server.port), '-a', 'wrong-pw-123']);
		expect(r.code).toBe(1); // nothing read: scripts see it
		const doc = JSON.parse(r.stdout);
		expect(doc.source.connected).toBe(false);
		expect(doc.source.error).toMatch(/WRONGPASS|invalid/i);
		expect(r.stdout + r.stderr).not.toContain('wrong-pw-123');
	});

	it.each([['--json'], ['--once']])('%s with a password the server does not need: connected, said once in the document, nothing on stderr', async flag => {
		const open = await RedisServer.start();
		try {
			const r = await run([flag, '--source', 'redis', '-p', String(open.port), '-a', 'not-needed-pw', '--width', '200']);
			// ioredis says this with console.warn, once per connection: on a terminal it tore the UI.
			expect(r.stderr).toBe('');
			expect(r.code).toBe(0);
			const said = flag === '--json' ? JSON.parse(r.stdout).errors.connection : r.stdout;
			expect(said).toMatch(/a password was given but the server's user needs none/);
			expect(r.stdout.match(/needs none/g)).toHaveLength(1);
			expect(r.stdout).not.toContain('not-needed-pw');
		} finally {
			await open.stop();
		}
	});

	it('falls back to the state dir when Redis is unreachable, saying why', async () => {
		const port = await freePort();
		const t = Date.now();
		const r = await run(['--json', '-p', String(port), '--state-dir', dir]);
		expect(Date.now() - t).toBeLessThan(5000);
		const doc = JSON.parse(r.stdout);
		expect(doc.source.kind).toBe('json');
		expect(doc.source.fallbackReason).toMatch(/unreachable/);
		expect(doc.instances.map((i: {id: string}) => i.id)).toEqual(['exec_9']);
		expect(r.code).toBe(0); // the state dir was read
	});

	it.each([['--json'], ['--once']])('%s with Redis refused and no state dir to fall back to: the reason printed, exit 1', async flag => {
		const port = await freePort();
		const r = await run([flag, '-p', String(port), '--state-dir', `${dir}/missing`, '--width', '200']);
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(/ECONNREFUSED/);
		expect(r.stderr).toBe('');
	});

	it('--demo monitors a simulated tmux-claude through the JSON source', async () => {
		const r = await run(['--demo', '--json']);
		const doc = JSON.parse(r.stdout);
		expect(doc.source.kind).toBe('demo');
		expect(doc.instances.length).toBeGreaterThan(3);
		expect(doc.instances.map((i: {role: string}) => i.role)).toEqual(expect.arrayContaining(['executive', 'manager', 'specialist']));
		expect(doc.jobs.length).toBeGreaterThan(3);
		expect(doc.locks.some((l: {state: string}) => l.state === 'stale')).toBe(true);
		const once = await run(['--demo', '--once', '--width', '120', '--height', '30']);
		expect(once.stdout).toMatch(/tcmon demo .* DEMO/);
	});

	it('prints the package version', async () => {
		const r = await run(['--version']);
		expect(r.code).toBe(0);
		expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
	});

	// The build leaves one V8 code cache per way the bin starts node (see
	// source/launcher.mjs); a rejected or missing one costs ~50 ms of every start.
	it.each([[[]], [['--max-semi-space-size=4']]])('starts from the code cache the build made (node flags %j)', async nodeFlags => {
		const r = await run(['--once', '--demo', '--width', '80', '--height', '10'], {TCMON_CODE_CACHE: 'report'}, nodeFlags);
		expect(r.code).toBe(0);
		expect(r.stderr).toBe('code cache: used\n');
		const other = await run(['--version'], {TCMON_CODE_CACHE: 'report'}, ['--stack-size=2000']);
		expect(other.stderr).toBe('code cache: missing\n');
		expect(other.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
	});

	it('refuses the interactive UI when stdout is not a terminal', async () => {
		const r = await run(['--demo']);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/stdout is not a terminal: use --once or --json/);
	});

	it('--json into a slow pipe is written whole before exit (a pipe takes 64 KiB at once)', async () => {
		const big = mkdtempSync(path.join(os.tmpdir(), 'tcmon-bigjson-'));
		try {
			const entries = Array.from({length: 3000}, (_, i) => [`spec_1_1_${100_000 + i}`, JSON.parse(instanceJson(`spec_1_1_${100_000 + i}`, 'specialist', 'active'))]);
			writeFileSync(path.join(big, 'instances.json'), JSON.stringify(Object.fromEntries(entries), null, 2));
			// The reader starts late, as `| jq` on a busy machine may.
			const r = await new Promise<{code: number; stdout: string; stderr: string}>(resolve => {
				execFile('sh', ['-c', `node "$0" --source json --state-dir "$1" --json | { sleep 0.5; cat; }`, CLI, big], {maxBuffer: 64 * 1024 * 1024, timeout: 20_000}, (error, stdout, stderr) =>
					resolve({code: error ? 1 : 0, stdout, stderr}),
				);
			});
			expect(r.stdout.length).toBeGreaterThan(256 * 1024);
			expect(JSON.parse(r.stdout).instances).toHaveLength(3000);
		} finally {
			rmSync(big, {recursive: true, force: true});
		}
	});
});
