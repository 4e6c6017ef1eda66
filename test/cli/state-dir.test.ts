// The built CLI on hostile state dirs (FIFOs, deep JSON) and beside a real
// Redis (deep metric samples, split state).
import {execFile, execFileSync} from 'node:child_process';
import {closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {instanceJson} from '../support/fixtures';
import {RedisServer} from '../support/redis-server';
import {P, writeLayout2} from '../support/store';
import {CLI, cleanEnv} from '../support/cli';


type Run = {code: number | null; stdout: string; stderr: string};
/** Runs the CLI; on the deadline it is killed and the FIFOs are opened for writing so nothing stays blocked. */
const run = (args: string[], options: {cwd?: string; fifos?: string[]; timeoutMs?: number} = {}): Promise<Run> =>
	new Promise(resolve => {
		const env = cleanEnv();
		const child = execFile('node', [CLI, ...args], {env, cwd: options.cwd, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
			clearTimeout(timer);
			resolve({code: error ? ((error as {code?: number}).code ?? null) : 0, stdout, stderr});
		});
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			for (const f of options.fifos ?? []) {
				try {
					// eslint-disable-next-line no-bitwise
					closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK));
				} catch {
					// nobody reading
				}
			}
		}, options.timeoutMs ?? 8000);
	});

const deepArray = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

let server: RedisServer;
let dir: string;
beforeAll(async () => {
	if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
	server = await RedisServer.start();
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-statecli-'));
});
afterAll(async () => {
	await server.stop();
	rmSync(dir, {recursive: true, force: true});
});

const freshDir = (name: string) => {
	const d = path.join(dir, name);
	mkdirSync(d, {recursive: true});
	return d;
};

describe('hostile state dirs, end to end', () => {
	it('--json with a FIFO named instances.json exits 0 at once, saying why', async () => {
		const d = freshDir('fifo');
		execFileSync('mkfifo', [path.join(d, 'instances.json')]);
		writeFileSync(path.join(d, 'w.lock'), `${Date.now()}-0.5`);
		const r = await run(['--json', '--source', 'json', '--state-dir', d], {fifos: [path.join(d, 'instances.json')]});
		expect(r.code).toBe(0);
		const doc = JSON.parse(r.stdout);
		expect(doc.errors.state).toBe('instances.json: is a FIFO, not a regular file: not read');
		expect(doc.locks.map((l: {resource: string}) => l.resource)).toEqual(['w']);
		expect(r.stderr).toBe('');
	});

	it('--alert-config on a FIFO exits 2 with one line instead of blocking', async () => {
		const d = freshDir('alert-fifo');
		const fifo = path.join(d, 'alerts.json');
		execFileSync('mkfifo', [fifo]);
		const r = await run(['--once', '--source', 'json', '--state-dir', d, '--alert-config', fifo], {fifos: [fifo]});
		expect(r.code).toBe(2);
		expect(r.stderr.trim().split('\n')[0]).toBe(`tcmon: cannot read --alert-config ${fifo}: is a FIFO, not a regular file: not read`);
	});

	it.each([['--json'], ['--once']])('a 100k-deep instances.json with %s exits 0 and shows the rest of the data', async flag => {
		const d = freshDir('deep');
		writeFileSync(path.join(d, 'instances.json'), `{"exec_1": ${instanceJson('exec_1', 'executive', 'active')}, "spec_deep": {"instanceId": "spec_deep", "status": "active", "x": ${deepArray(100_000)}}}`);
		const r = await run([flag, '--source', 'json', '--state-dir', d, '--width', '120', '--height', '30']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		if (flag === '--json') {
			const doc = JSON.parse(r.stdout);
			expect(doc.instances.map((i: {id: string}) => i.id)).toEqual(['exec_1', 'spec_deep']);
		} else expect(r.stdout).toMatch(/instances\s+2: active 2/);
	});
});

describe('beside a real Redis', () => {
	it('a 5,000-deep metric sample in a metrics sorted set shows with --json', async () => {
		const r = server.client();
		await r.select(3);
		const now = Date.now();
		await r.zadd(`${P}:metrics:deep`, now, `{"metric": "deep", "value": ${deepArray(5000)}, "timestamp": "${new Date(now).toISOString()}"}`);
		await r.zadd(`${P}:metrics:ok`, now, JSON.stringify({metric: 'ok', value: 7, timestamp: new Date(now).toISOString()}));
		r.disconnect();
		const out = await run(['--json', '--source', 'redis', '--url', `${server.url}/3`]);
		expect(out.stderr).toBe('');
		expect(out.code).toBe(0);
		const doc = JSON.parse(out.stdout);
		const deep = doc.metrics.find((m: {name: string}) => m.name === 'deep');
		expect(deep.count).toBe(1);
		expect(JSON.stringify(deep.latest.value)).toContain('nested deeper than 64 levels');
		expect(doc.metrics.find((m: {name: string}) => m.name === 'ok').latest.value).toBe(7);
	});

	it('split state: lock files in the state dir show beside the Redis locks, marked, in auto mode', async () => {
		const r = server.client();
		await r.select(4);
		await writeLayout2(r);
		r.disconnect();
		const d = freshDir('split');
		writeFileSync(path.join(d, 'git-main.lock'), `${Date.now() - 1000}-0.25`);
		writeFileSync(path.join(d, 'instances.json'), '{}');
		const out = await run(['--json', '--url', `${server.url}/4`, '--state-dir', d]);
		expect(out.code).toBe(0);
		const doc = JSON.parse(out.stdout);
		expect(doc.source.kind).toBe('redis');
		expect(doc.splitState).toEqual({dir: d, lockFiles: 1});
		const byOrigin = (origin: string) => doc.locks.filter((l: {origin: string}) => l.origin === origin).map((l: {resource: string}) => l.resource).sort();
		expect(byOrigin('redis')).toEqual(['forever', 'worktree']);
		expect(byOrigin('file')).toEqual(['git-main']);
		const file = doc.locks.find((l: {origin: string}) => l.origin === 'file');
		expect(file).toMatchObject({key: path.join(d, 'git-main.lock'), layout: 'file', state: 'held', error: null});
	});

	it('split state with --source redis only when a state dir is named; the ./state default counts in auto only', async () => {
		const cwd = freshDir('cwd');
		mkdirSync(path.join(cwd, 'state'));
		writeFileSync(path.join(cwd, 'state', 'build.lock'), `${Date.now()}-0.5`);
		const url = `${server.url}/4`;
		const redisOnly = JSON.parse((await run(['--json', '--source', 'redis', '--url', url], {cwd})).stdout);
		expect(redisOnly.splitState).toBeNull();
		expect(redisOnly.locks.every((l: {origin: string}) => l.origin === 'redis')).toBe(true);
		const named = JSON.parse((await run(['--json', '--source', 'redis', '--url', url, '--state-dir', 'state'], {cwd})).stdout);
		expect(named.splitState).toEqual({dir: path.join(cwd, 'state'), lockFiles: 1});
		const auto = JSON.parse((await run(['--json', '--url', url], {cwd})).stdout);
		expect(auto.splitState).toEqual({dir: path.join(cwd, 'state'), lockFiles: 1});
		expect(auto.locks.filter((l: {origin: string}) => l.origin === 'file').map((l: {resource: string}) => l.resource)).toEqual(['build']);
	});
});
