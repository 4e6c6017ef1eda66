// Replaces ink/build/sanitize-ansi.js in the bundle. Ink passes every text
// node through it on every frame, and tokenizes any text holding an escape
// code, though tcmon's coloured text holds only SGR codes, which it keeps
// as they are. Such text is returned after two regex tests; anything else
// (other escapes, C1 controls) still goes through Ink's own.
import inkSanitizeAnsi from '../../node_modules/ink/build/sanitize-ansi.js';

const CONTROL = /[\u001B\u0080-\u009F]/;
const SGR_CODES = /\u001B\[[\d;]*m/g;

const sanitizeAnsi = (text: string): string => {
	if (!CONTROL.test(text)) return text;
	if (!CONTROL.test(text.replace(SGR_CODES, ''))) return text;
	return inkSanitizeAnsi(text);
};

export default sanitizeAnsi;
