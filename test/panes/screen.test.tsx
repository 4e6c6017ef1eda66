import React from 'react';
import {describe, expect, it} from 'vitest';
import {emptySnapshot, type Snapshot} from '../../source/domain/types';
import {PANES, type PaneId} from '../../source/keymap';
import {Screen, type ScreenProps} from '../../source/screen';
import {initialKeysState} from '../../source/panes/keys-controller';
import {initialLocksState} from '../../source/panes/locks-view';
import {initialSlowlogState} from '../../source/panes/slowlog-view';
import {history, jsonSnapshot, redisSnapshot, redisSourceInfo, restrictedSnapshot, staleSnapshot, T0} from '../support/fixtures';
import {criticalSnapshot} from '../support/stats-fixtures';
import {frameOf} from '../support/render';

const screen = (snapshot: Snapshot | null, width: number, height: number, over: Partial<ScreenProps> = {}) =>
	frameOf(
		<Screen snapshot={snapshot} history={history()} width={width} height={height} active="slowlog" cursors={{}} showHelp={false} intervalMs={1000} paused={false} now={T0 + 400} prefix="tmux-claude" {...over} />,
		width,
	);

const SIZES = [
	[80, 24],
	[120, 35],
] as const;

describe('Screen', () => {
	it.each([
		['redis', redisSnapshot],
		['json-fallback', jsonSnapshot],
		['stale', staleSnapshot],
		['restricted', restrictedSnapshot],
		['demo', () => jsonSnapshot({source: {...jsonSnapshot().source, kind: 'demo', fallbackReason: null}})],
	] as const)('%s at 80x24 and 120x35', (_name, make) => {
		for (const [w, h] of SIZES) {
			const frame = screen(make(), w, h);
			const lines = frame.split('\n');
			// Never as tall as the terminal: Ink 6 would clear the screen every frame.
			expect(lines.length).toBe(h - 1);
			for (const line of lines) expect(line.length).toBeLessThanOrEqual(w);
			expect(frame).toMatchSnapshot(`${w}x${h}`);
		}
	});

	it('says why fallback data is stale: the state dir error first, then the fallback reason', () => {
		const base = jsonSnapshot();
		const broken = jsonSnapshot({source: {...base.source, stale: true, error: 'instances.json: invalid JSON: Unexpected end of JSON input'}});
		const frame = screen(broken, 120, 35);
		expect(frame.split('\n')[1]).toMatch(/^instances\.json: invalid JSON: Unexpected end of JSON input · Redis redis:\/\/127\.0\.0\.1:6379 unreachable/);
		expect(frame).toContain('STALE');
	});

	it('uses a 2x2 grid from 120 columns and tabs below', () => {
		const wide = screen(redisSnapshot(), 120, 35);
		for (const p of PANES.filter(p => p.id !== 'agents')) expect(wide).toContain(`╭─ ${PANES.indexOf(p) + 1} ${p.title}`);
		expect(wide).not.toContain('╭─ 5 Agents');
		const narrow = screen(redisSnapshot(), 80, 24, {active: 'locks'});
		expect(narrow).toMatch(/1 Stats\s+2 Slowlog\s+3 Keys\s+4 Locks\s+5 Agents/);
		expect(narrow).toContain('╭─ 4 Locks');
		expect(narrow).not.toContain('╭─ 2 Slowlog');
	});

	it('from 160 columns the grid shows all five panes, Agents as a full-height column', () => {
		const frame = screen(redisSnapshot(), 160, 40);
		const lines = frame.split('\n');
		expect(lines).toHaveLength(39);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(160);
		for (const p of PANES) expect(frame).toContain(`╭─ ${PANES.indexOf(p) + 1} ${p.title}`);
		// Agents' frame starts on the first body line, right of Stats and Slowlog.
		expect(lines[2]).toMatch(/╭─ 1 Stats.*╭─ 2 Slowlog.*╭─ 5 Agents/);
		expect(lines[lines.length - 2]).toMatch(/╰─+╯╰─+╯╰─+╯$/);
		expect(frame).toMatchSnapshot();
	});

	it('between 120 and 160 columns, a pane outside the grid (Agents) is shown alone with the tabs', () => {
		const frame = screen(redisSnapshot(), 120, 35, {active: 'agents'});
		expect(frame).toMatch(/1 Stats\s+2 Slowlog\s+3 Keys\s+4 Locks\s+5 Agents/);
		expect(frame).toContain('╭─ 5 Agents');
		expect(frame).not.toContain('╭─ 1 Stats');
	});

	it('shows the badges and the reason', () => {
		expect(screen(jsonSnapshot(), 120, 35)).toMatch(/FALLBACK.*\n.*Redis redis:\/\/127\.0\.0\.1:6379 unreachable \(connect ECONNREFUSED/);
		expect(screen(staleSnapshot(), 120, 35)).toMatch(/STALE[\s\S]*reconnecting… last data 12s old/);
		expect(screen(redisSnapshot(), 120, 35, {paused: true})).toContain(' PAUSED ');
		expect(screen(null, 80, 24)).toContain('connecting…');
		expect(screen(redisSnapshot({splitState: {dir: '/home/me/app/state', lockFiles: 2}}), 120, 35).split('\n')[0]).toMatch(/ SPLIT /);
		expect(screen(redisSnapshot(), 120, 35).split('\n')[0]).not.toMatch(/ SPLIT /);
	});

	it('renders help from the keymap', () => {
		const frame = screen(redisSnapshot(), 80, 30, {showHelp: true});
		expect(frame).toMatchSnapshot();
		for (const text of ['show / hide this help', 'next pane', 'pause / resume polling', 'poll slower']) expect(frame).toContain(text);
	});

	it.each(PANES.map(p => p.id))('focuses %s in the narrow layout', (id: PaneId) => {
		expect(screen(redisSnapshot(), 80, 24, {active: id})).toMatch(new RegExp(`╭─ \\d ${PANES.find(p => p.id === id)!.title}`));
	});
});

describe('Screen states a user meets (issue 13)', () => {
	const check = (frame: string, w: number, h: number) => {
		const lines = frame.split('\n');
		expect(lines.length).toBe(h - 1);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(w);
		return frame;
	};

	it('before the first poll', () => {
		for (const [w, h] of SIZES) {
			const frame = check(screen(null, w, h), w, h);
			expect(frame).toContain('connecting…');
			// Nothing was read: no pane may claim the store is empty.
			expect(frame).not.toMatch(/No locks held|Slowlog is empty|No keys under|none firing|instances 0/);
			expect(frame).toContain('waiting for the first read');
			expect(frame).toMatchSnapshot(`${w}x${h}`);
		}
	});

	it('a store unreachable from the start', () => {
		const down = emptySnapshot(redisSourceInfo({connected: false, error: 'connect ECONNREFUSED 127.0.0.1:6379', dataAt: null}), T0);
		for (const [w, h] of SIZES) {
			const frame = check(screen(down, w, h), w, h);
			expect(frame).toMatch(/reconnecting… no data yet \(connect ECONNREFUSED/);
			expect(frame).not.toMatch(/No locks held|Slowlog is empty|No keys under|none firing|instances 0/);
			expect(frame).toMatchSnapshot(`${w}x${h}`);
		}
	});

	it('FIRING, PAUSED and WRITE badges', () => {
		for (const [w, h] of SIZES) {
			const frame = check(screen(criticalSnapshot(), w, h, {active: 'stats', paused: true, allowWrite: true}), w, h);
			expect(frame.split('\n')[0]).toMatch(/WRITE.*PAUSED.*FIRING/);
			expect(frame).toMatchSnapshot(`${w}x${h}`);
		}
	});

	it('open prompts: the text typed, a caret and the keys, in the status bar', () => {
		const lock = redisSnapshot().locks[0]!;
		const cases: [PaneId, Partial<ScreenProps>][] = [
			['slowlog', {paneStates: {slowlog: {...initialSlowlogState(), prompt: 'hget'}}}],
			['keys', {paneStates: {keys: {...initialKeysState(), prompt: 'lock:*'}}}],
			['locks', {paneStates: {locks: {...initialLocksState(), prompt: {kind: 'filter', text: 'git'}}}}],
			['locks', {paneStates: {locks: {...initialLocksState(), prompt: {kind: 'release', text: 'git-ma', lock}}}, allowWrite: true}],
		];
		for (const [active, over] of cases) {
			const frame = check(screen(redisSnapshot(), 80, 24, {active, ...over}), 80, 24);
			const status = frame.split('\n').at(-1)!;
			expect(status).toMatch(/▏ · Enter \S+/);
			expect(frame).toMatchSnapshot(`${active} ${status.slice(0, 20)}`);
		}
	});

	it('each tab at 80 columns, and a zoomed pane', () => {
		for (const {id} of PANES) expect(check(screen(redisSnapshot(), 80, 24, {active: id}), 80, 24)).toMatchSnapshot(id);
		const zoomed = check(screen(redisSnapshot(), 120, 35, {active: 'locks', zoom: true}), 120, 35);
		expect(zoomed).not.toContain('1 Stats');
		expect(zoomed).toMatchSnapshot('zoomed locks at 120x35');
	});
});
