#!/usr/bin/env node
// `npm run build`: bundles source/cli.tsx into one minified dist/cli.js
// (TCMON_BUILD_OUT=file elsewhere, TCMON_BUILD_MINIFY=0 readable: for profiles).
// Start-up and steady CPU are measured by `npm run bench`; the plugins below
// exist for those numbers, and each says what it swaps and why.
import {chmod, readFile} from 'node:fs/promises';
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
			const text = await readFile(args.path, 'utf8');
			return {contents: text.replace(/require\("(tls|crypto|dns)"\)/g, '__tcmonLazyRequire("$1")'), loader: 'js'};
		});
	},
};

await build({
	entryPoints: [path.join(here, 'cli.tsx')],
	outfile: process.env.TCMON_BUILD_OUT ?? path.join(here, '../dist/cli.js'),
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'esm',
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
	},
	banner: {
		js: [
			// A sh/JS polyglot, so the bin starts node with V8 flags (env -S is
			// not in BusyBox): sh runs line 2 and execs node on this file; to JS
			// line 2 is a string and a comment. The interactive UI gets semi-spaces
			// of at most 4 MB (16 by default): ~35 MB smaller after indexing a
			// million keys (test/bench/keys.mjs). One-shot runs (--once, --json,
			// subcommands) keep V8's defaults, which start a little faster.
			// `node dist/cli.js` runs without the flag.
			'#!/bin/sh',
			'":" //; case " $* " in *" --once "*|*" --json "*|" keys "*|" check "*) exec node "$0" "$@";; esac; exec node --max-semi-space-size=4 "$0" "$@"',
			'import {createRequire as __tcmonCreateRequire} from "node:module"; const require = __tcmonCreateRequire(import.meta.url);',
			'const __tcmonLazySegmenter = (...args) => { let s; return {segment: text => (s ??= new Intl.Segmenter(...args)).segment(text)}; };',
			'const __tcmonLazyRequire = name => { let m; return new Proxy({}, {get: (_, key) => (m ??= require(name))[key]}); };',
		].join('\n'),
	},
	plugins: [inkFast, meowLazyNormalize, lazySegmenters, lazyNodeBuiltins],
});
await chmod(process.env.TCMON_BUILD_OUT ?? path.join(here, '../dist/cli.js'), 0o755);
