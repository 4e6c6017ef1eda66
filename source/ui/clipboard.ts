// Copy to the system clipboard with OSC 52: the terminal (or tmux, when its
// `set-clipboard` option is on) takes base64 text from an escape sequence, so
// it works over SSH too. Base64 carries the exact bytes, hostile ones included,
// and nothing raw is written to the screen.

/** Longest payload sent: many terminals drop bigger OSC 52 sequences. */
export const OSC52_MAX_BYTES = 74_994;

/** The OSC 52 sequence setting the clipboard to `bytes`, or null when too long. */
export const osc52 = (bytes: Buffer): string | null => {
	if (bytes.length > OSC52_MAX_BYTES) return null;
	return `\u001b]52;c;${bytes.toString('base64')}\u0007`;
};

export type ClipboardWriter = (sequence: string) => boolean;

const toTerminal: ClipboardWriter = sequence => {
	if (!process.stdout.isTTY) return false;
	process.stdout.write(sequence);
	return true;
};

let writer: ClipboardWriter = toTerminal;

/** Tests capture the sequence instead of writing to the terminal. */
export const setClipboardWriter = (w: ClipboardWriter | null): void => {
	writer = w ?? toTerminal;
};

/** Copies; returns a message for the status bar. */
export const copyToClipboard = (bytes: Buffer): string => {
	const sequence = osc52(bytes);
	if (!sequence) return `not copied: ${bytes.length} bytes is more than OSC 52 carries`;
	return writer(sequence) ? `copied ${bytes.length} bytes (OSC 52; in tmux needs set-clipboard on)` : 'not copied: not a terminal';
};
