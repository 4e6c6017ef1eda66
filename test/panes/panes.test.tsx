import React from 'react';
import {describe, expect, it} from 'vitest';
import type {Snapshot} from '../../source/domain/types';
import {KeysPane} from '../../source/panes/keys-pane';
import {LocksPane} from '../../source/panes/locks-pane';
import type {PaneProps} from '../../source/panes/pane-props';
import {SlowlogPane} from '../../source/panes/slowlog-pane';
import {StatsPane} from '../../source/panes/stats-pane';
import {history, jsonSnapshot, redisSnapshot, restrictedSnapshot, staleSnapshot} from '../support/fixtures';
import {frameOf, WIDTHS} from '../support/render';

const PANES: [string, React.ComponentType<PaneProps<never>>][] = [
	['stats', StatsPane],
	['slowlog', SlowlogPane],
	['keys', KeysPane],
	['locks', LocksPane],
];

const STATES: [string, () => Snapshot][] = [
	['redis', redisSnapshot],
	['json-fallback', jsonSnapshot],
	['stale', staleSnapshot],
	['restricted', restrictedSnapshot],
];

const paneFrame = (Pane: React.ComponentType<PaneProps<never>>, snapshot: Snapshot, width: number, cursor = {index: 1, offset: 0}) =>
	frameOf(<Pane snapshot={snapshot} history={history()} width={width} height={12} focused cursor={cursor} index={1} />, width);

describe.each(PANES)('%s pane', (name, Pane) => {
	it.each(STATES.flatMap(([state, make]) => WIDTHS.map(w => [state, w, make] as const)))('%s at %i columns', (_state, width, make) => {
		const frame = paneFrame(Pane, make(), width);
		const lines = frame.split('\n');
		expect(lines).toHaveLength(12);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
		// Hostile bytes from the store never reach the terminal raw.
		// eslint-disable-next-line no-control-regex
		expect(frame).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
		expect(frame).toMatchSnapshot();
	});

	it('renders an empty store without rows', () => {
		const empty = redisSnapshot({slowlog: [], keys: [], locks: [], instances: [], jobs: [], metrics: []});
		expect(paneFrame(Pane, empty, 80)).toMatchSnapshot();
	});

	it(`${name}: shows what it says it shows`, () => {
		const frame = paneFrame(Pane, redisSnapshot(), 120);
		const expected: Record<string, RegExp[]> = {
			stats: [/alerts\s+none firing/, /memory\s+1\.50M \(0\.1% of 2\.00G\)/, /clients\s+7\s/, /cmds\/s\s+\d+ \(inst 42\)/, /hit rate\s+n\/a \(no lookups\)/, /conns\s+blocked 1 · rejected 0/],
			slowlog: [/42 08:59:55\s+5\.0s\s+15\.3ms HGETALL tmux-claude:instances/, /KEYS \*/, /SET evil\\e\[2Jkey v\\x07\\x9b1m/],
			keys: [/tmux-claude:instances\s+hash\s+no TTL/, /tmux-claude:lock:job-queue\s+string\s+1\.5s/, /tmux-claude:tmp:\\e\[31mhostile\\0name/],
			locks: [
				/job-queue\s+lock\s+\S+\s+08:59:31\s+29s\s+1\.5s █░+ expiring/,
				/forever\s+locks\s+\S+\s+08:00:00\s+1h00m\s+no TTL ∞\s+NO TTL/,
				/worktree-pool\s+file\s+\S+\s+08:50:00\s+10m00s\s+-9m30s ░+ stale file/,
				/evil\\e\[31mred\s+lock\s+not-a-\\e\]0;pwned\\x07token\s+\?.*foreign/,
			],
		};
		for (const re of expected[name]!) expect(frame).toMatch(re);
	});
});

describe('list selection', () => {
	it('marks the cursor row and scrolls to it', () => {
		const frame = paneFrame(LocksPane, redisSnapshot(), 80, {index: 4, offset: 2});
		expect(frame).not.toMatch(/job-queue/);
		expect(frame).toMatch(/evil/);
	});
});
