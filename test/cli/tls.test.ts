// TLS like redis-cli (--tls, --cacert, --cert, --key, --insecure, --sni),
// end to end against a real TLS redis-server with certificates openssl made
// for this run; each certificate failure says which flag fixes it.
import {readFileSync} from 'node:fs';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {RedisServer} from '../support/redis-server';
import {writeLayout1} from '../support/store';
import {TlsRedisServer} from '../support/tls-server';
import {runCli} from '../support/cli';


const run = (args: string[]) => runCli(args);

let server: TlsRedisServer;
let plain: RedisServer;
let writer: Redis;
beforeAll(async () => {
	server = await TlsRedisServer.start();
	plain = await RedisServer.start();
	const {certs} = server;
	writer = new Redis({port: server.port, host: '127.0.0.1', tls: {ca: readFileSync(certs.ca), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey), servername: 'redis.test'}});
	writer.on('error', () => {});
	await writeLayout1(writer);
});
afterAll(async () => {
	writer.disconnect();
	await server.stop();
	await plain.stop();
});

const at = () => ['-h', '127.0.0.1', '-p', String(server.port), '--source', 'redis'];
const clientCert = () => ['--cert', server.certs.clientCert, '--key', server.certs.clientKey];

describe('TLS', () => {
	it('reads the store with --json over TLS (--cacert, --cert, --key)', async () => {
		const r = await run([...at(), '--json', '--cacert', server.certs.ca, ...clientCert()]);
		expect(r.stderr).toBe('');
		const doc = JSON.parse(r.stdout);
		expect(doc.source).toMatchObject({kind: 'redis', target: `rediss://127.0.0.1:${server.port}`});
		expect(doc.source.error ?? null).toBeNull();
		expect(doc.instances.map((i: {id: string}) => i.id)).toContain('exec_100001');
		expect(doc.locks.map((l: {resource: string}) => l.resource)).toContain('git-main');
	});

	it('prints a frame with --once over TLS, --tls implied by the TLS flags', async () => {
		const r = await run([...at(), '--once', '--width', '120', '--height', '30', '--cacert', server.certs.ca, ...clientCert()]);
		expect(r.code).toBe(0);
		expect(r.stdout).toContain(`rediss://127.0.0.1:${server.port}`);
		expect(r.stdout).toContain('git-main');
	});

	it('--insecure connects without the CA', async () => {
		const doc = JSON.parse((await run([...at(), '--json', '--insecure', ...clientCert()])).stdout);
		expect(doc.source.error ?? null).toBeNull();
		expect(doc.server.version).toMatch(/^\d/);
	});

	it('--sni NAME is the name the certificate is checked against', async () => {
		const doc = JSON.parse((await run([...at(), '--json', '--cacert', server.certs.ca, '--sni', 'redis.test', ...clientCert()])).stdout);
		expect(doc.source.error ?? null).toBeNull();
	});

	it.each([
		['an unknown CA (self-signed chain)', () => ['--tls', ...clientCert()], /use --cacert FILE .*or --insecure/],
		['a certificate for another name', () => ['--cacert', server.certs.ca, '--sni', 'wrong.test', ...clientCert()], /use --sni NAME .*or --insecure/],
		['no client certificate where one is required', () => ['--cacert', server.certs.ca], /use --cert FILE --key FILE/],
		['a key that is not a PEM key', () => ['--cacert', server.certs.ca, '--cert', server.certs.clientCert, '--key', server.certs.ca], /take PEM files/],
	])('says which flag to use for %s', async (_what, args, hint) => {
		const r = await run([...at(), '--json', '--timeout', '2', ...args()]);
		const doc = JSON.parse(r.stdout);
		expect(doc.source.error).toMatch(hint);
	});

	it('says the port does not speak TLS when --tls meets a plain port', async () => {
		const r = await run(['-p', String(plain.port), '--source', 'redis', '--json', '--timeout', '3', '--tls', '--insecure']);
		expect(JSON.parse(r.stdout).source.error).toMatch(/does the server speak TLS on this port/);
	});

	it.each([
		[['--cert', '/x.crt'], /--cert and --key go together/],
		[['--cacert', '/nonexistent/ca.crt'], /^tcmon: --cacert \/nonexistent\/ca.crt: no such file$/m],
		[['--sni', ''], /--sni must not be empty/],
	])('exits 2 for bad TLS flags %j', async (args, message) => {
		const r = await run(['--json', ...args]);
		expect(r.code).toBe(2);
		expect(r.stderr.split('\n')[0]).toMatch(message);
	});
});
