// The key browser over the JSON fallback: the state directory's logical
// content (instances.json entries, `job:` entries, lock files, metrics.jsonl
// series) as the same namespace tree, and viewer data for each entry.
import {blankValue, type ValueData} from './key-view';
import {NamespaceTree, type JsonRef, type KeyRef, type TreeOptions} from './namespaces';
import type {Snapshot} from './types';

const lockName = (key: string): string => key.split(/[\\/]/).pop() ?? key;

/** What the tree is built from: a snapshot's entries (empty before the first read). */
export type JsonEntries = Pick<Snapshot, 'instances' | 'jobs' | 'locks' | 'metrics'>;
export const NO_ENTRIES: JsonEntries = {instances: [], jobs: [], locks: [], metrics: []};

/** Builds the tree of a JSON-source snapshot. */
export const jsonTree = (snapshot: JsonEntries, options: TreeOptions = {}): NamespaceTree => {
	const tree = new NamespaceTree({...options, delimiter: options.delimiter ?? '/'});
	const add = (segments: string[], name: string, json: JsonRef) => tree.add(segments, (): KeyRef => ({name, raw: null, json}));
	for (const i of snapshot.instances) add(['instances.json'], `instances.json#${i.id}`, {kind: 'instance', id: i.id});
	for (const j of snapshot.jobs) add(['instances.json', 'jobs'], `instances.json#job:${j.id}`, {kind: 'job', id: j.id});
	for (const l of snapshot.locks) add(['locks'], lockName(l.key), {kind: 'lock', id: l.key});
	for (const m of snapshot.metrics) add(['metrics.jsonl'], m.key, {kind: 'metric', id: m.name});
	return tree;
};

/** Viewer data for a JSON-source entry, from the latest snapshot. */
export const jsonValue = (snapshot: Snapshot | null, ref: KeyRef): ValueData => {
	const base: ValueData = blankValue(ref.name, {type: ref.json?.kind ?? '?', ttlMs: null, fetchedAt: snapshot?.takenAt ?? Date.now()});
	const id = ref.json?.id;
	if (!snapshot || !ref.json || id === undefined) return {...base, error: 'entry not found'};
	switch (ref.json.kind) {
		case 'instance': {
			const i = snapshot.instances.find(x => x.id === id);
			if (!i) return {...base, error: 'instance no longer in instances.json'};
			return {...base, kind: 'instance', json: i.raw ?? {}, error: i.parseError};
		}
		case 'job': {
			const j = snapshot.jobs.find(x => x.id === id);
			if (!j) return {...base, error: 'job no longer in instances.json'};
			return {...base, kind: 'job', json: j.raw ?? {}, error: j.parseError};
		}
		case 'lock': {
			const l = snapshot.locks.find(x => x.key === id);
			if (!l) return {...base, error: 'lock file released'};
			// Unreadable (a FIFO, a directory, a symlink, over the cap): why, and no token.
			if (l.error) return {...base, kind: 'lock', type: 'lock file', ttlMs: l.ttlMs, error: l.error};
			return {...base, kind: 'lock', type: 'lock file', ttlMs: l.ttlMs, token: l.token, acquiredAt: l.acquiredAt, size: l.token.length};
		}
		case 'metric': {
			const m = snapshot.metrics.find(x => x.name === id);
			if (!m) return {...base, error: 'metric not found'};
			return {...base, kind: 'metrics', samples: m.samples, size: m.count};
		}
	}
};

/** Type and TTL of a JSON-source entry for the browser's columns. */
export const jsonDetail = (snapshot: Snapshot, ref: KeyRef): {type: string; ttlMs: number | null | undefined} => {
	switch (ref.json?.kind) {
		case 'lock':
			return {type: 'lock', ttlMs: snapshot.locks.find(l => l.key === ref.json!.id)?.ttlMs};
		case 'instance':
		case 'job':
			return {type: ref.json.kind, ttlMs: null};
		case 'metric':
			return {type: 'metric', ttlMs: null};
		default:
			return {type: '?', ttlMs: undefined};
	}
};
