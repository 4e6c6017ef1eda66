// The built CLI's agent features end to end: a real redis-server holding both
// layouts, and a real tmux server on a private socket holding some of the agents' sessions.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort, RedisServer} from '../support/redis-server';
import {writeLayout1, writeLayout2} from '../support/store';
import {CLI, runCli} from '../support/cli';

const NAME = `tcmon-cli-${process.pid}-${Date.now()}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', NAME, ...args], {encoding: 'utf8'});

const run = (args: string[], env: Record<string, string> = {}) => runCli(args, {env});

let server: RedisServer;
let url: string;
let socket: string;
let dir: string;
beforeAll(async () => {
	if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
	server = await RedisServer.start();
	const r = server.client();
	await writeLayout1(r);
	await writeLayout2(r);
	url = `redis://127.0.0.1:${server.port}`;
	tmux('new-session', '-d', '-s', 'claude_exec_100001', 'sleep 600');
	tmux('new-session', '-d', '-s', 'claude_spec_9_9_999999', 'sleep 600');
	tmux('new-session', '-d', '-s', 'notes', 'sleep 600');
	socket = tmux('display-message', '-p', '-t', 'notes', '#{socket_path}').trim();
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-agents-cli-'));
});
afterAll(async () => {
	await server.stop();
	try {
		tmux('kill-server');
	} catch {
		// already gone
	}
	await new Promise(r => setTimeout(r, 300));
	if (socket) rmSync(socket, {force: true});
	rmSync(dir, {recursive: true, force: true});
});

describe('tcmon --json agents section', () => {
	it('holds the tree, tmux liveness from $TMUX`s server, and the queue', async () => {
		const {code, stdout} = await run(['--url', url, '--json'], {TMUX: `${socket},1,0`});
		expect(code).toBe(0);
		const agents = JSON.parse(stdout).agents;
		expect(agents.tmux).toMatchObject({state: 'ok', socket, sessions: 3});
		expect(agents.summary).toMatchObject({agents: 4, alive: 1, ghost: 1, unregistered: 1, tmuxKnown: true, pending: 1, completed: 1});
		const byId = Object.fromEntries(agents.tree.map((a: {id: string}) => [a.id, a]));
		expect(byId['exec_100001']).toMatchObject({depth: 0, liveness: 'alive', session: 'claude_exec_100001', children: 1});
		expect(byId['mgr_1_100002']).toMatchObject({depth: 1, liveness: 'gone', status: 'terminated'});
		expect(byId['spec_1_1_200001']).toMatchObject({depth: 2, liveness: 'ghost', status: 'active', paneTarget: 'claude_spec_1_1_200001:0.0'});
		expect(byId['broken_1'].parseError).toMatch(/invalid JSON/);
		expect(agents.unregistered).toEqual(['claude_spec_9_9_999999']);
		expect(agents.queue.pending.map((j: {id: string}) => j.id)).toEqual(['job_1_1']);
		expect(agents.queue.pending[0]).toMatchObject({priority: 100, priorityLabel: 'critical'});
	});

	it('--tmux-socket names the server; outside tmux liveness is unknown, never "ghost"', async () => {
		const flagged = JSON.parse((await run(['--url', url, '--json', '--tmux-socket', socket])).stdout).agents;
		expect(flagged.summary).toMatchObject({alive: 1, ghost: 1});
		const outside = JSON.parse((await run(['--url', url, '--json'])).stdout).agents;
		expect(outside.tmux).toMatchObject({state: 'none', detail: 'not inside tmux (no $TMUX) and no --tmux-socket'});
		expect(outside.summary).toMatchObject({agents: 4, alive: 0, ghost: 0, tmuxKnown: false});
		expect(outside.tree.every((a: {liveness: string}) => a.liveness === 'unknown')).toBe(true);
		const dead = JSON.parse((await run(['--url', url, '--json', '--tmux-socket', path.join(dir, 'gone.sock')])).stdout).agents;
		expect(dead.tmux.state).toBe('none');
		expect(dead.tmux.detail).toMatch(/^no tmux server on /);
		expect((await run(['--url', url, '--json', '--tmux-socket', ''])).code).toBe(2);
	});
});

describe('split state in --json and the pane', () => {
	it('an instance the writer put only in the state dir (a Redis error) is listed, marked, beside the Redis ones', async () => {
		const split = path.join(dir, 'split');
		mkdirSync(split, {recursive: true});
		writeFileSync(path.join(split, 'instances.json'), JSON.stringify({spec_1_1_300003: {instanceId: 'spec_1_1_300003', role: 'specialist', parentId: 'exec_100001', status: 'active'}}));
		const agents = JSON.parse((await run(['--url', url, '--json', '--state-dir', split])).stdout).agents;
		expect(agents.stateDir).toEqual({dir: split, instancesOnly: 1, jobsOnly: 0, error: null});
		expect(agents.tree.find((a: {id: string}) => a.id === 'spec_1_1_300003')).toMatchObject({depth: 1, origin: 'json-file', stateDirOnly: true});
		const frame = (await run(['--url', url, '--once', '--pane', 'agents', '--state-dir', split, '--width', '120', '--height', '24'])).stdout;
		expect(frame).toMatch(/└ spec_1_1_300003 \(state dir only\)/);
		expect(frame).toMatch(/1 only in the state dir/);
	});
});

describe('--pane and --panes', () => {
	it('--pane starts on a pane by name or number; --panes picks the grid`s four; bad values exit 2 with one line', async () => {
		const agents = await run(['--url', url, '--once', '--pane', 'agents', '--width', '80', '--height', '20', '--tmux-socket', socket]);
		expect(agents.code).toBe(0);
		expect(agents.stdout).toContain('╭─ 5 Agents');
		expect(agents.stdout).toMatch(/spec_1_1_200001\s+spec\s+active\s+✖ GHOST/);
		expect((await run(['--url', url, '--once', '--pane', '4', '--width', '80', '--height', '20'])).stdout).toContain('╭─ 4 Locks');
		const grid = await run(['--url', url, '--once', '--panes', 'stats,agents,keys,locks', '--pane', 'agents', '--width', '120', '--height', '30']);
		expect(grid.stdout.split('\n')[2]).toMatch(/╭─ 1 Stats.*╭─ 5 Agents/);
		expect(grid.stdout).not.toContain('Slowlog ·');
		for (const [flag, value, reason] of [
			['--pane', 'nope', /^tcmon: --pane: no pane "nope" \(panes: stats, slowlog, keys, locks, agents, or 1-5\)$/m],
			['--panes', 'stats,keys', /^tcmon: --panes takes four different panes/m],
			['--panes', 'stats,stats,keys,locks', /^tcmon: --panes takes four different panes/m],
			['--panes', 'stats,keys,locks,bogus', /^tcmon: --panes: no pane "bogus"/m],
		] as const) {
			const bad = await run(['--url', url, '--once', flag, value]);
			expect(bad.code).toBe(2);
			expect(bad.stderr).toMatch(reason);
		}
	});
});

describe('tcmon status', () => {
	it('one line: agents up and ghosts, jobs, stuck locks, alerts', async () => {
		const {code, stdout, stderr} = await run(['status', '--url', url], {TMUX: `${socket},1,0`});
		expect(code).toBe(0);
		expect(stderr).toBe('');
		// locks:forever has no TTL: stuck.
		expect(stdout).toBe('agents 1/4 up 1 ghost | jobs 1 pending | locks 1 stuck | no alerts\n');
	});

	it('--tmux-colors marks problems for status-right; outside tmux it does not guess liveness', async () => {
		const coloured = await run(['status', '--url', url, '--tmux-colors', '--tmux-socket', socket]);
		expect(coloured.stdout).toBe('agents 1/4 up #[fg=red]1 ghost#[default] | jobs 1 pending | #[fg=yellow]locks 1 stuck#[default] | no alerts\n');
		expect((await run(['status', '--url', url])).stdout).toBe('agents 4 (tmux ?) | jobs 1 pending | locks 1 stuck | no alerts\n');
	});

	it('exits 0 and says so when Redis is down, quickly; a bad flag exits 2', async () => {
		const port = await freePort();
		const down = await run(['status', '--url', `redis://127.0.0.1:${port}`, '--source', 'redis']);
		expect(down.code).toBe(0);
		expect(down.stdout).toBe(`redis down: connect ECONNREFUSED 127.0.0.1:${port}\n`);
		expect(down.ms).toBeLessThan(5000);
		// auto: the state dir instead, and the line says Redis is down.
		const auto = await run(['status', '--url', `redis://127.0.0.1:${port}`, '--state-dir', dir]);
		expect(auto.code).toBe(0);
		expect(auto.stdout).toMatch(/^redis down \(state dir\) \| agents 0 \(tmux \?\) \| jobs 0 pending \| locks 0 \| /);
		const bad = await run(['status', '--bogus']);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/^tcmon: unknown flag --bogus\n/);
	});
});

describe('tcmon split', () => {
	it('opens tcmon beside the current pane of a real tmux server, with the options given', async () => {
		const pane = tmux('display-message', '-p', '-t', 'notes', '#{pane_id}').trim();
		const {code, stderr} = await run(['split', '--side', 'right', '--size', '30%', '--', '--demo', '--pane', 'agents'], {TMUX: `${socket},1,0`, TMUX_PANE: pane, REDIS_URL: 'redis://:pw@127.0.0.1:1'});
		expect(code).toBe(0);
		expect(stderr).toMatch(/not passed to the new pane: \$REDIS_URL \(it holds a password\)/);
		const panes = tmux('list-panes', '-t', 'notes', '-F', '#{pane_id} #{pane_width} #{pane_start_command}').trim().split('\n');
		expect(panes).toHaveLength(2);
		const added = panes.find(p => !p.startsWith(`${pane} `))!;
		expect(added).toMatch(/dist\/cli\.js' '--demo' '--pane' 'agents'/);
		const id = added.split(' ')[0]!;
		// The new tcmon draws its Agents pane.
		let shown = '';
		for (let i = 0; i < 50 && !shown.includes('Agents'); i++) {
			await new Promise(r => setTimeout(r, 100));
			shown = tmux('capture-pane', '-p', '-t', id);
		}
		expect(shown).toContain('5 Agents');
		tmux('kill-pane', '-t', id);
	});

	it('outside tmux it says so (exit 1); bad flags exit 2', async () => {
		const outside = await run(['split']);
		expect(outside.code).toBe(1);
		expect(outside.stderr).toBe('tcmon split: not inside tmux ($TMUX is not set): run it from a tmux pane\n');
		const side = await run(['split', '--side', 'diagonal'], {TMUX: `${socket},1,0`});
		expect(side.code).toBe(2);
		expect(side.stderr).toMatch(/^tcmon: --side must be right, left, below or above, got "diagonal"/);
		expect((await run(['split', '--size', '100%'], {TMUX: `${socket},1,0`})).code).toBe(2);
		expect(tmux('list-panes', '-t', 'notes').trim().split('\n')).toHaveLength(1);
	});
});

describe('tcmon check: the store rules', () => {
	it('a ghost agent (against a real tmux server), the stalled queue and the lock with no TTL; --json carries them', async () => {
		const r = await run(['check', '--url', url, '--samples', '1', '--source', 'redis', '--tmux-socket', socket]);
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(/^FIRING AgentGhost \[warning\] 1: spec_1_1_200001$/m);
		expect(r.stdout).toMatch(/^FIRING LockNoTtl \[critical\] 1: forever$/m);
		const doc = JSON.parse((await run(['check', '--url', url, '--samples', '1', '--source', 'redis', '--tmux-socket', socket, '--json'])).stdout);
		expect(doc.alerts.find((a: {name: string}) => a.name === 'AgentGhost')).toMatchObject({status: 'firing', severity: 'warning', forMs: 0});
		expect(doc.firing).toBeGreaterThanOrEqual(3);
		// Outside tmux nothing is called a ghost.
		expect((await run(['check', '--url', url, '--samples', '1', '--source', 'redis'])).stdout).not.toMatch(/AgentGhost/);
	});

	it('a stale lock file, an error instance and a failed job in the state dir', async () => {
		const state = path.join(dir, 'state');
		mkdirSync(state, {recursive: true});
		writeFileSync(
			path.join(state, 'instances.json'),
			JSON.stringify({
				exec_1: {instanceId: 'exec_1', role: 'executive', status: 'error'},
				'job:j9': {id: 'j9', status: 'failed', lastError: 'out of disk'},
			}),
		);
		const lock = path.join(state, 'git-main.lock');
		writeFileSync(lock, `${Date.now() - 3_600_000}-0.1`);
		const old = new Date(Date.now() - 3_600_000);
		utimesSync(lock, old, old);
		const r = await run(['check', '--source', 'json', '--state-dir', state, '--samples', '1']);
		expect(r.code).toBe(1);
		expect(r.stdout).toBe('FIRING InstanceError [warning] 1: exec_1\nFIRING JobFailed [warning] 1: j9 (out of disk)\nFIRING LockFileStale [critical] 1: git-main\n');
	});
});
