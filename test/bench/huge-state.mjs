// Data that grows: a 1M-field instances hash, or 64 MiB values under an
// instance, a job, a lock and a hash field. Builds it on a throwaway server,
// runs the built CLI (`--json`, `--once`) against it, and prints the wall
// time, peak RSS, output size and SLOWLOG's slowest command tcmon caused.
//   npm run build && node test/bench/huge-state.mjs hash     (or: values; neither: both)
//   CLI=/other/checkout/dist/cli.js node test/bench/huge-state.mjs hash
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {startRedis} from './support.mjs';

const kinds = process.argv[2] ? [process.argv[2]] : ['hash', 'values'];
const cli = process.env.CLI ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');
const P = 'tmux-claude';
for (const kind of kinds) {
	console.log(kind === 'hash' ? `an instances hash of ${process.env.FIELDS ?? 1_000_000} fields:` : '64 MiB values (instance, job, lock, hash field):');
	const redis = await startRedis();
	const r = redis.client;
	try {
		if (kind === 'hash') {
			const N = Number(process.env.FIELDS ?? 1_000_000);
			const value = i => JSON.stringify({instanceId: `spec_1_2_${i}`, role: 'specialist', parentId: 'mgr_1_201938', sessionName: `claude_spec_1_2_${i}`, status: 'active', created: '2026-11-25T09:12:44.000Z', children: []});
			for (let n = 0; n < N; ) {
				const pipe = r.pipeline();
				for (let j = 0; j < 2000 && n < N; j++, n++) pipe.hset(`${P}:instances`, `spec_1_2_${n}`, value(n));
				await pipe.exec();
			}
		} else {
			const pad = 'x'.repeat(64 * 1024 * 1024);
			await r.set(`${P}:instance:huge_1`, JSON.stringify({instanceId: 'huge_1', status: 'active', pad}));
			await r.set(`${P}:job:huge_job`, JSON.stringify({id: 'huge_job', status: 'active', pad}));
			await r.set(`${P}:lock:huge`, `${Date.now()}-${pad}`);
			await r.hset(`${P}:instances`, 'huge_h', JSON.stringify({instanceId: 'huge_h', status: 'active', pad}), 'exec_1', '{"instanceId":"exec_1","status":"active"}');
		}
		await r.config('SET', 'slowlog-log-slower-than', '0');
		await r.config('SET', 'slowlog-max-len', '10000');
		for (const mode of ['--json', '--once']) {
			await r.call('SLOWLOG', 'RESET');
			const started = performance.now();
			// /usr/bin/time -f %M prints the peak RSS (KB) as stderr's last line.
			const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, '--url', redis.url, mode], {maxBuffer: 1 << 30});
			const out = run.stdout.toString();
			const rss = `${Math.round(Number(run.stderr.toString().trim().split('\n').at(-1)) / 1024)} MB RSS, exit ${run.status}`;
			const wall = performance.now() - started;
			const log = (await r.call('SLOWLOG', 'GET', '10000')).filter(e => !['SLOWLOG', 'CONFIG'].includes(String(e[3][0]).toUpperCase()));
			const slowest = log.sort((a, b) => b[2] - a[2])[0];
			console.log(`${mode}: ${(wall / 1000).toFixed(2)} s wall, output ${out.length} bytes, ${rss}; slowest command ${slowest ? `${slowest[2]} µs: ${slowest[3].slice(0, 5).map(a => String(a).slice(0, 40)).join(' ')}` : '-'} (${log.length} commands)`);
		}
	} finally {
		await redis.stop();
	}
}
