// Cost of the Stats pane's slow reads (run every 30 s, not every tick):
// CONFIG GET ×9 + COMMAND INFO, and MEMORY USAGE on 15 keys + the instances
// hash. Starts its own redis-server on a free loopback port.
// Usage: node test/bench/stats-probe.mjs
import {spawn} from 'node:child_process';
import net from 'node:net';
import {Redis} from 'ioredis';

const port = await new Promise(r => {
	const s = net.createServer().listen(0, '127.0.0.1', () => {
		const {port} = s.address();
		s.close(() => r(port));
	});
});
const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {stdio: 'ignore'});
const r = new Redis({port, host: '127.0.0.1', lazyConnect: true});
r.on('error', () => {});
for (let i = 0; i < 50; i++) {
	try {
		await r.connect();
		break;
	} catch {
		await new Promise(res => setTimeout(res, 100));
	}
}
const P = 'tmux-claude';
const pipe = r.pipeline();
for (let i = 0; i < 1000; i++) {
	pipe.set(`${P}:instance:exec_${i}`, JSON.stringify({instanceId: `exec_${i}`, role: 'executive', status: 'active', sessionName: `claude_exec_${i}`, projectDir: '/home/me/app', children: []}));
	pipe.set(`${P}:job:job_${i}`, JSON.stringify({id: `job_${i}`, status: 'pending', priority: 50, spec: {task: 'x'.repeat(200)}}));
	pipe.hset(`${P}:instances`, `spec_${i}`, JSON.stringify({instanceId: `spec_${i}`, status: 'active'}));
}
await pipe.exec();

const median = xs => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (label, fn, n = 200) => {
	const ms = [];
	for (let i = 0; i < n; i++) {
		const t = process.hrtime.bigint();
		await fn();
		ms.push(Number(process.hrtime.bigint() - t) / 1e6);
	}
	console.log(`${label}: median ${median(ms).toFixed(3)} ms, max ${Math.max(...ms).toFixed(3)} ms (n=${n})`);
};
const params = ['appendonly', 'appendfsync', 'maxmemory', 'maxmemory-policy', 'requirepass', 'bind', 'protected-mode', 'save', 'maxclients'];
await time('CONFIG GET x9 (pipelined) + COMMAND INFO x5', async () => {
	const p = r.pipeline();
	for (const x of params) p.call('CONFIG', 'GET', x);
	await p.exec();
	await r.call('COMMAND', 'INFO', 'FLUSHDB', 'FLUSHALL', 'KEYS', 'CONFIG', 'SHUTDOWN');
});
await time('MEMORY USAGE x15 + instances hash (1000 fields)', async () => {
	const p = r.pipeline();
	for (let i = 0; i < 5; i++) p.call('MEMORY', 'USAGE', `${P}:instance:exec_${i * 200}`);
	for (let i = 0; i < 5; i++) p.call('MEMORY', 'USAGE', `${P}:job:job_${i * 200}`);
	for (let i = 0; i < 5; i++) p.call('MEMORY', 'USAGE', `${P}:instance:exec_${i * 200 + 1}`);
	p.call('MEMORY', 'USAGE', `${P}:instances`);
	await p.exec();
});
await time('INFO (for comparison, every tick)', () => r.info());
const sizes = await Promise.all([r.call('MEMORY', 'USAGE', `${P}:instance:exec_1`), r.call('MEMORY', 'USAGE', `${P}:job:job_1`)]);
console.log(`bytes: instance key ${sizes[0]} (guide 5120), job key ${sizes[1]} (guide 2048)`);
r.disconnect();
proc.kill();
