// Turning flags and environment into a validated Config. Pure: no I/O, so
// every rule (and every exit-2 message) is unit-testable.
import type {AlertSettings} from './domain/alerts';
import {clip} from './domain/sanitize';

export type SourceMode = 'auto' | 'redis' | 'json';

export type Config = {
	/** Full connection URL, may hold a password: never print it, use redactUrl. */
	url: string;
	stateDir: string;
	/** --state-dir or TMUX_CLAUDE_STATE_DIR was given (not the ./state default). */
	stateDirGiven?: boolean;
	prefix: string;
	intervalMs: number;
	source: SourceMode;
	demo: boolean;
	once: boolean;
	json: boolean;
	width: number | null;
	height: number | null;
	tls: boolean;
	/** --cacert/--cert/--key (file paths), --insecure, --sni: redis-cli's TLS options. */
	tlsOptions?: TlsSettings;
	/** --cluster: connect with the Cluster client even before INFO says cluster_enabled. */
	cluster?: boolean;
	allowWrite: boolean;
	/** Alert rules' thresholds and durations (flags / --alert-config); defaults when absent. */
	alerts?: AlertSettings;
	/** n of SLOWLOG GET n each poll. */
	slowlogCount: number;
	/** Deadline of a one-shot's reads (--timeout, seconds on the command line). */
	timeoutMs?: number;
};

export class UsageError extends Error {}

/** redis-cli's TLS options, as given (files are paths; read when connecting). */
export type TlsSettings = {cacert?: string; cert?: string; key?: string; insecure?: boolean; sni?: string};

export type RawFlags = {
	url?: string;
	host?: string;
	port?: number;
	password?: string;
	user?: string;
	db?: number;
	tls?: boolean;
	cacert?: string;
	cert?: string;
	key?: string;
	insecure?: boolean;
	sni?: string;
	cluster?: boolean;
	stateDir?: string;
	prefix?: string;
	interval?: number;
	source?: string;
	demo?: boolean;
	once?: boolean;
	json?: boolean;
	width?: number;
	height?: number;
	allowWrite?: boolean;
	slowlogCount?: number;
	timeout?: number;
};

export const DEFAULT_URL = 'redis://127.0.0.1:6379';
export const MIN_INTERVAL_MS = 100;
export const MAX_INTERVAL_MS = 60_000;

const intIn = (name: string, v: number | undefined, min: number, max: number): number | undefined => {
	if (v === undefined) return undefined;
	if (!Number.isInteger(v) || v < min || v > max) {
		throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${Number.isNaN(v) ? 'something else' : v}`);
	}
	return v;
};

export const DEFAULT_TIMEOUT_MS = 5000;

/** --timeout in seconds (fractions allowed: 0.5 is 500 ms), as ms. */
const timeoutMs = (v: number | undefined): number => {
	if (v === undefined) return DEFAULT_TIMEOUT_MS;
	if (!Number.isFinite(v) || v < 0.1 || v > 3600) throw new UsageError(`--timeout must be a number of seconds from 0.1 to 3600, got ${Number.isNaN(v) ? 'something else' : v}`);
	return Math.round(v * 1000);
};

const parseUrl = (text: string): URL => {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new UsageError(`--url is not a valid URL: ${redactUrl(text)}`);
	}
	if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
		throw new UsageError(`--url must start with redis:// or rediss://, got ${url.protocol}//`);
	}
	return url;
};

/** `redis-sentinel://[:pass@]host:port[,host:port…]/masterName[/db]` (the guide's HA form). */
export type SentinelTarget = {password: string | null; hosts: {host: string; port: number}[]; name: string; db: number};

export const parseSentinelUrl = (text: string): SentinelTarget | null => {
	const m = /^redis-sentinel:\/\/(?:([^@/]*)@)?([^/]+)\/([^/]+)(?:\/(\d+))?\/?$/.exec(text);
	if (!m) return null;
	const auth = m[1] ?? '';
	const colon = auth.indexOf(':');
	const hosts = m[2]!.split(',').map(part => {
		const hm = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(part.trim());
		return hm ? {host: hm[1]!, port: Number(hm[2] ?? 26_379)} : null;
	});
	if (hosts.some(h => h === null || !(h.port > 0 && h.port < 65_536))) return null;
	return {
		// `SECRET@host` (no colon) is a password too, as with redis://.
		password: colon >= 0 ? decodeURIComponent(auth.slice(colon + 1)) : auth ? decodeURIComponent(auth) : null,
		hosts: hosts as {host: string; port: number}[],
		name: decodeURIComponent(m[3]!),
		db: Number(m[4] ?? 0),
	};
};

export const resolveConfig = (flags: RawFlags, env: Record<string, string | undefined>): Config => {
	const rawUrl = flags.url ?? env['REDIS_URL'] ?? DEFAULT_URL;
	if (rawUrl.startsWith('redis-sentinel:')) {
		if (!parseSentinelUrl(rawUrl)) throw new UsageError(`--url is not a valid redis-sentinel:// URL: ${redactUrl(rawUrl)}`);
		if ([flags.host, flags.port, flags.user, flags.password, flags.db].some(v => v !== undefined)) {
			throw new UsageError('-h/-p/-a/--user/-n cannot be combined with a redis-sentinel:// URL');
		}
	}
	const url = rawUrl.startsWith('redis-sentinel:') ? null : parseUrl(rawUrl);
	if (url) {
		passwordOnly(url);
		applyParts(url, flags);
		checkUrlParts(url);
	}
	return finish(url ? url.toString() : rawUrl, flags, env);
};

/**
 * What ioredis would take from the URL and fail on outside any handler: it
 * SELECTs the path (or `?db=`) as given ("abc" became SELECT NaN, an
 * uncatchable error), and percent-decodes the user and password (a bad escape
 * threw from its constructor). Checked after -n replaced the path.
 */
const checkUrlParts = (url: URL): void => {
	const path = url.pathname === '' || url.pathname === '/' ? null : url.pathname.slice(1);
	for (const [where, value] of [['path', path], ['?db=', url.searchParams.get('db')]] as const) {
		if (value !== null && !(/^\d{1,6}$/.test(value) && Number(value) <= 100_000)) {
			throw new UsageError(`--url database (the ${where}) must be a whole number from 0 to 100000, got "${clip(value, 40)}"`);
		}
	}
	for (const [what, value] of [['user', url.username], ['password', url.password]] as const) {
		try {
			decodeURIComponent(value);
		} catch {
			throw new UsageError(`--url ${what} has a bad %-escape (write % as %25)`);
		}
	}
};

/**
 * `redis://SECRET@host`: userinfo without a colon is a password, as redis-cli
 * reads it (ioredis would send it as a user name with an empty password).
 */
const passwordOnly = (url: URL): void => {
	if (url.username && !url.password && !/\/\/[^/@]*:[^/@]*@/.test(url.href)) {
		url.password = url.username;
		url.username = '';
	}
};

/** The TLS options given, checked: any of them means TLS; --cert and --key go together. */
const tlsSettings = (flags: RawFlags): TlsSettings | undefined => {
	const out: TlsSettings = {};
	for (const name of ['cacert', 'cert', 'key', 'sni'] as const) {
		const value = flags[name];
		if (value === undefined) continue;
		if (!value.trim()) throw new UsageError(`--${name} must not be empty`);
		out[name] = value;
	}
	if (flags.insecure) out.insecure = true;
	if ((out.cert === undefined) !== (out.key === undefined)) throw new UsageError('--cert and --key go together: the client certificate and its private key');
	return Object.keys(out).length > 0 ? out : undefined;
};

const applyParts = (url: URL, flags: RawFlags): void => {

	if (flags.host !== undefined) {
		if (!flags.host.trim()) throw new UsageError('--host must not be empty');
		url.hostname = flags.host.includes(':') && !flags.host.startsWith('[') ? `[${flags.host}]` : flags.host;
	}
	const port = intIn('port', flags.port, 1, 65_535);
	if (port !== undefined) url.port = String(port);
	if (flags.user !== undefined) url.username = encodeURIComponent(flags.user);
	if (flags.password !== undefined) url.password = encodeURIComponent(flags.password);
	const db = intIn('db', flags.db, 0, 100_000);
	if (db !== undefined) url.pathname = `/${db}`;
	if (flags.tls || tlsSettings(flags)) url.protocol = 'rediss:';
};

const finish = (url: string, flags: RawFlags, env: Record<string, string | undefined>): Config => {
	const source = flags.source ?? 'auto';
	if (source !== 'auto' && source !== 'redis' && source !== 'json') {
		throw new UsageError(`--source must be auto, redis or json, got ${JSON.stringify(source)}`);
	}
	const intervalMs = intIn('interval', flags.interval, MIN_INTERVAL_MS, MAX_INTERVAL_MS) ?? 1000;
	const prefix = flags.prefix ?? 'tmux-claude';
	if (!prefix || /[\s*?[\]]/.test(prefix)) throw new UsageError('--prefix must be non-empty, without spaces or glob characters');
	if (flags.once && flags.json) throw new UsageError('--once and --json are exclusive: pick one');
	const tlsOptions = tlsSettings(flags);

	return {
		url,
		stateDir: flags.stateDir ?? env['TMUX_CLAUDE_STATE_DIR'] ?? './state',
		stateDirGiven: flags.stateDir !== undefined || env['TMUX_CLAUDE_STATE_DIR'] !== undefined,
		prefix,
		intervalMs,
		source: source as SourceMode,
		demo: flags.demo ?? false,
		once: flags.once ?? false,
		json: flags.json ?? false,
		width: intIn('width', flags.width, 20, 1000) ?? null,
		height: intIn('height', flags.height, 5, 500) ?? null,
		tls: url.startsWith('rediss:'),
		...(tlsOptions ? {tlsOptions} : {}),
		...(flags.cluster ? {cluster: true} : {}),
		allowWrite: flags.allowWrite ?? false,
		slowlogCount: intIn('slowlog-count', flags.slowlogCount, 1, 10_000) ?? 128,
		timeoutMs: timeoutMs(flags.timeout),
	};
};

/**
 * Query parameters that carry a secret. ioredis copies every query item into
 * its options, so `?password=` and `?sentinelPassword=` authenticate; the
 * looser pattern also hides what a user may have meant as one (`?pass=`,
 * `?token=`), which costs nothing but a `***` in the display.
 */
const SECRET_PARAM = /pass|pwd|secret|token|auth/i;
const SECRET_PARAM_TEXT = /([?&][^=&#\s]*(?:pass|pwd|secret|token|auth)[^=&#\s]*=)[^&#\s]*/gi;

/**
 * A URL with its password (userinfo and secret query parameters) replaced by
 * "***". Works on unparsable text too (anything between "//user:" and "@", a
 * secret parameter's value up to the next & or #), so error messages stay
 * secret-free.
 */
export const redactUrl = (text: string): string => {
	try {
		const url = new URL(text);
		if (url.password) url.password = '***';
		else if (url.username && !/\/\/[^/@]*:[^/@]*@/.test(url.href)) url.username = '***'; // SECRET@host: a password
		for (const name of new Set(url.searchParams.keys())) if (SECRET_PARAM.test(name)) url.searchParams.set(name, '***');
		return url.toString();
	} catch {
		return text.replace(/\/\/([^/@]*?):[^/@]*@/, '//$1:***@').replace(/\/\/[^/@:]+@/, '//***@').replace(SECRET_PARAM_TEXT, '$1***');
	}
};

const safeDecode = (text: string): string => {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
};

/** Every secret a URL holds, as typed and decoded: for scrubSecret. */
export const urlSecrets = (text: string): string[] => {
	const out: string[] = [];
	try {
		const url = new URL(text);
		if (url.password) out.push(url.password, safeDecode(url.password));
		else if (url.username && !/\/\/[^/@]*:[^/@]*@/.test(url.href)) out.push(url.username, safeDecode(url.username));
		for (const [name, value] of url.searchParams) if (SECRET_PARAM.test(name) && value) out.push(value, encodeURIComponent(value));
	} catch {}
	return [...new Set(out)].filter(s => s.length > 0);
};

/** Scrubs a known secret out of any message (ioredis errors can echo AUTH args). */
export const scrubSecret = (message: string, secrets: string[]): string => {
	let out = message;
	for (const secret of secrets) {
		if (secret && secret.length > 0) out = out.split(secret).join('***');
	}
	return out
		.replace(/\/\/([^/@\s]*?):[^/@\s]*@/g, '//$1:***@')
		.replace(/(redis(?:s|-sentinel)?:\/\/)[^/@\s:]+@/g, '$1***@')
		.replace(SECRET_PARAM_TEXT, '$1***');
};
