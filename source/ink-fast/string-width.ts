// The bundle (source/build.mjs) routes every `string-width` import (Ink's,
// widest-line's, cli-truncate's, wrap-ansi's and ours) here; tests use the
// package itself. Answers are the package's: the characters of simpleWidth()
// are measured directly, everything else goes to string-width, loaded on first
// need (esbuild turns this require into a lazy module init) and remembered.
import type {Options} from 'string-width';
import {BoundedCache} from './bounded-cache';
import {PRINTABLE_ASCII, simpleWidth} from './text-width';

type StringWidth = (text: string, options?: Options) => number;
let real: StringWidth | undefined;
const realStringWidth: StringWidth = (text, options) => {
	real ??= (require('string-width') as {default: StringWidth}).default;
	return real(text, options);
};

const LONGEST_CACHED = 512;
const cache = new BoundedCache<string, number>(4096);

export default function stringWidth(text: string, options?: Options): number {
	if (typeof text !== 'string' || options !== undefined) return realStringWidth(text, options);
	if (PRINTABLE_ASCII.test(text)) return text.length;
	if (text.length > LONGEST_CACHED) return simpleWidth(text) ?? realStringWidth(text);
	// Styled and box-drawing text is measured again every frame: remembered,
	// simpleWidth's regex tests included.
	let width = cache.get(text);
	if (width === undefined) {
		width = simpleWidth(text) ?? realStringWidth(text);
		cache.set(text, width);
	}
	return width;
}
