import React from 'react';
import {describe, expect, it} from 'vitest';
import type {Snapshot} from '../../source/domain/types';
import {detailLines} from '../../source/domain/health';
import {uiCapabilitiesFor} from '../../source/sources/capabilities';
import {statsController} from '../../source/panes/stats-controller';
import {StatsPane} from '../../source/panes/stats-pane';
import {Screen} from '../../source/screen';
import {jsonSnapshot, restrictedSnapshot, T0} from '../support/fixtures';
import {frameOf, WIDTHS} from '../support/render';
import {criticalSnapshot, healthySnapshot, info72, statsHistory, warningSnapshot} from '../support/stats-fixtures';

const STATES: [string, () => Snapshot][] = [
	['healthy', healthySnapshot],
	['warning', warningSnapshot],
	['critical', criticalSnapshot],
	['restricted', restrictedSnapshot],
	['json-source', jsonSnapshot],
];

const pane = (snapshot: Snapshot, width: number, height: number, state?: {detail: boolean; scroll: number}) =>
	frameOf(<StatsPane snapshot={snapshot} history={statsHistory(info72())} width={width} height={height} focused cursor={{index: 0, offset: 0}} index={1} state={state} />, width);

const clean = (frame: string, width: number, height: number) => {
	const lines = frame.split('\n');
	expect(lines).toHaveLength(height);
	for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
	// eslint-disable-next-line no-control-regex
	expect(frame).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
};

describe('Stats pane', () => {
	// The full pane (narrow layout: 80 or 120 wide, 19 rows) and its box in the 2x2 grid (60x15).
	it.each(STATES.flatMap(([name, make]) => [...WIDTHS.map(w => [name, w, 19, make] as const), [name, 60, 15, make] as const]))('%s at %ix%i', (_name, width, height, make) => {
		const frame = pane(make(), width, height);
		clean(frame, width, height);
		expect(frame).toMatchSnapshot();
	});

	it('healthy: the five key metrics first, with sparklines', () => {
		const frame = pane(healthySnapshot(), 80, 19);
		const lines = frame.split('\n');
		expect(lines[1]).toMatch(/alerts\s+none firing/);
		expect(lines[2]).toMatch(/memory\s+1\.50M \(0\.1% of 2\.00G\)\s+[▁-█]+/);
		expect(lines[3]).toMatch(/clients\s+7 \(0\.1% of 10\.0k\)/);
		expect(lines[4]).toMatch(/cmds\/s\s+\d+ \(inst 42\)/);
		expect(lines[5]).toMatch(/hit rate\s+90\.0% of 950/);
		expect(lines[6]).toMatch(/evicted\s+0 0\/s/);
		expect(frame).toMatch(/audit\s+7 ok · 0 differ · 0 unknown/);
		expect(frame).toMatch(/key size\s+\+3\.46M inst fit · i 620B\/5K j 410B\/2K m 2\.15K\/1K/);
	});

	it('critical: firing alerts and CONFIG renamed are stated', () => {
		const frame = pane(criticalSnapshot(), 120, 19);
		expect(frame).toMatch(/alerts\s+FIRING RedisMemoryHigh, RedisPersistenceFailed · pending RedisEvictions/);
		expect(frame).toMatch(/audit\s+CONFIG renamed · 4 ok · 1 differ · 2 unknown/);
		expect(frame).toMatch(/RDB 5m00s ago, 12 chg, bgsave err/);
	});

	it('restricted: says INFO is not permitted and keeps the rest', () => {
		const frame = pane(restrictedSnapshot(), 120, 19);
		expect(frame).toMatch(/INFO\s+NOPERM this user has no permissions to run the 'info' command — server figures/);
		expect(frame).toMatch(/instances\s+4: active 2/);
	});

	it('json source: the fallback\'s own figures', () => {
		const frame = pane(jsonSnapshot(), 80, 19);
		expect(frame).toMatch(/state dir\s+\/home\/me\/app\/state/);
		expect(frame).toMatch(/locks\s+1 lock file: stale 1/);
		expect(frame).toMatch(/metrics\s+9876 lines · 0 series/);
		expect(frame).toMatch(/file\s+metrics\.jsonl  1\.15M  modified 500ms ago/);
		expect(frame).not.toMatch(/audit/);
	});

	it('json source over the lock file read cap says how many of how many', () => {
		const snap = jsonSnapshot();
		const frame = pane({...snap, lockFiles: {dir: snap.stateDir!.dir, total: 5012, shown: 1}}, 80, 19);
		expect(frame).toMatch(/locks\s+1 of 5012 lock file/);
	});

	it('detail view scrolls through every section', () => {
		const top = pane(criticalSnapshot(), 80, 19, {detail: true, scroll: 0});
		clean(top, 80, 19);
		expect(top).toMatch(/Stats · redis 7\.2\.4 · details/);
		expect(top).toMatch(/details 1-16 of \d+ · \d+ more ↓ · Esc\/q back/);
		expect(top).toMatch(/RedisMemoryHigh \[critical\] firing for 1m00s \(for 5m00s\): 95\.0% of 2\.00G/);
		expect(top).toMatchSnapshot();
		// In its 2x2 grid box too.
		const box = pane(criticalSnapshot(), 60, 15, {detail: true, scroll: 3});
		clean(box, 60, 15);
		expect(box).toMatchSnapshot();
		const down = pane(criticalSnapshot(), 80, 19, {detail: true, scroll: 100});
		expect(down).toMatch(/Memory check/);
		expect(down).toMatch(/173k more instances fit in maxmemory \(at the measured size\)/);
		expect(down).not.toMatch(/more ↓/);
	});

	it('firing alerts show in the header on every pane', () => {
		for (const active of ['stats', 'slowlog', 'keys', 'locks'] as const) {
			const frame = frameOf(
				<Screen snapshot={criticalSnapshot()} history={[]} width={120} height={35} active={active} cursors={{}} showHelp={false} intervalMs={1000} paused={false} now={T0} prefix="tmux-claude" />,
				120,
			);
			expect(frame.split('\n')[0]).toContain(' FIRING RedisMemoryHigh RedisPersistenceFailed ');
		}
		const healthy = frameOf(<Screen snapshot={healthySnapshot()} history={[]} width={80} height={24} active="keys" cursors={{}} showHelp={false} intervalMs={1000} paused={false} now={T0} prefix="tmux-claude" />, 80);
		expect(healthy).not.toContain('FIRING');
	});
});

describe('Stats controller', () => {
	const env = (snapshot: Snapshot | null) => {
		const source = {kind: 'redis' as const, poll: async () => snapshot!, close: async () => {}, current() {
			return this;
		}};
		return {
		snapshot,
		visibleRows: 10,
		cursorIndex: 0,
		source,
		capabilities: uiCapabilitiesFor(source, false),
		// Effects run at once here: the tests look at what they said.
		effect: (run: () => void) => run(),
		prefix: 'tmux-claude',
		allowWrite: false,
		update: () => {},
		notify: () => {},
	};
	};

	it('Enter opens the detail view; the shared scroll moves stay within bounds; back closes it', () => {
		const e = env(criticalSnapshot());
		let s = statsController.initial();
		expect(statsController.scroll!(s, 'down', e)).toBe(s); // closed: nothing to scroll
		s = statsController.command!(s, 'stats.detail', e);
		expect(statsController.modal!(s)).toBe(true);
		s = statsController.scroll!(s, 'down', e);
		s = statsController.scroll!(s, 'down', e);
		expect(s.scroll).toBe(2);
		s = statsController.scroll!(s, 'bottom', e);
		const total = detailLines(criticalSnapshot(), []).length;
		expect(s.scroll).toBe(total - 10);
		s = statsController.scroll!(s, 'pageDown', e);
		expect(s.scroll).toBe(total - 10); // clamped at the end
		s = statsController.scroll!(s, 'top', e);
		expect(s.scroll).toBe(0);
		s = statsController.scroll!(s, 'up', e);
		expect(s.scroll).toBe(0);
		expect(statsController.back!(s)).toEqual({detail: false, scroll: 0});
	});

	it('`a` on a non-Redis source says the audit needs Redis', () => {
		let said = '';
		const e = {...env(jsonSnapshot()), notify: (t: string) => (said = t)};
		statsController.command!(statsController.initial(), 'stats.probe', e);
		expect(said).toBe('config audit needs a Redis source');
	});
});
