#!/usr/bin/env node
// `npm run bench`: prints measured numbers, never asserts. Every part starts
// its own redis-server on a free loopback port and stops it afterwards.
//   1. time to the first complete frame (`tcmon --once`) next to `node -e 0`
//   2. CPU used by the interactive UI over 30 s windows of steady polling at 1 s
//      (a store left alone, then one written once a second)
//   then every other test/bench/*.mjs script, one after another.
// tcmon runs as its bin (dist/cli.js executed, as `tcmon` is), so the V8
// flags on its first line apply.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {startRedis, fillTmuxClaudeStore, median, sleep} from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const cli = path.join(root, 'dist/cli.js');
const only = process.argv[2];

const time = (cmd, args, env = {}) => {
	const t = process.hrtime.bigint();
	const r = spawnSync(cmd, args, {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']});
	const ms = Number(process.hrtime.bigint() - t) / 1e6;
	if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
	return ms;
};

const firstFrame = async () => {
	const redis = await startRedis();
	try {
		const counts = await fillTmuxClaudeStore(redis.port);
		const runs = 15;
		const bare = [];
		const once = [];
		const json = [];
		for (let i = 0; i < runs; i++) {
			bare.push(time('node', ['-e', '0']));
			once.push(time(cli, ['--once', '--url', redis.url, '--width', '120', '--height', '40']));
			json.push(time(cli, ['--json', '--url', redis.url]));
		}
		const cache = spawnSync(cli, ['--once', '--url', redis.url], {env: {...process.env, TCMON_CODE_CACHE: 'report'}, encoding: 'utf8'}).stderr.trim();
		console.log(`\n## First frame (${runs} runs each, store: ${counts}; ${cache || 'code cache: not reported'})`);
		console.log(`node -e 0                 median ${median(bare).toFixed(0)} ms  min ${Math.min(...bare).toFixed(0)} ms`);
		console.log(`tcmon --once (120x40)     median ${median(once).toFixed(0)} ms  min ${Math.min(...once).toFixed(0)} ms`);
		console.log(`tcmon --json              median ${median(json).toFixed(0)} ms  min ${Math.min(...json).toFixed(0)} ms`);
		console.log(`tcmon --once minus node   median ${(median(once) - median(bare)).toFixed(0)} ms  (target: first frame <= 300 ms)`);
	} finally {
		await redis.stop();
	}
};

const cpuTicks = pid => {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15)
};

const steadyCpu = async (seconds = 30) => {
	const redis = await startRedis();
	const session = `tcmon-bench-${process.pid}`;
	const tmux = (...args) => execFileSync('tmux', ['-L', session, ...args], {encoding: 'utf8'});
	try {
		const counts = await fillTmuxClaudeStore(redis.port);
		tmux('new-session', '-d', '-s', 'b', '-x', '120', '-y', '35', `${cli} --url ${redis.url} --interval 1000`);
		await sleep(10_000); // start-up, first full discovery and the JIT's first pass
		const pid = Number(tmux('list-panes', '-t', 'b', '-F', '#{pane_pid}').trim());
		const hz = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}));
		/** CPU of the UI over one window, while `during` runs (if given). */
		const window = async (label, during) => {
			const t0 = cpuTicks(pid);
			const w0 = Date.now();
			const cmds0 = await redis.commandsProcessed();
			const stop = during?.();
			await sleep(seconds * 1000);
			stop?.();
			const used = (cpuTicks(pid) - t0) / hz;
			const wall = (Date.now() - w0) / 1000;
			const cmds = (await redis.commandsProcessed()) - cmds0;
			const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
			console.log(`${label.padEnd(44)} CPU ${((used / wall) * 100).toFixed(2)}% of one core · RSS ${rss.toFixed(0)} MB · ${(cmds / wall).toFixed(0)} commands/s`);
		};
		console.log(`\n## Steady polling at 1 s, ${seconds} s windows (store: ${counts}; target <= 1 % of one core)`);
		await window('10-40 s after start, store unchanged');
		await window('40-70 s after start, store unchanged');
		// One job rewritten a second, as a working orchestrator does (its own
		// commands are counted in commands/s).
		await window('70-100 s, one write a second', () => {
			let n = 0;
			const timer = setInterval(() => void redis.client.set('tmux-claude:job:bench-writer', JSON.stringify({id: 'bench-writer', status: 'active', n: n++})), 1000);
			return () => clearInterval(timer);
		});
	} finally {
		try {
			tmux('kill-server');
		} catch {}
		await redis.stop();
	}
};

if (!only || only === 'core') {
	await firstFrame();
	await steadyCpu();
}
for (const file of readdirSync(here).filter(f => f.endsWith('.mjs') && !['bench.mjs', 'support.mjs'].includes(f)).sort()) {
	if (only && only !== 'core' && !file.startsWith(only)) continue;
	if (only === 'core') continue;
	console.log(`\n# ${file}`);
	const r = spawnSync('node', [path.join(here, file)], {stdio: 'inherit'});
	if (r.status !== 0) console.log(`(${file} exited ${r.status})`);
}
