// The built bin as a process: what it leaves on stderr on any Node, how it
// ends when its terminal goes away or it crashes, and the secrets and bad
// values in a URL. Runs dist/cli.js itself (its sh line picks `node` from
// PATH), so `PATH=/path/to/node24/bin:$PATH npx vitest run … this file`
// checks another Node (.ci/run does, for 22, 24 and 26).
import {execFileSync} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {crashReport, secretsIn} from '../../source/crash';
import {RedisServer} from '../support/redis-server';
import {writeLayout1, writeLayout2} from '../support/store';
import {CLI, cleanEnv, runCli} from '../support/cli';

const PASSWORD = 's3cr3t-pw';

/** The bin run directly, as a user or cron runs it (no `node` in front). */
const run = (args: string[], env: Record<string, string> = {}, bin = CLI) => runCli(args, {env, bin});

let server: RedisServer;
let url: string;
beforeAll(async () => {
	if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
	server = await RedisServer.start({args: ['--requirepass', PASSWORD]});
	const r = server.client({password: PASSWORD});
	await writeLayout1(r);
	await writeLayout2(r);
	url = `redis://:${PASSWORD}@127.0.0.1:${server.port}`;
});
afterAll(async () => {
	await server.stop();
});

describe('stderr stays empty', () => {
	// On Node 21+ the launcher's --interrupt-budget made V8 print
	// "Error: unrecognized flag" on every run.
	it.each([
		['--once', ['--once', '--width', '80', '--height', '12']],
		['--json', ['--json']],
		['keys', ['keys']],
		['check', ['check', '--samples', '1']],
	])(`%s on the built bin, under node ${process.version}`, async (_, args) => {
		const r = await run([...args, '--url', url]);
		expect(r.stderr).toBe('');
		// check's store rules fire on this fixture (a stalled queue, a lock with no TTL): exit 1, on stdout.
		expect(r.code).toBe(args[0] === 'check' ? 1 : 0);
	});

	it('--version and --demo --once on the built bin', async () => {
		for (const args of [['--version'], ['--demo', '--once']]) {
			const r = await run(args);
			expect(r.stderr).toBe('');
			expect(r.code).toBe(0);
			expect(r.stdout.length).toBeGreaterThan(0);
		}
	});

	// The build's caches are V8's: one made by another Node is refused by V8
	// (its header names V8's version), and tcmon must then just compile.
	it('a code cache from another V8 is rejected without a word', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-cache-'));
		try {
			const dist = path.dirname(CLI);
			for (const name of readdirSync(dist)) if (/^(cli\.js|tcmon\.cjs|tcmon-.*\.cache)$/.test(name)) copyFileSync(path.join(dist, name), path.join(dir, name));
			const caches = readdirSync(dir).filter(name => name.endsWith('.cache'));
			expect(caches.length).toBeGreaterThanOrEqual(1);
			for (const name of caches) {
				// Bytes 4-7 of V8's code cache header hold its version hash.
				const bytes = readFileSync(path.join(dir, name));
				for (let i = 4; i < 8; i++) bytes[i] = bytes[i]! ^ 0xff;
				writeFileSync(path.join(dir, name), bytes);
			}
			const args = ['--once', '--demo', '--width', '80', '--height', '10'];
			const r = await run(args, {TCMON_CODE_CACHE: 'report'}, path.join(dir, 'cli.js'));
			expect(r.stderr).toBe('code cache: rejected\n');
			expect(r.code).toBe(0);
			const quiet = await run(args, {}, path.join(dir, 'cli.js'));
			expect(quiet.stderr).toBe('');
			expect(quiet.stdout).toMatch(/tcmon demo .* DEMO/);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('a password in the URL query', () => {
	// ioredis copies every query item into its options, so this URL authenticates.
	const queryUrl = () => `redis://127.0.0.1:${server.port}/?password=${PASSWORD}`;

	it('is redacted in the --once header', async () => {
		const r = await run(['--once', '--width', '120', '--height', '12', '--url', queryUrl()]);
		expect(r.code).toBe(0);
		expect(r.stdout).toContain(`tcmon redis redis://127.0.0.1:${server.port}/?password=*** · `);
		expect(r.stdout).toContain('prefix tmux-claude · 4 instances'); // it did authenticate
		expect(r.stdout + r.stderr).not.toContain(PASSWORD);
	});

	it('is redacted in --json', async () => {
		const r = await run(['--json'], {REDIS_URL: `${queryUrl()}&db=0`});
		expect(r.code).toBe(0);
		const doc = JSON.parse(r.stdout);
		expect(doc.source).toMatchObject({kind: 'redis', connected: true, target: `redis://127.0.0.1:${server.port}/?password=***&db=0`});
		expect(r.stdout + r.stderr).not.toContain(PASSWORD);
	});

	it('is redacted by tcmon keys', async () => {
		const r = await run(['keys', '--url', queryUrl()]);
		expect(r.code).toBe(0);
		expect(r.stdout.split('\n')[0]).toContain(` on redis://127.0.0.1:${server.port}/?password=*** · `);
		expect(r.stdout + r.stderr).not.toContain(PASSWORD);
	});
});

describe('a bad database in the URL', () => {
	it.each(['/abc', '/-1', '/1.5', '/?db=abc'])('%s exits 2 with the reason, no stack', async db => {
		for (const args of [['--once'], ['--json'], ['keys']]) {
			const r = await run([...args, '--url', `redis://:${PASSWORD}@127.0.0.1:${server.port}${db}`]);
			expect(r.code).toBe(2);
			expect(r.stdout).toBe('');
			const [reason, hint, ...rest] = r.stderr.split('\n');
			expect(reason).toMatch(/^tcmon: --url database \((the path|the \?db=)\) must be a whole number from 0 to 100000, got "/);
			expect(hint).toMatch(/^Run tcmon( keys)? --help for usage\.$/);
			expect(rest).toEqual(['']);
			expect(r.stderr).not.toContain(PASSWORD);
		}
	});
});

describe('a crash', () => {
	// A real one, no mock: ioredis copies `?connectTimeout=abc` into its options
	// and throws from a socket timer when it connects. Node's own report printed
	// the minified bundle's source line and a stack.
	const crashUrl = () => `redis://127.0.0.1:${server.port}/?connectTimeout=abc&password=${PASSWORD}`;

	it.each([['--once'], ['--json'], ['keys'], ['check']])('in %s is one line on stderr and exit 1', async mode => {
		const r = await run([mode, '--source', 'redis', '--url', crashUrl()]);
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/^tcmon: TypeError: [^\n]*"msecs"[^\n]*\n$/);
		expect(r.stderr.length).toBeLessThan(320);
		expect(r.stdout + r.stderr).not.toContain(PASSWORD);
	});

	it('shows its stack with TCMON_DEBUG=1, still without secrets', async () => {
		const r = await run(['--json', '--source', 'redis', '--url', crashUrl()], {TCMON_DEBUG: '1'});
		expect(r.code).toBe(1);
		expect(r.stderr.split('\n')[0]).toMatch(/^tcmon: TypeError: /);
		expect(r.stderr).toMatch(/\n\s+at /);
		expect(r.stderr).not.toContain(PASSWORD);
	});
});

describe('crashReport', () => {
	it('is one escaped, clipped line without secrets', () => {
		const secrets = secretsIn(['--url', 'redis://u:pw1@h:1/?password=pw2', '-a', 'pw3', '--password=pw4'], {REDISCLI_AUTH: 'pw5', REDIS_URL: 'redis://:pw6@h'});
		expect(secrets).toEqual(expect.arrayContaining(['pw1', 'pw2', 'pw3', 'pw4', 'pw5', 'pw6']));
		const error = new RangeError(`bad pw1 pw2 pw3 pw4 pw5 pw6 at redis://x:other@h\nsecond line \u001b[2J${'x'.repeat(1000)}`);
		const line = crashReport(error, secrets);
		expect(line).toMatch(/^tcmon: RangeError: bad \*\*\* \*\*\* \*\*\* \*\*\* \*\*\* \*\*\* at redis:\/\/x:\*\*\*@h second line \\e\[2Jx+…\n$/);
		expect(line.length).toBeLessThanOrEqual('tcmon: '.length + 300 + 1);
		expect(crashReport('plain', [])).toBe('tcmon: plain\n');
		expect(crashReport(new Error('boom'), [])).toBe('tcmon: boom\n');
	});

	it('adds the stack only when debugging', () => {
		const error = new Error('boom pw1');
		expect(crashReport(error, ['pw1'], true)).toMatch(/^tcmon: boom \*\*\*\nError: boom \*\*\*\n\s+at /);
	});
});

// `tmux kill-session` closes the pane's pty: tcmon got SIGHUP, its final
// frame and restore failed with EIO (reported as a crash), and Node's exit
// then hit an assertion resetting the dead tty: a native dump and exit 139.
describe('closing the tmux pane', () => {
	const tmuxOk = (() => {
		try {
			execFileSync('tmux', ['-V']);
			return true;
		} catch {
			return false;
		}
	})();

	it('ends tcmon by SIGHUP (status 129) with nothing on stderr', async () => {
		if (!tmuxOk) throw new Error('tmux is missing: install it (apt-get install tmux); .ci/run does');
		const dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-hup-'));
		const socket = `tcmon-test-${process.pid}-${Date.now()}`;
		const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
		try {
			// The wrapper records the status after the pane is gone: it ignores
			// SIGHUP (Node resets its child's dispositions, so tcmon gets it), runs
			// tcmon in the background only to avoid the shell's own "Hangup"
			// report, with the pane's tty as stdin (fd 3: a background job's
			// stdin would be /dev/null).
			const wrapper = path.join(dir, 'wrap.sh');
			writeFileSync(wrapper, `trap '' HUP\nexec 3<&0\n"$@" <&3 3<&- 2>"${dir}/stderr" &\nwait $!\necho $? > "${dir}/status.tmp"\nmv "${dir}/status.tmp" "${dir}/status"\n`);
			mkdirSync(path.join(dir, 'state'));
			const env = {...cleanEnv(), REDIS_URL: url};
			execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'mon', '-x', '120', '-y', '35', `sh ${wrapper} ${CLI}`], {env});
			const deadline = Date.now() + 15_000;
			while (!tmux('capture-pane', '-p', '-t', 'mon').includes('Stats')) {
				if (Date.now() > deadline) throw new Error(`tcmon did not draw: ${tmux('capture-pane', '-p', '-t', 'mon')}`);
				await new Promise(r => setTimeout(r, 100));
			}
			tmux('kill-session', '-t', 'mon');
			const statusFile = path.join(dir, 'status');
			while (!existsSync(statusFile)) {
				if (Date.now() > deadline) throw new Error('tcmon did not end after its pane was closed');
				await new Promise(r => setTimeout(r, 50));
			}
			expect(readFileSync(path.join(dir, 'stderr'), 'utf8')).toBe('');
			expect(readFileSync(statusFile, 'utf8').trim()).toBe('129');
		} finally {
			try {
				execFileSync('tmux', ['-L', socket, 'kill-server'], {stdio: 'ignore'});
			} catch {}
			rmSync(dir, {recursive: true, force: true});
			// tmux 3.3 leaves its socket file behind when the server exits.
			rmSync(path.join(process.env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), {force: true});
		}
	});
});
