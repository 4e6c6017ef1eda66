// redis-cli's connection conventions, end to end with the built CLI:
// `redis://SECRET@host` is a password, and a subcommand may follow the flags.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {resolveConfig, redactUrl, scrubSecret, urlSecrets} from '../../source/config';
import {findCommand, valueFlags, COMMON_FLAGS} from '../../source/cli-flags';
import {secretsIn} from '../../source/crash';
import {RedisServer} from '../support/redis-server';
import {writeLayout1} from '../support/store';
import {CLI, runCli} from '../support/cli';

const run = (args: string[]) => runCli(args);

const PW = 'pw-only-9f3k';
let server: RedisServer;
beforeAll(async () => {
	server = await RedisServer.start({args: ['--requirepass', PW]});
	await writeLayout1(server.client({password: PW}));
});
afterAll(async () => {
	await server.stop();
});

describe('redis://SECRET@host', () => {
	it('is a password, as in redis-cli (config, redaction, secrets)', () => {
		expect(resolveConfig({url: 'redis://s3cret@h:1/2'}, {}).url).toBe('redis://:s3cret@h:1/2');
		// A user given by flag keeps the URL's secret as the password.
		expect(resolveConfig({url: 'redis://s3cret@h:1', user: 'mon'}, {}).url).toBe('redis://mon:s3cret@h:1');
		expect(resolveConfig({url: 'redis://u:p@h:1'}, {}).url).toBe('redis://u:p@h:1');
		expect(redactUrl('redis://s3cret@h:1')).toBe('redis://***@h:1');
		expect(redactUrl('redis://s3cret@[bad')).toBe('redis://***@[bad');
		expect(urlSecrets('redis://s%40cret@h:1')).toEqual(['s%40cret', 's@cret']);
		expect(scrubSecret('failed at rediss://s3cret@h:1', [])).toBe('failed at rediss://***@h:1');
		expect(secretsIn(['--url', 'redis://s3cret@h:1'], {REDIS_URL: 'redis://other@h'})).toEqual(expect.arrayContaining(['s3cret', 'other']));
	});

	it('authenticates with the password', async () => {
		const r = await run(['--url', `redis://${PW}@127.0.0.1:${server.port}`, '--source', 'redis', '--json']);
		const doc = JSON.parse(r.stdout);
		expect(doc.source.error ?? null).toBeNull();
		expect(doc.instances.length).toBeGreaterThan(0);
		expect(r.stdout + r.stderr).not.toContain(PW);
	});

	it('never prints a wrong one', async () => {
		const r = await run(['--url', `redis://wrong-5ecret@127.0.0.1:${server.port}`, '--source', 'redis', '--json', '--timeout', '1']);
		expect(JSON.parse(r.stdout).source.error).toMatch(/WRONGPASS|invalid|NOAUTH/i);
		expect(r.stdout + r.stderr).not.toContain('wrong-5ecret');
	});
});

describe('a subcommand after the flags', () => {
	it('is found past flags and their values, never in a flag\'s value or after --', () => {
		const commands = {keys: 1, check: 1};
		const takes = valueFlags(COMMON_FLAGS, {pane: {type: 'string'}});
		expect(findCommand(['--url', 'redis://h', 'keys', '--json'], commands, takes)).toEqual({name: 'keys', rest: ['--url', 'redis://h', '--json']});
		expect(findCommand(['-p', '6390', '--tls', 'check'], commands, takes)).toEqual({name: 'check', rest: ['-p', '6390', '--tls']});
		expect(findCommand(['--pane', 'keys', '--once'], commands, takes)).toBeNull();
		expect(findCommand(['--pane=keys', 'keys'], commands, takes)).toEqual({name: 'keys', rest: ['--pane=keys']});
		expect(findCommand(['--', 'keys'], commands, takes)).toBeNull();
		expect(findCommand(['frobnicate', 'keys'], commands, takes)).toBeNull();
	});

	it('runs `tcmon --url X keys --json`', async () => {
		const r = await run(['--url', `redis://:${PW}@127.0.0.1:${server.port}`, 'keys', '--json']);
		expect(r.code).toBe(0);
		const doc = JSON.parse(r.stdout);
		expect(doc.complete).toBe(true);
		expect(doc.keys).toBe(7);
		expect(doc.source).toBe("redis");
	});

	it('runs `tcmon -p PORT -a PW check`', async () => {
		const r = await run(['-p', String(server.port), '-a', PW, 'check', '--json']);
		expect(r.stderr).toBe('');
		expect(() => JSON.parse(r.stdout)).not.toThrow();
		expect(r.stdout).not.toContain(PW);
	});

	it('leaves `--pane keys` to the UI', async () => {
		const r = await run(['-p', String(server.port), '-a', PW, '--pane', 'keys', '--once', '--width', '100', '--height', '30']);
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('exec_100001');
	});
});
