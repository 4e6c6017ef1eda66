// A real tmux server on a private socket (tmux -L), holding some agents' sessions.
import {execFileSync, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {agentsView} from '../../source/domain/agents';
import {decodeObject, instanceFrom} from '../../source/domain/layouts';
import {emptySnapshot} from '../../source/domain/types';
import type {Source} from '../../source/sources/source';
import {runTmux, switchClient, tmuxSocketOf, TmuxReader, TmuxSource} from '../../source/sources/tmux-sessions';
import {instanceJson, redisSourceInfo} from '../support/fixtures';

const NAME = `tcmon-agents-tmux-${process.pid}-${Date.now()}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', NAME, ...args], {encoding: 'utf8'});
let socket: string;
let dir: string;

beforeAll(() => {
	tmux('new-session', '-d', '-s', 'claude_spec_1_2_483920', '-x', '80', '-y', '24', 'sleep 600');
	tmux('new-session', '-d', '-s', 'claude_mgr_1_201938', 'sleep 600');
	tmux('new-session', '-d', '-s', 'claude_spec_7_7_777777', 'sleep 600');
	tmux('new-session', '-d', '-s', 'notes', 'sleep 600');
	socket = tmux('display-message', '-p', '-t', 'notes', '#{socket_path}').trim();
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-tmux-'));
});
afterAll(async () => {
	try {
		tmux('kill-server');
	} catch {
		// already gone
	}
	rmSync(dir, {recursive: true, force: true});
	// tmux 3.3 leaves the socket file behind; a server still exiting may outlive kill-server briefly.
	await new Promise(r => setTimeout(r, 300));
	if (socket) rmSync(socket, {force: true});
});

const inst = (id: string, role: string, status: string, parent: string | null = null) => instanceFrom(id, decodeObject(instanceJson(id, role, status, parent)), 'instances-hash');

describe('tmux session reader', () => {
	it('takes the socket from --tmux-socket, else from $TMUX (first comma field), else none', () => {
		expect(tmuxSocketOf({TMUX: '/tmp/tmux-1000/default,1234,0'})).toBe('/tmp/tmux-1000/default');
		expect(tmuxSocketOf({TMUX: '/tmp/tmux-1000/default,1234,0'}, '/x/y')).toBe('/x/y');
		expect(tmuxSocketOf({})).toBeNull();
	});

	it('lists the sessions of a real server and classifies agents against them', async () => {
		const view = await new TmuxReader({socket}).read();
		expect(view.state).toBe('ok');
		expect([...view.sessions].sort()).toEqual(['claude_mgr_1_201938', 'claude_spec_1_2_483920', 'claude_spec_7_7_777777', 'notes']);
		const agents = agentsView({
			instances: [inst('exec_1', 'executive', 'active'), inst('mgr_1_201938', 'manager', 'active', 'exec_1'), inst('spec_1_2_483920', 'specialist', 'active', 'mgr_1_201938'), inst('spec_1_2_000111', 'specialist', 'active', 'mgr_9_9')],
			jobs: [],
			locks: [],
			tmux: view,
		});
		const of = (id: string) => agents.rows.find(r => r.agent.id === id)!.agent;
		expect(of('spec_1_2_483920').liveness).toBe('alive');
		expect(of('mgr_1_201938').liveness).toBe('alive');
		expect(of('exec_1').liveness).toBe('ghost');
		expect(of('spec_1_2_000111')).toMatchObject({liveness: 'ghost', orphan: true});
		expect(agents.unregistered).toEqual(['claude_spec_7_7_777777']);
	});

	it('asks tmux at most every 2 s, and again after', async () => {
		let now = 1_000_000;
		const reader = new TmuxReader({socket, now: () => now});
		const first = await reader.read();
		tmux('new-session', '-d', '-s', 'claude_late_000001', 'sleep 600');
		now += 1000;
		const cached = await reader.read();
		expect(cached).toBe(first);
		expect(cached.sessions).not.toContain('claude_late_000001');
		now += 1500;
		const fresh = await reader.read();
		expect(fresh.sessions).toContain('claude_late_000001');
		tmux('kill-session', '-t', 'claude_late_000001');
	});

	it('reports "no tmux server" instead of throwing, and "not inside tmux" without a socket', async () => {
		const none = await new TmuxReader({socket: path.join(dir, 'no-such-socket')}).read();
		expect(none).toMatchObject({state: 'none', sessions: []});
		expect(none.detail).toMatch(/no tmux server on .*no-such-socket/);
		const unset = await new TmuxReader({socket: null}).read();
		expect(unset).toMatchObject({state: 'none', detail: 'not inside tmux (no $TMUX) and no --tmux-socket'});
		const missing = await runTmux(socket, ['list-sessions'], 1000, path.join(dir, 'no-tmux-binary'));
		expect(missing).toEqual({ok: false, kind: 'none', detail: 'tmux is not installed'});
	});

	it('a hung server is an error after the timeout, not a hang', async () => {
		const pid = Number(tmux('display-message', '-p', '-t', 'notes', '#{pid}').trim());
		process.kill(pid, 'SIGSTOP');
		try {
			const started = Date.now();
			const view = await new TmuxReader({socket, timeoutMs: 300}).read();
			expect(Date.now() - started).toBeLessThan(2000);
			expect(view).toMatchObject({state: 'error', detail: 'tmux did not answer within 300 ms'});
		} finally {
			process.kill(pid, 'SIGCONT');
		}
	});

	it('switch-client: says why it cannot (not in tmux; no client; no such session), runs nothing through a shell', async () => {
		expect((await switchClient(socket, 'claude_spec_1_2_483920:0.0', {})).message).toMatch(/^not inside tmux/);
		const marker = path.join(dir, 'pwned');
		const hostile = await switchClient(socket, `x$(touch ${marker})`, {TMUX: `${socket},1,0`});
		expect(hostile.ok).toBe(false);
		expect(hostile.message).toMatch(/^cannot switch to x\$\(touch/);
		expect(existsSync(marker)).toBe(false);
		const noClient = await switchClient(socket, 'claude_spec_1_2_483920', {TMUX: `${socket},1,0`});
		expect(noClient.ok).toBe(false);
		expect(noClient.message).toMatch(/^cannot switch to claude_spec_1_2_483920: /);
		// The server still has every session: tcmon wrote nothing.
		expect(tmux('list-sessions', '-F', '#{session_name}').split('\n').filter(Boolean)).toHaveLength(4);
	});

	it('switch-client moves a real attached client to the agent`s pane, and names a missing session', async () => {
		// A client attached through a pty, as a user's terminal would be.
		const client = spawn('script', ['-qfc', `tmux -L ${NAME} attach -t notes`, '/dev/null'], {stdio: 'ignore', env: {...process.env, TERM: 'xterm', TMUX: ''}});
		try {
			const clientSession = () => tmux('list-clients', '-F', '#{session_name}').trim();
			for (let i = 0; i < 50 && !clientSession(); i++) await new Promise(r => setTimeout(r, 100));
			expect(clientSession()).toBe('notes');
			const env = {TMUX: `${socket},1,0`};
			expect(await switchClient(socket, 'claude_spec_1_2_483920:0.0', env)).toEqual({ok: true, message: 'switched to claude_spec_1_2_483920:0.0'});
			expect(clientSession()).toBe('claude_spec_1_2_483920');
			expect(await switchClient(socket, 'claude_spec_9_9_999999', env)).toEqual({ok: false, message: 'cannot switch to claude_spec_9_9_999999: no such session: claude_spec_9_9_999999'});
			expect(clientSession()).toBe('claude_spec_1_2_483920');
		} finally {
			client.kill('SIGKILL');
		}
	});

	it('TmuxSource adds the session list to each snapshot, and keeps a source`s own', async () => {
		const snap = emptySnapshot(redisSourceInfo());
		const inner: Source = {kind: 'redis', poll: async () => snap, close: async () => {}, current: () => inner};
		const polled = await new TmuxSource(inner, new TmuxReader({socket})).poll();
		expect(polled.tmux?.state).toBe('ok');
		const own = {...snap, tmux: {state: 'ok' as const, sessions: ['demo'], detail: null, socket: null, readAt: 0}};
		const demo: Source = {kind: 'demo', poll: async () => own, close: async () => {}, current: () => demo};
		expect((await new TmuxSource(demo, new TmuxReader({socket})).poll()).tmux?.sessions).toEqual(['demo']);
	});
});
