import {Box, Text} from 'ink';
import React from 'react';
import type {Agent, AgentsView, JobRow, Liveness, Queue} from '../domain/agents';
import type {ActivityEvent} from '../domain/types';
import {formatClock, formatDuration} from '../domain/format';
import {sanitize} from '../domain/sanitize';
import {theme} from '../theme';
import {truncate, width as textWidth} from '../ui/fit';
import {paint} from '../ui/paint';
import {innerSize, listPosition, PaneFrame} from '../ui/pane-frame';
import {Table, windowedRows, type Cell, type Column, type Row} from '../ui/table';
import {agentsLines, agentsViewOf, type AgentsLine, type AgentsState} from './agents-controller';
import {windowStart} from './locks-view';
import type {PaneProps} from './pane-props';

type Part = {text: string; color?: string; bold?: boolean};

/** One line of coloured parts, cut to `cols`, painted as one string. */
const Parts = ({parts, cols}: {parts: Part[]; cols: number}) => {
	let left = cols;
	let shown = '';
	for (const p of parts) {
		if (left <= 0) break;
		const text = truncate(sanitize(p.text), left);
		left -= textWidth(text);
		shown += paint(text, {color: p.color, bold: p.bold})!;
	}
	return <Text wrap="truncate">{shown}</Text>;
};

const STATUS_COLOR: Record<string, string> = {active: theme.ok, initializing: theme.info, terminated: theme.muted, error: theme.critical};
const statusCell = (status: string | null): Cell => (status === null ? {text: '?', color: theme.muted} : {text: status, color: STATUS_COLOR[status] ?? theme.warn, bold: status === 'error'});

export const LIVENESS_LABEL: Record<Liveness, Cell> = {
	alive: {text: '● alive', color: theme.ok},
	ghost: {text: '✖ GHOST', color: theme.critical, bold: true},
	gone: {text: '○ gone', color: theme.muted},
	unknown: {text: '? tmux', color: theme.muted},
};

const ROLE_SHORT: Record<string, string> = {executive: 'exec', manager: 'mgr', specialist: 'spec'};

const ago = (now: number, at: number | null): string => (at === null ? '-' : formatDuration(Math.max(0, now - at)));

const agentName = (a: Agent, indent: string): Cell => {
	const marks = [a.orphan ? 'orphan' : '', a.cycle ? 'cycle' : '', a.parseError ? 'unparsable' : '', a.stateDirOnly ? 'state dir only' : ''].filter(Boolean);
	const held = a.locks.length ? ` [${a.locks.length === 1 ? `lock ${a.locks[0]}` : `${a.locks.length} locks`}]` : '';
	const text = `${indent}${a.id}${marks.length ? ` (${marks.join(', ')})` : ''}${held}`;
	return marks.length ? {text, color: theme.warn, bold: true} : {text};
};

const columnsFor = (cols: number): Column[] => {
	if (cols >= 100) {
		return [
			{header: 'agent', min: 18},
			{header: 'role', width: 4},
			{header: 'status', width: 12},
			{header: 'tmux', width: 7},
			{header: 'age', width: 6, align: 'right'},
			{header: 'upd', width: 6, align: 'right'},
			{header: 'kids', width: 4, align: 'right'},
			{header: 'session', min: 12},
			...(cols >= 140 ? [{header: 'project', min: 12}] : []),
		];
	}
	if (cols >= 64) {
		return [
			{header: 'agent', min: 16},
			{header: 'role', width: 4},
			{header: 'status', width: 12},
			{header: 'tmux', width: 7},
			{header: 'age', width: 6, align: 'right'},
			{header: 'kids', width: 4, align: 'right'},
			...(cols >= 84 ? [{header: 'session', min: 12}] : []),
		];
	}
	return [
		{header: 'agent', min: 10},
		{header: 'status', width: 12},
		{header: 'tmux', width: 7},
		{header: 'age', width: 6, align: 'right'},
	];
};

const lineRow = (line: AgentsLine, now: number, cols: number): Row => {
	if (line.kind === 'session') {
		const unreg = {text: 'unregistered', color: theme.warn, bold: true};
		const live = {text: '● tmux', color: theme.warn};
		if (cols >= 100) return {key: `s:${line.session}`, cells: [{text: line.session, color: theme.warn}, '', unreg, live, '', '', '', line.session, ...(cols >= 140 ? ['no store entry'] : [])]};
		if (cols >= 64) return {key: `s:${line.session}`, cells: [{text: line.session, color: theme.warn}, '', unreg, live, '', '', ...(cols >= 84 ? [line.session] : [])]};
		return {key: `s:${line.session}`, cells: [{text: line.session, color: theme.warn}, unreg, live, '']};
	}
	const a = line.agent;
	const name = agentName(a, line.guide);
	const live = LIVENESS_LABEL[a.liveness];
	const age = ago(now, a.createdAt);
	const session = a.session ?? a.sessionName ?? '-';
	const role = ROLE_SHORT[a.role ?? ''] ?? a.role ?? '?';
	if (cols >= 100) {
		const project = a.projectDir ?? a.workDir ?? '-';
		return {key: a.id, cells: [name, role, statusCell(a.status), live, age, ago(now, a.updatedAt), String(a.childCount), session, ...(cols >= 140 ? [project] : [])]};
	}
	if (cols >= 64) return {key: a.id, cells: [name, role, statusCell(a.status), live, age, String(a.childCount), ...(cols >= 84 ? [session] : [])]};
	return {key: a.id, cells: [name, statusCell(a.status), live, age]};
};

const summaryParts = (view: AgentsView): Part[] => {
	const s = view.summary;
	const parts: Part[] = [{text: `${s.agents} agent${s.agents === 1 ? '' : 's'}`, bold: true}];
	const add = (n: number, text: string, color: string, bold = false) => {
		if (n > 0) parts.push({text: ' · ', color: theme.muted}, {text: `${n} ${text}`, color, bold});
	};
	if (s.tmuxKnown) {
		add(s.alive, 'alive', theme.ok);
		add(s.ghost, 'ghost', theme.critical, true);
		add(s.unregistered, 'unregistered', theme.warn, true);
	}
	add(s.orphan, 'orphan', theme.warn, true);
	add(s.error, 'error', theme.critical, true);
	const split = view.stateDir;
	if (split) add(split.instancesOnly + split.jobsOnly, 'only in the state dir', theme.warn, true);
	if (split?.error) parts.push({text: `  state dir: ${split.error}`, color: theme.warn});
	if (!s.tmuxKnown) parts.push({text: `  liveness unknown: ${view.tmux.detail ?? 'tmux not asked'}`, color: theme.muted});
	return parts;
};

const jobLine = (j: JobRow, now: number): Part[] => {
	const tries = j.attempts !== null ? ` ${j.attempts}/${j.maxAttempts ?? '?'}` : '';
	const manager = j.managerId ? ` → ${j.managerId}${j.managerMissing ? ' (no such manager)' : ''}` : '';
	switch (j.status) {
		case 'pending': {
			const retry = j.nextRetryAt !== null ? ` retry in ${formatDuration(j.nextRetryAt - now)}` : '';
			return [{text: '  pending  ', color: theme.info}, {text: `${j.priorityLabel.padEnd(8)} ${j.id} waited ${ago(now, j.enqueuedAt)}${tries ? ` try${tries}` : ''}${retry}`}];
		}
		case 'assigned':
		case 'active':
			return [{text: `  ${j.status.padEnd(9)}`, color: theme.ok}, {text: `${j.id}${manager}${tries ? ` try${tries}` : ''}${j.startedAt !== null ? ` for ${ago(now, j.startedAt)}` : ''}`}];
		case 'failed':
			return [{text: '  failed   ', color: theme.critical, bold: true}, {text: `${j.id}${tries} `}, {text: j.lastError ?? '(no error recorded)', color: theme.critical}];
		case 'completed':
			return [{text: '  done     ', color: theme.muted}, {text: `${j.id} in ${formatDuration(j.durationMs)}${manager}`}];
		default:
			return [{text: `  ${(j.status ?? '?').padEnd(9)}`, color: theme.warn}, {text: `${j.id}${j.parseError ? ' (unparsable)' : ''}`}];
	}
};

/** The queue section's lines: counts, manager load, then each group, all groups shown before any is long. */
export const queueLines = (queue: Queue, now: number, room: number): Part[][] => {
	const head: Part[] = [
		{text: 'jobs ', bold: true},
		{text: `${queue.pending.length} pending`, color: theme.info},
		{text: ` · ${queue.running.length} running`, color: theme.ok},
		{text: ` · ${queue.failed.length} failed`, color: queue.failed.length ? theme.critical : theme.muted, bold: queue.failed.length > 0},
		{text: ` · ${queue.completed.length} done`, color: theme.muted},
		...(queue.other.length ? [{text: ` · ${queue.other.length} other`, color: theme.warn}] : []),
	];
	const load = queue.load.slice(0, 6).map(l => `${l.managerId}${l.known ? '' : ' (not in store)'}: ${l.active + l.assigned} running, ${l.completed} done, ${l.failed} failed`);
	const lines: Part[][] = [head];
	if (load.length) lines.push([{text: 'load ', bold: true}, {text: load.join(' · ') + (queue.load.length > 6 ? ` · +${queue.load.length - 6}` : ''), color: theme.muted}]);
	const groups = (
		[
			[queue.running, 'running'],
			[queue.pending, 'pending'],
			[queue.failed, 'failed'],
			[queue.completed, 'done'],
			[queue.other, 'other'],
		] as const
	).filter(([g]) => g.length > 0);
	let left = room - lines.length;
	for (const [i, [group, label]] of groups.entries()) {
		if (left <= 0) break;
		const share = Math.max(1, Math.floor(left / (groups.length - i)));
		if (group.length <= share) {
			for (const j of group) lines.push(jobLine(j, now));
		} else if (share === 1) {
			// One line: the first job, and how many more of its kind.
			const [first, ...rest] = jobLine(group[0]!, now);
			lines.push([{text: `+${group.length - 1} `, color: theme.muted}, {...first!, text: first!.text.trimStart()}, ...rest]);
		} else {
			for (const j of group.slice(0, share - 1)) lines.push(jobLine(j, now));
			lines.push([{text: `  … ${group.length - share + 1} more ${label}`, color: theme.muted}]);
		}
		left = room - lines.length;
	}
	return lines.slice(0, room);
};

const FEED_STYLE: Record<ActivityEvent['kind'], Cell> = {
	published: {text: 'published', color: theme.info},
	status: {text: 'status', color: theme.accent},
	appeared: {text: 'appeared', color: theme.ok},
	gone: {text: 'removed', color: theme.muted},
	tmux: {text: 'tmux', color: theme.warn},
	job: {text: 'job', color: theme.highlight},
};

const feedColumns = (cols: number): Column[] => [
	{header: 'at', width: 8},
	{header: 'what', width: 9},
	{header: 'id', width: cols >= 100 ? 24 : cols >= 70 ? 21 : 17},
	{header: 'change', min: 10},
];

const feedRow = (e: ActivityEvent, i: number): Row => ({
	key: `${i}:${e.at}`,
	cells: [formatClock(e.at), FEED_STYLE[e.kind], e.id ?? '?', {text: e.text, color: e.text.includes('ghost') || e.text.endsWith('→ error') || e.text.includes('→ failed') ? theme.critical : undefined}],
});

export const AgentsPane = ({snapshot, width, height, focused, cursor, index, state: given}: PaneProps<AgentsState>) => {
	const state = given ?? {feed: false};
	const {cols, rows} = innerSize(width, height);
	const now = snapshot.takenAt;
	const view = agentsViewOf(snapshot);
	const lines = agentsLines(view);
	const s = view.summary;
	const feed = snapshot.activity ?? [];
	const subtitle = `${s.agents}${s.tmuxKnown && s.ghost ? ` · ${s.ghost} ghost` : ''} · ${s.pending} queued${s.failed ? ` · ${s.failed} failed` : ''}${state.feed ? ` · activity ${feed.length}` : ''}`;
	// The queue takes what its lines need, up to 40% of the pane; a short pane keeps only its count line.
	const queueRoom = rows >= 12 ? Math.min(14, Math.floor(rows * 0.4)) : rows >= 5 ? 1 : 0;
	const queue = queueLines(view.queue, now, queueRoom);
	const queueRows = queue.length;
	const summary = rows >= 4 ? 1 : 0;
	const listRows = Math.max(1, rows - summary - queueRows);
	const start = windowStart(cursor.index, cursor.offset, listRows - 1, lines.length);
	const feedStart = windowStart(cursor.index, cursor.offset, listRows - 1, feed.length);
	const empty = snapshot.errors.state ? `Instances unreadable: ${sanitize(snapshot.errors.state)}` : 'No agents in the store.';
	return (
		<PaneFrame
			title="Agents"
			subtitle={subtitle}
			index={index}
			focused={focused}
			width={width}
			height={height}
			position={state.feed ? listPosition(feedStart, listRows - 1, feed.length) : listPosition(start, listRows - 1, lines.length)}
		>
			<Box flexDirection="column" height={rows} overflow="hidden">
				{summary ? <Parts parts={summaryParts(view)} cols={cols} /> : null}
				{state.feed ? (
					<Table
						columns={feedColumns(cols)}
						rows={windowedRows(feed, feedStart, listRows, feedRow)}
						cols={cols}
						height={listRows}
						selected={cursor.index}
						offset={feedStart}
						focused={focused}
						empty={`No activity yet. ${snapshot.activityNote ?? 'The feed is kept by the live UI only.'}`}
					/>
				) : (
					<Table columns={columnsFor(cols)} rows={windowedRows(lines, start, listRows, l => lineRow(l, now, cols))} cols={cols} height={listRows} selected={cursor.index} offset={start} focused={focused} empty={empty} />
				)}
				{queueRows > 0 ? (
					<Box flexDirection="column" height={queueRows} overflow="hidden">
						{queue.map((parts, i) => (
							<Parts key={i} parts={parts} cols={cols} />
						))}
					</Box>
				) : null}
			</Box>
		</PaneFrame>
	);
};
