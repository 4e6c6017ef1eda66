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

/** `countAlerts`: firing alerts as their count ("FIRING 3"), where their names do not fit. */
export const badgesFor = (snapshot: Snapshot | null, paused: boolean, writable = false, countAlerts = false): Badge[] => {
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
	if (firingNames.length > 0) out.push({text: `FIRING ${countAlerts ? firingNames.length : firingNames.join(' ')}`, color: theme.critical});
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
	const kind = snapshot?.source.kind ?? '';
	const target = snapshot ? sanitize(snapshot.source.target) : '…';
	const version = snapshot?.server?.version ? sanitize(snapshot.server.version) : '';
	const role = sanitize(snapshot?.server?.role ?? '');
	const age = snapshot?.source.dataAt ? `updated ${formatDuration(Math.max(0, now - snapshot.source.dataAt))} ago` : '';
	const every = `every ${formatDuration(intervalMs)}`;
	const allBadges = badgesFor(snapshot, paused, writable);
	const counted = badgesFor(snapshot, paused, writable, true);
	// Narrower panes drop whole words, least needed first, before the address is cut:
	// the version, the role, the poll interval; then alert names give way to their count
	// (Stats names them) and the rest is tried again; last the source kind, where the
	// URL's scheme already says it.
	// A long role ("cluster: 3 masters, 3 replicas") keeps its first word.
	const shortRole = role.split(':')[0]!;
	const words = [
		{server: `${version} ${role}`.trim(), every: true},
		{server: role, every: true},
		...(shortRole === role ? [] : [{server: shortRole, every: true}]),
		{server: '', every: true},
		{server: '', every: false},
	];
	const steps = [
		...[allBadges, counted].flatMap(badges => words.map(w => ({...w, badges, kind: true}))),
		{badges: counted, server: '', every: false, kind: !target.startsWith(kind)},
	];
	const shape = (step: (typeof steps)[number]) => {
		const left = `${step.kind && snapshot ? `${kind} ` : ''}${target}${step.server ? ` · ${step.server}` : ''}`;
		const right = [step.every ? every : '', age].filter(Boolean).join(' · ');
		const badgeText = step.badges.map(b => ` ${b.text} `).join(' ');
		return {left, right, badges: step.badges, badgeText, need: 8 + textWidth(left) + (badgeText ? badgeText.length + 1 : 0) + textWidth(right)};
	};
	const fitted = shape(steps.find(step => shape(step).need <= width) ?? steps.at(-1)!);
	const {right, badges, badgeText} = fitted;
	const left = truncate(fitted.left, Math.max(0, width - textWidth(right) - (badgeText ? badgeText.length + 1 : 0) - 8));
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
