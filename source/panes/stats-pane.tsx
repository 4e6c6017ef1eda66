import {Box, Text} from 'ink';
import React from 'react';
import {clusterSummary, nodeTable} from '../domain/cluster';
import {countBy} from '../domain/layouts';
import {formatBytes, formatCount, formatDuration} from '../domain/format';
import {
	alertsFigure,
	auditFigure,
	clientFigures,
	detailLines,
	fragmentationFigure,
	keyFigures,
	memoryCheckFigure,
	persistenceFigure,
	serverFigure,
	type Figure,
	type Level,
} from '../domain/health';
import {lockState} from '../domain/locks';
import {countsNote, stateOfValue} from '../domain/state-merge';
import {sanitize} from '../domain/sanitize';
import type {Snapshot} from '../domain/types';
import {theme} from '../theme';
import {fit, truncate} from '../ui/fit';
import {paint} from '../ui/paint';
import {innerSize, PaneFrame} from '../ui/pane-frame';
import {sparkline} from '../ui/sparkline';
import type {PaneProps} from './pane-props';
import type {StatsState} from './stats-controller';

const LABEL = 10;

const color = (level: Level | undefined): string | undefined => (level === undefined || level === 'ok' ? undefined : theme[level]);

// Each line is one painted string (ui/paint.ts): one text node, not one a part.
const Line = ({label, value, cols, level}: {label: string; value: string; cols: number; level?: Level}) => (
	<Text wrap="truncate">{paint(fit(label, LABEL), {color: theme.muted})! + paint(truncate(sanitize(value), Math.max(0, cols - LABEL)), {color: color(level)})!}</Text>
);

/** A key metric: label, value in a fixed column, then its sparkline in the rest. */
const MetricLine = ({figure, cols}: {figure: Figure; cols: number}) => {
	const valueCols = Math.min(Math.max(18, cols - LABEL - 22), 32);
	const spark = Math.max(0, cols - LABEL - valueCols - 1);
	const line =
		paint(fit(figure.label, LABEL), {color: theme.muted})! +
		paint(fit(sanitize(figure.value), valueCols), {color: color(figure.level)})! +
		' ' +
		paint(figure.series ? sparkline(figure.series, spark) : '', {color: figure.level === 'ok' ? theme.accent : color(figure.level)})!;
	return <Text wrap="truncate">{line}</Text>;
};

/** "12: active 8 · terminated 4" */
const breakdown = (counts: [string, number][], total: number): string =>
	total === 0 ? '0' : `${total}: ${counts.map(([k, n]) => `${sanitize(k)} ${n}`).join(' · ')}`;

const orchestratorLines = (snapshot: Snapshot, cols: number): React.ReactNode[] => {
	const {instances, jobs, locks, metrics, stateDir} = snapshot;
	const files = snapshot.lockFiles;
	const lockText = stateDir
		? `${files && files.shown < files.total ? `${files.shown} of ${files.total}` : locks.length} lock file${locks.length === 1 ? '' : 's'}${locks.length ? `: ${countBy(locks, l => lockState(l)).map(([k, n]) => `${k} ${n}`).join(' · ')}` : ''}`
		: `${locks.length} · metrics ${metrics.length} series`;
	const note = countsNote(snapshot);
	return [
		<Line key="inst" label="instances" value={breakdown(countBy(instances, stateOfValue), instances.length)} cols={cols} />,
		<Line key="jobs" label="jobs" value={breakdown(countBy(jobs, stateOfValue), jobs.length)} cols={cols} />,
		...(note ? [<Line key="read" label="counted" value={note} level="warn" cols={cols} />] : []),
		<Line key="locks" label="locks" value={lockText} cols={cols} />,
	];
};

/** Redis Cluster: its state, the totals over every node, then the node table (masters, their replicas under them). */
const clusterLines = (snapshot: Snapshot, cols: number): React.ReactNode[] => {
	const view = snapshot.cluster!;
	const {stats} = snapshot;
	const summary = clusterSummary(view);
	const lines: React.ReactNode[] = [<Line key="cl" label="cluster" value={summary.text} level={summary.level} cols={cols} />];
	if (stats) {
		lines.push(
			<Line key="tot" label="total" value={`${formatCount(stats.keys)} keys · ${formatBytes(stats.usedMemory)} · ${formatCount(stats.opsPerSec)} ops/s · ${formatCount(stats.clients)} clients`} cols={cols} />,
		);
	}
	nodeTable(view, {bytes: formatBytes, count: formatCount}, cols).forEach((text, i) => {
		const node = i === 0 ? null : view.nodes[i - 1]!;
		const level = node && (node.failing || node.link === 'disconnected' || node.error) ? theme.warn : i === 0 ? theme.muted : undefined;
		lines.push(
			<Text key={`n${i}`} wrap="truncate">
				{paint(truncate(sanitize(text), cols), {color: level})}
			</Text>,
		);
	});
	return lines;
};

/** The compact view, most important first: the frame cuts from the bottom. */
const summaryLines = (props: PaneProps, cols: number): React.ReactNode[] => {
	const {snapshot, history} = props;
	const {stats, stateDir} = snapshot;
	const body: React.ReactNode[] = [];
	const alerts = alertsFigure(snapshot.alerts);
	if (snapshot.source.kind === 'redis' || snapshot.alerts.length > 0) body.push(<Line key="alerts" label={alerts.label} value={alerts.value} level={alerts.level} cols={cols} />);
	if (snapshot.errors.info) {
		body.push(<Line key="err" label="INFO" value={`${snapshot.errors.info} — server figures not permitted`} level="warn" cols={cols} />);
	}
	if (snapshot.cluster) {
		body.push(...clusterLines(snapshot, cols));
	} else if (stats && snapshot.info) {
		for (const f of keyFigures(snapshot, history)) body.push(<MetricLine key={f.label} figure={f} cols={cols} />);
		for (const f of [clientFigures(snapshot, history), serverFigure(snapshot), persistenceFigure(snapshot)]) {
			if (f) body.push(<Line key={f.label} label={f.label} value={f.value} level={f.level} cols={cols} />);
		}
	} else if (stats) {
		// INFO denied but DBSIZE allowed: the one server figure there is.
		body.push(<Line key="keys" label="keys" value={`${formatCount(stats.keys)} (DBSIZE)`} cols={cols} />);
	}
	for (const f of [auditFigure(snapshot), memoryCheckFigure(snapshot), stats ? fragmentationFigure(snapshot, history) : null]) {
		if (f) body.push(<Line key={f.label} label={f.label} value={f.value} level={f.level} cols={cols} />);
	}
	if (!stats && stateDir) {
		const files = stateDir.files.filter(f => !f.name.endsWith('.lock'));
		body.push(
			<Line key="dir" label="state dir" value={stateDir.dir} cols={cols} level={stateDir.exists ? undefined : 'critical'} />,
			...orchestratorLines(snapshot, cols),
			<Line key="ml" label="metrics" value={`${formatCount(stateDir.metricsLines)} lines${stateDir.metricsBadLines ? `, ${stateDir.metricsBadLines} bad` : ''} · ${snapshot.metrics.length} series`} cols={cols} />,
			...files.map(f => <Line key={`f:${f.name}`} label="file" value={`${f.name}  ${formatBytes(f.size)}  modified ${formatDuration(snapshot.takenAt - f.mtimeMs)} ago`} cols={cols} />),
		);
		return body;
	}
	if (!stats && !snapshot.errors.info) {
		body.push(<Text key="none" color={theme.warn} wrap="truncate">{truncate(sanitize(snapshot.source.error ?? 'no data yet'), cols)}</Text>);
	}
	body.push(...orchestratorLines(snapshot, cols));
	return body;
};

const DetailView = ({snapshot, history, cols, rows, scroll}: {snapshot: Snapshot; history: PaneProps['history']; cols: number; rows: number; scroll: number}) => {
	const lines = detailLines(snapshot, history);
	const shown = Math.max(0, rows - 1);
	const top = Math.min(scroll, Math.max(0, lines.length - shown));
	const more = lines.length > top + shown ? ` · ${lines.length - top - shown} more ↓` : '';
	return (
		<>
			<Text color={theme.muted} wrap="truncate">
				{truncate(`details ${top + 1}-${Math.min(lines.length, top + shown)} of ${lines.length}${more} · Esc/q back`, cols)}
			</Text>
			{lines.slice(top, top + shown).map((l, i) => (
				<Text key={i} wrap="truncate" bold={l.heading} color={l.heading ? theme.accent : color(l.level)}>
					{truncate(sanitize(l.text), cols)}
				</Text>
			))}
		</>
	);
};

export const StatsPane = (props: PaneProps<StatsState>) => {
	const {snapshot, width, height, focused, index} = props;
	const state = props.state;
	const {cols, rows} = innerSize(width, height);
	const stateDir = snapshot.stateDir;
	const subtitle = snapshot.server?.version ? `redis ${sanitize(snapshot.server.version)}` : stateDir ? 'state dir' : undefined;
	return (
		<PaneFrame title="Stats" subtitle={state?.detail ? `${subtitle ? `${subtitle} · ` : ''}details` : subtitle} index={index} focused={focused} width={width} height={height}>
			<Box flexDirection="column" height={rows} overflow="hidden">
				{state?.detail ? <DetailView snapshot={snapshot} history={props.history} cols={cols} rows={rows} scroll={state.scroll} /> : summaryLines(props, cols).slice(0, rows)}
			</Box>
		</PaneFrame>
	);
};
