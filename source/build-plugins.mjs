// The esbuild plugins of `npm run build` (source/build.mjs): each swaps or
// patches a dependency for start-up time (measured by `npm run bench`), and
// each checks at the end of the build that every swap it exists for happened:
// a renamed Ink file or a changed dependency fails the build instead of
// silently shipping without the swap.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Records what a plugin did; at the end of the build, throws for every
 * expected swap that never happened (the build then fails with that message).
 */
const expectSwaps = (b, plugin, wanted) => {
	const done = new Set();
	b.onStart(() => done.clear());
	b.onEnd(() => {
		const missing = wanted.filter(w => !done.has(w));
		if (missing.length > 0) throw new Error(`${plugin}: no match for ${missing.join(', ')} (a dependency changed: see ${plugin} in source/build-plugins.mjs)`);
	});
	return name => done.add(name);
};

const fast = name => path.join(here, 'ink-fast', name);

/** Ink's frame composition, text caches and escape-code filter, replaced by ./ink-fast (same output, reused across frames, bounded). */
export const inkFast = {
	name: 'ink-fast',
	setup(b) {
		const swaps = {'./output.js': 'output.ts', './measure-text.js': 'measure-text.ts', './wrap-text.js': 'wrap-text.ts', './sanitize-ansi.js': 'sanitize-ansi.ts'};
		const did = expectSwaps(b, 'ink-fast', [...Object.keys(swaps).map(f => `ink/build/${f.slice(2)}`), 'string-width']);
		b.onResolve({filter: /^\.\/(output|measure-text|wrap-text|sanitize-ansi)\.js$/}, args => {
			if (!/[\\/]ink[\\/]build[\\/]/.test(args.importer)) return undefined;
			did(`ink/build/${args.path.slice(2)}`);
			return {path: fast(swaps[args.path])};
		});
		// Every string-width import goes through the caching wrapper, which
		// itself imports the real package.
		b.onResolve({filter: /^string-width$/}, args => {
			if (args.importer === fast('string-width.ts')) return undefined;
			did('string-width');
			return {path: fast('string-width.ts')};
		});
	},
};

/**
 * meow's bundled dependencies normalise package.json data eagerly at import
 * (spdx licence tables sorted on every start, ~10 ms); meow only calls it
 * lazily, so the call is deferred to first use.
 */
export const meowLazyNormalize = {
	name: 'meow-lazy-normalize',
	setup(b) {
		const did = expectSwaps(b, 'meow-lazy-normalize', ['meow/build/dependencies.js']);
		b.onLoad({filter: /[\\/]meow[\\/]build[\\/]dependencies\.js$/}, async args => {
			const eager = 'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);';
			const text = await readFile(args.path, 'utf8');
			if (!text.includes(eager)) return {contents: text, loader: 'js'};
			did('meow/build/dependencies.js');
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
export const lazySegmenters = {
	name: 'lazy-segmenters',
	setup(b) {
		const did = expectSwaps(b, 'lazy-segmenters', ['slice-ansi', 'ansi-tokenize', 'string-width']);
		b.onLoad({filter: /[\\/]node_modules[\\/](slice-ansi[\\/]tokenize-ansi|@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize|string-width[\\/]index)\.js$/}, async args => {
			const text = await readFile(args.path, 'utf8');
			if (!text.includes('new Intl.Segmenter(')) return {contents: text, loader: 'js'};
			did(/slice-ansi/.test(args.path) ? 'slice-ansi' : /ansi-tokenize/.test(args.path) ? 'ansi-tokenize' : 'string-width');
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
export const lazyNodeBuiltins = {
	name: 'lazy-node-builtins',
	setup(b) {
		const did = expectSwaps(b, 'lazy-node-builtins', ['require("tls")', 'require("crypto")', 'require("dns")', 'ioredis/built/utils/Commander.js']);
		b.onLoad({filter: /[\\/]node_modules[\\/]ioredis[\\/]built[\\/].*\.js$/}, async args => {
			let text = (await readFile(args.path, 'utf8')).replace(/require\("(tls|crypto|dns)"\)/g, (_, name) => {
				did(`require("${name}")`);
				return `__tcmonLazyRequire("${name}")`;
			});
			if (/[\\/]utils[\\/]Commander\.js$/.test(args.path)) {
				text = commandTable(text);
				did('ioredis/built/utils/Commander.js');
			}
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
export const noTopLevelAwait = {
	name: 'no-top-level-await',
	setup(b) {
		const did = expectSwaps(b, 'no-top-level-await', ['ink/build/reconciler.js', 'yoga-layout/dist/binaries/yoga-wasm-base64-esm.js', 'yoga-layout/dist/src/index.js']);
		const patch = (filter, swaps) =>
			b.onLoad({filter}, async args => {
				did(args.path.split(/[\\/]node_modules[\\/]/).at(-1).replaceAll('\\', '/'));
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
