// The Keys pane and the capabilities on a real 3-master Redis Cluster (one
// cluster for the file): every master walked into one tree with exact counts,
// details and values read on the key's node (never a cross-slot pipeline),
// those reads left out of the hit rate, `n` saying a cluster has db 0 only,
// and the Stats pane's `a` re-reading every master's config audit.
import React from 'react';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/app';
import {CLUSTER_SLOTS} from '../../source/domain/cluster';
import {findNode} from '../../source/domain/namespaces';
import {lookupsBetween} from '../../source/domain/rates';
import type {Snapshot} from '../../source/domain/types';
import {uiCapabilitiesFor, type UiCapabilities} from '../../source/sources/capabilities';
import {ClusterSource} from '../../source/sources/cluster-source';
import type {IndexView} from '../../source/sources/key-index';
import {instanceJson} from '../support/fixtures';
import {RedisCluster} from '../support/redis-cluster';
import {KEYS, renderTui} from '../support/render';

const P = 'tmux-claude';
const INSTANCES = 30;
const LOCKS = 12;
const OTHER = 15;
// The instances, the locks, one hash and one zset.
const PREFIXED = INSTANCES + LOCKS + 2;
const TOTAL = PREFIXED + OTHER;

let cluster: RedisCluster;
beforeAll(async () => {
	cluster = await RedisCluster.start();
	const w = cluster.client();
	const now = Date.now();
	// Names spread over every master (their slots fall on all three).
	for (let i = 0; i < INSTANCES; i++) await w.set(`${P}:instance:agent_${i}`, instanceJson(`agent_${i}`, 'specialist', 'active'));
	for (let i = 0; i < LOCKS; i++) await w.set(`${P}:lock:res_${i}`, `${now}-0.5`, 'PX', 600_000);
	await w.hset(`${P}:instances`, {hashed_1: instanceJson('hashed_1', 'manager', 'active')});
	await w.zadd(`${P}:metrics:cpu`, now, JSON.stringify({metric: 'cpu', value: 0.5, timestamp: new Date(now).toISOString()}));
	for (let i = 0; i < OTHER; i++) await w.set(`other:${i}`, 'x');
}, 60_000);
afterAll(async () => {
	await cluster?.stop();
});

let source: ClusterSource | null = null;
let caps: UiCapabilities | null = null;
afterEach(async () => {
	caps?.close();
	caps = null;
	await source?.close();
	source = null;
});

const open = async (): Promise<{source: ClusterSource; caps: UiCapabilities}> => {
	source = new ClusterSource({url: cluster.url, prefix: P});
	caps = uiCapabilitiesFor(source, false);
	// The topology is read by the first poll (the App's, or this one).
	const until = Date.now() + 15_000;
	while (Date.now() < until) {
		const s = await source.poll({deadlineMs: 3000});
		if (s.cluster?.slotsCovered === CLUSTER_SLOTS && Object.keys(s.errors).length === 0) break;
		await new Promise(r => setTimeout(r, 200));
	}
	return {source, caps};
};

const walk = (c: UiCapabilities, match: string | null): Promise<IndexView> =>
	new Promise((resolve, reject) => {
		const first = c.keys.index(null, {match, type: null, count: 10, onUpdate: v => v.status !== 'scanning' && resolve(v)});
		if (!first) reject(new Error('no walk: the key browser found nothing to SCAN'));
	});

describe('KeyBrowser on a Redis Cluster', () => {
	it('walks every master into one tree: exact counts, done only when every slot was walked', async () => {
		const {caps} = await open();
		const all = await walk(caps, null);
		expect(all.status).toBe('done');
		expect(all.tree.total).toBe(TOTAL);
		expect(all.progress).toMatchObject({found: TOTAL, dbsize: TOTAL, done: true});
		expect(findNode(all.tree, P)!.count).toBe(PREFIXED);
		expect(findNode(all.tree, 'other')!.count).toBe(OTHER);
		const prefixed = await walk(caps, `${P}:*`);
		expect(prefixed.tree.total).toBe(PREFIXED);
	});

	it('reads type, TTL and values on the node holding each key, left out of the hit rate', async () => {
		const {source, caps} = await open();
		const view = await walk(caps, `${P}:*`);
		const refs = view.tree.list;
		expect(refs).toHaveLength(PREFIXED);
		const before = await source.poll({deadlineMs: 5000});
		const details = await caps.keys.details(null, refs);
		expect(details.size).toBe(PREFIXED);
		const types = [...details.values()].map(d => d.type);
		expect(types.filter(t => t === 'string')).toHaveLength(INSTANCES + LOCKS);
		expect(types).toContain('hash');
		expect(types).toContain('zset');
		const lock = refs.find(r => r.name === `${P}:lock:res_3`)!;
		expect(details.get(lock)!.ttlMs).toBeGreaterThan(500_000);
		const hash = await caps.keys.open(null, refs.find(r => r.name === `${P}:instances`)!, P);
		expect(hash).toMatchObject({type: 'hash', size: 1, error: null});
		expect(hash!.items.map(i => i.label)).toEqual(['hashed_1']);
		const value = await caps.keys.open(null, lock, P);
		expect(value).toMatchObject({type: 'string', error: null});
		expect(value!.bytes!.toString()).toMatch(/^\d+-0\.5$/);
		const after = await source.poll({deadlineMs: 5000});
		// Every lookup since the last poll was tcmon's own: the browser's TYPE, PTTL, HLEN, HSCAN, STRLEN, GETRANGE included.
		const between = lookupsBetween(before.stats!, after.stats!)!;
		expect({hits: between.hits, misses: between.misses}).toEqual({hits: 0, misses: 0});
		expect(between.own).toBeGreaterThanOrEqual(2 * PREFIXED);
	});

	it('re-reads the config audit of every master when asked (Stats `a`)', async () => {
		const {source, caps} = await open();
		const first = (await source.poll({deadlineMs: 5000})).serverConfig;
		expect(first).not.toBeNull();
		await new Promise(r => setTimeout(r, 50));
		// Within its 30 s budget the audit is not read again by itself.
		expect((await source.poll({deadlineMs: 5000})).serverConfig!.readAt).toBe(first!.readAt);
		expect(caps.probe.requestNow()).toBe(true);
		const again = (await source.poll({deadlineMs: 5000})).serverConfig;
		expect(again!.readAt).toBeGreaterThan(first!.readAt);
	});
});

describe('Keys pane in the App on a Redis Cluster', () => {
	const app = async (columns = 120, rows = 35) => {
		const {source, caps} = await open();
		return renderTui(<App source={source} intervalMs={1000} prefix={P} size={{columns, rows}} initialPane="keys" capabilities={caps} />, {columns, rows});
	};

	it('shows the keys of every master, their details, opens values, and says n has no meaning', async () => {
		const ui = await app();
		await ui.waitFor(f => new RegExp(`tree · ${P}:\\* · ${PREFIXED} keys`).test(f) && new RegExp(`${PREFIXED} keys · ${TOTAL} scanned`).test(f));
		expect(ui.lastFrame()).not.toMatch(/state dir|instances\.json/);
		expect(ui.lastFrame()).toMatch(new RegExp(`▾ ${P}:\\s+${PREFIXED}`));
		await ui.press('a');
		await ui.waitFor(f => new RegExp(`tree · \\* · ${TOTAL} keys`).test(f) && new RegExp(` ${TOTAL} keys · ${TOTAL} scanned`).test(f));
		await ui.press('n');
		await ui.waitFor(f => /database 0 only/.test(f));
		await ui.press('a');
		// The locks, on all three masters: each row gets its type and TTL from its own node.
		for (const k of '/lock:*') await ui.press(k);
		await ui.press(KEYS.enter);
		await ui.waitFor(f => new RegExp(`tree · ${P}:lock:\\* · ${LOCKS} keys`).test(f) && f.includes(`${LOCKS} keys · `));
		await ui.press('j');
		await ui.press(KEYS.enter);
		const rows = await ui.waitFor(f => (f.match(/res_\d+\s+string\s+\d+m/g) ?? []).length >= 8);
		expect(rows).toMatch(/res_\d+\s+string\s+\d+m/);
		await ui.press('j');
		await ui.press(KEYS.enter);
		const viewer = await ui.waitFor(f => /string · \d+B · TTL \d+m/.test(f));
		expect(viewer).toMatch(new RegExp(`${P}:lock:res_\\d+`));
		expect(viewer).toMatch(/\d{13}-0\.5/);
	});
});

describe('KeyBrowser on a Redis Cluster with a master and its replica down (last: it breaks the cluster)', () => {
	it('ends the walk incomplete, naming the slots not walked, with the keys of the masters it did walk', async () => {
		const {source, caps} = await open();
		const before = await source.poll({deadlineMs: 5000});
		const seed = Number(new URL(cluster.url).port);
		const master = before.cluster!.nodes.find(n => n.role === 'master' && !n.failing && Number(n.addr.split(':')[1]) !== seed)!;
		const replicas = before.cluster!.nodes.filter(n => n.role === 'replica' && n.masterAddr === master.addr);
		for (const node of [master, ...replicas]) await cluster.kill(Number(node.addr.split(':')[1]));
		const view = await walk(caps, null);
		expect(view.status).toBe('error');
		expect(view.error).toMatch(new RegExp(`keys of \\d+ of ${CLUSTER_SLOTS} slots not walked`));
		expect(view.tree.total).toBeGreaterThan(0);
		expect(view.tree.total).toBeLessThan(TOTAL);
		expect(view.progress.done).toBe(false);
	}, 30_000);
});
