// The detail of one lock (Enter in the Locks pane): full token, key, timings
// and that resource's history. Props only; scrolls by `detail.scroll`.
import {Box, Text} from 'ink';
import React from 'react';
import {eventsOf, statsOf} from '../domain/lock-history';
import {formatClock, formatDuration, formatTtl} from '../domain/format';
import {sanitize} from '../domain/sanitize';
import {TOKEN_CAP, truncatedText} from '../domain/state-merge';
import type {Lock, Snapshot} from '../domain/types';
import {theme} from '../theme';
import {fit, truncate, width as textWidth} from '../ui/fit';
import {EVENT_STYLE, STATE_LABEL} from './locks-style';
import {fullTtlOf, stateOf, ttlBar, type LocksDetail, type LocksPrompt} from './locks-view';

type Line = {key: string; label?: string; text: string; color?: string; bold?: boolean};

const LABEL = 10;

/** Cuts sanitised text into pieces of `width` characters (a long token over several lines). */
const chunks = (text: string, width: number): string[] => {
	const safe = sanitize(text);
	if (width <= 0) return [safe];
	const out: string[] = [];
	for (let i = 0; i < safe.length; i += width) out.push(safe.slice(i, i + width));
	return out.length > 0 ? out : [''];
};

const when = (at: number | null, now: number): string => (at === null ? '?' : `${new Date(at).toISOString().slice(0, 10)} ${formatClock(at)} (${formatDuration(now - at)} ago)`);

/** Every line of the detail, before scrolling. */
export const detailLines = (snapshot: Snapshot, detail: LocksDetail, cols: number): Line[] => {
	const now = snapshot.takenAt;
	const live = snapshot.locks.find(l => l.key === detail.key && l.layout === detail.layout);
	const lock: Lock = live ?? detail.lock;
	const history = snapshot.lockHistory;
	const events = eventsOf(history, detail.key);
	const stats = statsOf(history, detail.key);
	const valueCols = Math.max(1, cols - LABEL);
	const lines: Line[] = [];
	const state = stateOf(lock);
	const label = STATE_LABEL[state];
	const gone = !live;
	lines.push({key: 'title', text: `${sanitize(lock.resource)} · ${lock.layout}${gone ? '' : ` · ${label.text}`}`, bold: true, color: gone ? theme.muted : label.color});
	if (gone) {
		const end = events.find(e => e.kind !== 'acquired' && e.token === detail.lock.token);
		lines.push({key: 'gone', text: end ? `gone: ${end.kind} at ${formatClock(end.at)} after ${formatDuration(end.heldMs)}` : 'gone since it was opened', color: theme.warn});
	} else if (live.token !== detail.lock.token) {
		lines.push({key: 'retaken', text: 'taken again by a new token since this view was opened (shown now)', color: theme.warn});
	}
	lines.push({key: 'key', label: lock.layout === 'file' ? 'file' : 'key', text: sanitize(lock.key)});
	if (lock.layout === 'file' && snapshot.splitState) {
		lines.push({key: 'split', label: 'split', text: 'a lock file in the state dir while Redis is the source: the writer fell back to files', color: theme.warn});
	}
	if (lock.error) lines.push({key: 'error', label: 'error', text: sanitize(lock.error), color: theme.critical});
	else {
		// Before the token: a cut one runs for many lines.
		if (lock.truncated) lines.push({key: 'cut', label: 'token', text: truncatedText(TOKEN_CAP, lock.bytes), color: theme.warn});
		chunks(lock.token, valueCols).forEach((piece, i) => lines.push({key: `token${i}`, label: i === 0 && !lock.truncated ? 'token' : '', text: piece}));
	}
	if (lock.foreignToken && !lock.error) lines.push({key: 'foreign', label: '', text: 'foreign token: not {epoch ms}-{random}, shown raw', color: theme.info});
	const source = lock.layout === 'file' ? 'file mtime' : lock.acquiredAt === null ? 'unknown' : 'from the token';
	lines.push({key: 'acq', label: 'acquired', text: `${when(lock.acquiredAt, now)} · ${source}`});
	if (!gone) {
		lines.push({key: 'held', label: 'held for', text: lock.acquiredAt === null ? '?' : formatDuration(now - lock.acquiredAt)});
		const full = fullTtlOf(lock);
		const bar = ttlBar(lock.ttlMs, full, Math.min(20, Math.max(0, valueCols - 30)));
		const ttlText =
			lock.ttlMs === null
				? 'no TTL: never expires, blocks its resource until someone deletes it'
				: lock.layout === 'file' && lock.ttlMs <= 0
					? `overdue by ${formatDuration(-lock.ttlMs)}: the writer's timer never fired (writer gone?)`
					: `${formatTtl(lock.ttlMs)} of ~${formatDuration(full)}${lock.fullTtlMs === undefined ? ' (default)' : ''} ${bar}`;
		lines.push({key: 'ttl', label: 'TTL left', text: ttlText, color: lock.ttlMs === null || (lock.layout === 'file' && lock.ttlMs <= 0) ? theme.critical : undefined});
	}
	lines.push({
		key: 'stats',
		label: 'history',
		text: stats ? `${stats.acquisitions} acquired · ${stats.releases} released · ${stats.expiries} expired · ${stats.contention} contended` : 'nothing seen happen to it this session',
	});
	if (stats) lines.push({key: 'hold', label: 'held', text: `p50 ${formatDuration(stats.holdP50Ms)} · max ${formatDuration(stats.holdMaxMs)}`});
	if (stats && stats.expiries > 0) lines.push({key: 'exp', label: '', text: 'expiries usually mean the holder died or overran its TTL', color: theme.warn});
	lines.push({key: 'write', label: 'release', text: detail.allowWrite ? 'x: force-release (you type the resource name; deletes only if the token is unchanged)' : 'x: force-release needs tcmon --allow-write', color: theme.muted});
	lines.push({key: 'evh', text: events.length > 0 ? 'events (newest first)' : 'events: none this session', bold: true});
	for (const [i, e] of events.entries()) {
		const style = EVENT_STYLE[e.kind];
		const extra = [e.heldMs === null ? '' : `held ${formatDuration(e.heldMs)}`, e.contended ? 'contended' : '', e.via === 'notification' ? 'via notification' : ''].filter(Boolean).join(' · ');
		lines.push({key: `ev${i}`, text: `${formatClock(e.at)} ${style.text.padEnd(8)} ${extra} ${e.token === null ? '' : sanitize(e.token)}`, color: style.color});
	}
	// Long values wrap at word boundaries onto continuation lines.
	return lines.flatMap(line => {
		const width = line.label === undefined ? cols : valueCols;
		return wrapWords(line.text, width).map((text, i) => (i === 0 ? {...line, text} : {...line, key: `${line.key}+${i}`, label: line.label === undefined ? undefined : '', text}));
	});
};

/** Greedy word wrap of sanitised text; a word longer than the width is cut. */
export const wrapWords = (text: string, width: number): string[] => {
	if (width <= 0 || textWidth(text) <= width) return [text];
	const out: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		const candidate = line ? `${line} ${word}` : word;
		if (textWidth(candidate) <= width) line = candidate;
		else {
			if (line) out.push(line);
			line = textWidth(word) > width ? truncate(word, width) : word;
		}
	}
	if (line) out.push(line);
	return out;
};

export type LockDetailViewProps = {
	snapshot: Snapshot;
	detail: LocksDetail;
	prompt: LocksPrompt | null;
	cols: number;
	rows: number;
};

export const LockDetailView = ({snapshot, detail, prompt, cols, rows}: LockDetailViewProps) => {
	const lines = detailLines(snapshot, detail, cols);
	const promptLine = prompt?.kind === 'release' ? `force-release ${sanitize(prompt.lock.resource)}? type its name, Enter: ${sanitize(prompt.text)}▏` : null;
	const room = Math.max(0, rows - (promptLine ? 1 : 0));
	const scroll = Math.max(0, Math.min(detail.scroll, Math.max(0, lines.length - room)));
	return (
		<Box flexDirection="column" height={rows} overflow="hidden">
			{lines.slice(scroll, scroll + room).map(line => (
				<Text key={line.key} wrap="truncate" color={line.color} bold={line.bold}>
					{line.label === undefined ? truncate(line.text, cols) : `${fit(line.label, LABEL - 1)} ${truncate(line.text, Math.max(0, cols - LABEL))}`}
				</Text>
			))}
			{promptLine ? (
				<Text wrap="truncate" color={theme.warn} bold>
					{truncate(promptLine, cols)}
				</Text>
			) : null}
		</Box>
	);
};
