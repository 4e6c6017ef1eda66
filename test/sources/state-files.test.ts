// State-dir entries that are not plain files (FIFOs, directories, symlinks,
// over-cap files), instances.json re-reads, and deep JSON, on real files.
import {execFileSync} from 'node:child_process';
import {closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {toDocument} from '../../source/document';
import {TOO_DEEP} from '../../source/domain/layouts';
import {sameData} from '../../source/hooks/use-poll';
import {JsonSource} from '../../source/sources/json-source';
import {alertSettingsFrom} from '../../source/alert-settings';
import {instanceJson} from '../support/fixtures';

let dir: string;
let outside: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-files-'));
	outside = mkdtempSync(path.join(os.tmpdir(), 'tcmon-outside-'));
});
afterEach(() => {
	rmSync(dir, {recursive: true, force: true});
	rmSync(outside, {recursive: true, force: true});
});

const mkfifo = (file: string) => execFileSync('mkfifo', [file]);

/**
 * Races a promise against a deadline. A read blocked on a FIFO (the bug)
 * sits in libuv's thread pool for ever; on timeout the FIFO is opened for
 * writing and closed, so the blocked read sees EOF and the worker can exit.
 */
const within = async <T>(promise: Promise<T>, ms: number, fifos: string[]): Promise<T> => {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			for (const f of fifos) {
				try {
					// eslint-disable-next-line no-bitwise
					closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK));
				} catch {
					// no reader blocked on it
				}
			}
			reject(new Error(`hung for more than ${ms} ms`));
		}, ms);
	});
	try {
		return await Promise.race([promise, deadline]);
	} finally {
		clearTimeout(timer);
	}
};

const writeInstances = (value: unknown) => writeFileSync(path.join(dir, 'instances.json'), JSON.stringify(value));
const token = `${Date.now() - 1000}-0.42`;

describe('state dir entries that are not regular files', () => {
	it('a FIFO named instances.json is reported, not read, and the last good data is kept', async () => {
		const source = new JsonSource({dir});
		writeInstances({exec_1: JSON.parse(instanceJson('exec_1', 'executive', 'active'))});
		writeFileSync(path.join(dir, 'a.lock'), token);
		expect((await source.poll()).instances).toHaveLength(1);
		rmSync(path.join(dir, 'instances.json'));
		mkfifo(path.join(dir, 'instances.json'));
		const snap = await within(source.poll(), 3000, [path.join(dir, 'instances.json')]);
		expect(snap.errors.state).toMatch(/instances\.json: is a FIFO, not a regular file: not read; showing the last good read/);
		expect(snap.instances.map(i => i.id)).toEqual(['exec_1']);
		expect(snap.locks.map(l => l.token)).toEqual([token]);
	});

	it('a FIFO named metrics.jsonl is reported, not tailed', async () => {
		mkfifo(path.join(dir, 'metrics.jsonl'));
		const snap = await within(new JsonSource({dir}).poll(), 3000, [path.join(dir, 'metrics.jsonl')]);
		expect(snap.errors.metrics).toMatch(/metrics\.jsonl is a FIFO, not a regular file/);
	});

	it('a directory named instances.json is reported', async () => {
		mkdirSync(path.join(dir, 'instances.json'));
		const snap = await new JsonSource({dir}).poll();
		expect(snap.errors.state).toMatch(/instances\.json: is a directory, not a regular file/);
	});

	it('--alert-config over 1 MiB is refused', () => {
		const file = path.join(dir, 'alerts.json');
		writeFileSync(file, `{"window": "5m", "pad": "${'x'.repeat(1024 * 1024)}"}`);
		expect(() => alertSettingsFrom({alertConfig: file}, {})).toThrow(/cannot read --alert-config .*over the 1\.00M cap/);
	});
});

describe('lock files', () => {
	it('a symlink leading out of the state dir is not followed: its target never shows as a token', async () => {
		writeFileSync(path.join(outside, 'shadow'), 'root:SECRET-HASH:19000:0:99999:7:::\n');
		symlinkSync(path.join(outside, 'shadow'), path.join(dir, 'x.lock'));
		const snap = await new JsonSource({dir}).poll();
		expect(JSON.stringify(snap)).not.toContain('SECRET-HASH');
		expect(snap.locks).toHaveLength(1);
		expect(snap.locks[0]).toMatchObject({resource: 'x', token: '', error: 'x.lock is a symlink: not followed'});
		expect(toDocument(snap).locks[0]).toMatchObject({state: 'unreadable', origin: 'file', error: 'x.lock is a symlink: not followed'});
	});

	it('a directory, a FIFO, a dangling symlink and an over-cap file named *.lock are shown as unreadable locks, not as released', async () => {
		mkdirSync(path.join(dir, 'dir.lock'));
		mkfifo(path.join(dir, 'fifo.lock'));
		symlinkSync(path.join(outside, 'nowhere'), path.join(dir, 'dangling.lock'));
		writeFileSync(path.join(dir, 'big.lock'), `${token}${' '.repeat(5000)}`);
		writeFileSync(path.join(dir, 'good.lock'), token);
		const snap = await within(new JsonSource({dir}).poll(), 3000, [path.join(dir, 'fifo.lock')]);
		const by = Object.fromEntries(snap.locks.map(l => [l.resource, l]));
		expect(Object.keys(by).sort()).toEqual(['big', 'dangling', 'dir', 'fifo', 'good']);
		expect(by['dir']!.error).toBe('dir.lock is a directory, not a regular file: not read');
		expect(by['fifo']!.error).toBe('fifo.lock is a FIFO, not a regular file: not read');
		expect(by['dangling']!.error).toBe('dangling.lock is a symlink: not followed');
		expect(by['big']!.error).toMatch(/^big\.lock is 4\.9\dK, over the 4\.00K cap: not read$/);
		expect(by['good']).toMatchObject({token});
		expect(by['good']!.error).toBeUndefined();
		expect(toDocument(snap).locks.filter(l => l.state === 'unreadable')).toHaveLength(4);
	});

	it('over the lock file limit: the count says how many of how many are shown', async () => {
		for (let i = 0; i < 7; i++) writeFileSync(path.join(dir, `r${i}.lock`), token);
		const snap = await new JsonSource({dir, lockFileLimit: 5}).poll();
		expect(snap.locks).toHaveLength(5);
		expect(snap.lockFiles).toEqual({dir, total: 7, shown: 5});
		expect(toDocument(snap).lockFiles).toEqual({dir, total: 7, shown: 5});
	});
});

describe('instances.json re-reads', () => {
	it('is not re-parsed while its size, mtime, inode and ctime are unchanged, and is when they change', async () => {
		const source = new JsonSource({dir});
		writeInstances({exec_1: JSON.parse(instanceJson('exec_1', 'executive', 'active'))});
		// Written 10 s ago: past the window in which a same-size rewrite could keep its mtime.
		const past = new Date(Date.now() - 10_000);
		utimesSync(path.join(dir, 'instances.json'), past, past);
		const first = await source.poll();
		const second = await source.poll();
		// The same decoded objects: nothing was read or parsed again.
		expect(second.instances[0]).toBe(first.instances[0]);
		writeInstances({exec_1: JSON.parse(instanceJson('exec_1', 'executive', 'error'))});
		const third = await source.poll();
		expect(third.instances[0]!.status).toBe('error');
		expect(third.instances[0]).not.toBe(first.instances[0]);
	});

	it('a same-size rewrite that keeps its mtime (a coarse-mtime filesystem) is still seen', async () => {
		const source = new JsonSource({dir});
		const file = path.join(dir, 'instances.json');
		const when = new Date(Math.floor(Date.now() / 1000) * 1000);
		writeInstances({exec_1: {status: 'active'}});
		utimesSync(file, when, when);
		expect((await source.poll()).instances[0]!.status).toBe('active');
		writeInstances({exec_1: {status: 'broken'}});
		utimesSync(file, when, when);
		expect((await source.poll()).instances[0]!.status).toBe('broken');
	});

	it('over its size cap it is not read: a clear error, the last good data kept', async () => {
		const source = new JsonSource({dir, instancesMaxBytes: 1000});
		writeInstances({exec_1: JSON.parse(instanceJson('exec_1', 'executive', 'active'))});
		expect((await source.poll()).instances).toHaveLength(1);
		writeInstances({exec_1: JSON.parse(instanceJson('exec_1', 'executive', 'active')), pad: 'x'.repeat(2000)});
		const snap = await source.poll();
		expect(snap.errors.state).toMatch(/^instances\.json: is 2\.\d\dK, over the 1000B cap: not read; showing the last good read$/);
		expect(snap.instances.map(i => i.id)).toEqual(['exec_1']);
		expect(snap.source.stale).toBe(true);
	});
});

const deepArray = (depth: number, leaf = '1') => `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;

describe('deep JSON in the state dir', () => {
	it('a 100k-deep value in instances.json is cut at the depth limit; the other entries, equality and --json all work', async () => {
		const good = instanceJson('exec_1', 'executive', 'active');
		writeFileSync(path.join(dir, 'instances.json'), `{"exec_1": ${good}, "spec_9": {"instanceId": "spec_9", "status": "active", "deep": ${deepArray(100_000)}}}`);
		const source = new JsonSource({dir});
		const a = await source.poll();
		const b = await new JsonSource({dir}).poll();
		expect(a.instances.map(i => [i.id, i.status])).toEqual([
			['exec_1', 'active'],
			['spec_9', 'active'],
		]);
		expect(JSON.stringify(a.instances[1]!.raw)).toContain(TOO_DEEP);
		expect(sameData(a, {...b, takenAt: a.takenAt, source: a.source})).toBe(true);
		expect(() => JSON.stringify(toDocument(a))).not.toThrow();
	});

	it('a 5,000-deep metric sample in metrics.jsonl is kept, cut at the depth limit', async () => {
		const at = new Date().toISOString();
		writeFileSync(path.join(dir, 'metrics.jsonl'), `{"metric": "deep", "value": ${deepArray(5000)}, "timestamp": "${at}"}\n{"metric": "q", "value": 3, "timestamp": "${at}"}\n`);
		const source = new JsonSource({dir});
		const a = await source.poll();
		expect(a.metrics.map(m => m.name)).toEqual(['deep', 'q']);
		expect(JSON.stringify(a.metrics[0]!.samples[0]!.value)).toContain(TOO_DEEP);
		const b = await source.poll();
		expect(sameData(a, {...b, takenAt: a.takenAt, source: a.source})).toBe(true);
		expect(JSON.stringify(toDocument(a))).toContain(TOO_DEEP);
	});
});
