// Shared by the bench scripts: a throwaway redis-server on a free loopback
// port, and a store shaped like tmux-claude's (both layouts).
import {execFileSync, spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';

export const sleep = ms => new Promise(r => setTimeout(r, ms));
export const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const freePort = () =>
	new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const {port} = srv.address();
			srv.close(() => resolve(port));
		});
	});

/**
 * SLOWLOG measures wall time: on a loaded machine the server can be
 * descheduled mid-command and any command then "takes" milliseconds. When
 * allowed (root), a server started with `realtime` runs at real-time priority
 * (chrt -f 1) so the figures are the commands' own cost; BENCH_RT=0 turns it off.
 */
export const canRealtime = () => {
	if (process.env.BENCH_RT === '0') return false;
	try {
		execFileSync('chrt', ['-f', '1', 'true'], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
};

export const startRedis = async (args = [], {realtime = false} = {}) => {
	const port = await freePort();
	const dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-bench-'));
	const rt = realtime && canRealtime();
	const serverArgs = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args];
	const proc = rt ? spawn('chrt', ['-f', '1', 'redis-server', ...serverArgs], {stdio: 'ignore'}) : spawn('redis-server', serverArgs, {stdio: 'ignore'});
	const client = new Redis({port, lazyConnect: true, maxRetriesPerRequest: 3, retryStrategy: () => 50});
	client.on('error', () => {});
	for (let i = 0; i < 200; i++) {
		try {
			await client.connect();
			break;
		} catch {
			await sleep(25);
		}
	}
	await client.ping();
	return {
		port,
		url: `redis://127.0.0.1:${port}`,
		client,
		proc,
		realtime: rt,
		commandsProcessed: async () => Number(/total_commands_processed:(\d+)/.exec(await client.info('stats'))[1]) - 0,
		stop: async () => {
			client.disconnect();
			proc.kill('SIGKILL');
			await sleep(50);
			rmSync(dir, {recursive: true, force: true});
		},
	};
};

const inst = (id, role, status, parentId = null) =>
	JSON.stringify({instanceId: id, role, parentId, sessionName: `claude_${id}`, paneTarget: `claude_${id}:0.0`, projectDir: `/home/me/app/${id}`, workDir: '/home/me/app', status, created: new Date().toISOString(), children: []});
const job = (id, status) => JSON.stringify({id, spec: {task: 'bench'}, priority: 50, status, enqueuedAt: new Date().toISOString(), attempts: 1, maxAttempts: 3});

/**
 * The guide's sizing example: 100 instances, 1000 jobs, metrics, locks, in
 * both layouts (half each), plus `noise` unrelated keys.
 */
export const fillTmuxClaudeStore = async (port, {noise = 0, prefix = 'tmux-claude'} = {}) => {
	const r = new Redis({port});
	const p = r.pipeline();
	const now = Date.now();
	for (let i = 0; i < 100; i++) {
		const id = `spec_1_${i % 5}_${String(100000 + i)}`;
		if (i % 2) p.hset(`${prefix}:instances`, id, inst(id, 'specialist', 'active'));
		else p.set(`${prefix}:instance:${id}`, inst(id, 'specialist', 'active'));
	}
	for (let i = 0; i < 1000; i++) {
		const id = `job_${now}_${i}`;
		if (i % 2) p.hset(`${prefix}:instances`, `job:${id}`, job(id, 'pending'));
		else p.set(`${prefix}:job:${id}`, job(id, 'completed'));
	}
	for (let i = 0; i < 20; i++) p.set(`${prefix}:${i % 2 ? 'locks' : 'lock'}:res-${i}`, `${now}-0.${i}`, 'PX', 600_000);
	for (const m of ['queue_depth', 'active_instances', 'job_duration_ms', 'managers']) {
		for (let i = 0; i < 1000; i++) p.zadd(`${prefix}:metrics:${m}`, now - i * 1000, JSON.stringify({metric: m, value: i % 17, timestamp: new Date(now - i * 1000).toISOString()}));
		p.expire(`${prefix}:metrics:${m}`, 86_400);
	}
	await p.exec();
	for (let done = 0; done < noise; done += 10_000) {
		const q = r.pipeline();
		for (let i = done; i < Math.min(noise, done + 10_000); i++) q.set(`noise:${i}`, '1');
		await q.exec();
	}
	const keys = await r.dbsize();
	r.disconnect();
	return `${keys} keys: 100 instances, 1000 jobs, 20 locks, 4x1000 metric samples${noise ? `, ${noise} other keys` : ''}`;
};
