import {Box, Text} from 'ink';
import React from 'react';
import {formatDuration} from '../domain/format';
import {sanitize} from '../domain/sanitize';
import {countsNote} from '../domain/state-merge';
import type {Snapshot} from '../domain/types';
import {theme} from '../theme';
import {truncate, width as textWidth} from './fit';

export type HeaderProps = {
	snapshot: Snapshot | null;
	width: number;
	now: number;
	intervalMs: number;
	paused: boolean;
	/** --allow-write: force-release is on. */
	writable?: boolean;
	prefix: string;
};

type Badge = {text: string; color: string};

export const badgesFor = (snapshot: Snapshot | null, paused: boolean, writable = false): Badge[] => {
	const out: Badge[] = [];
	// The one mode in which a key can change the store: never silent.
	if (writable) out.push({text: 'WRITE', color: theme.critical});
	if (snapshot?.source.kind === 'demo') out.push({text: 'DEMO', color: theme.badgeDemo});
	if (snapshot?.source.fallbackReason) out.push({text: 'FALLBACK', color: theme.badgeFallback});
	if (snapshot?.source.stale) out.push({text: 'STALE', color: theme.badgeStale});
	// Lock files in the state dir beside Redis' locks: the writer fell back for some calls.
	if (snapshot?.splitState) out.push({text: 'SPLIT', color: theme.badgeFallback});
	if (paused) out.push({text: 'PAUSED', color: theme.badgePaused});
	// Firing alerts show on every pane, not only in Stats.
	const firingNames = (snapshot?.alerts ?? []).filter(a => a.status === 'firing').map(a => a.name);
	if (firingNames.length > 0) out.push({text: `FIRING ${firingNames.join(' ')}`, color: theme.critical});
	return out;
};

/** The one line that says what is wrong, most important first, or null. */
export const problemLine = (snapshot: Snapshot | null, now: number): {text: string; color: string} | null => {
	if (!snapshot) return {text: 'connecting…', color: theme.muted};
	const {source} = snapshot;
	if (source.kind === 'redis' && !source.connected) {
		const age = source.dataAt === null ? 'no data yet' : `last data ${formatDuration(now - source.dataAt)} old`;
		// Connected but silent (stopped, DEBUG SLEEP, a quiet proxy): not a reconnect.
		if (typeof source.waitingSince === 'number') {
			return {text: `not answering for ${Math.floor(Math.max(0, now - source.waitingSince) / 1000)} s · ${age}${source.error ? ` (${source.error})` : ''}`, color: theme.critical};
		}
		return {text: `reconnecting… ${age}${source.error ? ` (${source.error})` : ''}`, color: theme.critical};
	}
	if (source.fallbackReason) {
		const fallback = `${source.fallbackReason}: showing ${source.target}`;
		// The fallback's own failure (a truncated instances.json) first: that is why its data is stale.
		return source.error ? {text: `${source.error} · ${fallback}`, color: theme.critical} : {text: fallback, color: theme.warn};
	}
	if (source.error) return {text: source.error, color: theme.critical};
	const errors = Object.entries(snapshot.errors);
	if (errors.length > 0) return {text: errors.map(([k, v]) => `${k}: ${v}`).join(' · '), color: theme.warn};
	return null;
};

export const Header = ({snapshot, width, now, intervalMs, paused, writable, prefix}: HeaderProps) => {
	const server = snapshot?.server;
	const src = snapshot ? `${snapshot.source.kind} ${sanitize(snapshot.source.target)}` : '…';
	const srv = server?.version ? ` · ${sanitize(server.version)} ${sanitize(server.role ?? '')}` : '';
	const age = snapshot?.source.dataAt ? `updated ${formatDuration(Math.max(0, now - snapshot.source.dataAt))} ago` : '';
	const right = `every ${formatDuration(intervalMs)}${age ? ` · ${age}` : ''}`;
	const badges = badgesFor(snapshot, paused, writable);
	const badgeText = badges.map(b => ` ${b.text} `).join(' ');
	const leftRoom = Math.max(0, width - textWidth(right) - badgeText.length - 9);
	const left = truncate(`${src}${srv}`, leftRoom);
	const gap = Math.max(1, width - 7 - left.length - (badgeText ? badgeText.length + 1 : 0) - right.length);
	const problem = problemLine(snapshot, now);
	const counts = snapshot
		? `prefix ${prefix} · ${snapshot.instances.length} instances · ${snapshot.jobs.length} jobs · ${snapshot.locks.length} locks${countsNote(snapshot) ? ` · ${countsNote(snapshot)}` : ''}`
		: '';
	return (
		<Box flexDirection="column" height={2} width={width}>
			<Text wrap="truncate">
				<Text bold color={theme.accent}>
					tcmon
				</Text>
				<Text> {left} </Text>
				{badges.map(b => (
					<Text key={b.text} inverse bold color={b.color}>
						{` ${b.text} `}
					</Text>
				))}
				<Text>{' '.repeat(gap)}</Text>
				<Text color={theme.muted}>{right}</Text>
			</Text>
			<Text wrap="truncate" color={problem?.color ?? theme.muted}>
				{truncate(sanitize(problem?.text ?? counts), width)}
			</Text>
		</Box>
	);
};
