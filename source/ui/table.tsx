import {Box, Text} from 'ink';
import React from 'react';
import {theme} from '../theme';
import {cell, fit} from './fit';
import {paint} from './paint';

export type Column = {
	header: string;
	/** Fixed width; a column without one shares what is left (at least `min`). */
	width?: number;
	min?: number;
	align?: 'left' | 'right';
};

export type Cell = {text: string; color?: string; bold?: boolean; dim?: boolean};
export type Row = {key: string; cells: (string | Cell)[]; color?: string};

/** Widths for `cols` columns of terminal: fixed ones first, flexible share the rest. */
export const layoutColumns = (columns: readonly Column[], cols: number): number[] => {
	const gaps = Math.max(0, columns.length - 1);
	const fixed = columns.reduce((n, c) => n + (c.width ?? 0), 0);
	const flex = columns.filter(c => c.width === undefined);
	const left = Math.max(0, cols - gaps - fixed);
	const each = flex.length > 0 ? Math.floor(left / flex.length) : 0;
	let spare = flex.length > 0 ? left - each * flex.length : 0;
	return columns.map(c => {
		if (c.width !== undefined) return c.width;
		const w = Math.max(c.min ?? 1, each + (spare > 0 ? 1 : 0));
		spare = Math.max(0, spare - 1);
		return w;
	});
};

export type TableProps = {
	columns: readonly Column[];
	rows: readonly Row[];
	cols: number;
	/** Rows available including the header line. */
	height: number;
	selected?: number;
	offset?: number;
	focused?: boolean;
	empty?: string;
};

/**
 * A row's cells fitted and joined, coloured cells painted: one string, so
 * one text node a row. A colour paint() cannot read keeps Ink's nested Text.
 */
const rowText = (row: Row, widths: number[], columns: readonly Column[]): React.ReactNode => {
	let text = '';
	for (const [i, c] of row.cells.entries()) {
		const spec: Cell = typeof c === 'string' ? {text: c} : c;
		const fitted = cell(spec.text, widths[i]!, columns[i]!.align) + (i < widths.length - 1 ? ' ' : '');
		const painted = spec.color || spec.bold || spec.dim ? paint(fitted, {color: spec.color, bold: spec.bold, dim: spec.dim}) : fitted;
		if (painted === undefined) return nestedCells(row, widths, columns);
		text += painted;
	}
	return text;
};

const nestedCells = (row: Row, widths: number[], columns: readonly Column[]): React.ReactNode[] =>
	row.cells.map((c, i) => {
		const spec: Cell = typeof c === 'string' ? {text: c} : c;
		const text = cell(spec.text, widths[i]!, columns[i]!.align) + (i < widths.length - 1 ? ' ' : '');
		return spec.color || spec.bold || spec.dim ? (
			<Text key={i} color={spec.color} bold={spec.bold} dimColor={spec.dim}>
				{text}
			</Text>
		) : (
			text
		);
	});

/** A fixed-height table: one Text line a row, every cell sanitised and fitted. */
export const Table = ({columns, rows, cols, height, selected = -1, offset = 0, focused = true, empty}: TableProps) => {
	const widths = layoutColumns(columns, cols);
	const header = columns.map((c, i) => fit(c.header, widths[i]!, c.align)).join(' ');
	const visible = rows.slice(offset, offset + Math.max(0, height - 1));
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<Text color={theme.muted} bold wrap="truncate">
				{fit(header, cols)}
			</Text>
			{rows.length === 0 && empty ? (
				<Text color={theme.muted} wrap="truncate">
					{fit(empty, cols)}
				</Text>
			) : null}
			{visible.map((row, r) => {
				const isSel = offset + r === selected;
				return (
					<Text key={row.key} wrap="truncate" inverse={isSel && focused} underline={isSel && !focused} color={row.color}>
						{rowText(row, widths, columns)}
					</Text>
				);
			})}
		</Box>
	);
};
