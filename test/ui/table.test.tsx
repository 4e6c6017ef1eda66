// windowedRows builds only the rows a Table shows; the Table must draw the same.
import {render} from 'ink-testing-library';
import React from 'react';
import {describe, expect, it} from 'vitest';
import {Table, windowedRows, type Row} from '../../source/ui/table';

describe('windowedRows', () => {
	const items = Array.from({length: 5000}, (_, i) => `entry ${i}`);
	const row = (item: string, i: number): Row => ({key: String(i), cells: [item, {text: String(i * 2), color: 'green'}]});
	const columns = [{header: 'name'}, {header: 'n', width: 6, align: 'right' as const}];

	it('builds a screenful, not the list', () => {
		let built = 0;
		const rows = windowedRows(items, 4200, 10, (item, i) => {
			built++;
			return row(item, i);
		});
		expect(rows).toHaveLength(5000);
		expect(built).toBe(9);
		expect(rows[4200]?.cells[0]).toBe('entry 4200');
		expect(rows[4209]).toBeUndefined();
	});

	it('draws what the whole list drew, at the top, in the middle and at the end', () => {
		for (const offset of [0, 2500, 4991]) {
			const all = render(<Table columns={columns} rows={items.map(row)} cols={40} height={10} offset={offset} selected={offset + 3} />).lastFrame();
			const windowed = render(<Table columns={columns} rows={windowedRows(items, offset, 10, row)} cols={40} height={10} offset={offset} selected={offset + 3} />).lastFrame();
			expect(windowed).toBe(all);
			expect(windowed).toContain(`entry ${offset}`);
		}
	});
});
