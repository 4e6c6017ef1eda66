import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {RedisSource} from '../../source/sources/redis-source';
import {RedisServer} from '../support/redis-server';
import {P, writeLayout1, writeLayout2} from '../support/store';

let server: RedisServer;
let source: RedisSource | null = null;

beforeAll(async () => {
	server = await RedisServer.start();
});
afterAll(async () => {
	await server.stop();
});
beforeEach(async () => {
	await server.client().flushall();
});
afterEach(async () => {
	await source?.close();
	source = null;
});

/** The commands in what a client writes to its socket (RESP arrays of bulk strings). */
const respCommands = (text: string): string[][] => {
	const out: string[][] = [];
	let i = 0;
	const line = (): number => {
		const end = text.indexOf('\r\n', i);
		const n = Number(text.slice(i + 1, end));
		i = end + 2;
		return n;
	};
	while (i < text.length && text[i] === '*') {
		const args: string[] = [];
		for (let n = line(); n > 0; n--) {
			const length = line();
			args.push(text.slice(i, i + length));
			i += length + 2;
		}
		out.push(args);
	}
	return out;
};

/** Calls `onWrite` with the commands of each write a source makes to its socket (one write: one round trip). */
const watchWrites = (source: RedisSource, onWrite: (commands: string[][]) => void): void => {
	const stream = source.client.stream as unknown as {write: (data: unknown, ...rest: unknown[]) => boolean};
	const write = stream.write.bind(stream);
	stream.write = (data, ...rest) => {
		onWrite(respCommands(Buffer.isBuffer(data) ? data.toString('latin1') : String(data)).map(([name = '', ...args]) => [name.toLowerCase(), ...args]));
		return write(data, ...rest);
	};
};

const open = (over: Partial<ConstructorParameters<typeof RedisSource>[0]> = {}) => (source = new RedisSource({url: server.url, prefix: P, ...over}));

describe('RedisSource on a real redis-server', () => {
	it('reuses the values it read while no write reaches the store, and reads again after a write or an expiry', async () => {
		const r = server.client();
		await writeLayout1(r);
		await writeLayout2(r);
		await r.set(`${P}:instance:short_1`, '{"instanceId":"short_1","status":"active"}', 'PX', 1500);
		const calls = async () => {
			const stats = (await r.info('commandstats')) as string;
			const of = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
			// (GETRANGE also reads lock tokens every tick: HGETALL and ZRANGE are the values' own.)
			return of('hgetall') + of('zrange');
		};
		// The write mark alone (change tracking would re-read only the key written).
		const s = open({keyTracking: false});
		const first = await s.poll();
		const afterFirst = await calls();
		const second = await s.poll();
		// Nothing written: no HGETALL, no ZRANGE, the same objects.
		expect(await calls()).toBe(afterFirst);
		expect(second.jobs).toEqual(first.jobs);
		expect(second.instances[0]).toBe(first.instances[0]);
		// The lists themselves too: the Agents view and the activity feed are reused by identity.
		expect(second.instances).toBe(first.instances);
		expect(second.jobs).toBe(first.jobs);

		await r.set(`${P}:job:job_1_1`, '{"id":"job_1_1","status":"completed","priority":100}');
		const third = await s.poll();
		expect(await calls()).toBeGreaterThan(afterFirst);
		expect(third.jobs.find(j => j.id === 'job_1_1')?.status).toBe('completed');

		// An expiry is no write command, but it changes the store too.
		expect(third.instances.some(i => i.id === 'short_1')).toBe(true);
		await new Promise(res => setTimeout(res, 1700));
		await r.exists(`${P}:instance:short_1`); // expires it now (lazily) if the server has not yet
		const fourth = await s.poll();
		expect(fourth.instances.some(i => i.id === 'short_1')).toBe(false);
	});

	it('reads only INFO and the fixed pipeline while nothing is written, and everything again after a write', async () => {
		const r = server.client();
		await writeLayout1(r);
		await writeLayout2(r);
		const count = async () => {
			const stats = (await r.info('commandstats')) as string;
			const of = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
			return {values: of('hgetall') + of('zrange'), getrange: of('getrange'), types: of('type'), scans: of('scan'), pttl: of('pttl')};
		};
		// Discovery would start a new cycle every poll, and the list's TTLs be read every poll.
		const s = open({rediscoverMs: 0, keyTracking: false});
		const first = await s.poll();
		await s.poll();
		const before = await count();
		await new Promise(res => setTimeout(res, 300));
		for (let i = 0; i < 3; i++) await s.poll();
		// Quiet: no SCAN, value read, lock read, TYPE or PTTL; the lock TTLs count down.
		expect(await count()).toEqual(before);
		const quiet = await s.poll();
		expect(quiet.keys.map(k => k.key)).toEqual(first.keys.map(k => k.key));
		const lockTtl = (snap: typeof first) => snap.locks.find(l => l.resource === 'git-main')!.ttlMs!;
		expect(lockTtl(quiet)).toBeLessThanOrEqual(lockTtl(first) - 250);
		expect(lockTtl(quiet)).toBeGreaterThan(lockTtl(first) - 5000);
		// A write anywhere: discovery walks again, and values, locks and types are read again.
		await r.set('elsewhere', '1');
		await s.poll();
		await s.poll();
		const written = await count();
		for (const field of ['values', 'getrange', 'types', 'scans', 'pttl'] as const) expect({field, more: written[field] > before[field]}).toEqual({field, more: true});
		// A new lock shows at the next poll.
		await r.set(`${P}:lock:fresh`, `${Date.now()}-abc`, 'PX', 30_000);
		expect((await s.poll()).locks.map(l => l.resource)).toContain('fresh');
	});

	it('reads a tick in one pipelined round trip, two only when writes end a quiet spell', async () => {
		const r = server.client();
		await writeLayout1(r);
		await writeLayout2(r);
		const s = open();
		await s.poll(); // connected
		// The first command of each write to the socket: one write is one round trip.
		const trips: string[] = [];
		watchWrites(s, commands => trips.push(commands[0]?.[0] ?? '?'));
		const poll = async () => {
			trips.length = 0;
			const snap = await s.poll();
			// Discovery and lock walks are separate, budgeted SCAN calls; CLIENT TRACKING is set up once.
			return {snap, trips: trips.filter(t => t !== 'scan' && t !== 'client')};
		};
		await poll();
		expect((await poll()).trips).toEqual(['info']); // quiet
		await r.set(`${P}:job:job_1_1`, '{"id":"job_1_1","status":"completed","priority":100}');
		const ends = await poll(); // the quiet spell ends: read again under the new mark
		expect(ends.trips).toEqual(['info', 'info']);
		expect(ends.snap.jobs.find(j => j.id === 'job_1_1')?.status).toBe('completed');
		await r.set(`${P}:job:job_1_1`, '{"id":"job_1_1","status":"failed","priority":100}');
		const busy = await poll(); // still being written: everything is read in the one trip
		expect(busy.trips).toEqual(['info']);
		expect(busy.snap.jobs.find(j => j.id === 'job_1_1')?.status).toBe('failed');
		await poll();
		expect((await poll()).trips).toEqual(['info']); // quiet again
	});

	it('after writes re-reads only the keys the server names (CLIENT TRACKING), and everything after a gap', async () => {
		const r = server.client();
		await writeLayout1(r);
		await writeLayout2(r);
		for (let i = 0; i < 30; i++) await r.set(`${P}:job:bulk_${i}`, `{"id":"bulk_${i}","status":"pending"}`);
		const s = open();
		await s.poll();
		// Instance and job keys each poll reads (a bounded GETRANGE each; lock tokens aside), and lock TTLs it reads, from what tcmon writes to its socket.
		let valueReads = 0;
		let lockTtls = 0;
		watchWrites(s, commands => {
			for (const [name, ...args] of commands) {
				if (name === 'getrange' && /:(job|instance):/.test(args[0] ?? '')) valueReads++;
				if (name === 'pttl' && /:locks?:/.test(args[0] ?? '')) lockTtls++;
			}
		});
		const poll = async () => {
			valueReads = 0;
			lockTtls = 0;
			const snap = await s.poll();
			return {snap, valueReads, lockTtls};
		};
		const job = (snap: Awaited<ReturnType<typeof s.poll>>, id: string) => snap.jobs.find(j => j.id === id);
		for (let i = 0; i < 50 && s.keyTrackingOff !== null; i++) {
			await poll();
			await new Promise(res => setTimeout(res, 20));
		}
		expect(s.keyTrackingOff).toBeNull();
		// Polls until `shows` holds (the server's invalidation message travels on its own connection): the keys read meanwhile.
		const until = async (shows: (snap: Awaited<ReturnType<typeof s.poll>>) => boolean) => {
			let keys = 0;
			let ttls = 0;
			for (let i = 0; i < 40; i++) {
				const {snap, valueReads: read, lockTtls: locks} = await poll();
				keys += read;
				ttls += locks;
				if (shows(snap)) return {snap, keys, lockTtls: ttls};
				await new Promise(res => setTimeout(res, 10));
			}
			throw new Error('the change never showed');
		};
		// The first read under tracking reads everything (3 instances, 31 jobs); then only what was written.
		await r.set(`${P}:job:bulk_0`, '{"id":"bulk_0","status":"active"}');
		const whole = await poll();
		expect(whole.valueReads).toBe(34);
		expect(whole.lockTtls).toBe(3);
		const worktreeTtl = (snap: typeof whole.snap) => snap.locks.find(l => l.resource === 'worktree')?.ttlMs ?? 0;
		await r.set(`${P}:job:bulk_1`, '{"id":"bulk_1","status":"completed"}');
		const one = await until(snap => job(snap, 'bulk_1')?.status === 'completed');
		expect(one.keys).toBe(1);
		expect(job(one.snap, 'bulk_0')?.status).toBe('active');
		expect(one.snap.jobs).toHaveLength(32);
		// A write to the layout-2 hash re-reads the hash, not the keys.
		await r.hset(`${P}:instances`, 'job:job_2_1', '{"id":"job_2_1","status":"failed"}');
		const hashed = await until(snap => job(snap, 'job_2_1')?.status === 'failed');
		expect(hashed.keys).toBe(0);
		// A lock taken again: its token and TTL are read; the others are kept, their TTLs counted down.
		await r.set(`${P}:lock:git-main`, `${Date.now()}-0.5`, 'PX', 30_000);
		const relocked = await until(snap => snap.locks.find(l => l.resource === 'git-main')?.token.endsWith('-0.5') === true);
		expect(relocked.lockTtls).toBe(1);
		expect(relocked.snap.locks.map(l => l.resource).sort()).toEqual(['forever', 'git-main', 'worktree']);
		expect(worktreeTtl(relocked.snap)).toBeLessThan(worktreeTtl(whole.snap));
		expect(worktreeTtl(relocked.snap)).toBeGreaterThan(worktreeTtl(whole.snap) - 5000);
		await r.del(`${P}:job:bulk_2`);
		const gone = await until(snap => job(snap, 'bulk_2') === undefined);
		expect(gone.keys).toBe(1);
		expect(gone.snap.jobs).toHaveLength(31);
		// The subscriber connection dropped: a gap, so the next read is whole.
		await r.client('KILL', 'TYPE', 'pubsub');
		for (let i = 0; i < 50 && s.keyTrackingOff === null; i++) await new Promise(res => setTimeout(res, 10));
		expect(s.keyTrackingOff).toMatch(/closed/);
		await r.set(`${P}:job:bulk_3`, '{"id":"bulk_3","status":"active"}');
		const again = await poll();
		expect(again.valueReads).toBe(34); // bulk_2 too: it stays listed until the next discovery walk
		expect(again.lockTtls).toBe(3);
		expect(job(again.snap, 'bulk_3')?.status).toBe('active');
	});

	it('on a replica, shows its master\'s writes at the next tick', async () => {
		const r = server.client();
		await r.config('SET', 'repl-diskless-sync-delay', '0'); // the test's own server: sync at once
		const replica = await RedisServer.start({args: ['--replicaof', '127.0.0.1', String(server.port)]});
		try {
			await writeLayout1(r);
			const s = open({url: replica.url});
			const statusOnReplica = async (status: string) => {
				await r.set(`${P}:job:job_1_1`, `{"id":"job_1_1","status":"${status}"}`);
				for (let i = 0; i < 100 && (await replica.client().get(`${P}:job:job_1_1`))?.includes(status) !== true; i++) await new Promise(res => setTimeout(res, 20));
				// The replica's invalidation message travels on its own connection: a few polls at most.
				let shown: string | null | undefined;
				for (let i = 0; i < 20 && shown !== status; i++) {
					shown = (await s.poll()).jobs.find(j => j.id === 'job_1_1')?.status;
					if (shown !== status) await new Promise(res => setTimeout(res, 10));
				}
				return shown;
			};
			for (let i = 0; i < 6; i++) expect(await statusOnReplica(`s${i}`)).toBe(`s${i}`);
			expect(s.keyTrackingOff).toBeNull(); // the last reads were of the written key only
		} finally {
			await replica.stop();
		}
	});

	it('reads everything each written tick when CLIENT TRACKING is refused', async () => {
		const r = server.client();
		await writeLayout1(r);
		await r.acl('SETUSER', 'notrack', 'on', '>pw', '~*', '&*', '+@all', '-client');
		const s = open({url: server.url.replace('redis://', 'redis://notrack:pw@')});
		for (let i = 0; i < 5; i++) {
			await r.set(`${P}:job:job_1_1`, `{"id":"job_1_1","status":"s${i}"}`);
			const snap = await s.poll();
			expect(snap.jobs.find(j => j.id === 'job_1_1')?.status).toBe(`s${i}`);
			await new Promise(res => setTimeout(res, 20));
		}
		expect(s.keyTrackingOff).toMatch(/CLIENT TRACKING unavailable: NOPERM/);
		await r.acl('DELUSER', 'notrack');
	});

	it('reads only the newest SLOWLOG entries once the list is known, and keeps it exact', async () => {
		const r = server.client();
		const logged = async (...commands: string[][]) => {
			await r.config('SET', 'slowlog-log-slower-than', '0');
			for (const c of commands) await r.call(c[0]!, ...c.slice(1));
			await r.config('SET', 'slowlog-log-slower-than', '1000000');
		};
		await r.slowlog('RESET');
		await logged(['ECHO', 'first']);
		const s = open();
		const first = await s.poll();
		expect(first.slowlog.some(e => e.args.join(' ') === 'ECHO first')).toBe(true);
		// Unchanged: the same entries.
		const second = await s.poll();
		expect(second.slowlog).toBe(first.slowlog);
		await logged(['ECHO', 'second']);
		const third = await s.poll();
		expect(third.slowlog).not.toBe(first.slowlog);
		expect(third.slowlog.map(e => e.args.join(' '))).toEqual(expect.arrayContaining(['ECHO first', 'ECHO second']));
		// A few new entries are put in front of the known ones; more than a
		// tick's head (16) make it read the whole list: either way the list is
		// what SLOWLOG GET 128 says.
		const ids = async () => ((await r.call('SLOWLOG', 'GET', '128')) as unknown[][]).map(e => Number(e[0]));
		for (const n of [3, 40, 1]) {
			await logged(...Array.from({length: n}, (_, i) => ['ECHO', `batch ${n} ${i}`]));
			const snap = await s.poll();
			expect(snap.slowlog.map(e => e.id)).toEqual(await ids());
		}
		await r.slowlog('RESET');
		expect((await s.poll()).slowlog).toEqual([]);
		await logged(['ECHO', 'after reset']);
		const afterReset = await s.poll();
		expect(afterReset.slowlog.map(e => e.id)).toEqual(await ids());
		expect(afterReset.slowlog.map(e => e.args.join(' '))).toContain('ECHO after reset');
		await r.config('SET', 'slowlog-log-slower-than', '10000');
	});

	it("counts the key list's TTLs down between reads instead of asking every tick", async () => {
		const r = server.client();
		await r.set(`${P}:tmp:a`, '1', 'PX', 60_000);
		await r.set(`${P}:tmp:b`, '1');
		const s = open();
		const first = await s.poll();
		const ttlOf = (snap: typeof first, key: string) => snap.keys.find(k => k.key === key)?.ttlMs;
		expect(ttlOf(first, `${P}:tmp:b`)).toBeNull();
		const t0 = ttlOf(first, `${P}:tmp:a`)!;
		expect(t0).toBeGreaterThan(59_000);
		const stats = async () => Number(/cmdstat_pttl:calls=(\d+)/.exec((await r.info('commandstats')) as string)?.[1] ?? 0);
		const before = await stats();
		await new Promise(res => setTimeout(res, 600));
		const second = await s.poll();
		// No PTTL for the listed keys this tick (only their countdown).
		expect(await stats()).toBe(before);
		expect(ttlOf(second, `${P}:tmp:a`)!).toBeLessThanOrEqual(t0 - 500);
		expect(ttlOf(second, `${P}:tmp:a`)!).toBeGreaterThan(t0 - 2000);
	});

	it('reads both key layouts in one poll', async () => {
		const r = server.client();
		await writeLayout1(r);
		await writeLayout2(r);
		const snap = await open().poll();
		expect(snap.source).toMatchObject({kind: 'redis', connected: true, stale: false, error: null});
		expect(snap.server?.version).toMatch(/^\d+\.\d+/);
		expect(snap.stats?.keys).toBe(12);

		const byId = Object.fromEntries(snap.instances.map(i => [i.id, i]));
		expect(byId['exec_100001']).toMatchObject({role: 'executive', status: 'active', origin: 'instance-key'});
		expect(byId['mgr_1_100002']).toMatchObject({status: 'terminated', parentId: 'exec_100001'});
		expect(byId['broken_1']?.parseError).toMatch(/invalid JSON/);
		expect(byId['spec_1_1_200001']).toMatchObject({role: 'specialist', origin: 'instances-hash'});
		expect(snap.jobs.map(j => [j.id, j.status, j.origin]).sort()).toEqual([
			['job_1_1', 'pending', 'instance-key'],
			['job_2_1', 'completed', 'instances-hash'],
		]);

		const locks = Object.fromEntries(snap.locks.map(l => [l.resource, l]));
		expect(locks['git-main']).toMatchObject({layout: 'lock', foreignToken: false});
		expect(locks['git-main']!.ttlMs).toBeGreaterThan(25_000);
		expect(locks['worktree']).toMatchObject({layout: 'locks', key: `${P}:locks:worktree`});
		expect(locks['forever']).toMatchObject({ttlMs: null, foreignToken: true, acquiredAt: null});

		expect(snap.metrics.map(m => [m.name, m.count]).sort()).toEqual([
			['cpu', 1],
			['queue_depth', 1],
		]);
		expect(snap.metrics.find(m => m.name === 'cpu')?.ttlMs).toBeGreaterThan(86_000_000);
		expect(snap.metrics.find(m => m.name === 'queue_depth')?.samples[0]?.value).toBe(4);

		const keys = Object.fromEntries(snap.keys.map(k => [k.key, k]));
		expect(keys[`${P}:instances`]).toMatchObject({type: 'hash', ttlMs: null});
		expect(keys[`${P}:tmp:scratch`]?.type).toBe('string');
		expect(keys[`${P}:tmp:scratch`]?.ttlMs).toBeGreaterThan(290_000);
		expect(snap.slowlogLength).toBeGreaterThanOrEqual(0);
	});

	it('honours a custom prefix and ignores keys outside it', async () => {
		const r = server.client();
		await r.set('other:instance:x', '{}');
		await r.set('tc2:instance:a', '{"instanceId":"a","status":"active"}');
		await r.set('tc2:lock:r', `${Date.now()}-0.5`, 'PX', 5000);
		const snap = await open({prefix: 'tc2'}).poll();
		expect(snap.instances.map(i => i.id)).toEqual(['a']);
		expect(snap.locks.map(l => l.resource)).toEqual(['r']);
		expect(snap.keys.every(k => k.key.startsWith('tc2:'))).toBe(true);
	});

	it('reads hostile and binary key names without breaking', async () => {
		const r = server.client();
		await r.set(Buffer.concat([Buffer.from(`${P}:tmp:`), Buffer.from([0xff, 0x00, 0x1b]), Buffer.from('[2J')]), 'v');
		await r.set(`${P}:lock:\u001b]0;evil\u0007`, 'tok', 'PX', 10_000);
		// Invalid UTF-8 in a job's name: its value, type and TTL are still read by the exact bytes.
		await r.set(Buffer.concat([Buffer.from(`${P}:job:`), Buffer.from([0xfe, 0x41])]), '{"id":"bin","status":"running"}', 'PX', 60_000);
		const snap = await open().poll();
		expect(snap.keys.map(k => k.key)).toContain(`${P}:tmp:\\xff\\x00\\x1b[2J`);
		expect(snap.jobs.map(j => j.status)).toContain('running');
		expect(snap.keys.find(k => k.key === `${P}:job:\\xfeA`)).toMatchObject({type: 'string', ttlMs: expect.any(Number)});
		expect(snap.locks[0]).toMatchObject({resource: '\u001b]0;evil\u0007', foreignToken: true});
	});

	it('finds keys across SCAN pages with a small budget per poll', async () => {
		const r = server.client();
		const pipe = r.pipeline();
		for (let i = 0; i < 5000; i++) pipe.set(`noise:${i}`, '1');
		for (let i = 0; i < 30; i++) pipe.set(`${P}:locks:r${i}`, `${Date.now()}-0.1`, 'PX', 60_000);
		await pipe.exec();
		const s = open({scanBudget: 1, scanCount: 500});
		let snap = await s.poll();
		for (let i = 0; i < 15 && snap.locks.length < 30; i++) snap = await s.poll();
		expect(snap.locks).toHaveLength(30);
	});

	it('reports a NOPERM section and keeps the rest working', async () => {
		const admin = server.client();
		await admin.call('ACL', 'SETUSER', 'tc', 'on', '>pw', '~*', '&*', '+@all', '-@dangerous');
		await writeLayout2(admin);
		const snap = await open({url: `redis://tc:pw@127.0.0.1:${server.port}`}).poll();
		expect(snap.source.connected).toBe(true);
		expect(snap.errors.info).toMatch(/NOPERM/);
		expect(snap.errors.slowlog).toMatch(/NOPERM/);
		expect(snap.stats?.keys).toBeGreaterThan(0); // DBSIZE is allowed
		expect(snap.instances.map(i => i.id)).toContain('spec_1_1_200001');
		expect(snap.locks.map(l => l.resource).sort()).toEqual(['forever', 'worktree']);
		expect(JSON.stringify(snap)).not.toContain(':pw@');
	});

	it('never reveals the password, even when AUTH fails', async () => {
		const snap = await open({url: `redis://nobody:hunter2@127.0.0.1:${server.port}`}).poll();
		expect(snap.source.connected).toBe(false);
		expect(snap.source.target).toBe(`redis://nobody:***@127.0.0.1:${server.port}`);
		expect(JSON.stringify(snap)).not.toContain('hunter2');
	});

	it('reports a dead server, shows the last data as stale, and recovers on the same port', async () => {
		await writeLayout2(server.client());
		const s = open();
		const first = await s.poll();
		expect(first.source.connected).toBe(true);

		await server.kill();
		let snap = await s.poll();
		for (let i = 0; i < 50 && snap.source.connected; i++) {
			await new Promise(r => setTimeout(r, 50));
			snap = await s.poll();
		}
		expect(snap.source).toMatchObject({connected: false, stale: true});
		expect(snap.source.error).toBeTruthy();
		expect(snap.source.dataAt).toBe(first.source.dataAt);
		expect(snap.instances.map(i => i.id)).toEqual(first.instances.map(i => i.id)); // last data kept

		await server.restart();
		await server.client().set(`${P}:instance:back_1`, '{"instanceId":"back_1","status":"active"}');
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline) {
			snap = await s.poll();
			if (snap.source.connected) break;
			await new Promise(r => setTimeout(r, 100));
		}
		expect(snap.source).toMatchObject({connected: true, stale: false, error: null});
		expect(snap.instances.map(i => i.id)).toEqual(['back_1']);
	});

	it('never calls KEYS, MONITOR, FLUSH*, CONFIG SET or DEBUG', async () => {
		await writeLayout1(server.client());
		await writeLayout2(server.client());
		const admin = server.client();
		await admin.config('RESETSTAT');
		const s = open();
		for (let i = 0; i < 3; i++) await s.poll();
		const info = (await admin.info('commandstats')) as string;
		const used = [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map(m => m[1]!);
		for (const forbidden of ['keys', 'monitor', 'flushall', 'flushdb', 'debug', 'config|set']) expect(used).not.toContain(forbidden);
		// And it writes nothing: no write command was called by tcmon.
		for (const write of ['set', 'del', 'hset', 'expire', 'zadd', 'unlink']) expect(used).not.toContain(write);
	});
});
