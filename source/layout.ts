import type {PaneId} from './keymap';
import {PANES} from './keymap';

export const WIDE_COLUMNS = 120;
export const HEADER_ROWS = 2;
export const STATUS_ROWS = 1;

export type PaneBox = {id: PaneId; width: number; height: number};

export type Layout = {
	wide: boolean;
	/** Ink redraws the whole screen when a frame is as tall as the terminal: stay one short. */
	rootHeight: number;
	bodyHeight: number;
	/** Wide: four boxes in grid order (two rows). Narrow: the one active pane. */
	panes: PaneBox[];
};

export const computeLayout = (columns: number, rows: number, active: PaneId): Layout => {
	const rootHeight = Math.max(4, rows - 1);
	const bodyHeight = Math.max(2, rootHeight - HEADER_ROWS - STATUS_ROWS);
	const wide = columns >= WIDE_COLUMNS && bodyHeight >= 10;
	if (wide) {
		const top = Math.floor(bodyHeight / 2);
		const left = Math.floor(columns / 2);
		const sizes = [
			[left, top],
			[columns - left, top],
			[left, bodyHeight - top],
			[columns - left, bodyHeight - top],
		] as const;
		return {wide, rootHeight, bodyHeight, panes: PANES.map((p, i) => ({id: p.id, width: sizes[i]![0], height: sizes[i]![1]}))};
	}
	return {wide, rootHeight, bodyHeight, panes: [{id: active, width: columns, height: Math.max(2, bodyHeight - 1)}]};
};

/** Table rows a pane of this box can show (frame and header line excluded). */
export const visibleRows = (box: PaneBox | undefined): number => (box ? Math.max(1, box.height - 3) : 1);
