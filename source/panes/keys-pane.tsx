import {Box, Text} from 'ink';
import React from 'react';
import {formatBytes, formatCount, formatDuration, formatTtl, ttlLeft} from '../domain/format';
import {jsonDetail} from '../domain/json-keys';
import {SIZE_WORD, valueLines, type Line} from '../domain/key-view';
import {classifyKey, KIND_LABEL, namespaceLabel, progressFigures, ttlPolicyBreak, type TreeRow} from '../domain/namespaces';
import {sanitize} from '../domain/sanitize';
import type {Snapshot} from '../domain/types';
import type {KeyDetail, IndexView} from '../sources/key-index';
import {theme} from '../theme';
import {fit, truncate} from '../ui/fit';
import {innerSize, listPosition, PaneFrame} from '../ui/pane-frame';
import {sparkline} from '../ui/sparkline';
import {Table, type Column, type Row} from '../ui/table';
import {keysRows, type KeysState, type ViewerState} from './keys-controller';
import type {PaneProps} from './pane-props';

/** The foundation's view: the poll's own list of keys under the prefix (before the browser starts). */
const PolledKeys = ({snapshot, width, height, focused, cursor, index}: PaneProps) => {
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

/** One line: where indexing is (progress, rate, time left) or how it ended. */
export const progressText = (index: IndexView): string => {
	const p = index.progress;
	const {fraction, rate, etaMs} = progressFigures(p);
	const pct = fraction === null ? '' : `${Math.floor(fraction * 100)}% · `;
	const of = p.dbsize === null ? '' : ` of ${formatCount(p.dbsize)}`;
	const typeNote = index.typeFilter === 'client' ? ' · TYPE per key (server < 6)' : '';
	switch (index.status) {
		case 'scanning':
			return `scanning ${pct}${formatCount(p.examined)}${of} examined · ${formatCount(p.found)} found · ${rate === null ? '?' : formatCount(Math.round(rate))}/s · ${etaMs === null ? '?' : formatDuration(etaMs)} left · x cancel${typeNote}`;
		case 'done':
			return `${formatCount(p.found)} keys · ${p.calls > 0 ? `${formatCount(p.dbsize ?? p.examined)} scanned in ${formatDuration(p.elapsedMs)} (${p.calls} SCAN calls)` : 'complete'}${typeNote}`;
		case 'cancelled':
			return `cancelled at ${pct}${formatCount(p.found)} keys counted (incomplete) · s scan again`;
		case 'error':
			return `SCAN failed: ${index.error ?? '?'} · s retry`;
	}
};

/** How current the walk is: following writes, being walked again, or (not followed) its age. */
export const freshness = (state: Pick<KeysState, 'following' | 'refreshing' | 'walkedAt'>, snapshot: Snapshot): string => {
	if (state.refreshing) return ' · walking again after writes';
	// Registered for writes, and the source's change tracking covers the store now.
	const following = state.following && (snapshot.changeTracking === undefined || snapshot.changeTracking?.on === true);
	if (following) return ' · follows writes';
	const now = snapshot.takenAt;
	if (state.walkedAt === null || state.walkedAt === undefined) return '';
	return ` · walked ${formatDuration(Math.max(0, now - state.walkedAt))} ago (s: again)`;
};

// A live countdown from the time it was read.
const ttlNow = (detail: KeyDetail | undefined, now: number): number | null | undefined => (detail ? ttlLeft(detail.ttlMs, detail.fetchedAt, now) : undefined);

const shortName = (row: Extract<TreeRow, {kind: 'key'}>, delimiter: string): string =>
	row.parent && row.ref.name.startsWith(row.parent + delimiter) ? row.ref.name.slice(row.parent.length + delimiter.length) : row.ref.name;

const Browser = ({snapshot, width, height, focused, cursor, index, state}: PaneProps<KeysState> & {state: KeysState}) => {
	const {cols, rows} = innerSize(width, height);
	const idx = state.index!;
	const tree = idx.tree;
	const delimiter = tree.options.delimiter;
	const wide = cols >= 90;
	const columns: Column[] = [
		{header: state.view === 'tree' ? 'namespace / key' : 'key', min: 10},
		{header: 'type', width: 8},
		{header: 'TTL', width: 7, align: 'right'},
		{header: 'mem', width: 6, align: 'right'},
		...(wide ? [{header: 'tmux-claude', width: 28}] : []),
	];
	const all = keysRows(state);
	// One line goes to the progress text: keep the cursor row inside what is left.
	const visible = Math.max(1, rows - 2);
	let offset = Math.min(cursor.offset, Math.max(0, all.length - visible));
	if (cursor.index >= offset + visible) offset = cursor.index - visible + 1;
	if (cursor.index < offset) offset = cursor.index;
	const now = snapshot.takenAt;
	const tableRows: Row[] = all.slice(offset, offset + visible).map((row, i) => {
		const indent = state.view === 'tree' ? '  '.repeat(row.depth) : '';
		const rowKey = `${offset + i}`;
		if (row.kind === 'ns') {
			const label = namespaceLabel(row.node.path, state.builtPrefix ?? '', delimiter);
			const name = `${indent}${row.expanded ? '▾' : '▸'} ${sanitize(row.node.name)}${delimiter}`;
			const more = row.node.overflow > 0 ? ` (+${formatCount(row.node.overflow)} not split)` : '';
			return {
				key: rowKey,
				cells: [
					{text: name + more, bold: true},
					{text: formatCount(row.node.count), color: theme.info},
					'',
					'',
					...(wide ? [{text: label ?? '', color: theme.accent}] : []),
				],
			};
		}
		if (row.kind === 'more') {
			return {key: rowKey, cells: [{text: `${indent}… ${formatCount(row.hidden)} more (counted, not kept)`, color: theme.muted}, '', '', '', ...(wide ? [''] : [])]};
		}
		const detail = row.ref.json ? {...jsonDetail(snapshot, row.ref), memory: null, fetchedAt: now} : state.details.get(row.ref);
		// Lock files count down from their mtime already (negative: overdue, a stale lock).
		const ttl = row.ref.json ? detail?.ttlMs : ttlNow(detail, now);
		const kind = row.ref.raw ? classifyKey(row.ref.name, state.builtPrefix ?? '') : 'other';
		const flag = row.ref.json ? (typeof ttl === 'number' && ttl <= 0 ? 'stale lock file' : null) : ttlPolicyBreak(kind, detail?.ttlMs);
		const name = state.view === 'tree' ? `${indent}${shortName(row, delimiter)}` : row.ref.name;
		const type = detail?.type ?? '…';
		return {
			key: rowKey,
			cells: [
				{text: `${flag && !wide ? '! ' : ''}${name}`, color: flag ? theme.critical : undefined},
				type,
				{text: detail ? formatTtl(ttl) : '…', color: flag ? theme.critical : ttl === null ? theme.muted : undefined, bold: Boolean(flag)},
				detail?.memory === null || detail === undefined ? '' : formatBytes(detail.memory),
				...(wide ? [{text: flag ?? KIND_LABEL[kind], color: flag ? theme.critical : theme.muted, bold: Boolean(flag)}] : []),
			],
		};
	});
	const scope = state.builtScope ?? '';
	const subtitle = `${state.view} · ${scope}${state.type ? ` · ${state.type}` : ''}${state.db !== null ? ` · db${state.db}` : ''} · ${formatCount(tree.total)} keys`;
	const status = `${progressText(idx)}${freshness(state, snapshot)}`;
	const statusColor = idx.status === 'error' ? theme.critical : idx.status === 'cancelled' ? theme.warn : idx.status === 'scanning' ? theme.info : theme.muted;
	const empty = idx.status === 'scanning' ? 'Scanning…' : idx.error ? idx.error : 'No keys match.';
	return (
		<PaneFrame title="Keys" subtitle={subtitle} index={index} focused={focused} width={width} height={height} position={listPosition(offset, visible, all.length)}>
			<Text color={statusColor} wrap="truncate">
				{fit(sanitize(status), cols)}
			</Text>
			<Table columns={columns} rows={tableRows} cols={cols} height={rows - 1} selected={cursor.index - offset} offset={0} focused={focused} empty={empty} />
		</PaneFrame>
	);
};

const LineView = ({line, cols}: {line: Line; cols: number}) => {
	let left = cols;
	const segs = [];
	for (let i = 0; i < line.length && left > 0; i++) {
		const seg = line[i]!;
		const text = truncate(seg.text, left);
		left -= text.length;
		segs.push(
			<Text key={i} color={seg.tone ? theme[seg.tone] : undefined} bold={seg.bold}>
				{text}
			</Text>,
		);
	}
	return <Text wrap="truncate">{segs.length > 0 ? segs : ' '}</Text>;
};

const Viewer = ({snapshot, width, height, focused, index, viewer, prefix}: PaneProps<KeysState> & {viewer: ViewerState; prefix: string}) => {
	const {cols, rows} = innerSize(width, height);
	const data = viewer.data;
	const now = Math.max(snapshot.takenAt, data?.fetchedAt ?? 0);
	// Up to 5,000 lines (a 64 KiB hex dump): rebuilt only when the data or width change
	// (or the clock, for a lock's "… ago").
	const clock = data && (data.kind === 'lock' || data.token !== undefined) ? now : 0;
	const lines = React.useMemo(() => (data ? valueLines(data, cols, clock, sparkline) : []), [data, cols, clock]);
	const bodyRows = Math.max(1, rows - 3);
	const scroll = Math.min(viewer.scroll, Math.max(0, lines.length - bodyRows));
	const shown = lines.slice(scroll, scroll + bodyRows);
	let facts = 'loading…';
	let flag: string | null = null;
	if (data) {
		const ttl = ttlLeft(data.ttlMs, data.fetchedAt, now);
		const size = data.size === null ? '' : data.type === 'string' ? ` · ${formatBytes(data.size)}` : ` · ${formatCount(data.size)} ${SIZE_WORD[data.type] ?? ''}`.trimEnd();
		const truncated =
			data.type === 'string' && data.bytes && data.size !== null && data.size > data.bytes.length
				? ` · truncated: first ${formatBytes(data.bytes.length)} of ${formatBytes(data.size)}`
				: data.items.length > 0 || data.next !== null
					? ` · ${formatCount(data.items.length)} loaded${data.next === null ? '' : data.loading ? ', loading more…' : ', more as you scroll'}`
					: '';
		facts = `${data.type}${size} · TTL ${formatTtl(ttl)}${data.memory === null ? '' : ` · mem ${formatBytes(data.memory)}`}${truncated}`;
		flag = ttlPolicyBreak(data.kind, data.ttlMs);
	}
	const kind = data ? KIND_LABEL[data.kind] : KIND_LABEL[classifyKey(viewer.ref.name, prefix)];
	return (
		<PaneFrame title="Keys" subtitle={`view${kind ? ` · ${kind}` : ''}`} index={index} focused={focused} width={width} height={height}>
			<Text bold color={theme.accent} wrap="truncate">
				{fit(sanitize(viewer.ref.name), cols)}
			</Text>
			<Text wrap="truncate" color={flag ? theme.critical : theme.muted}>
				{fit(sanitize(flag ? `${facts} · ! ${flag}` : facts), cols)}
			</Text>
			<Box flexDirection="column" height={bodyRows} overflow="hidden">
				{shown.map((line, i) => (
					<LineView key={scroll + i} line={line} cols={cols} />
				))}
			</Box>
			<Text color={theme.muted} wrap="truncate">
				{fit(`${lines.length === 0 ? 0 : scroll + 1}-${scroll + shown.length} of ${lines.length} lines · j/k PgDn scroll · y copy name · q back`, cols)}
			</Text>
		</PaneFrame>
	);
};

export const KeysPane = (props: PaneProps<KeysState>) => {
	const state = props.state;
	if (!state?.index) return <PolledKeys {...props} />;
	if (state.viewer) return <Viewer {...props} viewer={state.viewer} prefix={state.builtPrefix ?? ''} />;
	return <Browser {...props} state={state} />;
};
