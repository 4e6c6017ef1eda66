import stringWidth from 'string-width';
import {sanitize} from '../domain/sanitize';
import {simpleWidth} from '../ink-fast/text-width';

// Built on first use: the first Intl.Segmenter costs ~13 ms of start-up.
let segmenter: Intl.Segmenter | undefined;
/** The grapheme clusters of `text`. */
export const graphemes = (text: string): Intl.Segments => (segmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'})).segment(text);
// eslint-disable-next-line no-control-regex
const PLAIN = /^[\u0020-\u007e]*$/;

/** Display width of already-sanitised text. */
export const width = (text: string): number => (PLAIN.test(text) ? text.length : stringWidth(text));

/** Cuts sanitised text to at most `max` columns, ending in "…" when cut. */
export const truncate = (text: string, max: number): string => {
	if (max <= 0) return '';
	if (PLAIN.test(text)) return text.length <= max ? text : max === 1 ? '…' : `${text.slice(0, max - 1)}…`;
	if (stringWidth(text) <= max) return text;
	let out = '';
	let used = 0;
	// Simple text (see simpleWidth) has one grapheme per character: no segmenter needed.
	const pieces: Iterable<string> = simpleWidth(text) === undefined ? Array.from(graphemes(text), g => g.segment) : text;
	for (const segment of pieces) {
		const w = stringWidth(segment);
		if (used + w > max - 1) break;
		out += segment;
		used += w;
	}
	return `${out}…`;
};

/** Pads or cuts to exactly `cols` columns. */
export const fit = (text: string, cols: number, align: 'left' | 'right' = 'left'): string => {
	const cut = truncate(text, cols);
	const pad = ' '.repeat(Math.max(0, cols - width(cut)));
	return align === 'right' ? pad + cut : cut + pad;
};

/** Store text → one safe, fitted cell. */
export const cell = (raw: string, cols: number, align: 'left' | 'right' = 'left'): string => fit(sanitize(raw), cols, align);
