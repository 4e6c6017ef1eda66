#!/usr/bin/env node
// `npm run build`: bundles source/cli.tsx into one minified CommonJS script,
// dist/tcmon.cjs; copies the bin, dist/cli.js (source/launcher.mjs), which runs
// it; and writes V8 code caches for it (dist/tcmon*.cache).
// TCMON_BUILD_DIR=dir builds elsewhere, TCMON_BUILD_MINIFY=0 readably: for profiles.
// Start-up and steady CPU are measured by `npm run bench`; the plugins below
// exist for those numbers, and each says what it swaps and why.
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmod, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {inkFast, lazyNodeBuiltins, lazySegmenters, meowLazyNormalize, noTopLevelAwait} from './build-plugins.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.env.TCMON_BUILD_DIR ?? path.join(here, '../dist');
await build({
	entryPoints: [path.join(here, 'cli.tsx')],
	outfile: path.join(out, 'tcmon.cjs'),
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'cjs',
	minify: process.env.TCMON_BUILD_MINIFY !== '0',
	legalComments: 'none',
	logLevel: 'warning',
	// Ink's React devtools hook (DEV=true only): react-devtools-core and the
	// WebSocket library its window polyfill imports (48 KB parsed at every start).
	alias: {'react-devtools-core': path.join(here, 'devtools-stub.ts'), ws: path.join(here, 'devtools-stub.ts')},
	define: {
		'process.env.NODE_ENV': '"production"',
		// yoga-layout's loader probes `typeof fetch` although its WASM is
		// inline; on Node 20 that first touch loads undici (~20 ms at start).
		fetch: 'undefined',
		// Given by launcher.mjs: meow finds package.json from it.
		'import.meta': '__tcmonImportMeta',
	},
	banner: {
		js: [
			'const __tcmonLazySegmenter = (...args) => { let s; return {segment: text => (s ??= new Intl.Segmenter(...args)).segment(text)}; };',
			'const __tcmonLazyRequire = name => { let m; return new Proxy({}, {get: (_, key) => (m ??= require(name))[key]}); };',
		].join('\n'),
	},
	plugins: [inkFast, meowLazyNormalize, lazySegmenters, lazyNodeBuiltins, noTopLevelAwait],
});
const bundleHash = createHash('sha256').update(await readFile(path.join(out, 'tcmon.cjs'))).digest('hex').slice(0, 16);
await writeFile(path.join(out, 'cli.js'), (await readFile(path.join(here, 'launcher.mjs'), 'utf8')).replace("'TCMON_BUNDLE_HASH'", `'${bundleHash}'`));
await chmod(path.join(out, 'cli.js'), 0o755);
// The code caches hold what a first frame compiles: a demo frame (JSON source,
// every pane), then an unreachable Redis (ioredis' connect path), each run
// adding to the cache the last one left; once for one-shot runs, once under
// the interactive UI's flags (see launcher.mjs).
const cli = path.join(out, 'cli.js');
for (const name of await readdir(out)) if (name.endsWith('.cache')) await rm(path.join(out, name));
for (const flags of [[], ['--max-semi-space-size=4']]) {
	for (const args of [['--demo'], ['--source', 'redis', '--url', 'redis://127.0.0.1:1']]) {
		const run = spawnSync(process.execPath, [...flags, cli, ...args, '--once', '--width', '120', '--height', '40'], {env: {...process.env, TCMON_CODE_CACHE: 'write', NO_COLOR: ''}, encoding: 'utf8'});
		if (run.error || run.status === null) throw new Error(`code cache: ${cli} ${args.join(' ')} did not run: ${run.error ?? run.signal}`);
	}
}
// Without a cache tcmon still runs, ~50 ms slower to start: say so, and go on.
const caches = (await readdir(out)).filter(name => name.endsWith('.cache'));
if (caches.length < 2) console.warn(`build: only ${caches.length} of 2 V8 code caches were written in ${out}; tcmon will start without them`);
