import type {Key} from 'ink';
import React from 'react';
import {describe, expect, it} from 'vitest';
import type {Snapshot} from '../../source/domain/types';
import type {PaneEnv} from '../../source/panes/controller';
import {durationColor, SlowlogPane} from '../../source/panes/slowlog-pane';
import {slowlogController} from '../../source/panes/slowlog-controller';
import {initialSlowlogState, listRows, type SlowlogState} from '../../source/panes/slowlog-view';
import {theme} from '../../source/theme';
import {jsonSnapshot} from '../support/fixtures';
import {frameOf, WIDTHS} from '../support/render';
import {mergeSlowlog} from '../../source/domain/slowlog-history';
import {parseSlowlog} from '../../source/domain/slowlog';
import {deniedSlowlogSnapshot, emptySlowlogSnapshot, jsonDurationSnapshot, mergedState, POLLS, renamedSlowlogSnapshot, slowlogSnapshot} from '../support/slowlog-fixtures';

const state = (over: Partial<SlowlogState> = {}): SlowlogState => ({...initialSlowlogState(), ...over});

const frame = (snapshot: Snapshot, width: number, s: SlowlogState = state(), cursor = {index: 1, offset: 0}, height = 16) =>
	frameOf(<SlowlogPane snapshot={snapshot} history={[]} width={width} height={height} focused cursor={cursor} index={2} state={s} />, width);

const CASES: [string, () => Snapshot, SlowlogState][] = [
	['list (newest, with a reset mark)', slowlogSnapshot, state()],
	['list sorted slowest', slowlogSnapshot, state({sort: 'slowest'})],
	['list filtered by argument', slowlogSnapshot, state({filter: 'instances', sort: 'slowest'})],
	['list filtered, newest first (s), marks kept', slowlogSnapshot, state({filter: 'instances'})],
	['list filtered with no match', slowlogSnapshot, state({filter: 'nothing-like-this', sort: 'slowest'})],
	['per-command summary', slowlogSnapshot, state({view: 'summary'})],
	['detail', slowlogSnapshot, state({detail: {epoch: 1, id: 46, scroll: 0}})],
	['detail scrolled', slowlogSnapshot, state({detail: {epoch: 1, id: 46, scroll: 2}})],
	['detail of a hostile entry', slowlogSnapshot, state({detail: {epoch: 0, id: 38, scroll: 0}})],
	['empty', emptySlowlogSnapshot, state()],
	['denied (ACL -@dangerous)', deniedSlowlogSnapshot, state()],
	['renamed (rename-command SLOWLOG "")', renamedSlowlogSnapshot, state()],
	['JSON source with duration metrics', jsonDurationSnapshot, state()],
	['JSON source without durations', jsonSnapshot, state()],
];

describe('Slowlog pane', () => {
	it.each(CASES.flatMap(([name, make, s]) => WIDTHS.map(w => [name, w, make, s] as const)))('%s at %i columns', (_name, width, make, s) => {
		const out = frame(make(), width, s);
		const lines = out.split('\n');
		expect(lines).toHaveLength(16);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
		// eslint-disable-next-line no-control-regex
		expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
		expect(out).toMatchSnapshot();
	});

	it('counts resets and restarts apart in its title', () => {
		const before = mergedState();
		const last = POLLS.at(-1)!;
		// The same server answers with a new run id: a restart, not a SLOWLOG RESET.
		const after = mergeSlowlog(before, {at: last.at + 5000, entries: parseSlowlog(last.reply), count: 128, runId: 'def', maxLen: 128, prefix: 'tmux-claude'});
		const out = frame(slowlogSnapshot({slowlogHistory: after.history, slowlogSummary: after.summary}), 120);
		expect(out).toContain('1 reset · 1 restart');
		expect(out).toContain('SERVER RESTART');
	});

	it('shows what it says it shows', () => {
		const list = frame(slowlogSnapshot(), 120);
		expect(list).toMatch(/\+\*\s+46 08:59:59\s+1\.0s\s+64\.0ms EVAL redis\.call/); // new, touches the prefix
		expect(list).toMatch(/ \*\s+42 08:59:48\s+12s\s+15\.3ms HGETALL tmux-claude:instances/); // prefix, not new
		expect(list).toMatch(/── SLOWLOG RESET \(seen 08:59:50\): the server's list was emptied after id 40 ──/);
		expect(list).toContain('AUTH admin (redacted)');
		expect(list).toContain('CONFIG SET requirepass (redacted)');
		expect(list).not.toMatch(/hunter2|s3cret/);
		expect(list).toContain('SET evil\\e[2Jkey v\\x07\\x9b1m');
		expect(list).toContain('slower-than 10.0ms · max-len 128 · session 9');
		// The reset mark sits between the generations, newest first.
		expect(list.indexOf('#') === -1 && list.indexOf(' 41 ') < list.indexOf('SLOWLOG RESET') && list.indexOf('SLOWLOG RESET') < list.indexOf(' 40 ')).toBe(true);

		const summary = frame(slowlogSnapshot(), 120, state({view: 'summary'}));
		expect(summary).toMatch(/HGETALL\s+3\s+15\.3ms\s+22\.0ms\s+22\.0ms\s+100%/);
		expect(summary).toMatch(/KEYS\s+1\s+230\.0ms\s+230\.0ms\s+230\.0ms\s+0%/);

		const detail = frame(slowlogSnapshot(), 80, state({detail: {epoch: 1, id: 46, scroll: 0}}));
		expect(detail).toContain('time     2026-11-26 08:59:59 +00:00 (unix 1795683599)');
		expect(detail).toMatch(/took\s+64\.0ms = 64000 µs \(6\.4× slowlog-log-slower-than 10\.0ms\)/);
		expect(detail).toMatch(/\.\.\. \(72 +│\n│ +more bytes\)/); // the long argument wraps at a space instead of being cut
		expect(detail).toContain('\\e[31mred');

		expect(frame(jsonDurationSnapshot(), 80)).toMatch(/merge\.durationMs\s+08:59:55\s+5\.0s\s+1m35s/);
	});

	it('colours durations against slowlog-log-slower-than', () => {
		expect(durationColor(15_000, 10_000)).toBeUndefined();
		expect(durationColor(20_000, 10_000)).toBe(theme.warn);
		expect(durationColor(100_000, 10_000)).toBe(theme.critical);
		expect(durationColor(50, 0)).toBeUndefined(); // 0 logs everything: fixed thresholds
		expect(durationColor(150_000, null)).toBe(theme.critical);
	});
});

const key = (over: Partial<Key> = {}): Key =>
	({upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false, ...over}) as Key;

const env = (snapshot: Snapshot, cursorIndex = 0): PaneEnv<SlowlogState> => ({
	snapshot,
	visibleRows: 10,
	cursorIndex,
	capabilities: null as never, effect: (run: () => void) => run(),
	prefix: 'tmux-claude',
	allowWrite: false,
	update: () => {},
	notify: () => {},
});

describe('Slowlog controller', () => {
	const c = slowlogController;
	const snap = slowlogSnapshot();

	it('cycles the sort with s', () => {
		let s = c.initial();
		expect(s.sort).toBe('newest');
		s = c.command!(s, 'slowlog.sort', env(snap));
		expect(s.sort).toBe('slowest');
		expect(listRows(snap, s)[0]).toMatchObject({kind: 'entry', entry: {id: 40}});
		expect(c.command!(s, 'slowlog.sort', env(snap)).sort).toBe('newest');
	});

	it('types a filter at the / prompt: every key is taken, Enter applies, Esc cancels', () => {
		let s = c.command!(c.initial(), 'slowlog.filter', env(snap));
		expect(c.modal!(s)).toBe(true);
		for (const ch of 'hgetx') s = c.input!(s, ch, key(), env(snap))!;
		s = c.input!(s, '', key({backspace: true}), env(snap))!;
		s = c.input!(s, 'q', key(), env(snap))!; // q types, it does not quit
		expect(s.prompt).toBe('hgetq');
		expect(c.status!(s)).toContain('filter /hgetq▏');
		s = c.input!(s, '', key({escape: true}), env(snap))!;
		expect(s).toMatchObject({prompt: null, filter: ''});

		s = c.command!(s, 'slowlog.filter', env(snap));
		for (const ch of 'HGETALL') s = c.input!(s, ch, key(), env(snap))!;
		s = c.input!(s, '', key({return: true}), env(snap))!;
		expect(s).toMatchObject({prompt: null, filter: 'HGETALL', sort: 'slowest'});
		expect(c.rowCount(snap, s)).toBe(3); // 43, 42, 39
		expect(c.rowCount(snap, {...s, filter: 'tmux-claude:instances'})).toBe(4); // and the EVAL naming the hash
		// A client address or an argument substring filters too.
		expect(c.rowCount(snap, {...s, filter: '10.0.0.7'})).toBe(2);
		expect(c.rowCount(snap, {...s, filter: 'queue_depth'})).toBe(1);
		// s under a filter goes back to newest first, the reset mark where it happened; the same filter applied again keeps it.
		s = c.command!(s, 'slowlog.sort', env(snap));
		expect(s.sort).toBe('newest');
		expect(listRows(snap, s).map(r => (r.kind === 'entry' ? r.entry.id : 'mark'))).toEqual([43, 42, 'mark', 39]);
		s = c.command!(s, 'slowlog.filter', env(snap));
		expect(c.input!(s, '', key({return: true}), env(snap))).toMatchObject({filter: 'HGETALL', sort: 'newest'});
	});

	it('opens the entry under the cursor with Enter and scrolls its arguments within bounds', () => {
		const rows = listRows(snap, c.initial());
		const at = rows.findIndex(r => r.kind === 'entry' && r.entry.id === 46);
		let s = c.command!(c.initial(), 'slowlog.open', env(snap, at));
		expect(s.detail).toEqual({epoch: 1, id: 46, scroll: 0});
		expect(c.modal!(s)).toBe(true);
		// The shared scroll moves, as j/k/g/G route to them in a detail view.
		for (let i = 0; i < 10; i++) s = c.scroll!(s, 'down', env(snap));
		expect(s.detail!.scroll).toBe(4); // 5 arguments
		s = c.scroll!(s, 'up', env(snap));
		expect(s.detail!.scroll).toBe(3);
		s = c.scroll!(s, 'top', env(snap));
		expect(s.detail!.scroll).toBe(0);
		expect(c.input!(s, 'q', key(), env(snap))).toBeNull(); // no prompt: falls through to back
		expect(c.back!(s).detail).toBeNull();
	});

	it('does not open a mark row', () => {
		const rows = listRows(snap, c.initial());
		const mark = rows.findIndex(r => r.kind === 'mark');
		expect(mark).toBeGreaterThan(0);
		expect(c.command!(c.initial(), 'slowlog.open', env(snap, mark)).detail).toBeNull();
	});

	it('toggles the per-command summary, where Enter filters the list to that command', () => {
		let s = c.command!(c.initial(), 'slowlog.summary', env(snap));
		expect(s.view).toBe('summary');
		expect(c.rowCount(snap, s)).toBe(7);
		s = c.command!(s, 'slowlog.open', env(snap, 0)); // KEYS: the slowest max
		expect(s).toMatchObject({view: 'list', filter: 'KEYS'});
	});

	it('counts the duration rows for the JSON source', () => {
		expect(c.rowCount(jsonDurationSnapshot(), c.initial())).toBe(4);
		expect(c.rowCount(jsonSnapshot(), c.initial())).toBe(0);
	});
});
