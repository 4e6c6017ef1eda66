import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {simpleWidth} from '../../source/ink-fast/text-width';

describe('simpleWidth', () => {
	it('agrees with string-width on every code point it answers for', () => {
		let answered = 0;
		for (let code = 0; code <= 0xFFFF; code++) {
			if (code >= 0xD800 && code <= 0xDFFF) continue;
			const char = String.fromCharCode(code);
			const width = simpleWidth(char);
			if (width === undefined) continue;
			answered++;
			expect([code.toString(16), width]).toEqual([code.toString(16), stringWidth(char)]);
		}
		// ASCII, Latin, punctuation, arrows, maths, box drawing, shapes: thousands.
		expect(answered).toBeGreaterThan(3000);
	});

	it('agrees on strings of those characters, whose graphemes never join', () => {
		const pool = [...'aZ9 ~·…→←↑↓─│╭╮╰╯▁▂▃▄▅▆▇█░▏▸▾µ×–—−∞≈≤≥⌫⏎é〈〉⌚'].filter(c => simpleWidth(c) !== undefined);
		let seed = 7;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
		for (let n = 0; n < 2000; n++) {
			const text = Array.from({length: next() % 40}, () => pool[next() % pool.length]).join('');
			expect(simpleWidth(text)).toBe(stringWidth(text));
		}
	});

	it('agrees on text styled with SGR codes, which both strip', () => {
		const codes = ['\u001B[31m', '\u001B[39m', '\u001B[1;4m', '\u001B[m', '\u001B[38;5;100m', '\u001B[48;2;1;2;3m', '\u001B[0m', '\u001B[;m'];
		const words = ['tcmon', '─│', '…', 'µs', '', ' '];
		let seed = 11;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
		for (let n = 0; n < 2000; n++) {
			const text = Array.from({length: next() % 8}, () => (next() % 2 ? codes[next() % codes.length] : words[next() % words.length])).join('');
			expect([JSON.stringify(text), simpleWidth(text)]).toEqual([JSON.stringify(text), stringWidth(text)]);
		}
	});

	it('answers for every character tcmon draws itself', () => {
		const chrome = '·…→←↑↓↖↗↘↙─━│┃┌┐└┘┏┓┗┛═║╒╓╔╕╖╗╘╙╚╛╜╝╭╮╯╰▁▂▃▄▅▆▇█▏░▸▾µ×–—−∞≈≤≥⌫⏎';
		for (const char of chrome) expect([char, simpleWidth(char)]).toEqual([char, 1]);
	});

	it('leaves emoji, combining marks, wide scripts, controls and ANSI codes to string-width', () => {
		for (const text of ['⌚', '😀', 'e\u0301', '漢字', '\u001B[31m漢\u001B[39m', '\u001B]8;;x\u0007l', '\u001B[2K', 'a\u200Db', 'tab\there', '\u00AD', '\u2065', '✔\uFE0F'])
			expect([text, simpleWidth(text)]).toEqual([text, undefined]);
	});
});
