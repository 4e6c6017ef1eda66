// The alternate screen, entered once and left on every exit path. Leaving
// twice is harmless, so every path can simply call leaveAltScreen.

let inAlt = false;

export const enterAltScreen = (out: NodeJS.WriteStream): void => {
	if (inAlt || !out.isTTY) return;
	inAlt = true;
	out.write('\u001b[?1049h\u001b[H');
};

export const leaveAltScreen = (out: NodeJS.WriteStream): void => {
	if (!inAlt) return;
	inAlt = false;
	// Show the cursor too, in case we left mid-frame.
	out.write('\u001b[?25h\u001b[?1049l');
};
