// Cursor + scroll offset of a list pane, as pure functions: the cursor stays
// inside [0, count) and the offset moves only as far as needed to show it.

export type ListCursor = {index: number; offset: number};

export const initialCursor: ListCursor = {index: 0, offset: 0};

export type CursorMove = 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom';

export const clampCursor = (cursor: ListCursor, count: number, visible: number): ListCursor => {
	const rows = Math.max(1, visible);
	const index = count <= 0 ? 0 : Math.min(Math.max(0, cursor.index), count - 1);
	let offset = Math.min(cursor.offset, Math.max(0, count - rows));
	if (index < offset) offset = index;
	if (index >= offset + rows) offset = index - rows + 1;
	offset = Math.max(0, offset);
	// The same object when nothing moved: panes are memoised on their props.
	return index === cursor.index && offset === cursor.offset ? cursor : {index, offset};
};

export const moveCursor = (cursor: ListCursor, move: CursorMove, count: number, visible: number): ListCursor => {
	const page = Math.max(1, visible - 1);
	const delta: Record<CursorMove, number> = {
		up: -1,
		down: 1,
		pageUp: -page,
		pageDown: page,
		top: -Infinity,
		bottom: Infinity,
	};
	const d = delta[move];
	const index = d === -Infinity ? 0 : d === Infinity ? count - 1 : cursor.index + d;
	const offset = move === 'pageDown' || move === 'pageUp' ? cursor.offset + d : cursor.offset;
	return clampCursor({index, offset}, count, visible);
};

/**
 * The same moves for a detail view's scroll (a first line shown, out of
 * `total`): every detail view and the help overlay scroll with this.
 */
export const scrollBy = (scroll: number, move: CursorMove, total: number, visible: number): number => {
	const page = Math.max(1, visible - 1);
	const max = Math.max(0, total - 1);
	const delta: Record<CursorMove, number> = {up: -1, down: 1, pageUp: -page, pageDown: page, top: -Infinity, bottom: Infinity};
	const d = delta[move];
	const next = d === -Infinity ? 0 : d === Infinity ? max : scroll + d;
	return Math.min(max, Math.max(0, next));
};
