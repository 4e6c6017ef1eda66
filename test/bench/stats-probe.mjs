// Cost of the Stats pane's slow reads (run every 30 s, not every tick):
// CONFIG GET ×9 + COMMAND INFO, and MEMORY USAGE on 15 keys + the instances
// hash. Starts its own redis-server on a free loopback port.
// Usage: node test/bench/stats-probe.mjs
import {median, startRedis} from './support.mjs';

const redis = await startRedis();
const r = redis.client;
const P = 'tmux-claude';
const pipe = r.pipeline();
for (let i = 0; i < 1000; i++) {
	pipe.set(`${P}:instance:exec_${i}`, JSON.stringify({instanceId: `exec_${i}`, role: 'executive', status: 'active', sessionName: `claude_exec_${i}`, projectDir: '/home/me/app', children: []}));
	pipe.set(`${P}:job:job_${i}`, JSON.stringify({id: `job_${i}`, status: 'pending', priority: 50, spec: {task: 'x'.repeat(200)}}));
	pipe.hset(`${P}:instances`, `spec_${i}`, JSON.stringify({instanceId: `spec_${i}`, status: 'active'}));
}
await pipe.exec();

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
await redis.stop();
