// Every build plugin checks that it matched: a renamed Ink file (or a
// dependency whose code changed) fails the build instead of shipping
// without the swap. Each plugin is run here on the real bundle entry,
// then on a fake dependency tree where its target is missing.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {build} from 'esbuild';
import {afterEach, describe, expect, it} from 'vitest';
// @ts-expect-error: a plain .mjs module without types
import {inkFast, lazyNodeBuiltins, lazySegmenters, meowLazyNormalize, noTopLevelAwait} from '../../source/build-plugins.mjs';

const dirs: string[] = [];
afterEach(() => {
	while (dirs.length > 0) rmSync(dirs.pop()!, {recursive: true, force: true});
});

/** A fake node_modules: ink/build/ink.js importing the given siblings. */
const fakeInk = (siblings: string[]): string => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-plugins-'));
	dirs.push(dir);
	const build = path.join(dir, 'node_modules', 'ink', 'build');
	mkdirSync(build, {recursive: true});
	writeFileSync(path.join(build, 'ink.js'), siblings.map(s => `import './${s}';`).join('\n'));
	for (const s of siblings) writeFileSync(path.join(build, s), 'export {};');
	const entry = path.join(dir, 'entry.js');
	writeFileSync(entry, "import './node_modules/ink/build/ink.js';");
	return entry;
};

const bundle = (entry: string, plugins: unknown[]) => build({entryPoints: [entry], bundle: true, write: false, platform: 'node', logLevel: 'silent', plugins: plugins as never});

describe('build plugins assert that they matched', () => {
	it('ink-fast fails the build when an Ink file it swaps was renamed', async () => {
		// output.js renamed to output2.js in a new Ink: nothing imports ./output.js any more.
		const entry = fakeInk(['output2.js', 'measure-text.js', 'wrap-text.js', 'sanitize-ansi.js']);
		await expect(bundle(entry, [inkFast])).rejects.toThrow(/ink-fast: no match for ink\/build\/output\.js \(/);
	});

	it('each plugin names what it did not find', async () => {
		const entry = fakeInk(['other.js']);
		for (const [plugin, name] of [
			[meowLazyNormalize, /meow-lazy-normalize: no match for meow\/build\/dependencies\.js/],
			[lazySegmenters, /lazy-segmenters: no match for slice-ansi, ansi-tokenize, string-width/],
			[lazyNodeBuiltins, /lazy-node-builtins: no match for require\("tls"\)/],
			[noTopLevelAwait, /no-top-level-await: no match for ink\/build\/reconciler\.js/],
		] as const) {
			await expect(bundle(entry, [plugin])).rejects.toThrow(name);
		}
	});

	it('all of them match on the real entry (the build the package ships)', async () => {
		const entry = path.join(process.cwd(), 'source', 'cli.tsx');
		const result = await build({
			entryPoints: [entry],
			bundle: true,
			write: false,
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			logLevel: 'silent',
			define: {'process.env.NODE_ENV': '"production"', 'import.meta': '__tcmonImportMeta'},
			alias: {'react-devtools-core': path.join(process.cwd(), 'source', 'devtools-stub.ts'), ws: path.join(process.cwd(), 'source', 'devtools-stub.ts')},
			plugins: [inkFast, meowLazyNormalize, lazySegmenters, lazyNodeBuiltins, noTopLevelAwait],
		});
		expect(result.errors).toEqual([]);
	});
});
