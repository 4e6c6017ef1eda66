// The one line editor behind every prompt (`/` filters in every pane, the
// force-release confirmation): a pure reducer over the text typed so far.
// Enter applies, Esc cancels, Backspace deletes a character, Ctrl-U clears the
// line; only printable text is taken (pasted escapes and controls are dropped).
import type {Key} from 'ink';

export type PromptResult = {kind: 'edit'; text: string} | {kind: 'apply'; text: string} | {kind: 'cancel'};

const MAX_PROMPT = 512;

export const promptKey = (text: string, input: string, key: Key): PromptResult => {
	if (key.escape) return {kind: 'cancel'};
	if (key.return) return {kind: 'apply', text};
	if (key.backspace || key.delete) return {kind: 'edit', text: [...text].slice(0, -1).join('')};
	if (key.ctrl && input === 'u') return {kind: 'edit', text: ''};
	if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || !input) return {kind: 'edit', text};
	// eslint-disable-next-line no-control-regex
	const clean = input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
	return {kind: 'edit', text: (text + clean).slice(0, MAX_PROMPT)};
};

/** How every open prompt reads in the status bar: what it is for, the text with a caret, the keys. */
export const promptLine = (label: string, text: string, apply = 'apply'): string => `${label}${text}▏ · Enter ${apply} · Esc cancel · ^U clear`;
