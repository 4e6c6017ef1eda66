// On-demand reads of one key for the viewer: size first, then one bounded
// page at a time. A string is never read past its first 64 KiB (GETRANGE);
// collections are paged with HSCAN / LRANGE / SSCAN / ZRANGE / XREVRANGE, so a
// million-field hash opens as fast as a ten-field one. Names and elements are
// read as Buffers: binary keys open, binary values show as hex.
import type {Redis} from 'ioredis';
import {blankValue, ELEMENT_HEAD_BYTES, MAX_LOADED_ITEMS, STRING_HEAD_BYTES, type ValueData, type ValueItem} from '../domain/key-view';
import {classifyKey, type KeyRef} from '../domain/namespaces';
import {countLookup, type LookupKind, type OwnLookups} from '../domain/own-reads';
import {decodeBytes} from '../domain/sanitize';
import {errorText} from './source';

export const PAGE_SIZE = 200;
const LABEL_BYTES = 1024;

const head = (buf: Buffer, max: number): Buffer => Buffer.from(buf.subarray(0, max));
const labelOf = (buf: Buffer): string => {
	const text = decodeBytes(buf.subarray(0, LABEL_BYTES));
	return buf.length > LABEL_BYTES ? `${text}…` : text;
};
const item = (label: Buffer | string, value: Buffer | null, score?: number): ValueItem => ({
	label: typeof label === 'string' ? label : labelOf(label),
	value: value ? head(value, ELEMENT_HEAD_BYTES) : null,
	fullLength: value?.length ?? 0,
	...(score === undefined ? {} : {score}),
});

const SIZE_COMMAND: Record<string, string> = {string: 'STRLEN', hash: 'HLEN', list: 'LLEN', set: 'SCARD', zset: 'ZCARD', stream: 'XLEN'};

/** Counts a lookup of tcmon's own (the hit rate leaves them out), when asked to. */
const counted = <T>(own: OwnLookups | undefined, kind: LookupKind, read: Promise<T>): Promise<T> =>
	own
		? read.then(
				value => {
					countLookup(own, kind, null, value);
					return value;
				},
				(error: unknown) => {
					countLookup(own, kind, error instanceof Error ? error : null, null);
					throw error;
				},
			)
		: read;

/** Opens a key: TYPE, PTTL, MEMORY USAGE, its size, then its first page. Never throws. `own`: tcmon's lookups, counted. */
export const openValue = async (client: Redis, ref: KeyRef, prefix: string, own?: OwnLookups): Promise<ValueData> => {
	const base: ValueData = blankValue(ref.name, {kind: classifyKey(ref.name, prefix)});
	if (!ref.raw) return {...base, error: 'not a Redis key'};
	const raw = ref.raw;
	try {
		const replies = (await client.pipeline().type(raw).pttl(raw).call('MEMORY', 'USAGE', raw).exec()) ?? [];
		const [typeError, type] = replies[0] ?? [new Error('no reply'), null];
		if (own) {
			countLookup(own, 'type', typeError, type);
			countLookup(own, 'ttl', replies[1]?.[0] ?? null, replies[1]?.[1]);
		}
		if (typeError) throw typeError;
		const pttl = replies[1]?.[0] ? undefined : (replies[1]?.[1] as number);
		const memory = replies[2]?.[0] || typeof replies[2]?.[1] !== 'number' ? null : (replies[2][1] as number);
		const data: ValueData = {...base, type: type as string, ttlMs: pttl === undefined || pttl === -2 ? undefined : pttl < 0 ? null : pttl, memory, fetchedAt: Date.now()};
		if (data.type === 'none') return {...data, error: 'the key no longer exists'};
		const sizeCommand = SIZE_COMMAND[data.type];
		if (!sizeCommand) return {...data, error: `type ${data.type} cannot be shown (module type)`};
		const size = Number(await counted(own, 'length', client.call(sizeCommand, raw)));
		if (data.type === 'string') {
			// GETRANGE end is inclusive: at most 64 KiB, whatever STRLEN says.
			const bytes = (await counted(own, 'value', client.getrangeBuffer(raw, 0, STRING_HEAD_BYTES - 1))) as Buffer;
			return {...data, size, bytes};
		}
		const start = data.type === 'stream' ? '+' : '0';
		const page = await fetchPage(client, raw, data.type, start, own);
		return {...data, size, items: page.items, next: page.next};
	} catch (error) {
		return {...base, error: errorText(error)};
	}
};

/** Loads the page after what `data` holds. Never throws. */
export const loadMore = async (client: Redis, ref: KeyRef, data: ValueData, own?: OwnLookups): Promise<ValueData> => {
	if (!ref.raw || data.next === null || data.items.length >= MAX_LOADED_ITEMS) return {...data, loading: false};
	try {
		const page = await fetchPage(client, ref.raw, data.type, data.next, own);
		return {...data, items: [...data.items, ...page.items], next: page.next, loading: false};
	} catch (error) {
		return {...data, loading: false, error: errorText(error)};
	}
};

/** Stream id just before `id` (XREVRANGE's exclusive `(id` needs Redis 6.2). */
export const previousStreamId = (id: string): string | null => {
	const m = /^(\d+)-(\d+)$/.exec(id);
	if (!m) return null;
	const ms = BigInt(m[1]!);
	const seq = BigInt(m[2]!);
	if (seq > 0n) return `${ms}-${seq - 1n}`;
	if (ms === 0n) return null;
	return `${ms - 1n}-18446744073709551615`;
};

/** One page: `from` is a SCAN cursor, a start index, or a stream id. next null = the end. */
export const fetchPage = async (client: Redis, raw: Buffer, type: string, from: string, own?: OwnLookups): Promise<{items: ValueItem[]; next: string | null}> => {
	const items: ValueItem[] = [];
	switch (type) {
		case 'hash':
		case 'set': {
			const [cursor, flat] = (await counted(own, 'scan', client.callBuffer(type === 'hash' ? 'HSCAN' : 'SSCAN', raw, from, 'COUNT', String(PAGE_SIZE)))) as [Buffer, Buffer[]];
			if (type === 'hash') for (let i = 0; i + 1 < flat.length; i += 2) items.push(item(flat[i]!, flat[i + 1]!));
			else for (const m of flat) items.push(item(m, null));
			const next = cursor.toString();
			return {items, next: next === '0' ? null : next};
		}
		case 'list': {
			const start = Number(from);
			const values = (await counted(own, from === '0' ? 'list' : 'found', client.callBuffer('LRANGE', raw, String(start), String(start + PAGE_SIZE - 1)))) as Buffer[];
			values.forEach((v, i) => items.push(item(String(start + i), v)));
			return {items, next: values.length < PAGE_SIZE ? null : String(start + PAGE_SIZE)};
		}
		case 'zset': {
			const start = Number(from);
			const flat = (await counted(own, from === '0' ? 'list' : 'found', client.callBuffer('ZRANGE', raw, String(start), String(start + PAGE_SIZE - 1), 'WITHSCORES'))) as Buffer[];
			for (let i = 0; i + 1 < flat.length; i += 2) items.push(item(flat[i]!, null, Number(flat[i + 1]!.toString())));
			return {items, next: flat.length / 2 < PAGE_SIZE ? null : String(start + PAGE_SIZE)};
		}
		case 'stream': {
			const entries = (await counted(own, from === '+' ? 'list' : 'found', client.callBuffer('XREVRANGE', raw, from, '-', 'COUNT', String(PAGE_SIZE)))) as [Buffer, Buffer[]][];
			for (const [id, fields] of entries) {
				const parts: Buffer[] = [];
				for (let i = 0; i + 1 < fields.length; i += 2) parts.push(fields[i]!, Buffer.from('='), fields[i + 1]!, Buffer.from(' '));
				items.push(item(id, Buffer.concat(parts)));
			}
			const last = entries.at(-1)?.[0].toString();
			return {items, next: entries.length < PAGE_SIZE || !last ? null : previousStreamId(last)};
		}
		default:
			return {items, next: null};
	}
};
