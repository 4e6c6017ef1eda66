import {describe, expect, it} from 'vitest';
import {clip, decodeBytes, isUnsafe, keyArg, sanitize} from '../../source/domain/sanitize';

describe('sanitize', () => {
	it('escapes ESC sequences, C0 and C1 controls so nothing reaches the terminal raw', () => {
		const hostile = 'a\u001b[2Jb\u001b]0;title\u0007c\u0000d\u009be\u007ff\r\n\t';
		const out = sanitize(hostile);
		expect(out).toBe('a\\e[2Jb\\e]0;title\\x07c\\0d\\x9be\\x7ff\\r\\n\\t');
		// eslint-disable-next-line no-control-regex
		expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
	});

	it('escapes bidi overrides that could reorder what the operator reads', () => {
		expect(sanitize('abc\u202edef\u2066')).toBe('abc\\u202edef\\u2066');
	});

	it('keeps ordinary text, CJK and emoji', () => {
		expect(sanitize('tmux-claude:instance:spec_1 日本 🚀')).toBe('tmux-claude:instance:spec_1 日本 🚀');
	});

	it('replaces lone surrogates', () => {
		expect(sanitize('a\ud800b')).toBe('a\ufffdb');
		expect(isUnsafe('a\ud800b')).toBe(true);
		expect(isUnsafe('plain')).toBe(false);
	});

	it('clips after escaping, marking the cut', () => {
		expect(clip('\u001b[31mred', 6)).toBe('\\e[31…');
		expect(clip('short', 10)).toBe('short');
		expect(clip('x', 0)).toBe('');
	});
});

describe('keyArg', () => {
	it('sends a name as text only when the text is the exact bytes', () => {
		for (const name of ['tmux-claude:job:1', 'clé 🚀', '\u001b[31mred']) expect(keyArg(Buffer.from(name), decodeBytes(Buffer.from(name)))).toBe(name);
		const binary = Buffer.from([0x6b, 0xff, 0xfe, 0x00, 0x41]);
		expect(keyArg(binary, decodeBytes(binary))).toBe(binary);
		// A real U+FFFD in the name: the bytes, to be safe.
		const replacement = Buffer.from('a\ufffdb');
		expect(keyArg(replacement, decodeBytes(replacement))).toBe(replacement);
	});
});

describe('decodeBytes', () => {
	it('keeps valid UTF-8 as text', () => {
		expect(decodeBytes(Buffer.from('clé 🚀'))).toBe('clé 🚀');
	});
	it('shows invalid UTF-8 byte-exactly as \\xNN', () => {
		expect(decodeBytes(Buffer.from([0x6b, 0xff, 0xfe, 0x00, 0x41]))).toBe('k\\xff\\xfe\\x00A');
	});
	it('keeps a real U+FFFD in valid text as text', () => {
		expect(decodeBytes(Buffer.from('a\ufffdb'))).toBe('a\ufffdb');
	});
});
