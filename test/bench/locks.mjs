#!/usr/bin/env node
// Lock inspector cost: the commands per second tcmon sends to a store with
// 10,000 locks (both layouts) among 1,000,000 keys. Standalone: starts its own
// redis-server on a free loopback port, fills it, polls it with the same
// source + trackers the app uses (bundled from source/ with esbuild), reads
// INFO commandstats (no other client sends anything meanwhile), cleans up.
//   node test/bench/locks.mjs            (LOCKS_BENCH_SECONDS=20 by default)
import {rmSync} from 'node:fs';
import path from 'node:path';
import {startRedis} from './support.mjs';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build} from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECONDS = Number(process.env.LOCKS_BENCH_SECONDS ?? 20);
const INTERVAL_MS = 1000;
const TOTAL_KEYS = 1_000_000;
const LOCKS = 10_000;
const PREFIX = 'tmux-claude';
const sleep = ms => new Promise(r => setTimeout(r, ms));
const log = (...a) => console.log(...a);


const commandstats = text => {
	const out = {};
	for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) out[m[1]] = {calls: Number(m[2]), usec: Number(m[3])};
	return out;
};
const cpu = text => {
	const f = name => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
	return f('used_cpu_sys') + f('used_cpu_user');
};

const server = await startRedis();
const {port} = server;
let source = null;
const outfile = path.join(ROOT, 'node_modules', '.cache', 'tcmon-bench-locks.mjs');
const admin = server.client;
const cleanup = async () => {
	await source?.close().catch(() => {});
	await server.stop();
	rmSync(outfile, {force: true});
};
process.on('SIGINT', () => cleanup().then(() => process.exit(130)));

try {
	// Fill: 990,000 other keys with MSET, then 10,000 locks with SET NX PX as the writer does.
	let t = Date.now();
	const noise = TOTAL_KEYS - LOCKS;
	for (let base = 0; base < noise; base += 100_000) {
		const pipe = admin.pipeline();
		for (let b = base; b < Math.min(noise, base + 100_000); b += 1000) {
			const args = [];
			for (let i = b; i < Math.min(noise, b + 1000); i++) args.push(`app:data:${i}`, 'x');
			pipe.mset(...args);
		}
		await pipe.exec();
	}
	const now = Date.now();
	const pipe = admin.pipeline();
	for (let i = 0; i < LOCKS; i++) {
		const layout = i % 2 ? 'lock' : 'locks';
		pipe.set(`${PREFIX}:${layout}:res-${i}`, `${now - (i % 20_000)}-${Math.random()}`, 'PX', 600_000, 'NX');
	}
	await pipe.exec();
	const dbsize = await admin.dbsize();
	log(`locks bench: ${dbsize} keys (${LOCKS} locks in ${PREFIX}:lock: and ${PREFIX}:locks:) filled in ${((Date.now() - t) / 1000).toFixed(1)} s`);

	// The app's source and trackers, bundled from source/.
	// Bundled inside the project (outfile) so it resolves ioredis from its node_modules.
	await build({
		stdin: {
			contents: `export {RedisSource} from './source/sources/redis-source.ts'; export {TrackedSource, defaultTrackers} from './source/sources/tracked-source.ts';`,
			resolveDir: ROOT,
			loader: 'ts',
		},
		bundle: true,
		platform: 'node',
		format: 'esm',
		outfile,
		packages: 'external',
		logLevel: 'warning',
	});
	// Resolve ioredis from the project, not the temp dir.
	const {RedisSource, TrackedSource, defaultTrackers} = await import(pathToFileURL(outfile).href);
	const redis = new RedisSource({url: `redis://127.0.0.1:${port}`, prefix: PREFIX});
	source = new TrackedSource(redis, defaultTrackers({prefix: PREFIX}));

	// Phase 1: from start until every lock is shown (discovery on its budget).
	const t0 = Date.now();
	let discoveryPolls = 0;
	let found = 0;
	while (found < LOCKS && Date.now() - t0 < 180_000) {
		const tick = Date.now();
		found = (await source.poll()).locks.length;
		discoveryPolls++;
		const wait = INTERVAL_MS - (Date.now() - tick);
		if (found < LOCKS && wait > 0) await sleep(wait);
	}
	log(`locks bench: all ${LOCKS} locks shown after ${((Date.now() - t0) / 1000).toFixed(1)} s (${discoveryPolls} polls at ${INTERVAL_MS} ms)${found < LOCKS ? ` — only ${found} within 180 s` : ''}`);

	// Phase 2: steady state, every lock known: what tcmon costs the server per second.
	await admin.config('RESETSTAT');
	const cpu0 = cpu(await admin.info('cpu'));
	const started = Date.now();
	const durations = [];
	let polls = 0;
	let lastLocks = 0;
	while (Date.now() - started < SECONDS * 1000) {
		const tick = Date.now();
		const snap = await source.poll();
		durations.push(Date.now() - tick);
		polls++;
		lastLocks = snap.locks.length;
		const wait = INTERVAL_MS - (Date.now() - tick);
		if (wait > 0) await sleep(wait);
	}
	const elapsed = (Date.now() - started) / 1000;
	const stats = commandstats(await admin.info('commandstats'));
	const cpu1 = cpu(await admin.info('cpu'));
	// The admin's own commands: CONFIG RESETSTAT and one INFO cpu (INFO commandstats counts after its reply).
	delete stats['config|resetstat'];
	if (stats.info) stats.info.calls -= 1;
	const total = Object.values(stats).reduce((n, s) => n + s.calls, 0);
	const serverUsec = Object.values(stats).reduce((n, s) => n + s.usec, 0);
	durations.sort((a, b) => a - b);
	const p = q => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))];
	log(`locks bench: steady state: ${polls} polls in ${elapsed.toFixed(1)} s at a ${INTERVAL_MS} ms interval, ${lastLocks} locks shown`);
	log(`locks bench: commands sent by tcmon: ${total} = ${(total / elapsed).toFixed(0)} commands/s`);
	log(
		`locks bench: by command (calls/s): ${Object.entries(stats)
			.sort((a, b) => b[1].calls - a[1].calls)
			.map(([name, s]) => `${name} ${(s.calls / elapsed).toFixed(1)}`)
			.join(', ')}`,
	);
	log(`locks bench: server time in those commands ${(serverUsec / 1000 / elapsed).toFixed(1)} ms/s; redis-server CPU ${(((cpu1 - cpu0) / elapsed) * 100).toFixed(1)}%`);
	log(`locks bench: poll duration p50 ${p(0.5)} ms, p90 ${p(0.9)} ms, max ${durations.at(-1)} ms`);
} finally {
	await cleanup();
}
