#!/bin/sh
":" //; case " $* " in *" --once "*|*" --json "*|" keys "*|" check "*|" status "*|" split "*) exec node "$0" "$@";; esac; exec node --max-semi-space-size=4 "$0" "$@"
// tcmon's bin (dist/cli.js). Line 2 makes this a sh/JS polyglot, so the bin
// starts node with V8 flags (env -S is not in BusyBox): sh runs it and execs
// node on this file; to JS it is a string and a comment. The interactive UI
// gets semi-spaces of at most 4 MB (16 by default): ~35 MB smaller after
// indexing a million keys (test/bench/keys.mjs). One-shot runs (--once,
// --json, subcommands) keep V8's defaults, which start a little faster.
//
// It runs the bundle (tcmon.cjs beside it) through V8's code cache
// (tcmon*.cache, written by `npm run build` after drawing demo frames): Node 20
// caches no compiled code for ES modules or user scripts by itself, and parsing
// plus lazily compiling the 800 KB bundle was ~40 ms of every start. A cache
// from another Node or V8 version is rejected by V8 and the bundle compiles as
// before.
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

const here = path.dirname(fileURLToPath(import.meta.url));

/** V8 "major.minor…" up to 11.3 has --interrupt-budget (checked on Node 20-26's V8s: 11.3 yes; 11.8, 12.4, 13.6, 14.6 no). */
function acceptsInterruptBudget(version) {
	const [major, minor] = version.split('.').map(Number);
	return major < 11 || (major === 11 && minor <= 3);
}

// A monitor runs the same code once a second: with V8's default budget its
// optimising compiler kept recompiling that code on background threads, about
// as much CPU as the work itself (`npm run bench`). A larger budget leaves
// optimisation to code that is really hot (key indexing, `tcmon keys --all`).
// Set before compiling: V8 accepts a code cache only under the flags it was
// made with. Only on V8 11.3 (Node 20): later V8s (Node 21 and up) dropped
// the flag for per-function invocation counts, and setFlagsFromString reports
// an unknown flag on stderr itself (it cannot be caught), so the flag goes
// only where it is known to exist.
if (acceptsInterruptBudget(process.versions.v8)) v8.setFlagsFromString('--interrupt-budget=1000000');

const bundle = path.join(here, 'tcmon.cjs');
// One cache per set of node flags (the UI's, and none for one-shot runs): V8
// rejects a cache made under other flags. Its name holds the bundle's hash,
// which the build writes here: V8 itself checks only the source's length.
const build = 'TCMON_BUNDLE_HASH';
const flags = process.execArgv.join(' ').replace(/[^\w]+/g, '-');
const cacheFile = path.join(here, `tcmon-${build}${flags}.cache`);
let cachedData;
try {
	cachedData = fs.readFileSync(cacheFile);
} catch {}
// Node's own CommonJS wrapper, plus what the bundle's `import.meta` became.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __tcmonImportMeta) {${fs.readFileSync(bundle, 'utf8')}\n})`, {
	filename: bundle,
	cachedData,
});
if (process.env.TCMON_CODE_CACHE === 'write') process.once('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
if (process.env.TCMON_CODE_CACHE === 'report') process.stderr.write(`code cache: ${cachedData ? (script.cachedDataRejected ? 'rejected' : 'used') : 'missing'}\n`);
const module_ = {exports: {}};
script.runInThisContext()(module_.exports, createRequire(bundle), module_, bundle, here, {url: pathToFileURL(bundle).href});
