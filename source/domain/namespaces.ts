// The key browser's namespace tree: key names split on a delimiter into
// namespaces with a key count per node, built incrementally from SCAN batches.
// Memory is bounded: only namespaces (never every leaf name) become nodes,
// nodes are capped, and the key names kept (so the user can page to them and
// open them) are capped in number and bytes. Everything past a cap is counted.
import {compareText} from './order';
import {decodeBytes} from './sanitize';

/** What a key is to tmux-claude (both layouts), or `other` outside the prefix. */
export type KeyKind = 'instance' | 'job' | 'lock' | 'metrics' | 'instances-hash' | 'active-set' | 'temporary' | 'other';

/**
 * A key the user can page to and open. `raw` is the exact name (binary keys
 * stay openable); `json` points into the state directory's logical content.
 */
export type KeyRef = {name: string; raw: Buffer | null; json?: JsonRef};

export type JsonRef = {kind: 'instance' | 'job' | 'lock' | 'metric'; id: string};

export type NsNode = {
	/** The segment (decoded, not yet sanitised: sanitise on display). */
	name: string;
	/** Full namespace path, segments joined by the delimiter. */
	path: string;
	depth: number;
	/** Keys at or below this namespace. */
	count: number;
	/** Keys directly in this namespace (leaves). */
	direct: number;
	children: Map<string, NsNode>;
	/** Keys below child namespaces that were not created (node cap). */
	overflow: number;
	/** Kept leaf names, in discovery order (bounded). */
	leaves: KeyRef[];
	/** MEMORY USAGE samples of keys at or below (sampled, `--memory`). */
	memSum: number;
	memSamples: number;
	/** Samples of keys directly in this namespace. */
	directMemSum: number;
	directMemSamples: number;
};

export type TreeOptions = {
	delimiter?: string;
	/** Namespace levels below the root; deeper segments stay part of the leaf name. */
	maxDepth?: number;
	/** Namespace nodes kept in all (beyond: counted in the parent's `overflow`). */
	nodeCap?: number;
	/** Leaf names kept per namespace. */
	leafCap?: number;
	/** Names kept in the flat list. */
	listCap?: number;
	/** Bytes of key names kept in all (5,000-byte names exist). */
	nameBytesCap?: number;
};

export const TREE_DEFAULTS: Required<TreeOptions> = {
	delimiter: ':',
	maxDepth: 8,
	nodeCap: 20_000,
	leafCap: 1000,
	listCap: 10_000,
	nameBytesCap: 16 * 1024 * 1024,
};

/** Bytes [from, to) of a name as display text (decodeBytes, without a sub-buffer when valid). */
const segmentText = (raw: Buffer, from: number, to: number): string => {
	const text = raw.toString('utf8', from, to);
	return text.includes('\ufffd') ? decodeBytes(raw.subarray(from, to)) : text;
};

const newNode = (name: string, path: string, depth: number): NsNode => ({
	name,
	path,
	depth,
	count: 0,
	direct: 0,
	children: new Map(),
	overflow: 0,
	leaves: [],
	memSum: 0,
	memSamples: 0,
	directMemSum: 0,
	directMemSamples: 0,
});

/** The tree plus the bounded flat list, fed key by key. */
export class NamespaceTree {
	readonly root: NsNode = newNode('', '', 0);
	readonly options: Required<TreeOptions>;
	/** The flat list: the first `listCap` names discovered. */
	readonly list: KeyRef[] = [];
	nodes = 1;
	keptBytes = 0;
	/** Bumped on every change, so views can memoise on it. */
	version = 0;
	private readonly delim: Buffer;

	constructor(options: TreeOptions = {}) {
		this.options = {...TREE_DEFAULTS, ...options};
		this.delim = Buffer.from(this.options.delimiter, 'utf8');
	}

	get total(): number {
		return this.root.count;
	}

	/**
	 * Adds a key by its raw name; returns the namespace it landed in. The hot
	 * path of indexing a million keys: segments are decoded in place (no
	 * sub-buffers), and the name is copied only when it is kept.
	 */
	addRaw(raw: Buffer, memory?: number): NsNode {
		const d = this.delim;
		const segments: string[] = [];
		if (d.length > 0) {
			let from = 0;
			while (segments.length < this.options.maxDepth) {
				const at = d.length === 1 ? raw.indexOf(d[0]!, from) : raw.indexOf(d, from);
				if (at < 0) break;
				segments.push(segmentText(raw, from, at));
				from = at + d.length;
			}
		}
		return this.add(segments, () => ({name: decodeBytes(raw), raw: Buffer.from(raw)}), memory);
	}

	/** Adds a key under namespace `segments`; `ref` is called only when the name is kept. */
	add(segments: readonly string[], ref: () => KeyRef, memory?: number): NsNode {
		this.version++;
		let node = this.root;
		const path: NsNode[] = [node];
		for (const segment of segments) {
			let child = node.children.get(segment);
			if (!child) {
				if (this.nodes >= this.options.nodeCap) {
					node.overflow++;
					break;
				}
				child = newNode(segment, node.depth === 0 ? segment : `${node.path}${this.options.delimiter}${segment}`, node.depth + 1);
				node.children.set(segment, child);
				this.nodes++;
			}
			node = child;
			path.push(node);
		}
		for (const n of path) {
			n.count++;
			if (memory !== undefined) {
				n.memSum += memory;
				n.memSamples++;
			}
		}
		const landed = path.length === segments.length + 1;
		if (landed) node.direct++;
		const wantLeaf = landed && node.leaves.length < this.options.leafCap;
		const wantList = this.list.length < this.options.listCap;
		if ((wantLeaf || wantList) && this.keptBytes < this.options.nameBytesCap) {
			const kept = ref();
			this.keptBytes += (kept.raw?.length ?? kept.name.length) + 64;
			if (wantLeaf) node.leaves.push(kept);
			if (wantList) this.list.push(kept);
		}
		return node;
	}

	/** Adds a MEMORY USAGE sample to a key's namespaces after the fact. */
	sampleMemory(raw: Buffer, bytes: number): void {
		let node = this.root;
		const d = this.delim;
		let from = 0;
		node.memSum += bytes;
		node.memSamples++;
		let landed = true;
		for (let depth = 0; depth < this.options.maxDepth && d.length > 0; depth++) {
			const at = raw.indexOf(d, from);
			if (at < 0) break;
			const child = node.children.get(segmentText(raw, from, at));
			if (!child) {
				landed = false;
				break;
			}
			node = child;
			node.memSum += bytes;
			node.memSamples++;
			from = at + d.length;
		}
		if (landed) {
			node.directMemSum += bytes;
			node.directMemSamples++;
		}
	}

	/** The namespace a raw key lands in (no change to the tree). */
	nodeOf(raw: Buffer): NsNode {
		let node = this.root;
		const d = this.delim;
		let from = 0;
		for (let depth = 0; depth < this.options.maxDepth && d.length > 0; depth++) {
			const at = raw.indexOf(d, from);
			if (at < 0) break;
			const child = node.children.get(segmentText(raw, from, at));
			if (!child) break;
			node = child;
			from = at + d.length;
		}
		return node;
	}
}

/**
 * Estimated bytes of a namespace from sampled MEMORY USAGE: each child's own
 * estimate plus the mean of the direct samples × direct keys (the namespace's
 * overall mean where a part has no sample). Null when nothing was sampled.
 */
export const estimatedMemory = (node: NsNode): number | null => {
	if (node.memSamples === 0) return null;
	const mean = node.memSum / node.memSamples;
	let total = 0;
	for (const child of node.children.values()) total += estimatedMemory(child) ?? mean * child.count;
	total += (node.directMemSamples > 0 ? node.directMemSum / node.directMemSamples : mean) * node.direct;
	total += mean * node.overflow;
	return Math.round(total);
};

export const sortedChildren = (node: NsNode): NsNode[] =>
	[...node.children.values()].sort((a, b) => compareText(a.name, b.name));

/** A namespace by path, or null. */
export const findNode = (tree: NamespaceTree, path: string): NsNode | null => {
	if (path === '') return tree.root;
	let node: NsNode | undefined = tree.root;
	for (const seg of path.split(tree.options.delimiter)) {
		node = node?.children.get(seg);
		if (!node) return null;
	}
	return node;
};

/** One row of the tree view. */
export type TreeRow =
	| {kind: 'ns'; node: NsNode; depth: number; expanded: boolean}
	| {kind: 'key'; ref: KeyRef; depth: number; parent?: string}
	| {kind: 'more'; depth: number; hidden: number; path: string};

/**
 * The visible rows of the tree: each namespace, and inside an expanded one its
 * child namespaces then its kept keys, then how many keys are not listed.
 */
export const treeRows = (tree: NamespaceTree, expanded: ReadonlySet<string>, limit = 50_000): TreeRow[] => {
	const rows: TreeRow[] = [];
	const walk = (node: NsNode, depth: number) => {
		for (const child of sortedChildren(node)) {
			if (rows.length >= limit) return;
			const open = expanded.has(child.path);
			rows.push({kind: 'ns', node: child, depth, expanded: open});
			if (open) walk(child, depth + 1);
		}
		const leaves = [...node.leaves].sort((a, b) => compareText(a.name, b.name));
		for (const ref of leaves) {
			if (rows.length >= limit) return;
			rows.push({kind: 'key', ref, depth, parent: node.path});
		}
		const hidden = node.direct - node.leaves.length + node.overflow;
		if (hidden > 0 && rows.length < limit) rows.push({kind: 'more', depth, hidden, path: node.path});
	};
	walk(tree.root, 0);
	return rows;
};

/** Classifies a key name against the tmux-claude prefix (both layouts). */
export const classifyKey = (name: string, prefix: string): KeyKind => {
	const p = `${prefix}:`;
	if (!name.startsWith(p)) return 'other';
	const rest = name.slice(p.length);
	if (rest === 'instances') return 'instances-hash';
	if (rest === 'instances:active') return 'active-set';
	if (rest.startsWith('instance:')) return 'instance';
	if (rest.startsWith('job:')) return 'job';
	if (rest.startsWith('lock:') || rest.startsWith('locks:')) return 'lock';
	if (rest.startsWith('metrics:')) return 'metrics';
	return 'temporary';
};

/** A namespace's meaning to tmux-claude, for the tree's labels. */
export const namespaceLabel = (path: string, prefix: string, delimiter: string): string | null => {
	if (path === prefix) return 'tmux-claude';
	if (delimiter !== ':') return null;
	const rest = path.startsWith(`${prefix}:`) ? path.slice(prefix.length + 1) : null;
	if (rest === null) return null;
	const labels: Record<string, string> = {
		instance: 'instances (layout 1)',
		job: 'jobs (layout 1)',
		lock: 'locks (layout 1)',
		locks: 'locks (layout 2)',
		metrics: 'metrics',
		instances: 'instances (layout 2)',
	};
	return labels[rest] ?? (rest.includes(':') ? null : 'temporary');
};

/** The guide's TTL for temporary state under the prefix. */
export const TEMPORARY_TTL_MS = 5 * 60_000;

/**
 * What breaks the guide's TTL policy ("Key Expiration Strategy"): a lock or
 * metrics key without TTL, temporary state set to live longer than 5 minutes.
 * ttlMs: null = no TTL, undefined = not known.
 */
export const ttlPolicyBreak = (kind: KeyKind, ttlMs: number | null | undefined): string | null => {
	if (ttlMs === undefined) return null;
	if (kind === 'lock' && ttlMs === null) return 'lock without TTL';
	if (kind === 'metrics' && ttlMs === null) return 'metrics without TTL';
	if (kind === 'temporary' && (ttlMs === null || ttlMs > TEMPORARY_TTL_MS)) {
		return ttlMs === null ? 'temporary state without TTL' : 'temporary state TTL > 5 min';
	}
	return null;
};

/** Short kind label for a key row. */
export const KIND_LABEL: Record<KeyKind, string> = {
	instance: 'instance',
	job: 'job',
	lock: 'lock',
	metrics: 'metrics',
	'instances-hash': 'instances',
	'active-set': 'active',
	temporary: 'temp',
	other: '',
};

export type ScanProgress = {
	/** Keys SCAN returned (after MATCH / TYPE). */
	found: number;
	/** Keys examined, estimated from the cursor (exact when nothing is filtered). */
	examined: number;
	dbsize: number | null;
	elapsedMs: number;
	calls: number;
	done: boolean;
};

/** Rate (keys examined per second) and time left, or null while unknown. */
export const progressFigures = (p: ScanProgress): {fraction: number | null; rate: number | null; etaMs: number | null} => {
	const fraction = p.done ? 1 : p.dbsize ? Math.min(1, p.examined / p.dbsize) : null;
	const rate = p.elapsedMs > 0 ? (p.examined / p.elapsedMs) * 1000 : null;
	const etaMs = p.done ? 0 : rate && p.dbsize ? Math.max(0, ((p.dbsize - p.examined) / rate) * 1000) : null;
	return {fraction, rate, etaMs};
};
