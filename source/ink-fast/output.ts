// Replaces ink/build/output.js in the bundle. Ink 6 rebuilds every cell of
// the frame from scratch on each render: it tokenizes each line's ANSI codes
// and measures each character, then re-serialises each row. At one frame a
// second that was ~20 ms, most of tcmon's steady CPU. This port keeps Ink's
// algorithm and results but remembers, across frames, the tokenized lines and
// each finished row keyed by the writes that produced it, so an unchanged
// row costs one string join.
import {ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize, type AnsiCode, type StyledChar, type Token} from '@alcalzone/ansi-tokenize';
import isFullwidthCodePoint from 'is-fullwidth-code-point';
import sliceAnsi from 'slice-ansi';
import {BoundedCache} from './bounded-cache';
import {PRINTABLE_ASCII, SGR, simpleWidth} from './text-width';
import stringWidth from 'string-width';

type Transformer = (line: string, index: number) => string;
type Clip = {x1?: number; x2?: number; y1?: number; y2?: number};
type Operation = {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]} | {type: 'clip'; clip: Clip} | {type: 'unclip'};
/** A line's styled characters and their cell widths, as Ink's Output makes them. */
type Cells = {chars: StyledChar[]; widths: number[]};

/**
 * What composing a row of side-by-side writes needs of a line: its
 * characters serialised with the style changes between them as Ink emits
 * them (`inner`), its width, and the styles of its first and last character
 * (null: no character). `cells` is made only when a row needs them.
 */
type Tokenized = {inner: string; width: number; first: AnsiCode[] | null; last: AnsiCode[] | null; cells?: Cells};

// ~100 lines make a frame; a line's styled characters take ~10 KB.
const tokenized = new BoundedCache<string, Tokenized>(1024);
const rows = new BoundedCache<string, string>(2048);

const sgrTokens = new BoundedCache<string, Token[]>(256);
const sgrTokensOf = (codes: string): Token[] => {
	let tokens = sgrTokens.get(codes);
	if (tokens === undefined) {
		tokens = tokenize(codes);
		sgrTokens.set(codes, tokens);
	}
	return tokens;
};

/** Plain text of simple characters as char tokens, or false when tokenize() must decide. */
const pushText = (tokens: Token[], text: string): boolean => {
	if (text.includes('\u001B') || simpleWidth(text) === undefined) return false;
	for (let i = 0; i < text.length; i++) tokens.push({type: 'char', value: text[i]!, fullWidth: isFullwidthCodePoint(text.charCodeAt(i))});
	return true;
};

/**
 * tokenize() segments the whole line into graphemes. Lines of SGR codes and
 * simple characters (each code unit its own grapheme) need no segmenter:
 * the codes still go through tokenize(), the text becomes one token a char.
 */
const fastTokenize = (line: string): Token[] => {
	if (line.includes('\u009B')) return tokenize(line);
	const tokens: Token[] = [];
	let last = 0;
	for (const match of line.matchAll(SGR)) {
		if (!pushText(tokens, line.slice(last, match.index))) return tokenize(line);
		tokens.push(...sgrTokensOf(match[0]));
		last = match.index + match[0].length;
	}
	return pushText(tokens, line.slice(last)) ? tokens : tokenize(line);
};

const slices = new BoundedCache<string, string>(2048);

/** sliceAnsi, without its tokenizer for printable ASCII, and remembered for the rest. */
const sliceColumns = (line: string, from: number, to: number): string => {
	if (PRINTABLE_ASCII.test(line)) return line.slice(from, Math.max(from, to));
	const key = `${from}\u0000${to}\u0000${line}`;
	let slice = slices.get(key);
	if (slice === undefined) {
		slice = sliceAnsi(line, from, to);
		slices.set(key, slice);
	}
	return slice;
};

/**
 * styledCharsFromTokens, but characters styled alike share one styles array
 * (it copies the array for every character): less to allocate and keep, and
 * charsToString's neighbour check becomes a reference compare. Nothing
 * mutates a styles array, here or in Ink.
 */
const styledChars = (tokens: Token[]): StyledChar[] => {
	let codes: AnsiCode[] = [];
	const out: StyledChar[] = [];
	for (const token of tokens) {
		if (token.type === 'ansi') codes = reduceAnsiCodesIncremental(codes, [token]);
		else out.push({type: 'char', value: token.value, fullWidth: token.fullWidth, styles: codes});
	}
	return out;
};

/** Cell width of one character as Ink counts it (at least 1); printable ASCII without a lookup. */
const charWidth = (value: string): number => {
	if (value.length === 1) {
		const code = value.charCodeAt(0);
		if (code >= 0x20 && code < 0x7f) return 1;
	}
	return Math.max(1, stringWidth(value));
};

const cellsOfLine = (line: string): Cells => {
	const chars = styledChars(fastTokenize(line));
	return {chars, widths: chars.map(c => charWidth(c.value))};
};

/** The characters serialised with the style changes between neighbours (Ink's styledCharsToString, without the ends). */
const innerOf = (chars: StyledChar[]): string => {
	let inner = '';
	for (let i = 0; i < chars.length; i++) {
		if (i > 0 && !sameStyles(chars[i - 1]!.styles, chars[i]!.styles)) inner += ansiCodesToString(diffAnsiCodes(chars[i - 1]!.styles, chars[i]!.styles));
		inner += chars[i]!.value;
	}
	return inner;
};

/**
 * A line of SGR codes and simple characters, summarised run by run (the text
 * between codes) without a token or styled character each: the same inner
 * text, width and end styles the characters give. undefined: not such a line.
 */
const summarise = (line: string): Tokenized | undefined => {
	if (line.includes('\u009B')) return undefined;
	let codes: AnsiCode[] = [];
	let inner = '';
	let width = 0;
	let first: AnsiCode[] | null = null;
	let last: AnsiCode[] | null = null;
	const run = (text: string): boolean => {
		if (text.length === 0) return true;
		if (text.includes('\u001B')) return false;
		const w = simpleWidth(text);
		if (w === undefined) return false;
		if (last === null) first = codes;
		else if (!sameStyles(last, codes)) inner += ansiCodesToString(diffAnsiCodes(last, codes));
		inner += text;
		width += w;
		last = codes;
		return true;
	};
	let at = 0;
	for (const match of line.matchAll(SGR)) {
		if (!run(line.slice(at, match.index))) return undefined;
		for (const token of sgrTokensOf(match[0])) codes = token.type === 'ansi' ? reduceAnsiCodesIncremental(codes, [token]) : codes;
		at = match.index + match[0].length;
	}
	if (!run(line.slice(at))) return undefined;
	return {inner, width, first, last};
};

const tokenizedLine = (line: string): Tokenized => {
	let hit = tokenized.get(line);
	if (hit === undefined) {
		hit = summarise(line);
		if (hit === undefined) {
			const cells = cellsOfLine(line);
			let width = 0;
			for (const w of cells.widths) width += w;
			hit = {inner: innerOf(cells.chars), width, first: cells.chars[0]?.styles ?? null, last: cells.chars.at(-1)?.styles ?? null, cells};
		}
		tokenized.set(line, hit);
	}
	return hit;
};

const cellsOf = (line: string): Cells => {
	const t = tokenizedLine(line);
	t.cells ??= cellsOfLine(line);
	return t.cells;
};

const sameStyles = (a: AnsiCode[], b: AnsiCode[]): boolean => {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code) return false;
	return true;
};

/** styledCharsToString, skipping its style diff between neighbours styled alike (most of a row). */
const charsToString = (chars: StyledChar[]): string => {
	let out = '';
	for (let i = 0; i < chars.length; i++) {
		const char = chars[i]!;
		if (i === 0) out += ansiCodesToString(char.styles);
		else if (!sameStyles(chars[i - 1]!.styles, char.styles)) out += ansiCodesToString(diffAnsiCodes(chars[i - 1]!.styles, char.styles));
		out += char.value;
		if (i === chars.length - 1) out += ansiCodesToString(diffAnsiCodes(char.styles, []));
	}
	return out;
};

// Cells are replaced, never changed, so every blank cell can be this one.
const BLANK: StyledChar = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: []}) as StyledChar;

const NO_STYLES: AnsiCode[] = [];

/**
 * The usual row: writes side by side inside the width, none overlapping
 * (pane borders and the text between them). Serialised write by write from
 * each line's cached inner text, with the same style changes Ink emits at
 * every boundary between cells; null when the writes overlap or overflow.
 */
const composeSideBySide = (width: number, writes: Array<[number, string]>): string | null => {
	const pieces: Array<{x: number; t: Tokenized}> = [];
	for (const [x, line] of writes) {
		const t = tokenizedLine(line);
		if (t.first === null) continue;
		if (x < 0 || x + t.width > width) return null;
		pieces.push({x, t});
	}
	pieces.sort((a, b) => a.x - b.x);
	let out = '';
	let at = 0;
	let styles: AnsiCode[] | null = null; // styles of the cell before `at` (null: none yet)
	const enter = (next: AnsiCode[]) => {
		if (styles === null) out += ansiCodesToString(next);
		else if (!sameStyles(styles, next)) out += ansiCodesToString(diffAnsiCodes(styles, next));
	};
	for (const {x, t} of pieces) {
		if (x < at) return null;
		if (x > at) {
			enter(NO_STYLES);
			out += ' '.repeat(x - at);
			styles = NO_STYLES;
		}
		enter(t.first!);
		out += t.inner;
		styles = t.last;
		at = x + t.width;
	}
	if (at < width) {
		enter(NO_STYLES);
		out += ' '.repeat(width - at);
		styles = NO_STYLES;
	}
	if (styles !== null) out += ansiCodesToString(diffAnsiCodes(styles, []));
	return out.trimEnd();
};

/** One row exactly as Ink composes it: cells overwritten write by write, then serialised. */
const composeRow = (width: number, writes: Array<[number, string]>): string => {
	const fast = composeSideBySide(width, writes);
	if (fast !== null) return fast;
	const row: StyledChar[] = [];
	for (let x = 0; x < width; x++) row.push(BLANK);
	for (const [x, line] of writes) {
		const {chars, widths} = cellsOf(line);
		let offsetX = x;
		for (let i = 0; i < chars.length; i++) {
			const character = chars[i]!;
			const characterWidth = widths[i]!;
			row[offsetX] = character;
			for (let k = 1; k < characterWidth; k++) row[offsetX + k] = {type: 'char', value: '', fullWidth: false, styles: character.styles};
			offsetX += characterWidth;
		}
	}
	return charsToString(row.filter(item => item !== undefined)).trimEnd();
};

type RowWrites = Array<[number, string]>;

/** The last frame's rows with the writes that made them. */
let lastFrame: {width: number; rows: Array<{writes: RowWrites; row: string}>} = {width: -1, rows: []};

const sameWrites = (a: RowWrites, b: RowWrites): boolean => {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
	return true;
};

export default class Output {
	width: number;
	height: number;
	operations: Operation[] = [];

	constructor(options: {width: number; height: number}) {
		this.width = options.width;
		this.height = options.height;
	}

	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void {
		if (!text) return;
		this.operations.push({type: 'write', x, y, text, transformers: options.transformers});
	}

	clip(clip: Clip): void {
		this.operations.push({type: 'clip', clip});
	}

	unclip(): void {
		this.operations.push({type: 'unclip'});
	}

	get(): {output: string; height: number} {
		// Per row, the (x, final line) writes in order: all that decides the row.
		const writes: Array<Array<[number, string]>> = [];
		for (let y = 0; y < this.height; y++) writes.push([]);
		const clips: Clip[] = [];
		for (const operation of this.operations) {
			if (operation.type === 'clip') clips.push(operation.clip);
			if (operation.type === 'unclip') clips.pop();
			if (operation.type !== 'write') continue;
			const {text, transformers} = operation;
			let {x, y} = operation;
			let lines = text.split('\n');
			const clip = clips.at(-1);
			if (clip) {
				const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
				const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
				const widths = clipHorizontally ? lines.map(line => stringWidth(line)) : [];
				if (clipHorizontally) {
					let widest = 0;
					for (const width of widths) widest = Math.max(widest, width);
					if (x + widest < clip.x1! || x > clip.x2!) continue;
				}
				if (clipVertically && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
				if (clipHorizontally) {
					lines = lines.map((line, i) => {
						const from = x < clip.x1! ? clip.x1! - x : 0;
						const width = widths[i]!;
						const to = x + width > clip.x2! ? clip.x2! - x : width;
						// Inside the clip already (tcmon fits its text): Ink's slice
						// would only re-encode the same styled characters.
						if (from === 0 && to >= width) return line;
						return sliceColumns(line, from, to);
					});
					if (x < clip.x1!) x = clip.x1!;
				}
				if (clipVertically) {
					const from = y < clip.y1! ? clip.y1! - y : 0;
					const height = lines.length;
					const to = y + height > clip.y2! ? clip.y2! - y : height;
					lines = lines.slice(from, to);
					if (y < clip.y1!) y = clip.y1!;
				}
			}
			let offsetY = 0;
			for (let [index, line] of lines.entries()) {
				const row = writes[y + offsetY];
				// A line below the frame is dropped, as in Ink (a negative y
				// never reaches a row either: Ink indexes an array with it).
				if (!row) continue;
				for (const transformer of transformers) line = transformer(line, index);
				row.push([x, line]);
				offsetY++;
			}
		}
		const previous = lastFrame.width === this.width ? lastFrame.rows : [];
		const output = writes.map((rowWrites, y) => {
			// Most rows are written exactly as in the last frame: compare, no key to build.
			const before = previous[y];
			if (before && sameWrites(before.writes, rowWrites)) return before.row;
			const key = `${this.width}\u0001${rowWrites.map(([x, line]) => `${x}\u0002${line}`).join('\u0001')}`;
			let row = rows.get(key);
			if (row === undefined) {
				row = composeRow(this.width, rowWrites);
				rows.set(key, row);
			}
			return row;
		});
		lastFrame = {width: this.width, rows: writes.map((rowWrites, y) => ({writes: rowWrites, row: output[y]!}))};
		return {output: output.join('\n'), height: output.length};
	}
}
