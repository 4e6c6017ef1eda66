// `tcmon keys`, the built CLI, end to end on a real redis-server.
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {instanceJson} from '../support/fixtures';
import {RedisServer} from '../support/redis-server';
import {P, writeLayout1, writeLayout2} from '../support/store';
import {CLI, runCli} from '../support/cli';


const run = (args: string[]) => runCli(args);

let server: RedisServer;
let dir: string;
beforeAll(async () => {
	if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
	server = await RedisServer.start();
	const r = server.client();
	await writeLayout1(r);
	await writeLayout2(r);
	await r.set(`${P}:tmp:\u001b[2Jevil:x`, '1');
	const pipe = r.pipeline();
	for (let i = 0; i < 3000; i++) pipe.set(`app:user:${i % 3}:${i}`, 'x');
	await pipe.exec();
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-keys-'));
	writeFileSync(path.join(dir, 'instances.json'), JSON.stringify({exec_9: JSON.parse(instanceJson('exec_9', 'executive', 'active'))}));
	writeFileSync(path.join(dir, 'git.lock'), `${Date.now()}-0.5`);
});
afterAll(async () => {
	await server.stop();
	rmSync(dir, {recursive: true, force: true});
});

describe('tcmon keys', () => {
	it('prints the tree under the prefix with counts, escaped', async () => {
		const r = await run(['keys', '-p', String(server.port)]);
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/^tmux-claude:\* on redis:\/\/127\.0\.0\.1:\d+\/? · 13 keys .* · complete$/m);
		expect(r.stdout).toMatch(/^ +13 {2}tmux-claude: {2}\(tmux-claude\)$/m);
		expect(r.stdout).toMatch(/^ +2 {4}locks: {2}\(locks \(layout 2\)\)$/m);
		expect(r.stdout).toContain('\\e[2Jevil:');
		// eslint-disable-next-line no-control-regex
		expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
		expect(r.stdout).not.toContain('app:');
	});

	it('--all --json gives complete counts equal to DBSIZE, to the depth asked', async () => {
		const r = await run(['keys', '-p', String(server.port), '--all', '--json', '--depth', '2', '--count', '100']);
		expect(r.code).toBe(0);
		const doc = JSON.parse(r.stdout);
		expect(doc).toMatchObject({version: 1, source: 'redis', scope: '*', complete: true, keys: 3013, dbsize: 3013});
		expect(doc.scanCalls).toBeGreaterThan(10);
		const nodes = Object.fromEntries(doc.nodes.map((n: {path: string; count: number}) => [n.path, n.count]));
		expect(nodes).toMatchObject({app: 3000, 'app:user': 3000, [P]: 13});
		expect(nodes['app:user:0']).toBeUndefined();
		expect(doc.nodes[0].path).toBe('app');
	});

	it('--memory estimates memory per namespace; --pattern and --type narrow the scan', async () => {
		const mem = await run(['keys', '-p', String(server.port), '--all', '--memory', '--depth', '1']);
		expect(mem.code).toBe(0);
		expect(mem.stdout).toMatch(/^ +3000 +~\d+(\.\d+)?K {2}app:$/m);
		const zsets = JSON.parse((await run(['keys', '-p', String(server.port), '--type', 'zset', '--json'])).stdout);
		expect(zsets.keys).toBe(2);
		const locks = JSON.parse((await run(['keys', '-p', String(server.port), '--pattern', 'lock*', '--json'])).stdout);
		expect(locks).toMatchObject({scope: `${P}:lock*`, keys: 3});
	});

	it('reads the state directory with the JSON source', async () => {
		const r = await run(['keys', '--source', 'json', '--state-dir', dir, '--json']);
		expect(r.code).toBe(0);
		const doc = JSON.parse(r.stdout);
		expect(doc).toMatchObject({source: 'json', keys: 2, complete: true});
		expect(doc.nodes.map((n: {path: string}) => n.path).sort()).toEqual(['instances.json', 'locks']);
	});

	it.each([
		[['keys', '--depth', '0'], /--depth must be a whole number from 1 to 8/],
		[['keys', '--type', 'blob'], /--type must be one of/],
		[['keys', '--frob'], /unknown flag --frob/],
	])('exits 2 with one line for %j', async (args, message) => {
		const r = await run(args);
		expect(r.code).toBe(2);
		expect(r.stderr.split('\n')[0]).toMatch(message);
	});

	it('exits 1 when the Redis it must read is down', async () => {
		const r = await run(['keys', '--source', 'redis', '-p', '1']);
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/cannot reach/);
	});
});
