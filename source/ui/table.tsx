import {Box, Text} from 'ink';
import React from 'react';
import {theme} from '../theme';
import {cell, fit} from './fit';
import {paint, type Paint} from './paint';
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

export type Column = {
	header: string;
	/** Fixed width; a column without one shares what is left (at least `min`). */
	width?: number;
	min?: number;
	align?: 'left' | 'right';
};

export type Cell = {text: string; color?: string; bold?: boolean; dim?: boolean};
/** `span`: the cells' text runs across the whole line instead of into the columns (the slowlog's reset, restart and gap marks). */
export type Row = {key: string; cells: (string | Cell)[]; color?: string; span?: boolean};

/**
 * Rows for a Table of `height` lines scrolled to `offset`, built only where
 * the table shows them (the others stay holes it never reads): a list of
 * thousands (the slowlog's session history, a store's locks) costs a
 * screenful a frame, not the whole list.
 */
export const windowedRows = <T,>(items: readonly T[], offset: number, height: number, build: (item: T, i: number) => Row): Row[] => {
	const rows: Row[] = new Array<Row>(items.length);
	const end = Math.min(items.length, offset + Math.max(0, height - 1));
	for (let i = Math.max(0, offset); i < end; i++) rows[i] = build(items[i]!, i);
	return rows;
};

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

/** Cell `i` sanitised and fitted to its column, with the gap after it. */
const fittedCell = (c: string | Cell, i: number, widths: number[], columns: readonly Column[]): {spec: Cell; fitted: string} => {
	const spec: Cell = typeof c === 'string' ? {text: c} : c;
	return {spec, fitted: cell(spec.text, widths[i]!, columns[i]!.align) + (i < widths.length - 1 ? ' ' : '')};
};

/**
 * A row as the line its <Text wrap="truncate"> drew: cells fitted and
 * joined, coloured cells painted, then the row's own style, cut to `cols`
 * as Ink cuts an overlong line. undefined: a colour only Ink can read.
 */
const rowLine = (row: Row, widths: number[], columns: readonly Column[], cols: number, style: Paint): string | undefined => {
	let text = row.span ? spanText(row, cols) : '';
	for (const [i, c] of row.span ? [] : row.cells.entries()) {
		const {spec, fitted} = fittedCell(c, i, widths, columns);
		const painted = spec.color || spec.bold || spec.dim ? paint(fitted, {color: spec.color, bold: spec.bold, dim: spec.dim}) : fitted;
		if (painted === undefined) return undefined;
		text += painted;
	}
	const line = paint(text, style);
	return line === undefined || stringWidth(line) <= cols ? line : cliTruncate(line, cols, {position: 'end'});
};

/** A spanning row's line: its cells' text, fitted to the whole width. */
const spanText = (row: Row, cols: number): string => cell(row.cells.map(c => (typeof c === 'string' ? c : c.text)).join(''), cols);

const nestedCells = (row: Row, widths: number[], columns: readonly Column[], cols: number): React.ReactNode[] | string =>
	row.span ? spanText(row, cols) : row.cells.map((c, i) => {
		const {spec, fitted} = fittedCell(c, i, widths, columns);
		return spec.color || spec.bold || spec.dim ? (
			<Text key={i} color={spec.color} bold={spec.bold} dimColor={spec.dim}>
				{fitted}
			</Text>
		) : (
			fitted
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
			{visible.length > 0 ? <Rows visible={visible} widths={widths} columns={columns} cols={cols} selectedRow={selected - offset} focused={focused} /> : null}
		</Box>
	);
};

/**
 * The visible rows as one text node of lines, each exactly as its own
 * <Text wrap="truncate"> drew it (rowLine): each frame, one node to
 * reconcile, lay out and compose instead of one a row. Lines already fit,
 * so Ink never wraps them.
 */
const Rows = ({visible, widths, columns, cols, selectedRow, focused}: {visible: readonly Row[]; widths: number[]; columns: readonly Column[]; cols: number; selectedRow: number; focused: boolean}) => {
	const lines: string[] = [];
	for (const [r, row] of visible.entries()) {
		const isSel = r === selectedRow;
		const line = rowLine(row, widths, columns, cols, {color: row.color, underline: isSel && !focused, inverse: isSel && focused});
		if (line === undefined) return <NestedRows visible={visible} widths={widths} columns={columns} cols={cols} selectedRow={selectedRow} focused={focused} />;
		lines.push(line);
	}
	return <Text wrap="wrap">{lines.join('\n')}</Text>;
};

/** A Text a row, cells nested: for a colour only Ink can read. */
const NestedRows = ({visible, widths, columns, cols, selectedRow, focused}: {visible: readonly Row[]; widths: number[]; columns: readonly Column[]; cols: number; selectedRow: number; focused: boolean}) => (
	<>
		{visible.map((row, r) => (
			<Text key={row.key} wrap="truncate" inverse={r === selectedRow && focused} underline={r === selectedRow && !focused} color={row.color}>
				{nestedCells(row, widths, columns, cols)}
			</Text>
		))}
	</>
);
