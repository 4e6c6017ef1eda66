import React from 'react';
import {formatTtl} from '../domain/format';
import {theme} from '../theme';
import {innerSize, PaneFrame} from '../ui/pane-frame';
import {Table, type Column, type Row} from '../ui/table';
import type {PaneProps} from './pane-props';

export const KeysPane = ({snapshot, width, height, focused, cursor, index}: PaneProps) => {
	const {cols, rows} = innerSize(width, height);
	const columns: Column[] = [
		{header: 'key', min: 10},
		{header: 'type', width: 9},
		{header: 'TTL', width: 8, align: 'right'},
	];
	const tableRows: Row[] = snapshot.keys.map(k => ({
		key: k.key,
		cells: [k.key, k.type ?? '?', {text: formatTtl(k.ttlMs), color: k.ttlMs === null ? theme.muted : undefined}],
	}));
	const empty = snapshot.errors.keys ? `SCAN failed: ${snapshot.errors.keys}` : 'No keys under the prefix.';
	const subtitle = `${snapshot.keys.length}${snapshot.keysTruncated ? '+' : ''} keys`;
	return (
		<PaneFrame title="Keys" subtitle={subtitle} index={index} focused={focused} width={width} height={height}>
			<Table columns={columns} rows={tableRows} cols={cols} height={rows} selected={cursor.index} offset={cursor.offset} focused={focused} empty={empty} />
		</PaneFrame>
	);
};
