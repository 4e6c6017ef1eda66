// Table rows are painted as one string (ui/paint.ts) instead of a nested
// <Text> per coloured cell: with colours on, both must draw the same.
import chalk from 'chalk';
import {Box, Text} from 'ink';
import {render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {paint, type Paint} from '../../source/ui/paint';
import {Table} from '../../source/ui/table';

const level = chalk.level;
afterEach(() => {
	chalk.level = level;
});

const STYLES: Paint[] = [{}, {color: 'red'}, {color: 'gray', dim: true}, {color: 'cyan', bold: true}, {bold: true, dim: true}, {color: '#ff8800'}, {color: 'yellow', bold: true, dim: true}];

describe('paint', () => {
	it('styles text as <Text color bold dimColor> does, inside an inverse row', () => {
		chalk.level = 3;
		for (const style of STYLES) {
			const nested = render(
				<Text inverse>
					a <Text color={style.color} bold={style.bold} dimColor={style.dim}>styled</Text> b
				</Text>,
			).lastFrame();
			const painted = render(<Text inverse>{`a ${paint('styled', style)!} b`}</Text>).lastFrame();
			expect(painted).toBe(nested);
			expect(painted).toContain('\u001B[');
		}
	});

	it('leaves a colour it cannot read to Ink', () => {
		expect(paint('x', {color: 'ansi256(100)'})).toBeUndefined();
	});

	it('draws a table row of coloured cells as the nested cells drew it', () => {
		chalk.level = 3;
		const columns = [{header: 'name'}, {header: 'state', width: 8}, {header: 'ttl', width: 6, align: 'right' as const}];
		const rows = [
			{key: 'a', cells: ['res-1', {text: 'held', color: 'green', bold: true}, {text: '3m', dim: true}]},
			{key: 'b', cells: ['res-2', {text: 'odd', color: 'ansi256(100)'}, '1s']},
		];
		const frame = render(<Table columns={columns} rows={rows} cols={30} height={4} selected={0} />).lastFrame()!;
		const row = (name: string, state: React.ReactNode, ttl: React.ReactNode, inverse: boolean) =>
			render(
				<Text inverse={inverse} wrap="truncate">
					{name}
					{state}
					{ttl}
				</Text>,
			).lastFrame();
		const lines = frame.split('\n');
		expect(lines[1]).toBe(
			row(
				'res-1          ',
				<Text color="green" bold>
					{'held     '}
				</Text>,
				<Text dimColor>{'    3m'}</Text>,
				true,
			),
		);
		expect(lines[2]).toBe(row('res-2          ', <Text color="ansi256(100)">{'odd      '}</Text>, '    1s', false));
	});

	it('cuts a row wider than the table, and marks an unfocused selection, as per-row Texts did', () => {
		chalk.level = 3;
		// Minimum widths that add up to more than 16 columns.
		const columns = [{header: 'name', min: 10}, {header: 'state', width: 8}];
		const rows = [
			{key: 'a', cells: ['a-long-resource', {text: 'held', color: 'green'}], color: 'yellow'},
			{key: 'b', cells: ['b', 'free']},
		];
		const frame = render(<Table columns={columns} rows={rows} cols={16} height={3} selected={1} focused={false} />).lastFrame()!;
		const old = render(
			<Box flexDirection="column" width={16}>
				<Text wrap="truncate" color="yellow">
					{'a-long-re… '}
					<Text color="green">{'held    '}</Text>
				</Text>
				<Text wrap="truncate" underline>
					{'b          free    '}
				</Text>
			</Box>,
		).lastFrame()!;
		expect(frame.split('\n').slice(1)).toEqual(old.split('\n'));
		expect(frame).toContain('…');
	});
});
