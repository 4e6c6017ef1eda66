import {Box, Text} from 'ink';
import React from 'react';
import {formatClock, formatDuration, formatMicros} from '../domain/format';
import {sanitize} from '../domain/sanitize';
import {commandName} from '../domain/slowlog';
import {isNew, serverEpoch} from '../domain/slowlog-history';
import type {Snapshot, SlowlogConfig, SlowlogHistoryEntry, SlowlogMark} from '../domain/types';
import {theme} from '../theme';
import {graphemes, truncate, width as textWidth} from '../ui/fit';
import {innerSize, listPosition, PaneFrame, type ListPosition} from '../ui/pane-frame';
import {Table, windowedRows, type Column, type Row} from '../ui/table';
import type {PaneProps} from './pane-props';
import {
	durationRows,
	findEntry,
	shownSort,
	formatTimestamp,
	hasServerSlowlog,
	historyOf,
	initialSlowlogState,
	listRows,
	summaryOf,
	type SlowlogDetail,
	type SlowlogRow,
	type SlowlogState,
} from './slowlog-view';

/**
 * Colour of a duration against slowlog-log-slower-than when it is known (and
 * not 0 = log everything): 2× warn, 10× critical; else fixed 10 ms / 100 ms.
 */
export const durationColor = (us: number, slowerThan: number | null | undefined): string | undefined => {
	if (slowerThan !== null && slowerThan !== undefined && slowerThan > 0) {
		return us >= slowerThan * 10 ? theme.critical : us >= slowerThan * 2 ? theme.warn : undefined;
	}
	return us >= 100_000 ? theme.critical : us >= 10_000 ? theme.warn : undefined;
};

const Line = ({text, cols, color, bold}: {text: string; cols: number; color?: string; bold?: boolean}) => (
	<Text color={color} bold={bold} wrap="truncate">
		{truncate(text, cols)}
	</Text>
);

/** "slower-than 10.00ms · max-len 128", or why those are not visible. */
export const configText = (config: SlowlogConfig | undefined): string => {
	if (!config) return 'slowlog settings: not visible yet';
	if (config.error) return `slowlog settings: not visible (${sanitize(config.error)})`;
	const t = config.logSlowerThan;
	const slower = t === null ? '?' : t < 0 ? 'disabled (<0)' : t === 0 ? '0 (logs every command)' : formatMicros(t);
	const nodes = !config.cluster
		? ''
		: config.cluster.differ.length === 0
			? ` (all ${config.cluster.nodes} nodes)`
			: ` (${sanitize(config.cluster.shownFrom)}; differs on ${sanitize(config.cluster.differ.join(', '))})`;
	return `slower-than ${slower} · max-len ${config.maxLen ?? '?'}${nodes}`;
};

/** Why SLOWLOG is not readable, in words: denied by ACL, or renamed / disabled. */
export const deniedText = (error: string): string =>
	/unknown command/i.test(error)
		? `SLOWLOG is renamed or disabled on this server (${sanitize(error)}). The rest of tcmon keeps working.`
		: /NOPERM|no permissions/i.test(error)
			? `SLOWLOG is denied for this user (${sanitize(error)}). The rest of tcmon keeps working.`
			: `SLOWLOG failed: ${sanitize(error)}. The rest of tcmon keeps working.`;

const markText = (mark: SlowlogMark): string => {
	const label = mark.kind === 'reset' ? 'SLOWLOG RESET' : mark.kind === 'restart' ? 'SERVER RESTART' : 'GAP';
	return `── ${label} (seen ${formatClock(mark.at)}): ${sanitize(mark.detail)} ──`;
};

/** The list, and where it is scrolled to (for the frame's bottom border). */
const listView = ({snapshot, state, cols, rows, cursor, focused}: {snapshot: Snapshot; state: SlowlogState; cols: number; rows: number; cursor: PaneProps['cursor']; focused: boolean}): {node: React.ReactNode; position: ListPosition | null} => {
	const history = historyOf(snapshot);
	const threshold = snapshot.slowlogConfig?.logSlowerThan;
	const wide = cols >= 70;
	// Redis Cluster: the entries of every node, each naming its node.
	const nodes = Boolean(snapshot.cluster);
	// Nodes that all share one host are told apart by port (the Stats pane's table names the host).
	const hosts = new Set((snapshot.cluster?.nodes ?? []).map(n => n.addr.slice(0, n.addr.lastIndexOf(':'))));
	const nodeName = (addr: string | undefined): string => (!addr ? '' : hosts.size === 1 && cols < 120 ? addr.slice(addr.lastIndexOf(':')) : addr);
	const columns: Column[] = [
		{header: '', width: 2},
		{header: 'id', width: 6, align: 'right'},
		{header: 'time', width: 8},
		{header: 'age', width: 6, align: 'right'},
		{header: 'took', width: 8, align: 'right'},
		...(nodes ? [{header: 'node', width: Math.min(21, Math.max(5, ...(snapshot.cluster?.nodes ?? []).map(n => nodeName(n.addr).length)))}] : []),
		{header: 'command', min: 10},
		...(wide ? [{header: 'client', width: Math.min(24, Math.floor(cols / 4))}] : []),
	];
	const now = snapshot.takenAt;
	const entryRow = (e: SlowlogHistoryEntry): Row => {
		const fresh = isNew(e, history, now);
		return {
			key: `${e.node ?? ''}:${e.epoch}:${e.id}`,
			color: fresh ? theme.highlight : undefined,
			cells: [
				{text: `${fresh ? '+' : ' '}${e.touchesPrefix ? '*' : ' '}`, color: fresh ? theme.highlight : theme.accent, bold: fresh},
				{text: String(e.id), bold: fresh},
				formatClock(e.time * 1000),
				formatDuration(now - e.time * 1000),
				{text: formatMicros(e.durationMicros), color: durationColor(e.durationMicros, threshold)},
				...(nodes ? [sanitize(nodeName(e.node))] : []),
				e.args.map(a => sanitize(a)).join(' '),
				...(wide ? [e.client] : []),
			],
		};
	};
	const markRow = (mark: SlowlogMark, i: number): Row => ({key: `mark:${mark.kind}:${mark.at}:${i}`, color: mark.kind === 'gap' ? theme.muted : theme.warn, cells: [markText(mark)], span: true});
	const all: SlowlogRow[] = listRows(snapshot, state);
	const denied = snapshot.errors.slowlog;
	const tableHeight = rows - 1 - (denied ? 1 : 0);
	const tableRows = windowedRows(all, cursor.offset, tableHeight, (r, i) => (r.kind === 'entry' ? entryRow(r.entry) : markRow(r.mark, i)));
	const empty = state.filter
		? `No entry matches "${sanitize(state.filter)}" (/ then Enter on an empty line clears it).`
		: 'Slowlog is empty: no command was slower than slowlog-log-slower-than.';
	const info = [
		configText(snapshot.slowlogConfig),
		`session ${history.seen}${history.evicted ? ` (${history.evicted} oldest dropped)` : ''}`,
		...(all.some(r => r.kind === 'entry' && isNew(r.entry, history, now)) ? ['+ new'] : []),
		...(all.some(r => r.kind === 'entry' && r.entry.touchesPrefix) ? ['* touches the prefix'] : []),
	].join(' · ');
	const position = listPosition(cursor.offset, tableHeight - 1, all.length);
	const node = (
		<Box flexDirection="column" height={rows} overflow="hidden">
			{denied ? <Line text={deniedText(denied)} cols={cols} color={theme.warn} /> : null}
			<Line text={info} cols={cols} color={theme.muted} />
			<Table columns={columns} rows={tableRows} cols={cols} height={tableHeight} selected={cursor.index} offset={cursor.offset} focused={focused} empty={empty} />
		</Box>
	);
	return {node, position};
};

const summaryView = ({snapshot, cols, rows, cursor, focused}: {snapshot: Snapshot; cols: number; rows: number; cursor: PaneProps['cursor']; focused: boolean}): {node: React.ReactNode; position: ListPosition | null} => {
	const summary = summaryOf(snapshot);
	const threshold = snapshot.slowlogConfig?.logSlowerThan;
	const columns: Column[] = [
		{header: 'command', min: 10},
		{header: 'count', width: 6, align: 'right'},
		{header: 'p50', width: 8, align: 'right'},
		{header: 'p95', width: 8, align: 'right'},
		{header: 'max', width: 8, align: 'right'},
		{header: 'prefix', width: 6, align: 'right'},
	];
	const tableRows: Row[] = summary.map(s => ({
		key: s.command,
		cells: [
			s.command,
			String(s.count),
			formatMicros(s.p50Micros),
			{text: formatMicros(s.p95Micros), color: durationColor(s.p95Micros, threshold)},
			{text: formatMicros(s.maxMicros), color: durationColor(s.maxMicros, threshold)},
			{text: `${Math.round(s.prefixShare * 100)}%`, color: s.prefixCount > 0 ? theme.accent : theme.muted},
		],
	}));
	const history = historyOf(snapshot);
	const info = `per command over the session (${history.seen} entries) · prefix = share touching the prefix · Enter filters`;
	const node = (
		<Box flexDirection="column" height={rows} overflow="hidden">
			<Line text={info} cols={cols} color={theme.muted} />
			<Table columns={columns} rows={tableRows} cols={cols} height={rows - 1} selected={cursor.index} offset={cursor.offset} focused={focused} empty="No slow command seen this session." />
		</Box>
	);
	return {node, position: listPosition(cursor.offset, rows - 2, summary.length)};
};

/** Wraps sanitised text to `cols` columns (by display width), at a space when one is near. */
export const wrap = (text: string, cols: number): string[] => {
	if (cols <= 0) return [];
	const out: string[] = [];
	let line = '';
	let used = 0;
	for (const {segment} of graphemes(text)) {
		const w = textWidth(segment);
		if (used + w > cols && line) {
			// Break after the last space when it is not too far back (words stay whole).
			const space = line.lastIndexOf(' ');
			const cut = space >= line.length / 2 ? space + 1 : line.length;
			out.push(line.slice(0, cut));
			line = line.slice(cut);
			used = textWidth(line);
		}
		line += segment;
		used += w;
	}
	out.push(line);
	return out;
};

const DetailView = ({snapshot, detail, cols, rows}: {snapshot: Snapshot; detail: SlowlogDetail; cols: number; rows: number}) => {
	const entry = findEntry(snapshot, detail);
	if (!entry) return <Line text="This entry is no longer in the session history. q / Esc goes back." cols={cols} color={theme.warn} />;
	const history = historyOf(snapshot);
	const threshold = snapshot.slowlogConfig?.logSlowerThan;
	const label = (l: string) => l.padEnd(9);
	const ratio = threshold && threshold > 0 ? ` (${(entry.durationMicros / threshold).toFixed(1)}× slowlog-log-slower-than ${formatMicros(threshold)})` : '';
	const head: {text: string; color?: string}[] = [
		{
			text: [
				`${label('entry')}#${entry.id}`,
				...(entry.node ? [`node ${sanitize(entry.node)}`] : []),
				...(isNew(entry, history, snapshot.takenAt) ? ['NEW'] : []),
				commandName(entry.args),
				`${entry.args.length} args`,
				...(entry.touchesPrefix ? ['touches the prefix'] : []),
				...(serverEpoch(entry.epoch) ? [`after ${serverEpoch(entry.epoch)} reset/restart`] : []),
			].join(' · '),
		},
		{text: `${label('time')}${formatTimestamp(entry.time * 1000)} (unix ${entry.time}) · ${formatDuration(snapshot.takenAt - entry.time * 1000)} ago`},
		{text: `${label('took')}${formatMicros(entry.durationMicros)} = ${entry.durationMicros} µs${ratio}`, color: durationColor(entry.durationMicros, threshold)},
		{text: `${label('client')}${sanitize(entry.client) || '-'}`},
	];
	const argCols = Math.max(1, cols - 6);
	const lines: {text: string; color?: string}[] = [];
	entry.args.slice(detail.scroll).forEach((arg, k) => {
		const n = detail.scroll + k + 1;
		wrap(sanitize(arg), argCols).forEach((part, j) => lines.push({text: `${j === 0 ? String(n).padStart(4) : '    '}  ${part}`}));
	});
	const room = Math.max(0, rows - head.length - 1);
	const last = Math.min(entry.args.length, detail.scroll + 1 + Math.max(0, room - 1));
	const argsTitle = `args ${detail.scroll + 1}–${last} of ${entry.args.length} · j/k scroll · q / Esc back`;
	return (
		<Box flexDirection="column" height={rows} overflow="hidden">
			{head.map((l, i) => (
				<Line key={i} text={l.text} color={l.color} cols={cols} />
			))}
			<Line text={argsTitle} cols={cols} color={theme.muted} bold />
			{lines.slice(0, room).map((l, i) => (
				<Text key={i} wrap="truncate">
					{truncate(l.text, cols)}
				</Text>
			))}
		</Box>
	);
};

/** The JSON source has no slowlog: say so, and show the slowest duration samples of metrics.jsonl. */
const NoServerView = ({snapshot, cols, rows, cursor, focused}: {snapshot: Snapshot; cols: number; rows: number; cursor: PaneProps['cursor']; focused: boolean}) => {
	const samples = durationRows(snapshot);
	const columns: Column[] = [
		{header: 'metric', min: 10},
		{header: 'time', width: 8},
		{header: 'age', width: 6, align: 'right'},
		{header: 'duration', width: 9, align: 'right'},
	];
	const tableRows: Row[] = samples.map((s, i) => ({
		key: `${s.metric}:${s.at}:${i}`,
		cells: [s.field ? `${s.metric}.${s.field}` : s.metric, formatClock(s.at), formatDuration(snapshot.takenAt - s.at), formatDuration(s.durationMs)],
	}));
	return (
		<Box flexDirection="column" height={rows} overflow="hidden">
			<Line text="No slowlog: the JSON state directory has no server to ask." cols={cols} color={theme.muted} />
			<Line text={samples.length > 0 ? 'Slowest metrics.jsonl samples that carry a duration:' : 'No metrics.jsonl sample carries a duration (e.g. job_duration_ms).'} cols={cols} color={theme.muted} />
			{samples.length > 0 ? <Table columns={columns} rows={tableRows} cols={cols} height={rows - 2} selected={cursor.index} offset={cursor.offset} focused={focused} /> : null}
		</Box>
	);
};

export const SlowlogPane = ({snapshot, width, height, focused, cursor, index, state}: PaneProps<SlowlogState>) => {
	const {cols, rows} = innerSize(width, height);
	const s = state ?? initialSlowlogState();
	const history = historyOf(snapshot);
	let body: React.ReactNode;
	let subtitle: string | undefined;
	let position: ListPosition | null = null;
	if (!hasServerSlowlog(snapshot)) {
		body = <NoServerView snapshot={snapshot} cols={cols} rows={rows} cursor={cursor} focused={focused} />;
		subtitle = 'no server';
	} else if (snapshot.errors.slowlog && history.entries.length === 0) {
		body = (
			<Box flexDirection="column" height={rows} overflow="hidden">
				<Text color={theme.warn} wrap="wrap">
					{deniedText(snapshot.errors.slowlog)}
				</Text>
				<Line text={configText(snapshot.slowlogConfig)} cols={cols} color={theme.muted} />
			</Box>
		);
		subtitle = 'not available';
	} else {
		const server = snapshot.slowlogLength === null ? '' : ` · ${snapshot.slowlogLength} on server`;
		const resets = history.marks.filter(m => m.kind === 'reset').length;
		const restarts = history.marks.filter(m => m.kind === 'restart').length;
		const plural = (n: number, word: string) => (n ? ` · ${n} ${word}${n > 1 ? 's' : ''}` : '');
		subtitle = s.detail
			? 'entry'
			: s.view === 'summary'
				? `per command · ${summaryOf(snapshot).length}`
				: `${history.entries.length} in session${server}${plural(resets, 'reset')}${plural(restarts, 'restart')} · ${shownSort(s)}${s.filter ? ` · /${sanitize(s.filter)}` : ''}`;
		if (s.detail) body = <DetailView snapshot={snapshot} detail={s.detail} cols={cols} rows={rows} />;
		else ({node: body, position} = (s.view === 'summary' ? summaryView : listView)({snapshot, state: s, cols, rows, cursor, focused}));
	}
	return (
		<PaneFrame title="Slowlog" subtitle={subtitle} index={index} focused={focused} width={width} height={height} position={position}>
			{body}
		</PaneFrame>
	);
};
