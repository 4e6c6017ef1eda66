// Everything that comes from the store is hostile until escaped: key names,
// values, slowlog arguments and client names may hold ESC sequences, C0/C1
// controls, bidi overrides or invalid UTF-8. Nothing raw reaches the terminal.

// C0 (minus nothing: even \t and \n would break a one-line cell), DEL, C1,
// bidi embedding/override/isolate marks, line/paragraph separators, BOM.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = {
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
	'\u001b': '\\e',
	'\u0000': '\\0',
};

const escapeChar = (ch: string): string => {
	const named = NAMED[ch];
	if (named) return named;
	const code = ch.codePointAt(0) ?? 0;
	return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** Escapes every control/bidi character; lone surrogates become U+FFFD. */
export const sanitize = (text: string): string => text.toWellFormed().replace(UNSAFE, escapeChar);

/** True when the text would be changed by sanitize(). */
export const isUnsafe = (text: string): boolean => {
	UNSAFE.lastIndex = 0;
	return UNSAFE.test(text) || !text.isWellFormed();
};

/** Sanitises and cuts to at most `max` characters, marking the cut with "…". */
export const clip = (text: string, max: number): string => {
	const safe = sanitize(text);
	if (max <= 0) return '';
	if (safe.length <= max) return safe;
	return max === 1 ? '…' : `${safe.slice(0, max - 1)}…`;
};

/**
 * Decodes bytes from the store for display: valid UTF-8 stays text, anything
 * else shows its bad bytes as \xNN so binary keys stay distinguishable.
 */
/**
 * A key as a command argument: its text when `decodeBytes` gave it back
 * exactly (ioredis then sends the command as one string, where Buffer
 * arguments are copied piece by piece: ~1 ms a tick for an MGET of 1,000
 * keys), the raw bytes otherwise (binary names stay byte-exact).
 */
export const keyArg = (buf: Buffer, name: string): string | Buffer => (!name.includes('\ufffd') && name.length <= buf.length && name === buf.toString('utf8') ? name : buf);

export const decodeBytes = (buf: Buffer): string => {
	const text = buf.toString('utf8');
	if (!text.includes('\ufffd') || Buffer.from(text, 'utf8').equals(buf)) return text;
	// Invalid UTF-8: fall back to a byte-exact escaped form.
	let out = '';
	for (const byte of buf) {
		out += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
	}
	return out;
};
