import {describe, expect, it} from 'vitest';
import {parseSentinelUrl, redactUrl, resolveConfig, scrubSecret, urlSecrets, UsageError} from '../../source/config';

describe('resolveConfig', () => {
	it('uses REDIS_URL, then the default', () => {
		expect(resolveConfig({}, {}).url).toBe('redis://127.0.0.1:6379');
		expect(resolveConfig({}, {REDIS_URL: 'redis://10.1.1.1:7000/2'}).url).toBe('redis://10.1.1.1:7000/2');
	});

	it('lets redis-cli style parts override the URL', () => {
		const c = resolveConfig({url: 'redis://a:1', host: 'b', port: 2, user: 'mon', password: 'p@ss:w', db: 3, tls: true}, {});
		expect(c.url).toBe('rediss://mon:p%40ss%3Aw@b:2/3');
		expect(c.tls).toBe(true);
	});

	it('takes the state dir from the flag, env, then ./state', () => {
		expect(resolveConfig({}, {}).stateDir).toBe('./state');
		expect(resolveConfig({}, {TMUX_CLAUDE_STATE_DIR: '/s'}).stateDir).toBe('/s');
		expect(resolveConfig({stateDir: '/f'}, {TMUX_CLAUDE_STATE_DIR: '/s'}).stateDir).toBe('/f');
	});

	it.each([
		[{interval: 50}, /--interval must be a whole number from 100/],
		[{source: 'mongo'}, /--source must be auto, redis or json/],
		[{port: 0}, /--port/],
		[{port: Number.NaN}, /got something else/],
		[{url: 'http://x'}, /redis:\/\//],
		[{url: 'not a url'}, /not a valid URL/],
		[{prefix: 'a*'}, /--prefix/],
		[{once: true, json: true}, /exclusive/],
		[{url: 'redis-sentinel://h:1/m', host: 'x'}, /cannot be combined/],
	])('rejects %o', (flags, message) => {
		expect(() => resolveConfig(flags, {})).toThrow(UsageError);
		expect(() => resolveConfig(flags, {})).toThrow(message);
	});

	// ioredis SELECTs the path as given: "abc" was SELECT NaN, an uncaught error with a stack.
	it.each(['redis://h:1/abc', 'redis://h:1/-1', 'redis://h:1/1.5', 'redis://h:1/1/2', 'redis://h:1/%31', 'redis://h:1/?db=abc', 'redis://h:1/100001'])('rejects the bad database in %s', url => {
		expect(() => resolveConfig({url}, {})).toThrow(UsageError);
		expect(() => resolveConfig({url}, {})).toThrow(/^--url database \(the (path|\?db=)\) must be a whole number from 0 to 100000, got "/);
	});

	it('accepts a database path, none, or one -n replaces', () => {
		expect(resolveConfig({url: 'redis://h:1/15'}, {}).url).toBe('redis://h:1/15');
		expect(resolveConfig({url: 'redis://h:1/'}, {}).url).toBe('redis://h:1/');
		expect(resolveConfig({url: 'redis://h:1/?db=2'}, {}).url).toBe('redis://h:1/?db=2');
		expect(resolveConfig({url: 'redis://h:1/abc', db: 3}, {}).url).toBe('redis://h:1/3');
	});

	it('rejects a password ioredis cannot decode, without echoing it', () => {
		expect(() => resolveConfig({url: 'redis://:top%zzsecret@h:1'}, {})).toThrow(/^--url password has a bad %-escape/);
		expect(() => resolveConfig({url: 'redis://:top%zzsecret@h:1'}, {})).toThrow(/^(?!.*topsecret)/);
	});

	it('never echoes a password in a usage error', () => {
		expect(() => resolveConfig({url: 'redis://:topsecret@[bad'}, {})).toThrow(/^(?!.*topsecret)/);
	});
});

describe('secrets', () => {
	it('redacts passwords in URLs, parsable or not', () => {
		expect(redactUrl('redis://user:pw@h:1/0')).toBe('redis://user:***@h:1/0');
		expect(redactUrl('redis://h:1')).toBe('redis://h:1');
		expect(redactUrl('redis://:pw@[bad')).toBe('redis://:***@[bad');
		expect(redactUrl('redis-sentinel://:pw@a:1,b:2/m')).not.toContain('pw');
	});
	// ioredis copies every query item into its options: ?password= authenticates.
	it('redacts secret query parameters, parsable or not', () => {
		expect(redactUrl('redis://h:1/?password=hunter2')).toBe('redis://h:1/?password=***');
		expect(redactUrl('redis://h:1/0?db=0&password=hunter2&sentinelPassword=sp2&pass=p3&name=x')).toBe('redis://h:1/0?db=0&password=***&sentinelPassword=***&pass=***&name=x');
		expect(redactUrl('redis://:pw@h:1/?password=a&password=b')).toBe('redis://:***@h:1/?password=***');
		expect(redactUrl('redis://[bad/?password=hunter2&db=1')).toBe('redis://[bad/?password=***&db=1');
		expect(redactUrl('redis-sentinel://a:1,b:2/m?password=hunter2')).not.toContain('hunter2');
	});
	it('lists every secret a URL holds, as typed and decoded', () => {
		expect(urlSecrets('redis://u:p%40w@h:1/?password=a%2Fb&token=t&db=1')).toEqual(['p%40w', 'p@w', 'a/b', 'a%2Fb', 't']);
		expect(urlSecrets('redis://h:1')).toEqual([]);
		expect(scrubSecret('AUTH failed: a/b', urlSecrets('redis://h:1/?password=a%2Fb'))).toBe('AUTH failed: ***');
		expect(scrubSecret('at redis://h:1/?password=hunter2 refused', [])).toBe('at redis://h:1/?password=*** refused');
	});
	it('scrubs known secrets from any message', () => {
		expect(scrubSecret('WRONGPASS for hunter2 at redis://x:hunter2@h', ['hunter2'])).toBe('WRONGPASS for *** at redis://x:***@h');
	});
	it('parses the guide\'s sentinel URL', () => {
		expect(parseSentinelUrl('redis-sentinel://localhost:26379,localhost:26380,localhost:26381/tmux-claude-master')).toEqual({
			password: null,
			hosts: [
				{host: 'localhost', port: 26_379},
				{host: 'localhost', port: 26_380},
				{host: 'localhost', port: 26_381},
			],
			name: 'tmux-claude-master',
			db: 0,
		});
		expect(parseSentinelUrl('redis-sentinel://:s@h/m/2')).toMatchObject({password: 's', db: 2, hosts: [{host: 'h', port: 26_379}]});
		expect(parseSentinelUrl('redis-sentinel://h:99999/m')).toBeNull();
	});
});
