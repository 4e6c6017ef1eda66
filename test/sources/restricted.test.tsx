// Restricted servers: an ACL user with the guide's `+@all -@dangerous` (INFO,
// CONFIG, SLOWLOG denied) and a server with CONFIG renamed away. tcmon shows
// what it can and says plainly what is not permitted.
import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/app';
import {toDocument} from '../../source/document';
import {auditItems, configAccess} from '../../source/domain/audit';
import {RedisSource} from '../../source/sources/redis-source';
import {defaultTrackers, TrackedSource} from '../../source/sources/tracked-source';
import {renderTui} from '../support/render';
import {RedisServer} from '../support/redis-server';
import {P, writeLayout1, writeLayout2} from '../support/store';

let acl: RedisServer;
let renamed: RedisServer;
const sources: RedisSource[] = [];

beforeAll(async () => {
	[acl, renamed] = await Promise.all([RedisServer.start({args: ['--requirepass', 'admin-s3cret']}), RedisServer.start({args: ['--rename-command', 'CONFIG', '']})]);
	const admin = acl.client({password: 'admin-s3cret'});
	await admin.call('ACL', 'SETUSER', 'tc', 'on', '>tc-pw', '~*', '&*', '+@all', '-@dangerous');
	await writeLayout1(admin);
	await writeLayout2(admin);
	await writeLayout1(renamed.client());
}, 20_000);
afterAll(async () => {
	await Promise.all(sources.map(s => s.close()));
	await Promise.all([acl.stop(), renamed.stop()]);
});

const open = (url: string) => {
	const s = new RedisSource({url, prefix: P});
	sources.push(s);
	return s;
};

describe('restricted servers', () => {
	it('ACL +@all -@dangerous: INFO and CONFIG denied and said so; state, keys and key sizes still read', async () => {
		const source = open(`redis://tc:tc-pw@127.0.0.1:${acl.port}`);
		const snap = await new TrackedSource(source, defaultTrackers({prefix: P})).poll();
		expect(snap.source.connected).toBe(true);
		expect(snap.errors.info).toMatch(/^NOPERM/);
		expect(snap.serverConfig).toMatchObject({denied: 'noperm'});
		expect(configAccess(snap)).toBe('CONFIG GET denied for this user (NOPERM)');
		expect(snap.stats?.keys).toBe(12); // DBSIZE is allowed
		expect(snap.instances.length).toBeGreaterThan(0);
		expect(snap.keySizes?.instance?.sampled).toBeGreaterThan(0);
		expect(snap.keySizes?.instancesHash?.fields).toBe(2);
		expect(snap.alerts).toEqual([]);
		const byCheck = Object.fromEntries(auditItems(snap).map(i => [i.check, i]));
		expect(byCheck['appendfsync']!.actual).toBe('unknown: CONFIG GET denied for this user (NOPERM)');
		expect(byCheck['password / ACL']!.status).toBe('ok');
		expect(JSON.stringify(toDocument(snap))).not.toContain('tc-pw');
	});

	it('ACL user: the UI works, Stats says NOPERM, other panes keep working', async () => {
		const source = open(`redis://tc:tc-pw@127.0.0.1:${acl.port}`);
		const tracked = new TrackedSource(source, defaultTrackers({prefix: P}));
		const ui = renderTui(<App source={tracked} intervalMs={300} prefix={P} size={{columns: 80, rows: 24}} />, {columns: 80, rows: 24});
		const frame = await ui.waitFor(f => f.includes('CONFIG denied (NOPERM)'));
		expect(frame).toMatch(/INFO\s+NOPERM/);
		expect(frame).toMatch(/keys\s+12 \(DBSIZE\)/);
		await ui.press('3');
		await ui.waitFor(f => f.includes('╭─ 3 Keys') && f.includes('instances'));
		await ui.press('1');
		await ui.waitFor(f => f.includes('╭─ 1 Stats'));
		await ui.press('\r');
		const detail = await ui.waitFor(f => f.includes('Config audit (CONFIG GET denied for this user (NOPERM))'));
		expect(detail).toContain('details 1-');
		await ui.press('q');
		await ui.waitFor(f => !f.includes('details 1-') && f.includes('alerts'));
	});

	it('CONFIG renamed: stated, dangerous commands still present are listed', async () => {
		const snap = await new TrackedSource(open(renamed.url), defaultTrackers({prefix: P})).poll();
		expect(snap.info).not.toBeNull();
		expect(snap.serverConfig).toMatchObject({denied: 'renamed'});
		expect(snap.serverConfig?.error).toMatch(/unknown command/i);
		const byCheck = Object.fromEntries(auditItems(snap).map(i => [i.check, i]));
		expect(byCheck['dangerous commands']).toMatchObject({status: 'warn', actual: 'still named: FLUSHDB FLUSHALL KEYS SHUTDOWN'});
		expect(byCheck['appendonly']).toMatchObject({status: 'warn', actual: 'no'}); // from INFO, CONFIG not needed
		expect(byCheck['bind']!.status).toBe('unknown');
		expect(byCheck['password / ACL']).toMatchObject({status: 'warn', actual: 'none: tcmon reads without logging in'});
	});

	it('CONFIG permitted: audit values read, the password reduced to "(set)"', async () => {
		const snap = await open(`redis://:admin-s3cret@127.0.0.1:${acl.port}`).poll();
		expect(snap.serverConfig?.denied).toBeNull();
		expect(snap.serverConfig?.values).toMatchObject({requirepass: '(set)', appendonly: 'no', bind: '127.0.0.1', 'maxmemory-policy': 'noeviction'});
		expect(snap.serverConfig?.values['__present_commands']).toBe('FLUSHDB FLUSHALL KEYS CONFIG SHUTDOWN');
		expect(JSON.stringify(toDocument(snap))).not.toContain('admin-s3cret');
		expect(snap.keySizes?.instance).toMatchObject({sampled: 3});
	});
});

describe('INFO renamed away (rename-command INFO "")', () => {
	let noInfo: RedisServer;
	beforeAll(async () => {
		noInfo = await RedisServer.start({args: ['--rename-command', 'INFO', '']});
		await writeLayout1(noInfo.client({enableReadyCheck: false})); // its ready check is an INFO
	}, 20_000);
	afterAll(() => noInfo.stop());

	it('connects (no INFO ready check), reads the state and says INFO is unavailable', async () => {
		const source = open(noInfo.url);
		const snap = await new TrackedSource(source, defaultTrackers({prefix: P})).poll({deadlineMs: 3000});
		expect(snap.source).toMatchObject({connected: true, error: null});
		expect(snap.errors.info).toMatch(/^INFO is renamed or disabled on this server \(ERR unknown command 'info'/);
		expect(snap.info).toBeNull();
		expect(snap.stats?.keys).toBeGreaterThan(0); // DBSIZE still answers
		expect(snap.instances.length).toBeGreaterThan(0);
		expect(snap.alerts.filter(a => a.name === 'RedisDown')).toEqual([]);
	});

	it('the UI shows the data and the reason, not "reconnecting"', async () => {
		const tracked = new TrackedSource(open(noInfo.url), defaultTrackers({prefix: P}));
		const ui = renderTui(<App source={tracked} intervalMs={300} prefix={P} size={{columns: 100, rows: 24}} />, {columns: 100, rows: 24});
		const frame = await ui.waitFor(f => f.includes('INFO is renamed or disabled'), 5000);
		expect(frame).not.toContain('reconnecting');
		expect(frame).toMatch(/instances\s+\d+: active/);
	});
});
