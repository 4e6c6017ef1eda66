// The bundle swaps Ink's sanitizeAnsi for source/ink-fast/sanitize-ansi.ts,
// which answers SGR-only text itself: it must agree with Ink's on anything.
import path from 'node:path';
import {Chalk} from 'chalk';
import {describe, expect, it} from 'vitest';
import sanitizeAnsi from '../../source/ink-fast/sanitize-ansi';

const inkSanitize = async (): Promise<(text: string) => string> =>
	((await import(path.resolve('node_modules/ink/build/sanitize-ansi.js'))) as {default: (text: string) => string}).default;

const color = new Chalk({level: 3});
const PIECES = [
	'plain',
	'漢字 😀 e\u0301',
	color.red('red'),
	color.bold.bgRgb(1, 2, 3)('rgb'),
	'\u001B[38:5:100mcolon\u001B[m',
	'\u001B[2J',
	'\u001B[1A',
	'\u001B]8;;https://x\u0007link\u001B]8;;\u0007',
	'\u009B31m',
	'\u0085',
	'\u001B',
	'\u001B[',
	'\u001B[31',
	'\u001B[?25l',
	'\u001Bc',
	'\u001BP1$r\u001B\\',
	'\u001B[1;31mraw\u001B[m',
	'\u001B[ m',
	'tab\there\u0007',
];

describe('sanitizeAnsi (ink-fast)', () => {
	it('returns what Ink returns, for every pair of pieces and random mixes', async () => {
		const ink = await inkSanitize();
		for (const a of PIECES) for (const b of PIECES) expect(sanitizeAnsi(a + b)).toBe(ink(a + b));
		let seed = 7;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
		for (let i = 0; i < 2000; i++) {
			const text = Array.from({length: 1 + (next() % 6)}, () => PIECES[next() % PIECES.length]).join('');
			expect(sanitizeAnsi(text)).toBe(ink(text));
		}
	});

	it('answers SGR-only text without Ink (the same string back)', () => {
		const text = `${color.green('held')} ${color.dim('3m12s')}`;
		expect(sanitizeAnsi(text)).toBe(text);
	});
});
