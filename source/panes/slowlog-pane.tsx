import React from 'react';
import {formatDuration, formatMicros} from '../domain/format';
import {sanitize} from '../domain/sanitize';
import type {SlowlogEntry} from '../domain/types';
import {theme} from '../theme';
import {innerSize, PaneFrame} from '../ui/pane-frame';
import {Table, type Column, type Row} from '../ui/table';
import type {PaneProps} from './pane-props';

export const slowlogRows = (entries: readonly SlowlogEntry[]) => entries;

const durationColor = (us: number): string | undefined => (us >= 100_000 ? theme.critical : us >= 10_000 ? theme.warn : undefined);

export const SlowlogPane = ({snapshot, width, height, focused, cursor, index}: PaneProps) => {
	const {cols, rows} = innerSize(width, height);
	const wide = cols >= 70;
	const columns: Column[] = [
		{header: 'id', width: 6, align: 'right'},
		{header: 'age', width: 7, align: 'right'},
		{header: 'took', width: 8, align: 'right'},
		{header: 'command', min: 10},
		...(wide ? [{header: 'client', width: Math.min(24, Math.floor(cols / 4))}] : []),
	];
	const now = snapshot.takenAt;
	const tableRows: Row[] = snapshot.slowlog.map(e => ({
		key: String(e.id),
		cells: [
			String(e.id),
			formatDuration(now - e.time * 1000),
			{text: formatMicros(e.durationMicros), color: durationColor(e.durationMicros)},
			e.args.map(a => sanitize(a)).join(' '),
			...(wide ? [e.client] : []),
		],
	}));
	const denied = snapshot.errors.slowlog;
	const empty = denied
		? `SLOWLOG not available: ${sanitize(denied)}`
		: snapshot.source.kind !== 'redis'
			? 'No slowlog: the JSON state directory has no server to ask.'
			: 'Slowlog is empty: no command was slower than slowlog-log-slower-than.';
	const subtitle = snapshot.slowlogLength === null ? undefined : `${snapshot.slowlog.length} of ${snapshot.slowlogLength}`;
	return (
		<PaneFrame title="Slowlog" subtitle={subtitle} index={index} focused={focused} width={width} height={height}>
			<Table columns={columns} rows={tableRows} cols={cols} height={rows} selected={cursor.index} offset={cursor.offset} focused={focused} empty={empty} />
		</PaneFrame>
	);
};
