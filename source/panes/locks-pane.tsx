import React from 'react';
import {formatDuration, formatTtl} from '../domain/format';
import {byTtlLeft, lockState, type LockState} from '../domain/locks';
import type {Lock} from '../domain/types';
import {theme} from '../theme';
import {innerSize, PaneFrame} from '../ui/pane-frame';
import {Table, type Column, type Row} from '../ui/table';
import type {PaneProps} from './pane-props';

const STATE_LABEL: Record<LockState, {text: string; color?: string}> = {
	held: {text: 'held', color: theme.ok},
	expiring: {text: 'expiring', color: theme.warn},
	'no-ttl': {text: 'NO TTL', color: theme.critical},
	stale: {text: 'stale file', color: theme.critical},
	foreign: {text: 'foreign', color: theme.info},
};

/** Locks in display order: soonest to expire first, never-expiring last. */
export const lockRows = (locks: readonly Lock[]): Lock[] => [...locks].sort(byTtlLeft);

export const LocksPane = ({snapshot, width, height, focused, cursor, index}: PaneProps) => {
	const {cols, rows} = innerSize(width, height);
	const wide = cols >= 70;
	const columns: Column[] = [
		{header: 'resource', min: 10},
		{header: 'in', width: 5},
		{header: 'held', width: 7, align: 'right'},
		{header: 'TTL', width: 7, align: 'right'},
		{header: 'state', width: 10},
		...(wide ? [{header: 'token', min: 12}] : []),
	];
	const now = snapshot.takenAt;
	const tableRows: Row[] = lockRows(snapshot.locks).map(lock => {
		const state = STATE_LABEL[lockState(lock)];
		return {
			key: `${lock.layout}:${lock.key}`,
			cells: [
				lock.resource,
				lock.layout,
				lock.acquiredAt === null ? '?' : formatDuration(now - lock.acquiredAt),
				formatTtl(lock.ttlMs),
				{text: state.text, color: state.color, bold: state.color === theme.critical},
				...(wide ? [lock.token] : []),
			],
		};
	});
	const empty = snapshot.errors.locks ? `Locks unreadable: ${snapshot.errors.locks}` : 'No locks held.';
	return (
		<PaneFrame title="Locks" subtitle={`${snapshot.locks.length}`} index={index} focused={focused} width={width} height={height}>
			<Table columns={columns} rows={tableRows} cols={cols} height={rows} selected={cursor.index} offset={cursor.offset} focused={focused} empty={empty} />
		</PaneFrame>
	);
};
