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

const here = path.dirname(fileURLToPath(import.meta.url));
const fast = name => path.join(here, 'ink-fast', name);

/** Ink's frame composition, text caches and escape-code filter, replaced by ./ink-fast (same output, reused across frames, bounded). */
const inkFast = {
	name: 'ink-fast',
	setup(b) {
		const swaps = {'./output.js': 'output.ts', './measure-text.js': 'measure-text.ts', './wrap-text.js': 'wrap-text.ts', './sanitize-ansi.js': 'sanitize-ansi.ts'};
		b.onResolve({filter: /^\.\/(output|measure-text|wrap-text|sanitize-ansi)\.js$/}, args =>
			/[\\/]ink[\\/]build[\\/]/.test(args.importer) ? {path: fast(swaps[args.path])} : undefined,
		);
		// Every string-width import goes through the caching wrapper, which
		// itself imports the real package.
		b.onResolve({filter: /^string-width$/}, args => (args.importer === fast('string-width.ts') ? undefined : {path: fast('string-width.ts')}));
	},
};

/**
 * meow's bundled dependencies normalise package.json data eagerly at import
 * (spdx licence tables sorted on every start, ~10 ms); meow only calls it
 * lazily, so the call is deferred to first use.
 */
const meowLazyNormalize = {
	name: 'meow-lazy-normalize',
	setup(b) {
		b.onLoad({filter: /[\\/]meow[\\/]build[\\/]dependencies\.js$/}, async args => {
			const eager = 'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);';
			const text = await readFile(args.path, 'utf8');
			if (!text.includes(eager)) return {contents: text, loader: 'js', warnings: [{text: 'meow changed: package.json normalisation stays eager'}]};
			return {contents: text.replace(eager, 'const normalizePackageData = (...a) => getDefaultExportFromCjs(requireNormalize())(...a);'), loader: 'js'};
		});
	},
};

/**
 * The first Intl.Segmenter costs ~13 ms (ICU loads its break rules), and
 * slice-ansi, ansi-tokenize and string-width each build one at import,
 * though the first frame of plain text needs none. Their segmenters become
 * lazy: built on the first `.segment()`, the only method they call.
 */
const lazySegmenters = {
	name: 'lazy-segmenters',
	setup(b) {
		b.onLoad({filter: /[\\/]node_modules[\\/](slice-ansi[\\/]tokenize-ansi|@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize|string-width[\\/]index)\.js$/}, async args => {
			const text = await readFile(args.path, 'utf8');
			if (!text.includes('new Intl.Segmenter(')) return {contents: text, loader: 'js', warnings: [{text: `${args.path}: no Intl.Segmenter to defer`}]};
			return {contents: text.replaceAll('new Intl.Segmenter(', '__tcmonLazySegmenter('), loader: 'js'};
		});
	},
};

/**
 * ioredis requires tls, crypto and dns at import, which loads ~25 of Node's
 * internal modules (~5-10 ms of every start), though a plain redis:// URL
 * needs none of them (rediss:// and Sentinel/Cluster use them). Each becomes
 * a module loaded on its first property read.
 */
const lazyNodeBuiltins = {
	name: 'lazy-node-builtins',
	setup(b) {
		b.onLoad({filter: /[\\/]node_modules[\\/]ioredis[\\/]built[\\/].*\.js$/}, async args => {
			let text = (await readFile(args.path, 'utf8')).replace(/require\("(tls|crypto|dns)"\)/g, '__tcmonLazyRequire("$1")');
			if (/[\\/]utils[\\/]Commander\.js$/.test(args.path)) text = commandTable(text);
			return {contents: text, loader: 'js'};
		});
	},
};

/**
 * ioredis adds its ~570 command methods one by one to a class prototype, and
 * V8 makes each addition to a class prototype copy its map: 10-14 ms of every
 * start here (a plain object takes 0.5 ms). They go into a plain object that
 * becomes the prototype's own prototype: the same methods, one lookup deeper.
 */
const commandTable = text => {
	const eager = 'commands.forEach(function (commandName) {\n    Commander.prototype[commandName] = generateFunction(commandName, commandName, "utf8");\n    Commander.prototype[commandName + "Buffer"] = generateFunction(commandName + "Buffer", commandName, null);\n});';
	if (!text.includes(eager)) throw new Error('ioredis changed: utils/Commander.js no longer adds commands as expected (see commandTable in source/build.mjs)');
	return text.replace(
		eager,
		'const __tcmonCommands = {};\ncommands.forEach(function (commandName) {\n    __tcmonCommands[commandName] = generateFunction(commandName, commandName, "utf8");\n    __tcmonCommands[commandName + "Buffer"] = generateFunction(commandName + "Buffer", commandName, null);\n});\nObject.setPrototypeOf(Commander.prototype, __tcmonCommands);',
	);
};

/**
 * The bundle is a CommonJS script (so V8 can cache its compiled code, see
 * launcher.mjs), which has no top-level await. Ink awaits only for DEV=true
 * devtools, which this build stubs; yoga awaits its WASM, which is inline and
 * small enough to compile synchronously, so its loader is made synchronous.
 */
const noTopLevelAwait = {
	name: 'no-top-level-await',
	setup(b) {
		const patch = (filter, swaps) =>
			b.onLoad({filter}, async args => {
				let text = await readFile(args.path, 'utf8');
				for (const [from, to] of swaps) {
					if (!text.includes(from)) throw new Error(`${args.path} changed: no ${JSON.stringify(from)} (see noTopLevelAwait in source/build.mjs)`);
					text = text.replace(from, to);
				}
				return {contents: text, loader: 'js'};
			});
		patch(/[\\/]ink[\\/]build[\\/]reconciler\.js$/, [
			["await import('./devtools.js');", "import('./devtools.js');"],
			['? await loadPackageJson()', "? {name: 'ink', version: undefined}"],
		]);
		// Emscripten's createWasm: instantiate now instead of in a promise; with
		// no pending dependency, run() then completes before loadYoga returns.
		patch(/[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/, [
			['"function"!=typeof fetch?c(b):', '"function"!=typeof fetch?(b({instance:new WebAssembly.Instance(new WebAssembly.Module(wa()),d)}),Promise.resolve()):'],
		]);
		patch(/[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/, [
			['const Yoga = wrapAssembly(await loadYoga());', 'const yogaModule = {};\nloadYoga(yogaModule);\nif (!yogaModule.calledRun) throw new Error("yoga-layout did not load synchronously");\nconst Yoga = wrapAssembly(yogaModule);'],
		]);
	},
};

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
