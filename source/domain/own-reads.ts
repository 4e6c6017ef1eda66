// tcmon's own key lookups, so the hit rate measures the store's clients and
// not tcmon. In Redis 7 every command that looks a key up for reading counts
// one keyspace hit or miss per key (GET, MGET, GETRANGE, STRLEN, TYPE, PTTL,
// HLEN, HGETALL, HSCAN, HSTRLEN, ZCARD, ZRANGE, EXISTS, OBJECT); SCAN, DBSIZE,
// MEMORY USAGE, INFO, SLOWLOG and CONFIG count none (checked on 7.0,
// test/domain/own-reads.test.ts). A reply tells which it was: a key found is a
// hit (a WRONGTYPE error too: the key was found), nil / -2 / "none" / empty a miss.

export type OwnLookups = {hits: number; misses: number};

/** How a command's reply shows whether its key existed. */
export type LookupKind =
	| 'value' // GET / GETRANGE: empty or nil = miss
	| 'ttl' // PTTL / TTL: -2 = miss
	| 'type' // TYPE: none = miss
	| 'length' // STRLEN / HLEN / ZCARD / SCARD…: 0 = miss
	| 'list' // HGETALL / ZRANGE: empty = miss
	| 'scan' // HSCAN page: cursor 0 and nothing = miss
	| 'found'; // a later page of a key known to exist (LRANGE past its end answers [] and is a hit)

const isWrongType = (error: Error | null): boolean => error !== null && /^WRONGTYPE/.test(error.message);

/**
 * Adds one reply's lookup to `into`. A reply that is an error other than
 * WRONGTYPE (NOPERM, unknown command, a lost connection) looked nothing up.
 */
export const countLookup = (into: OwnLookups, kind: LookupKind, error: Error | null, reply: unknown): void => {
	if (error) {
		if (isWrongType(error)) into.hits++;
		return;
	}
	let found: boolean;
	switch (kind) {
		case 'value':
			found = reply !== null && reply !== undefined && (Buffer.isBuffer(reply) || typeof reply === 'string') && reply.length > 0;
			break;
		case 'ttl':
			found = reply !== -2;
			break;
		case 'type':
			found = reply !== 'none';
			break;
		case 'length':
			found = typeof reply === 'number' && reply > 0;
			break;
		case 'list':
			found = Array.isArray(reply) && reply.length > 0;
			break;
		case 'found':
			found = true;
			break;
		case 'scan': {
			const [cursor, items] = Array.isArray(reply) ? (reply as [unknown, unknown]) : ['0', []];
			found = String(cursor) !== '0' || (Array.isArray(items) && items.length > 0);
			break;
		}
	}
	if (found) into.hits++;
	else into.misses++;
};
