// The bundle swaps Ink's Output for source/ink-fast/output.ts; this drives
// both with the same operations, frame after frame, and wants the same text.
import path from 'node:path';
import {Chalk} from 'chalk';
import {describe, expect, it} from 'vitest';
import FastOutput from '../../source/ink-fast/output';

type Transformer = (line: string, index: number) => string;
type OutputLike = {
	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
	clip(clip: {x1?: number; x2?: number; y1?: number; y2?: number}): void;
	unclip(): void;
	get(): {output: string; height: number};
};
type OutputClass = new (options: {width: number; height: number}) => OutputLike;

const inkOutput = async (): Promise<OutputClass> =>
	((await import(path.resolve('node_modules/ink/build/output.js'))) as {default: OutputClass}).default;

const color = new Chalk({level: 3});
const WORDS = ['tcmon', '╭─ 1 Stats ─╮', color.red('FIRING'), color.bold.green('held'), '漢字', '😀ok', 'e\u0301', '▁▂▃▅▇', color.dim('…'), '', 'a\nb\nc', color.inverse(' sel '), '\u001B]8;;https://x\u0007link\u001B]8;;\u0007', color.bgRgb(1, 2, 3).ansi256(100)('rgb'), '\u001B[1;31mraw\u001B[m', 'tab\there', '〈wide〉', '\u001B[31mopen', 'close\u001B[39m', 'x\u001B[1m'];
const TRANSFORMS: Transformer[][] = [[], [line => color.cyan(line)], [(line, i) => (i === 0 ? color.bold(line) : line)]];

const random = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);

const drive = (Output: OutputClass, frames: number, seed: number, width: number, height: number): string[] => {
	const next = random(seed);
	const out: string[] = [];
	for (let f = 0; f < frames; f++) {
		const o = new Output({width, height});
		const ops = 5 + (next() % 25);
		let depth = 0;
		for (let i = 0; i < ops; i++) {
			const r = next() % 10;
			if (r === 0) {
				o.clip({x1: next() % width, x2: next() % (width + 5), y1: next() % height, y2: next() % (height + 3)});
				depth++;
			} else if (r === 1 && depth > 0) {
				o.unclip();
				depth--;
			} else {
				const text = Array.from({length: 1 + (next() % 3)}, () => WORDS[next() % WORDS.length]).join(next() % 2 ? ' ' : '');
				o.write((next() % (width + 4)) - 2, (next() % (height + 2)) - 1, text, {transformers: TRANSFORMS[next() % TRANSFORMS.length]!});
			}
		}
		out.push(JSON.stringify(o.get()));
	}
	return out;
};

describe('ink-fast Output', () => {
	it.each([
		[40, 10, 1],
		[81, 24, 2],
		[120, 35.5, 3],
	])('composes the same frames as Ink at %i×%s', async (width, height, seed) => {
		const Ink = await inkOutput();
		// Fewer distinct seeds than frames, so later frames hit the caches.
		const fast = drive(FastOutput, 300, seed, width, height);
		const ink = drive(Ink, 300, seed, width, height);
		const first = fast.findIndex((frame, i) => frame !== ink[i]);
		expect({first, fast: fast[first], ink: ink[first]}).toEqual({first: -1, fast: undefined, ink: undefined});
	});

	it.each([
		[60, 12, 4],
		[120, 35, 5],
	])('composes side-by-side rows (pane borders and text) as Ink does at %i×%i', async (width, height, seed) => {
		const Ink = await inkOutput();
		const frames = (Output: OutputClass) => {
			const next = random(seed);
			const out: string[] = [];
			for (let f = 0; f < 200; f++) {
				const o = new Output({width, height});
				for (let y = 0; y < height; y++) {
					// Writes that tile the row, in a random order, sometimes leaving gaps or reaching the edge.
					const writes: Array<[number, string]> = [];
					let x = next() % 3;
					while (x < width) {
						const text = WORDS[next() % WORDS.length]!.split('\n')[0]!.replace(/\t/g, ' ');
						writes.push([x, next() % 4 === 0 ? color.dim('│') : text]);
						x += Math.max(1, [...text].length * 2) + (next() % 3);
					}
					writes.sort(() => (next() % 2 ? 1 : -1));
					for (const [wx, text] of writes) if (next() % 8 !== 0) o.write(wx, y, text, {transformers: TRANSFORMS[next() % TRANSFORMS.length]!});
				}
				out.push(JSON.stringify(o.get()));
			}
			return out;
		};
		const fast = frames(FastOutput);
		const ink = frames(Ink);
		const first = fast.findIndex((frame, i) => frame !== ink[i]);
		expect({first, fast: fast[first], ink: ink[first]}).toEqual({first: -1, fast: undefined, ink: undefined});
	});

	it('reuses a row it has composed before', async () => {
		const frame = () => {
			const o = new FastOutput({width: 20, height: 2});
			o.write(0, 0, color.red('same row'), {transformers: []});
			return o.get().output;
		};
		expect(frame()).toBe(frame());
		expect(frame()).toBe(`${color.red('same row')}\n`);
	});
});
