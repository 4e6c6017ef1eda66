// Ink's <Text> styling (dimColor, color, bold, underline, inverse, in the
// order its transform applies them), on a string. A table row painted cell by cell this way is
// one text node instead of a nested <Text> per coloured cell: each frame,
// React reconciles and Ink squashes, measures and writes a third as many
// nodes (the bench store's Locks pane: ~10 nodes a row before). chalk is
// the instance Ink uses, so NO_COLOR and colour levels apply alike.
// With one text node per table row, Stats line and Locks summary, the bench
// store's 311 Ink nodes became 91 (`npm run bench`). The Slowlog and Locks
// lists also build rows only for the window on screen.
import chalk from 'chalk';

export type Paint = {color?: string; bold?: boolean; dim?: boolean; underline?: boolean; inverse?: boolean};

type Styler = (text: string) => string;

/** A theme colour (a chalk name) or #rrggbb, as Ink's colorize reads them. */
const colorOf = (color: string): Styler | undefined => {
	if (color in chalk) return (chalk as unknown as Record<string, Styler>)[color];
	if (color.startsWith('#')) return chalk.hex(color);
	return undefined;
};

/** `text` styled as <Text color bold dimColor underline inverse> would style it; undefined for a colour only Ink can read. */
export const paint = (text: string, {color, bold, dim, underline, inverse}: Paint): string | undefined => {
	let out = text;
	if (dim) out = chalk.dim(out);
	if (color) {
		const styler = colorOf(color);
		if (!styler) return undefined;
		out = styler(out);
	}
	if (bold) out = chalk.bold(out);
	if (underline) out = chalk.underline(out);
	if (inverse) out = chalk.inverse(out);
	return out;
};
