import {Box, Text} from 'ink';
import React from 'react';
import {countBy} from '../domain/layouts';
import {delta, rateSeries, ratePerSec} from '../domain/rates';
import {formatBytes, formatCount, formatDuration} from '../domain/format';
import {sanitize} from '../domain/sanitize';
import type {Snapshot} from '../domain/types';
import {theme} from '../theme';
import {fit, truncate} from '../ui/fit';
import {innerSize, PaneFrame} from '../ui/pane-frame';
import {sparkline} from '../ui/sparkline';
import type {PaneProps} from './pane-props';

const Line = ({label, value, cols, color}: {label: string; value: string; cols: number; color?: string}) => (
	<Text wrap="truncate">
		<Text color={theme.muted}>{fit(label, 12)}</Text>
		<Text color={color}>{truncate(value, Math.max(0, cols - 12))}</Text>
	</Text>
);

/** "12: active 8 · terminated 4" */
const breakdown = (counts: [string, number][], total: number): string =>
	total === 0 ? '0' : `${total}: ${counts.map(([k, n]) => `${sanitize(k)} ${n}`).join(' · ')}`;

export const statsLines = (snapshot: Snapshot): number => (snapshot.stats ? 10 : 8);

export const StatsPane = ({snapshot, history, width, height, focused, index}: PaneProps) => {
	const {cols, rows} = innerSize(width, height);
	const {stats, instances, jobs, locks, metrics, stateDir} = snapshot;
	const orchestrator = [
		<Line key="inst" label="instances" value={breakdown(countBy(instances, i => (i.parseError ? 'unparsable' : i.status)), instances.length)} cols={cols} />,
		<Line key="jobs" label="jobs" value={breakdown(countBy(jobs, j => (j.parseError ? 'unparsable' : j.status)), jobs.length)} cols={cols} />,
		<Line key="locks" label="locks" value={`${locks.length} · metrics ${metrics.length} series`} cols={cols} />,
	];
	let body: React.ReactNode[];
	if (stats) {
		const reqDelta = delta(history, s => s.totalCommands);
		const cmdRate = ratePerSec(history, s => s.totalCommands);
		const spark = Math.max(0, cols - 12 - 10);
		const memPct = stats.maxMemory && stats.usedMemory !== null ? ` (${((stats.usedMemory / stats.maxMemory) * 100).toFixed(1)}% of ${formatBytes(stats.maxMemory)})` : stats.maxMemory === 0 ? ' (no limit)' : '';
		body = [
			<Line key="keys" label="keys" value={formatCount(stats.keys)} cols={cols} />,
			<Line key="mem" label="mem" value={`${formatBytes(stats.usedMemory)}${memPct}`} cols={cols} />,
			<Line key="clients" label="clients" value={`${formatCount(stats.clients)}  blocked ${formatCount(stats.blocked)}`} cols={cols} />,
			<Line
				key="req"
				label="requests"
				value={`${formatCount(stats.totalCommands)} (+${reqDelta === null ? '-' : formatCount(reqDelta)})  ${cmdRate === null ? '' : `${formatCount(Math.round(cmdRate))}/s`}`}
				cols={cols}
			/>,
			<Line key="conn" label="connections" value={formatCount(stats.connections)} cols={cols} />,
			<Text key="spark1" wrap="truncate">
				<Text color={theme.muted}>{fit('cmds/s', 12)}</Text>
				<Text color={theme.accent}>{sparkline(rateSeries(history, s => s.totalCommands), spark)}</Text>
			</Text>,
			<Text key="spark2" wrap="truncate">
				<Text color={theme.muted}>{fit('mem', 12)}</Text>
				<Text color={theme.accent}>{sparkline(history.map(h => h.stats.usedMemory), spark)}</Text>
			</Text>,
			...orchestrator,
		];
	} else if (stateDir) {
		const files = stateDir.files.filter(f => !f.name.endsWith('.lock'));
		body = [
			<Line key="dir" label="state dir" value={sanitize(stateDir.dir)} cols={cols} color={stateDir.exists ? undefined : theme.critical} />,
			...orchestrator,
			<Line key="ml" label="metrics" value={`${formatCount(stateDir.metricsLines)} lines${stateDir.metricsBadLines ? `, ${stateDir.metricsBadLines} bad` : ''}`} cols={cols} />,
			...files.map(f => (
				<Line
					key={`f:${f.name}`}
					label={truncate(sanitize(f.name), 11)}
					value={`${formatBytes(f.size)}  modified ${formatDuration(snapshot.takenAt - f.mtimeMs)} ago`}
					cols={cols}
				/>
			)),
		];
	} else {
		const why = snapshot.errors.info ?? snapshot.source.error ?? 'no data yet';
		body = [<Text key="none" color={theme.warn} wrap="truncate">{truncate(sanitize(why), cols)}</Text>, ...orchestrator];
	}
	if (snapshot.errors.info && stats) {
		body.unshift(<Text key="err" color={theme.warn} wrap="truncate">{truncate(`INFO: ${sanitize(snapshot.errors.info)}`, cols)}</Text>);
	}
	const subtitle = snapshot.server?.version ? `redis ${sanitize(snapshot.server.version)}` : stateDir ? 'state dir' : undefined;
	return (
		<PaneFrame title="Stats" subtitle={subtitle} index={index} focused={focused} width={width} height={height}>
			<Box flexDirection="column" height={rows} overflow="hidden">
				{body.slice(0, rows)}
			</Box>
		</PaneFrame>
	);
};
