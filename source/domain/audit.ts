// The config audit: the running server against the guide's "Recommended Redis
// Configuration" and "Security" advice. INFO answers some items; the rest
// need CONFIG GET, and when that is renamed or denied the item says so
// ("unknown") instead of guessing.
import {infoField, infoNumber} from './info';
import type {Snapshot} from './types';

export type AuditStatus = 'ok' | 'warn' | 'unknown';

export type AuditItem = {check: string; recommended: string; actual: string; status: AuditStatus};

const LOOPBACK = /^-?(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/** What the CONFIG GET situation is, in one phrase. */
export const configAccess = (snapshot: Snapshot): string => {
	const c = snapshot.serverConfig;
	if (!c) return snapshot.source.kind === 'redis' ? 'CONFIG not read yet' : 'not a Redis source';
	if (c.denied === 'noperm') return 'CONFIG GET denied for this user (NOPERM)';
	if (c.denied === 'renamed') return 'CONFIG renamed or disabled (as the guide recommends)';
	if (c.denied === 'error') return `CONFIG GET failed: ${c.error ?? 'error'}`;
	// Redis Cluster: every master is read; their differences are marked on the items.
	if (c.cluster) {
		const differ = Object.keys(c.cluster.differs);
		return `CONFIG GET permitted (every master: ${c.cluster.masters}${differ.length > 0 ? `; ${differ.join(', ')} ${differ.length === 1 ? 'differs' : 'differ'}` : ''})`;
	}
	return 'CONFIG GET permitted';
};

/** True when the connection itself logs in (password or ACL user in the URL). */
const authenticates = (target: string): boolean => {
	try {
		const url = new URL(target);
		return url.password !== '' || url.username !== '';
	} catch {
		return /\/\/[^/]*@/.test(target);
	}
};

export const auditItems = (snapshot: Snapshot): AuditItem[] => {
	const info = snapshot.info;
	const cfg = snapshot.serverConfig?.values ?? null;
	const configOk = snapshot.serverConfig !== null && snapshot.serverConfig.denied === null;
	const why = configAccess(snapshot);
	const fromConfig = (name: string): string | undefined => (configOk ? cfg?.[name] : undefined);
	const unknownBecause = `unknown: ${why}`;
	const items: AuditItem[] = [];

	const aof = info ? infoNumber(info, 'aof_enabled') : null;
	const aofCfg = fromConfig('appendonly');
	items.push({
		check: 'appendonly',
		recommended: 'yes',
		actual: aof !== null ? (aof === 1 ? 'yes' : 'no') : (aofCfg ?? (info ? 'unknown' : 'unknown: INFO not available')),
		status: aof !== null ? (aof === 1 ? 'ok' : 'warn') : aofCfg ? (aofCfg === 'yes' ? 'ok' : 'warn') : 'unknown',
	});

	const fsync = fromConfig('appendfsync');
	items.push({check: 'appendfsync', recommended: 'everysec', actual: fsync ?? unknownBecause, status: fsync === undefined ? 'unknown' : fsync === 'everysec' ? 'ok' : 'warn'});

	const maxmemory = info ? infoNumber(info, 'maxmemory') : (fromConfig('maxmemory') === undefined ? null : Number(fromConfig('maxmemory')));
	items.push({
		check: 'maxmemory',
		recommended: 'set, e.g. 2gb',
		actual: maxmemory === null ? unknownBecause : maxmemory === 0 ? '0 (no limit)' : `${maxmemory} bytes`,
		status: maxmemory === null ? 'unknown' : maxmemory > 0 ? 'ok' : 'warn',
	});

	const policy = (info ? infoField(info, 'maxmemory_policy') : undefined) ?? fromConfig('maxmemory-policy');
	items.push({check: 'maxmemory-policy', recommended: 'allkeys-lru', actual: policy ?? unknownBecause, status: policy === undefined ? 'unknown' : policy === 'allkeys-lru' ? 'ok' : 'warn'});

	const pass = fromConfig('requirepass');
	const readAnything = snapshot.source.kind === 'redis' && snapshot.source.connected;
	let auth: AuditItem;
	if (authenticates(snapshot.source.target)) auth = {check: 'password / ACL', recommended: 'in force', actual: 'this connection authenticates', status: 'ok'};
	else if (pass !== undefined) auth = {check: 'password / ACL', recommended: 'in force', actual: pass ? 'requirepass set' : 'no requirepass', status: pass ? 'ok' : 'warn'};
	else if (readAnything) auth = {check: 'password / ACL', recommended: 'in force', actual: 'none: tcmon reads without logging in', status: 'warn'};
	else auth = {check: 'password / ACL', recommended: 'in force', actual: 'unknown', status: 'unknown'};
	items.push(auth);

	const bind = fromConfig('bind');
	const addrs = bind?.split(/\s+/).filter(Boolean) ?? [];
	items.push({
		check: 'bind',
		recommended: '127.0.0.1 ::1',
		actual: bind === undefined ? unknownBecause : bind === '' ? '(all interfaces)' : bind,
		status: bind === undefined ? 'unknown' : addrs.length > 0 && addrs.every(a => LOOPBACK.test(a)) ? 'ok' : 'warn',
	});

	const present = snapshot.serverConfig?.values['__present_commands'];
	const cmdError = snapshot.serverConfig?.values['__command_info_error'];
	items.push({
		check: 'dangerous commands',
		recommended: 'FLUSHDB FLUSHALL KEYS CONFIG SHUTDOWN renamed',
		actual: present === undefined ? `unknown${cmdError ? `: COMMAND INFO ${cmdError}` : ''}` : present === '' ? 'all renamed or disabled' : `still named: ${present}`,
		status: present === undefined ? 'unknown' : present === '' ? 'ok' : 'warn',
	});
	// Redis Cluster: a parameter set differently on the masters is a finding in itself.
	const differs = snapshot.serverConfig?.cluster?.differs ?? {};
	return items.map(item => (differs[item.check] ? {...item, actual: `differs between masters: ${differs[item.check]}`, status: 'warn'} : item));
};

export const auditSummary = (items: readonly AuditItem[]): Record<AuditStatus, number> => {
	const out: Record<AuditStatus, number> = {ok: 0, warn: 0, unknown: 0};
	for (const i of items) out[i.status]++;
	return out;
};
