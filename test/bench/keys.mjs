#!/usr/bin/env node
// Key browser benchmark on a 1,000,000-key store (issue 5), standalone:
//   npm run build && node test/bench/keys.mjs [--keys N]
// Starts its own redis-server on a free loopback port, fills it with DEBUG
// POPULATE (bench setup only: tcmon itself never calls DEBUG), then measures,
// in the same run:
//   1. `tcmon keys --all` to complete counts vs `redis-cli --scan | wc -l`
//   2. the slowest single command tcmon sent during that scan (SLOWLOG)
//   3. RSS of the interactive UI after indexing the whole store (in tmux)
//   4. key press → redrawn frame while the UI is indexing (tmux send-keys →
//      capture-pane polling; resolution a few ms)
// and prints the figures side by side with the targets.
import {execFile, execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {startRedis} from './support.mjs';
import {fileURLToPath} from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'dist/cli.js');
const argKeys = process.argv.indexOf('--keys');
const TOTAL = argKeys > 0 ? Number(process.argv[argKeys + 1]) : 1_000_000;
const log = (...a) => console.log(...a);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const which = cmd => {
	try {
		return execFileSync('sh', ['-c', `command -v ${cmd}`], {encoding: 'utf8'}).trim() || null;
	} catch {
		return null;
	}
};


const cli = (port, ...args) => execFileSync('redis-cli', ['-p', String(port), ...args], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore']}).trim();

const time = (cmd, args, opts = {}) =>
	new Promise((resolve, reject) => {
		const t0 = process.hrtime.bigint();
		execFile(cmd, args, {maxBuffer: 512 * 1024 * 1024, ...opts}, (error, stdout, stderr) => {
			const ms = Number(process.hrtime.bigint() - t0) / 1e6;
			if (error) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || error.message}`));
			else resolve({ms, stdout});
		});
	});

/** SLOWLOG entries as [id, time, micros, args[]]. */
const slowlog = port => {
	const raw = execFileSync('redis-cli', ['-p', String(port), '--json', 'SLOWLOG', 'GET', '100000'], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024});
	return JSON.parse(raw).map(e => ({micros: e[2], args: e[3]}));
};

const main = async () => {
	for (const bin of ['redis-server', 'redis-cli', 'tmux']) if (!which(bin)) throw new Error(`${bin} is required (apt-get install redis-server redis-tools tmux)`);
	// Real-time priority where allowed, so SLOWLOG shows the commands' cost, not the VM's scheduling.
	const server = await startRedis(['--enable-debug-command', 'local'], {realtime: true});
	const {port} = server;
	const session = `tcmon-bench-${process.pid}`;
	try {
		const version = cli(port, 'INFO', 'server').match(/redis_version:(\S+)/)?.[1];
		// A realistic mix: a few big namespaces, tmux-claude's own keys, some loose keys.
		const t0 = Date.now();
		const parts = [
			[Math.round(TOTAL * 0.4), 'app:user'],
			[Math.round(TOTAL * 0.3), 'cache:page'],
			[Math.round(TOTAL * 0.2), 'session'],
			[Math.round(TOTAL * 0.09), 'queue:job'],
		];
		const rest = TOTAL - parts.reduce((n, [c]) => n + c, 0);
		parts.push([rest, 'tmux-claude:tmp']);
		for (const [count, prefix] of parts) cli(port, 'DEBUG', 'POPULATE', String(count), prefix, '16');
		const dbsize = Number(cli(port, 'DBSIZE'));
		log(`redis ${version} on 127.0.0.1:${port}: ${dbsize} keys filled in ${Date.now() - t0} ms; ${server.realtime ? 'server at real-time priority (chrt -f 1)' : 'server at normal priority (SLOWLOG durations include scheduling noise)'}`);

		// 2: the slowest command tcmon sent while counting (every command logged).
		cli(port, 'CONFIG', 'SET', 'slowlog-log-slower-than', '0');
		cli(port, 'CONFIG', 'SET', 'slowlog-max-len', '100000');
		cli(port, 'SLOWLOG', 'RESET');
		const logged = await time(CLI, ['keys', '--all', '--json', '-p', String(port)]);
		const entries = slowlog(port).filter(e => !(e.args[0] ?? '').toUpperCase().startsWith('SLOWLOG'));
		cli(port, 'CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
		const doc = JSON.parse(logged.stdout);
		const slowest = entries.reduce((a, e) => (e.micros > a.micros ? e : a), {micros: 0, args: []});
		const scans = entries.filter(e => e.args[0]?.toUpperCase() === 'SCAN');
		// 1: complete counts, tcmon and redis-cli alternately (logging back at its
		// default, so neither pays for it), three runs each: medians.
		const tcmonMs = [];
		const redisCliMs = [];
		let scanned = 0;
		for (let i = 0; i < 3; i++) {
			tcmonMs.push((await time(CLI, ['keys', '--all', '--json', '-p', String(port)])).ms);
			const r = await time('sh', ['-c', `redis-cli -p ${port} --scan | wc -l`]);
			redisCliMs.push(r.ms);
			scanned = Number(r.stdout.trim());
		}
		const tcmon = {ms: [...tcmonMs].sort((a, b) => a - b)[1]};
		const redisCli = {ms: [...redisCliMs].sort((a, b) => a - b)[1]};

		// 3 + 4: the interactive UI in tmux, indexing the whole store.
		execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '35', `exec ${CLI} -p ${port} --source redis`]);
		const capture = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session], {encoding: 'utf8'});
		const waitFor = async (re, ms = 120_000) => {
			const end = Date.now() + ms;
			while (Date.now() < end) {
				const f = capture();
				if (re.test(f)) return f;
				await sleep(5);
			}
			throw new Error(`UI never showed ${re}; last frame:\n${capture()}`);
		};
		await waitFor(/every 1\.0s/);
		execFileSync('tmux', ['send-keys', '-t', session, '3']);
		await waitFor(/Keys · tree · tmux-claude:\*/);
		await waitFor(/tmux-claude:\* · [\d.k]+ keys[\s\S]*keys · /);
		let view = 'tree';
		/** Presses v (tree ↔ list) up to 20 times, timing each until the title shows the other view. */
		const toggles = async stopWhen => {
			const out = [];
			for (let i = 0; i < 20; i++) {
				if (stopWhen && stopWhen.test(capture())) break;
				const next = view === 'tree' ? 'list' : 'tree';
				const t = process.hrtime.bigint();
				execFileSync('tmux', ['send-keys', '-t', session, 'v']);
				await waitFor(new RegExp(`Keys · ${next} · `), 5000);
				out.push(Number(process.hrtime.bigint() - t) / 1e6);
				view = next;
				await sleep(30 + Math.random() * 70);
			}
			return out.sort((a, b) => a - b);
		};
		// The same presses with nothing being indexed: the UI's own latency in tmux.
		const idle = await toggles(null);
		const panePid = execFileSync('tmux', ['display-message', '-p', '-t', session, '#{pane_pid}'], {encoding: 'utf8'}).trim();
		const rssOf = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${panePid}/status`, 'utf8'))?.[1] ?? NaN);
		const baseKb = rssOf();
		const uiStart = Date.now();
		execFileSync('tmux', ['send-keys', '-t', session, 'a']);
		await waitFor(/scanning \d+%/);
		// Toggle tree/list while it scans; time each press until the title changes.
		const latencies = await toggles(/scanned in/);
		const done = await waitFor(/[\d.]+[kM]? keys · [\d.]+[kM]? scanned in/);
		const uiMs = Date.now() - uiStart;
		await sleep(1500);
		const rssKb = rssOf();
		const shown = /([\d.]+[kM]?) keys · ([\d.]+[kM]?) scanned in (\S+)/.exec(done);

		const median = list => (list.length ? list[Math.floor(list.length / 2)] : NaN);
		const scanMicros = scans.map(e => e.micros).sort((a, b) => a - b);
		const p99 = scanMicros[Math.floor(scanMicros.length * 0.99)] ?? NaN;
		const f = n => (Number.isFinite(n) ? n.toFixed(0) : '?');
		log('');
		log(`measure                                     tcmon                          reference / target`);
		log(`complete counts of ${dbsize} keys         tcmon keys --all: ${f(tcmon.ms)} ms       redis-cli --scan | wc -l: ${f(redisCli.ms)} ms  (${(redisCli.ms / tcmon.ms).toFixed(1)}x faster; target >= 5x)`);
		log(`  all runs (ms)                             tcmon ${tcmonMs.map(f).join(', ')}   redis-cli ${redisCliMs.map(f).join(', ')}`);
		log(`  keys counted                              ${doc.keys} (complete: ${doc.complete}, ${doc.scanCalls} SCAN calls in ${doc.scanRanges} cursor ranges)   redis-cli: ${scanned}`);
		log(`slowest tcmon command in SLOWLOG            ${(slowest.micros / 1000).toFixed(3)} ms (${slowest.args.slice(0, 6).join(' ')})   target < 1 ms`);
		log(`  SCAN calls logged / mean                  ${scans.length} / ${(scans.reduce((n, e) => n + e.micros, 0) / Math.max(1, scans.length) / 1000).toFixed(3)} ms`);
		log(`UI RSS after indexing the store             ${(rssKb / 1024).toFixed(1)} MB (UI showed ${shown?.[1]} keys, ${shown?.[2]} scanned in ${shown?.[3]}; ${uiMs} ms wall)   target <= 150 MB`);
		log(`  UI RSS before (prefix only indexed)       ${(baseKb / 1024).toFixed(1)} MB`);
		log(`  SCAN p99 / slowest SCAN                   ${(p99 / 1000).toFixed(3)} ms / ${((scanMicros.at(-1) ?? NaN) / 1000).toFixed(3)} ms`);
		log(`key press -> redrawn frame while indexing   median ${f(median(latencies))} ms, max ${f(latencies.at(-1))} ms over ${latencies.length} presses   target < 100 ms`);
		log(`  same presses, nothing indexing            median ${f(median(idle))} ms, max ${f(idle.at(-1))} ms over ${idle.length} presses`);
		log(`  load average during the run               ${os.loadavg().map(n => n.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
	} finally {
		try {
			execFileSync('tmux', ['kill-session', '-t', session], {stdio: 'ignore'});
		} catch {}
		await server.stop();
	}
};

main().catch(error => {
	console.error(error.message);
	process.exit(1);
});
