// A real Redis Cluster for tests: 6 redis-server nodes (3 masters, 3
// replicas) on free loopback ports, joined with `redis-cli --cluster create`.
// Start it once per test file: it takes a few seconds.
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Cluster, Redis} from 'ioredis';
import {ensureRedisServer, freePort} from './redis-server';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

type Node = {port: number; proc: ChildProcess; dir: string};

export class RedisCluster {
	private constructor(
		private readonly nodes: Node[],
		private readonly clients: (Redis | Cluster)[] = [],
	) {}

	static async start(size = 6): Promise<RedisCluster> {
		const bin = await ensureRedisServer();
		const nodes: Node[] = [];
		for (let i = 0; i < size; i++) {
			const port = await freePort();
			const dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-cluster-'));
			const proc = spawn(
				bin,
				['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', '', '--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, 'nodes.conf'), '--cluster-node-timeout', '1000', '--cluster-replica-validity-factor', '0'],
				{stdio: ['ignore', 'ignore', 'ignore']},
			);
			nodes.push({port, proc, dir});
		}
		const cluster = new RedisCluster(nodes);
		for (const node of nodes) await cluster.waitPing(node.port);
		await new Promise<void>((resolve, reject) => {
			execFile('redis-cli', ['--cluster', 'create', ...nodes.map(n => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes'], {timeout: 30_000}, (error, _out, stderr) =>
				error ? reject(new Error(`redis-cli --cluster create failed: ${stderr || error.message}`)) : resolve(),
			);
		});
		await cluster.waitOk();
		await cluster.waitRoles(size / 2, size - size / 2);
		return cluster;
	}

	get ports(): number[] {
		return this.nodes.map(n => n.port);
	}

	/** A seed URL (any node). */
	get url(): string {
		return `redis://127.0.0.1:${this.nodes[0]!.port}`;
	}

	private async waitPing(port: number): Promise<void> {
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline) {
			const c = new Redis({port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null});
			c.on('error', () => {});
			try {
				await c.connect();
				if ((await c.ping()) === 'PONG') return;
			} catch {
				// not up yet
			} finally {
				c.disconnect();
			}
			await sleep(30);
		}
		throw new Error(`cluster node ${port} did not answer PING`);
	}

	/** A plain connection to one node. */
	node(port: number): Redis {
		const c = new Redis({port, host: '127.0.0.1', maxRetriesPerRequest: 1});
		c.on('error', () => {});
		this.clients.push(c);
		return c;
	}

	/** A cluster client to write with. */
	client(): Cluster {
		const c = new Cluster([{host: '127.0.0.1', port: this.nodes[0]!.port}], {redisOptions: {maxRetriesPerRequest: 3}});
		c.on('error', () => {});
		this.clients.push(c);
		return c;
	}

	/**
	 * Asks every live node (a fresh connection each, so a dead node is not
	 * retried) and says whether all answered and passed `ok`.
	 */
	private async everyNode(ask: (c: Redis, port: number) => Promise<boolean>): Promise<boolean> {
		let all = true;
		for (const node of this.nodes) {
			if (node.proc.exitCode !== null || node.proc.signalCode !== null) continue;
			const c = new Redis({port: node.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null});
			c.on('error', () => {});
			try {
				await c.connect();
				if (!(await ask(c, node.port))) all = false;
			} catch {
				all = false;
			} finally {
				c.disconnect();
			}
		}
		return all;
	}

	/** Waits until every live node says cluster_state:ok with all slots served. */
	async waitOk(timeoutMs = 20_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const ok = await this.everyNode(async c => {
				const info = (await c.call('CLUSTER', 'INFO')) as string;
				return /cluster_state:ok/.test(info) && /cluster_slots_ok:16384/.test(info);
			});
			if (ok) return;
			await sleep(100);
		}
		throw new Error('cluster did not reach cluster_state:ok');
	}

	/**
	 * Waits until every node's CLUSTER NODES agrees on the roles: right after
	 * `--cluster create` a node may still list a replica-to-be as a master
	 * (slots all ok, yet 4 masters seen), which made the first test flaky.
	 */
	async waitRoles(masters: number, replicas: number, timeoutMs = 20_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let seen = '';
		while (Date.now() < deadline) {
			const ok = await this.everyNode(async (c, port) => {
				const flags = ((await c.call('CLUSTER', 'NODES')) as string).trim().split('\n').map(l => l.split(' ')[2] ?? '');
				const m = flags.filter(f => f.includes('master') && !f.includes('fail')).length;
				const r = flags.filter(f => f.includes('slave') && !f.includes('fail')).length;
				seen = `${port}: ${m} masters, ${r} replicas`;
				return m === masters && r === replicas;
			});
			if (ok) return;
			await sleep(100);
		}
		throw new Error(`cluster nodes did not agree on ${masters} masters and ${replicas} replicas (last: ${seen})`);
	}

	/**
	 * Each live node's own word on itself (ROLE, and the slots its "myself"
	 * line holds): another node's view may lag a failover by a moment.
	 */
	async selfRoles(): Promise<Map<number, {role: string; masterPort: number | null; slots: boolean}>> {
		const roles = new Map<number, {role: string; masterPort: number | null; slots: boolean}>();
		await this.everyNode(async (c, port) => {
			const role = (await c.call('ROLE')) as unknown[];
			const myself = ((await c.call('CLUSTER', 'NODES')) as string).split('\n').find(l => l.includes('myself')) ?? '';
			roles.set(port, {role: String(role[0]), masterPort: role[0] === 'slave' ? Number(role[2]) : null, slots: myself.trim().split(' ').length > 8});
			return true;
		});
		return roles;
	}

	/** Ports of the masters and replicas now, from CLUSTER NODES of a live node. */
	async roles(): Promise<{masters: number[]; replicas: number[]}> {
		const live = this.nodes.find(n => n.proc.exitCode === null && n.proc.signalCode === null)!;
		const c = this.node(live.port);
		const text = (await c.call('CLUSTER', 'NODES')) as string;
		const masters: number[] = [];
		const replicas: number[] = [];
		for (const line of text.trim().split('\n')) {
			const [, addr, flags] = line.split(' ');
			if (!addr || !flags || flags.includes('fail')) continue;
			const port = Number(/:(\d+)@/.exec(addr)?.[1]);
			(flags.includes('master') ? masters : replicas).push(port);
		}
		return {masters: masters.sort((a, b) => a - b), replicas: replicas.sort((a, b) => a - b)};
	}

	/** Stops one node (SIGSTOP): its connections stay open, nothing answers. */
	pause(port: number): void {
		this.nodes.find(n => n.port === port)?.proc.kill('SIGSTOP');
	}

	resume(port: number): void {
		this.nodes.find(n => n.port === port)?.proc.kill('SIGCONT');
	}

	/** Kills one node (SIGKILL). */
	async kill(port: number): Promise<void> {
		const node = this.nodes.find(n => n.port === port);
		if (!node || node.proc.exitCode !== null || node.proc.signalCode !== null) return;
		const gone = new Promise(r => node.proc.once('exit', r));
		node.proc.kill('SIGKILL');
		await gone;
	}

	async stop(): Promise<void> {
		for (const c of this.clients) c.disconnect();
		for (const node of this.nodes) {
			node.proc.kill('SIGCONT');
			if (node.proc.exitCode === null && node.proc.signalCode === null) {
				const gone = new Promise(r => node.proc.once('exit', r));
				node.proc.kill('SIGKILL');
				await gone;
			}
			rmSync(node.dir, {recursive: true, force: true});
		}
	}
}
