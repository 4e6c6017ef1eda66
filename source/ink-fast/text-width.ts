// Terminal width of the text tcmon draws most: ASCII, Latin, punctuation,
// arrows, maths, box drawing, blocks and shapes. string-width gets the same
// answer by segmenting graphemes with /v property-of-strings regexes whose
// first use costs ~20 ms of start-up; for these characters each code point is
// its own grapheme, so its East Asian width is the answer. Anything else
// (marks, format and unassigned code points, emoji presentation, other scripts,
// escape sequences other than SGR) returns undefined for string-width to decide.
// test/ink-fast/text-width.test.ts checks every code point against string-width.
import {eastAsianWidth} from 'get-east-asian-width';

export const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;
/** SGR colour and style codes, which every width function strips first. */
export const SGR = /\x1B\[[0-9;]*m/g;
const CANDIDATES = /^[\x20-\x7E\u00A1-\u02FF\u2010-\u2BFF]*$/;
const EXCLUDED = /[\u00AD\p{M}\p{Cf}\p{Cn}\p{Co}\p{Emoji_Presentation}\u2028\u2029]/u;

export const simpleWidth = (styled: string): number | undefined => {
	if (PRINTABLE_ASCII.test(styled)) return styled.length;
	const text = styled.includes('\u001B') ? styled.replace(SGR, '') : styled;
	if (PRINTABLE_ASCII.test(text)) return text.length;
	if (!CANDIDATES.test(text) || EXCLUDED.test(text)) return undefined;
	let width = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		width += code < 0x7F ? 1 : eastAsianWidth(code);
	}
	return width;
};
