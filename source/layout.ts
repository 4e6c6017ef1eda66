import type {PaneId} from './keymap';
import {PANES} from './keymap';

export const WIDE_COLUMNS = 120;
/** From this width the Agents pane joins the grid as a full-height column. */
export const FIVE_COLUMNS = 160;
export const HEADER_ROWS = 2;
export const STATUS_ROWS = 1;

/** The four panes sharing the grid below FIVE_COLUMNS (`--panes` picks others). */
export const DEFAULT_GRID: readonly PaneId[] = ['stats', 'slowlog', 'keys', 'locks'];

export type PaneBox = {id: PaneId; width: number; height: number};

export type Layout = {
	wide: boolean;
	/** Ink redraws the whole screen when a frame is as tall as the terminal: stay one short. */
	rootHeight: number;
	bodyHeight: number;
	/** Wide: four boxes in grid order (two rows), then the side column's box if any. Narrow: the one active pane. */
	panes: PaneBox[];
	/** Wide from FIVE_COLUMNS: the pane drawn as a full-height column right of the grid. */
	side: PaneBox | null;
	/** `z`: the active pane alone on the whole body (no tab strip). */
	zoomed: boolean;
};

const gridBoxes = (ids: readonly PaneId[], columns: number, bodyHeight: number): PaneBox[] => {
	const top = Math.floor(bodyHeight / 2);
	const left = Math.floor(columns / 2);
	const sizes = [
		[left, top],
		[columns - left, top],
		[left, bodyHeight - top],
		[columns - left, bodyHeight - top],
	] as const;
	return ids.slice(0, 4).map((id, i) => ({id, width: sizes[i]![0], height: sizes[i]![1]}));
};

/**
 * Five panes from FIVE_COLUMNS: the other four in the grid, Agents beside
 * them. From WIDE_COLUMNS: the four of `grid`, while the active pane is one of
 * them; a pane outside the grid is shown alone, as on a narrow terminal.
 */
export const computeLayout = (columns: number, rows: number, active: PaneId, grid: readonly PaneId[] = DEFAULT_GRID, zoom = false): Layout => {
	const rootHeight = Math.max(4, rows - 1);
	const bodyHeight = Math.max(2, rootHeight - HEADER_ROWS - STATUS_ROWS);
	if (zoom) return {wide: false, rootHeight, bodyHeight, panes: [{id: active, width: columns, height: bodyHeight}], side: null, zoomed: true};
	const tallEnough = bodyHeight >= 10;
	if (columns >= FIVE_COLUMNS && tallEnough) {
		const sideWidth = Math.floor(columns * 0.375);
		const side: PaneBox = {id: 'agents', width: sideWidth, height: bodyHeight};
		const four = PANES.map(p => p.id).filter(id => id !== 'agents');
		return {wide: true, rootHeight, bodyHeight, panes: [...gridBoxes(four, columns - sideWidth, bodyHeight), side], side, zoomed: false};
	}
	if (columns >= WIDE_COLUMNS && tallEnough && grid.includes(active)) {
		return {wide: true, rootHeight, bodyHeight, panes: gridBoxes(grid, columns, bodyHeight), side: null, zoomed: false};
	}
	return {wide: false, rootHeight, bodyHeight, panes: [{id: active, width: columns, height: Math.max(2, bodyHeight - 1)}], side: null, zoomed: false};
};

/** Table rows a pane of this box can show (frame and header line excluded). */
export const visibleRows = (box: PaneBox | undefined): number => (box ? Math.max(1, box.height - 3) : 1);

/** A pane by name (`agents`) or number (`5`), as `--pane` takes it; null when there is none. */
export const paneByName = (text: string): PaneId | null => {
	const t = text.trim().toLowerCase();
	const n = Number(t);
	if (Number.isInteger(n) && n >= 1 && n <= PANES.length) return PANES[n - 1]!.id;
	return PANES.find(p => p.id === t)?.id ?? null;
};

/** `--panes a,b,c,d`: four distinct panes for the grid, or why not. */
export const parseGrid = (text: string): readonly PaneId[] | string => {
	const names = text.split(',').map(s => s.trim()).filter(Boolean);
	const ids = names.map(paneByName);
	const bad = names.find((_, i) => ids[i] === null);
	if (bad !== undefined) return `--panes: no pane ${JSON.stringify(bad)} (panes: ${PANES.map(p => p.id).join(', ')})`;
	if (names.length !== 4 || new Set(ids).size !== 4) return `--panes takes four different panes, comma-separated, e.g. stats,agents,keys,locks`;
	return ids as PaneId[];
};
