// `tcmon keys`: the namespace tree with key counts, for scripts (like
// `redis-cli --bigkeys`, but by namespace). SCAN only, bounded COUNT; memory
// per namespace is estimated from sampled MEMORY USAGE when asked.
import {fail, parseFlags} from '../cli-flags';
import {demoSource} from '../demo/demo-source';
import {formatBytes, formatCount, formatDuration} from '../domain/format';
import {jsonTree} from '../domain/json-keys';
import {estimatedMemory, NamespaceTree, namespaceLabel, type NsNode} from '../domain/namespaces';
import {sanitize} from '../domain/sanitize';
import type {Redis} from 'ioredis';
import {CLUSTER_SLOTS} from '../domain/cluster';
import {chooseSource} from '../sources/choose-source';
import {withClusterDetected} from '../sources/cluster-source';
import {DEFAULT_SCAN_COUNT, KeyIndexer, type IndexView} from '../sources/key-index';
import {compareText} from '../domain/order';
import {escapeGlob} from '../domain/scan-cursor';
import {DEFAULT_TIMEOUT_MS} from '../config';
import {seconds} from '../sources/redis-source';
import type {SubCommand} from './registry';

/**
 * The indexer's walk, or, once the store has not answered for `quietMs` (a
 * hung server: no SCAN reply), the tree so far ended with `reason`. A long
 * walk that keeps getting replies is never cut short.
 */
const untilQuiet = (indexer: KeyIndexer, quietMs: number, reason: string): Promise<IndexView> =>
	new Promise(resolve => {
		let seen = -1;
		let since = Date.now();
		const timer = setInterval(() => {
			const {calls} = indexer.current.progress;
			if (calls !== seen) {
				seen = calls;
				since = Date.now();
			} else if (Date.now() - since >= quietMs) {
				clearInterval(timer);
				indexer.cancel();
				resolve({...indexer.current, status: 'error', error: reason});
			}
		}, Math.min(100, quietMs));
		void indexer.run().then(view => {
			clearInterval(timer);
			resolve(view);
		});
	});

/**
 * Walks every master of a cluster into one tree (an indexer each, at once).
 * Complete only when every walk ended and the masters walked hold every slot.
 */
const walkMasters = async (
	found: {masters: {addr: string; client: Redis}[]; slots: number; unreachable: string[]},
	o: {match: string | null; type: string | null; count: number; memory: boolean; delimiter: string; depth: number},
	quietMs: number,
	reason: (addr: string) => string,
): Promise<IndexView & {masters?: {node: string; keys: number; status: string}[]}> => {
	const tree = new NamespaceTree({delimiter: o.delimiter, maxDepth: o.depth, leafCap: 0, listCap: 0});
	const started = Date.now();
	const indexers = found.masters.map(m => new KeyIndexer(m.client, {match: o.match, type: o.type, count: o.count, memorySamples: o.memory ? 32 : 0, tree: tree.options}, tree));
	const views = await Promise.all(indexers.map((indexer, i) => untilQuiet(indexer, quietMs, reason(found.masters[i]!.addr))));
	const failed = views.find(v => v.status !== 'done');
	const missing = CLUSTER_SLOTS - found.slots;
	const error = failed?.error ?? (missing > 0 ? `${missing} of ${CLUSTER_SLOTS} slots have no reachable master${found.unreachable.length ? `: ${found.unreachable.join(', ')}` : ''}` : null);
	const sum = (f: (v: IndexView) => number | null) => (views.some(v => f(v) === null) ? null : views.reduce((n, v) => n + (f(v) ?? 0), 0));
	return {
		tree,
		status: failed ? failed.status : missing > 0 || found.masters.length === 0 ? 'error' : 'done',
		error,
		progress: {
			found: tree.total,
			examined: views.reduce((n, v) => n + v.progress.examined, 0),
			dbsize: sum(v => v.progress.dbsize),
			elapsedMs: Date.now() - started,
			calls: views.reduce((n, v) => n + v.progress.calls, 0),
			done: !failed && missing === 0,
		},
		typeFilter: views[0]?.typeFilter ?? null,
		memoryError: views.find(v => v.memoryError)?.memoryError ?? null,
		ranges: 1,
		masters: found.masters.map((m, i) => ({node: m.addr, keys: indexers[i]!.added, status: views[i]!.status})),
	};
};

export const KEYS_HELP = `
  Usage
    $ tcmon keys [options]

  Prints the namespace tree of the store with a key count per namespace,
  walking it with SCAN only (never KEYS). Counts are complete when the walk
  ends ("complete": true in --json). On a Redis Cluster every master is
  walked; complete only when the masters walked hold all 16384 slots.

  Options
        --pattern GLOB   SCAN MATCH glob, under the prefix (PREFIX:GLOB)
                         unless --all is given (then the glob as is)
        --all            the whole database, not only the prefix
        --type TYPE      only keys of one type (string hash list set zset stream)
        --depth N        namespace levels printed (default 3, 1 – 8)
        --memory         estimated memory per namespace (sampled MEMORY USAGE)
        --delimiter STR  namespace delimiter (default :)
        --count N        SCAN COUNT per call (default ${DEFAULT_SCAN_COUNT}, 10 – 100000)
        --json           one JSON document instead of text
        --timeout SECS   give up when the store has not answered for this
                         long (default 5): the tree so far, INCOMPLETE, exit 1

  Connection and source flags are the same as tcmon's (tcmon --help).
  With the JSON source, the tree is the state directory's content.

  Exit status: 0 done, 1 the store could not be read, 2 usage error.

  Examples
    $ tcmon keys
    $ tcmon keys --all --depth 2 --memory
    $ tcmon keys --pattern 'metrics:*' --json | jq '.nodes[] | {path, count}'
`;

const FLAGS = {
	pattern: {type: 'string'},
	all: {type: 'boolean'},
	type: {type: 'string'},
	depth: {type: 'number'},
	memory: {type: 'boolean'},
	delimiter: {type: 'string'},
	count: {type: 'number'},
} as const;

const TYPES = ['string', 'hash', 'list', 'set', 'zset', 'stream'];

export type KeysNode = {path: string; depth: number; count: number; direct: number; memoryBytes: number | null; label: string | null};

/** The tree as rows, biggest namespaces first, down to `depth` levels. */
export const flattenTree = (tree: NamespaceTree, depth: number, prefix: string): KeysNode[] => {
	const out: KeysNode[] = [];
	const walk = (node: NsNode) => {
		const children = [...node.children.values()].sort((a, b) => b.count - a.count || compareText(a.name, b.name));
		for (const child of children) {
			out.push({
				path: child.path,
				depth: child.depth,
				count: child.count,
				direct: child.direct,
				memoryBytes: estimatedMemory(child),
				label: namespaceLabel(child.path, prefix, tree.options.delimiter),
			});
			if (child.depth < depth) walk(child);
		}
	};
	walk(tree.root);
	return out;
};

/** The text report. */
export const keysReport = (view: IndexView & {masters?: unknown[]}, opts: {depth: number; memory: boolean; prefix: string; scope: string; target: string}): string => {
	const tree = view.tree;
	const p = view.progress;
	const lines: string[] = [];
	const state = view.status === 'done' ? 'complete' : `INCOMPLETE (${view.status}${view.error ? `: ${view.error}` : ''})`;
	lines.push(
		sanitize(
			`${opts.scope} on ${opts.target} · ${formatCount(tree.total)} keys${p.calls > 0 ? ` · ${formatCount(p.dbsize ?? p.examined)} scanned in ${formatDuration(p.elapsedMs)} (${p.calls} SCAN calls${view.ranges > 1 ? ` in ${view.ranges} cursor ranges at once` : ''}${view.masters ? ` on ${view.masters.length} cluster masters` : ''})` : ''} · ${state}`,
		),
	);
	if (opts.memory && view.memoryError) lines.push(`memory: not sampled (${sanitize(view.memoryError)})`);
	lines.push(`${'keys'.padStart(9)}${opts.memory ? `${'memory'.padStart(10)}` : ''}  namespace`);
	const direct = tree.root.direct;
	for (const n of flattenTree(tree, opts.depth, opts.prefix)) {
		const mem = opts.memory ? (n.memoryBytes === null ? '-' : `~${formatBytes(n.memoryBytes)}`).padStart(10) : '';
		const name = `${'  '.repeat(n.depth - 1)}${sanitize(n.path.split(tree.options.delimiter).slice(n.depth - 1).join(tree.options.delimiter))}${tree.options.delimiter}`;
		lines.push(`${String(n.count).padStart(9)}${mem}  ${name}${n.label ? `  (${n.label})` : ''}`);
	}
	if (direct > 0) lines.push(`${String(direct).padStart(9)}${opts.memory ? ''.padStart(10) : ''}  (keys without a namespace)`);
	if (tree.root.overflow > 0) lines.push(`${String(tree.root.overflow).padStart(9)}  (in namespaces past the ${tree.options.nodeCap}-node cap)`);
	return `${lines.join('\n')}\n`;
};

export const keysCommand: SubCommand = {
	summary: 'print the namespace tree with key counts (SCAN only)',
	run: async (argv, env) => {
		const parsed = parseFlags(argv, env, KEYS_HELP, FLAGS, {command: 'tcmon keys', importMeta: import.meta});
		if (typeof parsed === 'number') return parsed;
		const {config, flags} = parsed;
		const depth = (flags.depth as number | undefined) ?? 3;
		if (!Number.isInteger(depth) || depth < 1 || depth > 8) return fail('--depth must be a whole number from 1 to 8', 'tcmon keys');
		const count = (flags.count as number | undefined) ?? DEFAULT_SCAN_COUNT;
		if (!Number.isInteger(count) || count < 10 || count > 100_000) return fail('--count must be a whole number from 10 to 100000', 'tcmon keys');
		const type = (flags.type as string | undefined) ?? null;
		if (type !== null && !TYPES.includes(type)) return fail(`--type must be one of ${TYPES.join(', ')}`, 'tcmon keys');
		const delimiter = (flags.delimiter as string | undefined) ?? ':';
		if (delimiter.length === 0 || delimiter.length > 8) return fail('--delimiter must be 1 to 8 characters', 'tcmon keys');
		const pattern = (flags.pattern as string | undefined) ?? null;
		const all = Boolean(flags.all);
		const memory = Boolean(flags.memory);

		// The sources without the UI's trackers (and without loading Ink).
		const set = config.demo ? demoSource({stepMs: Math.max(500, config.intervalMs)}) : chooseSource(await withClusterDetected(config));
		try {
			let view: IndexView & {masters?: {node: string; keys: number; status: string}[]};
			let scope: string;
			let target: string;
			const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
			const unanswered = (target: string) => `Redis ${target} did not answer within ${seconds(timeoutMs)}`;
			const redisReady = set.redis ? await set.redis.connect(timeoutMs) : false;
			if (set.cluster) {
				// Redis Cluster: every master walked (one SCAN walk each, one tree); complete only when all were.
				const match = all ? pattern : `${escapeGlob(config.prefix)}:${pattern ?? '*'}`;
				scope = match ?? '*';
				target = set.cluster.target;
				let found: Awaited<ReturnType<typeof set.cluster.masters>>;
				try {
					found = await set.cluster.masters(timeoutMs);
				} catch (error) {
					process.stderr.write(`tcmon keys: cannot read the cluster ${target}: ${set.cluster.error ?? (error instanceof Error ? error.message : String(error))}\n`);
					return 1;
				}
				view = await walkMasters(found, {match, type, count, memory, delimiter, depth}, timeoutMs, addr => `node ${addr} did not answer within ${seconds(timeoutMs)}`);
			} else if (set.redis && redisReady) {
				const match = all ? pattern : `${escapeGlob(config.prefix)}:${pattern ?? '*'}`;
				scope = match ?? '*';
				target = set.redis.target;
				const indexer = new KeyIndexer(set.redis.client, {
					match,
					type,
					count,
					memorySamples: memory ? 32 : 0,
					// Depth beyond what is printed is not worth nodes.
					tree: {delimiter, maxDepth: depth, leafCap: 0, listCap: 0},
				});
				view = await untilQuiet(indexer, timeoutMs, unanswered(set.redis.target));
			} else if (config.source === 'redis' && set.redis) {
				const why = set.redis.waitingSince === null ? `cannot reach ${set.redis.target}: ${set.redis.error ?? 'no answer'}` : unanswered(set.redis.target);
				process.stderr.write(`tcmon keys: ${why}\n`);
				return 1;
			} else {
				const snapshot = await set.source.poll({deadlineMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS});
				const tree = jsonTree(snapshot, {delimiter});
				scope = 'state dir';
				target = snapshot.source.target;
				view = {
					tree,
					status: snapshot.source.connected ? 'done' : 'error',
					error: snapshot.source.error,
					progress: {found: tree.total, examined: tree.total, dbsize: tree.total, elapsedMs: 0, calls: 0, done: true},
					typeFilter: null,
					ranges: 1,
					memoryError: memory ? 'not available for the JSON source' : null,
				};
			}
			if (config.json) {
				const p = view.progress;
				const doc = {
					version: 1,
					source: set.cluster || (set.redis && redisReady) ? 'redis' : 'json',
					...(set.cluster ? {cluster: {masters: view.masters ?? null}} : {}),
					target,
					scope,
					type,
					delimiter,
					complete: view.status === 'done',
					status: view.status,
					error: view.error,
					dbsize: p.dbsize,
					keys: view.tree.total,
					elapsedMs: p.elapsedMs,
					scanCalls: p.calls,
					scanRanges: view.ranges,
					memorySampled: memory && !view.memoryError,
					memoryError: memory ? view.memoryError : null,
					nodes: flattenTree(view.tree, depth, config.prefix),
					unnamespaced: view.tree.root.direct,
				};
				process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
			} else {
				process.stdout.write(keysReport(view, {depth, memory, prefix: config.prefix, scope, target}));
			}
			return view.status === 'done' ? 0 : 1;
		} finally {
			await set.close();
		}
	},
};
