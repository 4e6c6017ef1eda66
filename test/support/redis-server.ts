// A real redis-server for tests: found (or installed with apt-get when we are
// root on Debian/Ubuntu), started on a free loopback port, stopped afterwards.
// Tests never talk to a mock of Redis.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';

const which = (cmd: string): string | null => {
	try {
		return execFileSync('sh', ['-c', `command -v ${cmd}`], {encoding: 'utf8'}).trim() || null;
	} catch {
		return null;
	}
};

let serverBin: string | null = null;

/** Path of redis-server; installs it with apt-get when missing and possible, else throws why. */
export const ensureRedisServer = async (): Promise<string> => {
	if (serverBin) return serverBin;
	let bin = which('redis-server');
	if (!bin) {
		const root = process.getuid?.() === 0;
		const apt = which('apt-get');
		if (!root || !apt) {
			throw new Error(
				`redis-server is not installed and cannot be installed here (${root ? 'no apt-get' : 'not root'}). ` +
					'Install it (Debian/Ubuntu: sudo apt-get install redis-server) and run the tests again.',
			);
		}
		process.stderr.write('redis-server missing: installing it with apt-get…\n');
		const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
		execFileSync('apt-get', ['update'], {stdio: 'inherit', env});
		execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], {stdio: 'inherit', env});
		bin = which('redis-server');
		if (!bin) throw new Error('apt-get install redis-server finished but redis-server is still not on PATH');
	}
	serverBin = bin;
	return bin;
};

export const freePort = (): Promise<number> =>
	new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const {port} = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});

/** A process killed by a signal has signalCode set and exitCode null. */
const exited = (proc: ChildProcess): boolean => proc.exitCode !== null || proc.signalCode !== null;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export type RedisServerOptions = {
	port?: number;
	/** Extra `--name value` arguments (e.g. ['--maxmemory', '1mb']). */
	args?: string[];
};

/**
 * A TCP proxy in front of a server that forwards the first `replies` chunks
 * the server sends back, then holds every later reply: a server (or a
 * proxy) that accepted the connection and stopped answering.
 */
export class QuietProxy {
	private constructor(
		private readonly server: net.Server,
		private readonly sockets: Set<net.Socket>,
		readonly port: number,
	) {}

	/** `quietConnections`: how many connections (the first ones) go quiet; later ones pass everything. */
	static async start(target: number, replies: number, quietConnections = Number.POSITIVE_INFINITY): Promise<QuietProxy> {
		const sockets = new Set<net.Socket>();
		let connections = 0;
		const server = net.createServer(client => {
			const upstream = net.connect(target, '127.0.0.1');
			sockets.add(client).add(upstream);
			const quiet = connections++ < quietConnections;
			let passed = 0;
			client.on('data', d => upstream.write(d));
			upstream.on('data', d => {
				if (!quiet || passed++ < replies) client.write(d);
			});
			const end = () => {
				client.destroy();
				upstream.destroy();
			};
			client.on('error', end).on('close', end);
			upstream.on('error', end).on('close', end);
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		return new QuietProxy(server, sockets, (server.address() as net.AddressInfo).port);
	}

	get url(): string {
		return `redis://127.0.0.1:${this.port}`;
	}

	async stop(): Promise<void> {
		for (const s of this.sockets) s.destroy();
		await new Promise(resolve => this.server.close(resolve));
	}
}

export class RedisServer {
	private proc: ChildProcess | null = null;
	private readonly dir: string;
	private clients: Redis[] = [];

	private constructor(
		readonly port: number,
		private readonly args: string[],
	) {
		this.dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-redis-'));
	}

	static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
		await ensureRedisServer();
		const server = new RedisServer(options.port ?? (await freePort()), options.args ?? []);
		await server.launch();
		return server;
	}

	get url(): string {
		return `redis://127.0.0.1:${this.port}`;
	}

	get running(): boolean {
		return this.proc !== null && !exited(this.proc);
	}

	private async launch(): Promise<void> {
		const bin = await ensureRedisServer();
		const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--daemonize', 'no', '--logfile', '', ...this.args];
		const proc = spawn(bin, args, {stdio: ['ignore', 'ignore', 'pipe']});
		let stderr = '';
		proc.stderr?.on('data', d => (stderr += String(d)));
		this.proc = proc;
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline) {
			if (exited(proc)) throw new Error(`redis-server exited (${proc.exitCode ?? proc.signalCode}): ${stderr}`);
			if (await this.pings()) return;
			await sleep(25);
		}
		throw new Error(`redis-server on port ${this.port} did not answer PING within 10 s`);
	}

	private pings(): Promise<boolean> {
		return new Promise(resolve => {
			const sock = net.connect(this.port, '127.0.0.1');
			sock.setTimeout(500);
			sock.on('connect', () => sock.write('PING\r\n'));
			sock.on('data', d => {
				sock.destroy();
				resolve(String(d).startsWith('+PONG') || String(d).startsWith('-NOAUTH'));
			});
			sock.on('error', () => resolve(false));
			sock.on('timeout', () => {
				sock.destroy();
				resolve(false);
			});
		});
	}

	/** A plain ioredis client for the test to write with (closed by stop()). */
	client(options: {db?: number; username?: string; password?: string; enableReadyCheck?: boolean} = {}): Redis {
		const c = new Redis({port: this.port, host: '127.0.0.1', maxRetriesPerRequest: 1, lazyConnect: false, ...options});
		c.on('error', () => {});
		this.clients.push(c);
		return c;
	}

	/** Stops the process (SIGSTOP): connections stay open, nothing answers. A hung server. */
	pause(): void {
		this.proc?.kill('SIGSTOP');
	}

	/** Lets a paused server go on (SIGCONT). */
	resume(): void {
		this.proc?.kill('SIGCONT');
	}

	/** Kills the server (SIGKILL: a crash, not a shutdown) and waits for it to be gone. */
	async kill(): Promise<void> {
		const proc = this.proc;
		if (!proc || exited(proc)) return;
		const gone = new Promise(r => proc.once('exit', r));
		proc.kill('SIGKILL');
		await gone;
	}

	/** Starts the server again on the same port (empty: nothing was saved). */
	async restart(): Promise<void> {
		await this.kill();
		await this.launch();
	}

	async stop(): Promise<void> {
		// A stopped process ignores SIGKILL's exit until continued on some kernels' ptrace setups: continue first.
		this.resume();
		for (const c of this.clients) c.disconnect();
		this.clients = [];
		await this.kill();
		if (existsSync(this.dir)) rmSync(this.dir, {recursive: true, force: true});
	}
}

/** A real Sentinel (`redis-server CONF --sentinel`) watching one master, quorum 1, quick to fail over. */
export class RedisSentinel {
	private constructor(
		private readonly proc: ChildProcess,
		private readonly dir: string,
		readonly port: number,
	) {}

	static async start(masterPort: number, name = 'mymaster', downAfterMs = 1000): Promise<RedisSentinel> {
		const bin = await ensureRedisServer();
		const port = await freePort();
		const dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-sentinel-'));
		const conf = path.join(dir, 'sentinel.conf');
		writeFileSync(
			conf,
			[
				`port ${port}`,
				'bind 127.0.0.1',
				`dir ${dir}`,
				`sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`,
				`sentinel down-after-milliseconds ${name} ${downAfterMs}`,
				`sentinel failover-timeout ${name} 3000`,
				`sentinel parallel-syncs ${name} 1`,
				'',
			].join('\n'),
		);
		const proc = spawn(bin, [conf, '--sentinel'], {stdio: ['ignore', 'ignore', 'ignore']});
		const sentinel = new RedisSentinel(proc, dir, port);
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline) {
			if (exited(proc)) throw new Error(`redis-server --sentinel exited (${proc.exitCode ?? proc.signalCode})`);
			const probe = new Redis({port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null});
			probe.on('error', () => {});
			try {
				await probe.connect();
				const addr = (await probe.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as string[] | null;
				if (addr) return sentinel;
			} catch {
				// not up yet
			} finally {
				probe.disconnect();
			}
			await sleep(50);
		}
		throw new Error(`sentinel on port ${port} did not come up within 10 s`);
	}

	/** The master's address Sentinel gives now. */
	async master(name = 'mymaster'): Promise<number | null> {
		const c = new Redis({port: this.port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null});
		c.on('error', () => {});
		try {
			const addr = (await c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as string[] | null;
			return addr ? Number(addr[1]) : null;
		} finally {
			c.disconnect();
		}
	}

	async stop(): Promise<void> {
		if (!exited(this.proc)) {
			const gone = new Promise(r => this.proc.once('exit', r));
			this.proc.kill('SIGKILL');
			await gone;
		}
		rmSync(this.dir, {recursive: true, force: true});
	}
}
