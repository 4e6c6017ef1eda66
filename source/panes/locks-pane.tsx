import {Box, Text} from 'ink';
import React from 'react';
import {formatClock, formatDuration, formatTtl} from '../domain/format';
import {byTtlLeft, type LockState} from '../domain/locks';
import {sanitize} from '../domain/sanitize';
import {tokenText} from '../domain/state-merge';
import type {Lock, LockEvent, Snapshot} from '../domain/types';
import {theme} from '../theme';
import {truncate, width as textWidth} from '../ui/fit';
import {paint} from '../ui/paint';
import {innerSize, listPosition, PaneFrame, type ListPosition} from '../ui/pane-frame';
import {Table, windowedRows, type Column, type Row} from '../ui/table';
import {LockDetailView} from './locks-detail';
import {EVENT_STYLE, STATE_LABEL} from './locks-style';
import {fullTtlOf, initialLocksState, SORT_LABEL, stateOf, ttlBar, visibleEvents, visibleLocks, windowStart, type LocksState} from './locks-view';
import type {PaneProps} from './pane-props';

/** Locks in display order: soonest to expire first, never-expiring last. */
export const lockRows = (locks: readonly Lock[]): Lock[] => [...locks].sort(byTtlLeft);

type Part = {text: string; color?: string; bold?: boolean};

/** One line of coloured parts, cut to `cols`. */
const Parts = ({parts, cols}: {parts: Part[]; cols: number}) => {
	let left = cols;
	// One painted string (ui/paint.ts): one text node, not one a part.
	let shown = '';
	for (const p of parts) {
		if (left <= 0) break;
		const text = truncate(p.text, left);
		left -= textWidth(text);
		shown += paint(text, {color: p.color, bold: p.bold})!;
	}
	return <Text wrap="truncate">{shown}</Text>;
};

const ALERT_ORDER: LockState[] = ['unreadable', 'no-ttl', 'stale', 'expiring', 'held', 'foreign'];

/** "split state: 2 lock files in ./state beside Redis · " when the writer fell back to files. */
const splitParts = (snapshot: Snapshot): Part[] => {
	const split = snapshot.splitState;
	if (!split) return [];
	const n = split.lockFiles;
	return [
		{text: `SPLIT STATE: ${n} lock file${n === 1 ? '' : 's'} in ${sanitize(split.dir)} beside Redis`, color: theme.warn, bold: true},
		{text: ' · ', color: theme.muted},
	];
};

const summaryParts = (locks: readonly Lock[], state: LocksState, snapshot: Snapshot): Part[] => {
	const counts = new Map<LockState, number>();
	for (const l of locks) counts.set(stateOf(l), (counts.get(stateOf(l)) ?? 0) + 1);
	const parts: Part[] = splitParts(snapshot);
	const lead = parts.length;
	for (const s of ALERT_ORDER) {
		const n = counts.get(s);
		if (!n) continue;
		const label = STATE_LABEL[s];
		if (parts.length > lead) parts.push({text: ' · ', color: theme.muted});
		parts.push({text: `${n} ${label.text}`, color: label.color, bold: s === 'no-ttl' || s === 'stale' || s === 'unreadable'});
	}
	if (parts.length === lead) parts.push({text: 'no locks', color: theme.muted});
	parts.push({text: `  sort ${SORT_LABEL[state.sort]}${state.filter ? ` · /${sanitize(state.filter)}` : ''}${state.events ? ' · events' : ''}`, color: theme.muted});
	return parts;
};

const noteParts = (snapshot: Snapshot, state: LocksState): Part[] => {
	const history = snapshot.lockHistory;
	const gap = formatDuration(history?.pollGapMs ?? null);
	const within = history?.pollGapMs ? `< ${gap}` : 'shorter than the poll interval';
	const notify = history?.notifications.state ?? (snapshot.source.kind === 'redis' ? 'unknown' : 'n/a');
	const note: Part = !history
		? {text: 'keyspace notifications not checked yet', color: theme.muted}
		: notify === 'on'
			? {text: 'keyspace notifications on: locks between polls are recorded', color: theme.ok}
			: notify === 'off'
				? {text: `no keyspace notifications: locks held ${within} can be missed`, color: theme.warn}
				: notify === 'unknown'
					? {text: `notifications unknown (CONFIG GET denied?): locks held ${within} may be missed`, color: theme.warn}
					: {text: `lock files are read each poll: locks held ${within} can be missed`, color: theme.muted};
	const t = history?.totals;
	const totals: Part[] = t ? [{text: `  seen: ${t.acquisitions} acquired · ${t.releases} released · ${t.expiries} expired · ${t.contention} contended`, color: theme.muted}] : [];
	return [note, ...totals];
};

const lockColumns = (cols: number): Column[] => {
	if (cols >= 100) {
		return [
			{header: 'resource', min: 12},
			{header: 'in', width: 5},
			{header: 'token', min: 14},
			{header: 'acquired', width: 8},
			{header: 'held', width: 7, align: 'right'},
			{header: 'TTL', width: 7, align: 'right'},
			{header: 'left', width: 10},
			{header: 'state', width: 10},
		];
	}
	return [
		{header: 'resource', min: 8},
		{header: 'in', width: 5},
		{header: 'held', width: 6, align: 'right'},
		{header: 'TTL', width: 7, align: 'right'},
		...(cols >= 54 ? [{header: 'left', width: cols >= 70 ? 8 : 6}] : []),
		{header: 'state', width: 10},
		...(cols >= 70 ? [{header: 'token', min: 10}] : []),
	];
};

/** Where a lock lives: a lock file shown beside Redis' locks is marked "split". */
const inCell = (lock: Lock, split: boolean) => (split && lock.layout === 'file' ? {text: 'split', color: theme.warn, bold: true} : lock.layout);

/** An unreadable lock file shows why in place of its token. */
const tokenCell = (lock: Lock) => (lock.error ? {text: `! ${lock.error}`, color: theme.critical} : tokenText(lock));

const lockRow = (lock: Lock, now: number, cols: number, split: boolean): Row => {
	const state = stateOf(lock);
	const label = STATE_LABEL[state];
	const stateCell = {text: label.text, color: label.color, bold: state === 'no-ttl' || state === 'stale' || state === 'unreadable'};
	const held = lock.acquiredAt === null ? '?' : formatDuration(now - lock.acquiredAt);
	const ttl = {text: formatTtl(lock.ttlMs), color: lock.ttlMs === null || lock.ttlMs <= 0 ? theme.critical : undefined};
	const bar = (w: number) => ({text: ttlBar(lock.ttlMs, fullTtlOf(lock), w), color: label.color, dim: state === 'held'});
	const key = `${lock.layout}:${lock.key}`;
	if (cols >= 100) {
		const acquired = lock.acquiredAt === null ? '?' : formatClock(lock.acquiredAt);
		return {key, cells: [lock.resource, inCell(lock, split), tokenCell(lock), acquired, held, ttl, bar(10), stateCell]};
	}
	return {
		key,
		cells: [lock.resource, inCell(lock, split), held, ttl, ...(cols >= 54 ? [bar(cols >= 70 ? 8 : 6)] : []), stateCell, ...(cols >= 70 ? [tokenCell(lock)] : [])],
	};
};

const eventColumns = (cols: number): Column[] => [
	{header: 'at', width: 8},
	{header: 'event', width: 8},
	{header: 'resource', min: 8},
	{header: 'in', width: 5},
	{header: 'held', width: 6, align: 'right'},
	{header: 'note', width: 9},
	...(cols >= 90 ? [{header: 'token', min: 12}] : []),
];

const eventRow = (e: LockEvent, i: number, cols: number): Row => {
	const style = EVENT_STYLE[e.kind];
	const note = e.contended ? {text: 'contended', color: theme.warn} : e.via === 'notification' ? {text: 'notified', color: theme.muted} : '';
	return {
		key: `${i}:${e.at}:${e.key}`,
		cells: [formatClock(e.at), {text: style.text, color: style.color}, e.resource, e.layout, e.heldMs === null ? '' : formatDuration(e.heldMs), note, ...(cols >= 90 ? [e.token ?? '?'] : [])],
	};
};

export const LocksPane = ({snapshot, width, height, focused, cursor, index, state: given}: PaneProps<LocksState>) => {
	const state = given ?? initialLocksState();
	const {cols, rows} = innerSize(width, height);
	const now = snapshot.takenAt;
	const locks = visibleLocks(snapshot.locks, state);
	const files = snapshot.lockFiles;
	// Lock files past the read cap: the count must say so.
	const capped = files && files.shown < files.total ? ` · ${files.shown} of ${files.total} lock files shown` : '';
	const shown = `${state.filter ? `${locks.length} of ${snapshot.locks.length}` : `${snapshot.locks.length}`}${capped}`;
	const frame = (children: React.ReactNode, subtitle = shown, position: ListPosition | null = null) => (
		<PaneFrame title="Locks" subtitle={subtitle} index={index} focused={focused} width={width} height={height} position={position}>
			{children}
		</PaneFrame>
	);
	if (state.detail) {
		return frame(<LockDetailView snapshot={snapshot} detail={state.detail} prompt={state.prompt} cols={cols} rows={rows} />, `${shown} · detail`);
	}

	const chrome = rows >= 6 ? 2 : 0; // summary line above, note line below
	const body = rows - chrome;
	const split = !state.events && body >= 16 ? Math.min(10, Math.floor(body * 0.35)) : 0;
	const listRows = body - split;
	const empty = snapshot.errors.locks
		? `Locks unreadable: ${sanitize(snapshot.errors.locks)}`
		: state.filter && snapshot.locks.length > 0
			? `No lock's resource matches /${sanitize(state.filter)}.`
			: 'No locks held.';

	let list: React.ReactNode;
	let position: ListPosition | null;
	if (state.events) {
		const events = visibleEvents(snapshot, state);
		const start = windowStart(cursor.index, cursor.offset, listRows - 1, events.length);
		position = listPosition(start, listRows - 1, events.length);
		const since = snapshot.lockHistory ? ` since ${formatClock(snapshot.lockHistory.since)}` : '';
		list = (
			<Table
				columns={eventColumns(cols)}
				rows={windowedRows(events, start, listRows, (e, i) => eventRow(e, i, cols))}
				cols={cols}
				height={listRows}
				selected={cursor.index}
				offset={start}
				focused={focused}
				empty={`No lock events yet${since}.`}
			/>
		);
	} else {
		const start = windowStart(cursor.index, cursor.offset, listRows - 1, locks.length);
		position = listPosition(start, listRows - 1, locks.length);
		list = <Table columns={lockColumns(cols)} rows={windowedRows(locks, start, listRows, l => lockRow(l, now, cols, Boolean(snapshot.splitState)))} cols={cols} height={listRows} selected={cursor.index} offset={start} focused={focused} empty={empty} />;
	}
	const recent = split > 0 ? visibleEvents(snapshot, state).slice(0, split - 1) : [];
	return frame(
		<Box flexDirection="column" height={rows} overflow="hidden">
			{chrome ? <Parts parts={summaryParts(snapshot.locks, state, snapshot)} cols={cols} /> : null}
			{list}
			{split > 0 ? (
				<Box flexDirection="column" height={split} overflow="hidden">
					<Text color={theme.muted} bold wrap="truncate">
						{truncate(`recent events (e: all ${snapshot.lockHistory?.events.length ?? 0})`, cols)}
					</Text>
					{recent.length === 0 ? (
						<Text color={theme.muted} wrap="truncate">
							{truncate('none yet', cols)}
						</Text>
					) : (
						recent.map((e, i) => {
							const style = EVENT_STYLE[e.kind];
							const held = e.heldMs === null ? '' : ` after ${formatDuration(e.heldMs)}`;
							const extra = `${e.contended ? ' · contended' : ''}${e.via === 'notification' ? ' · notified' : ''}`;
							return (
								<Text key={`${i}:${e.at}`} wrap="truncate" color={style.color}>
									{truncate(`${formatClock(e.at)} ${style.text.padEnd(8)} ${sanitize(e.resource)} (${e.layout})${held}${extra}`, cols)}
								</Text>
							);
						})
					)}
				</Box>
			) : null}
			{chrome ? <Parts parts={noteParts(snapshot, state)} cols={cols} /> : null}
		</Box>,
		shown,
		position,
	);
};
