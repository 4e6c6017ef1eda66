import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {App} from '../source/app';
import {JsonSource} from '../source/sources/json-source';
import {instanceJson} from './support/fixtures';
import {KEYS, renderTui, tick} from './support/render';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-app-'));
	const now = Date.now();
	writeFileSync(path.join(dir, 'instances.json'), JSON.stringify({exec_1: JSON.parse(instanceJson('exec_1', 'executive', 'active'))}));
	for (let i = 0; i < 30; i++) writeFileSync(path.join(dir, `res-${String(i).padStart(2, '0')}.lock`), `${now}-0.${i}`);
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const app = (columns: number, rows: number, onQuit?: () => void) =>
	renderTui(<App source={new JsonSource({dir})} intervalMs={200} prefix="tmux-claude" size={{columns, rows}} onQuit={onQuit} />, {columns, rows});

describe('App', () => {
	it('polls a real source and switches panes with Tab, Shift-Tab and 1-5', async () => {
		const ui = app(80, 24);
		await ui.waitFor(f => f.includes('1 instances'));
		expect(ui.lastFrame()).toContain('╭─ 1 Stats');
		await ui.press(KEYS.tab);
		expect(ui.lastFrame()).toContain('╭─ 2 Slowlog');
		await ui.press('4');
		expect(ui.lastFrame()).toContain('╭─ 4 Locks · 30');
		await ui.press(KEYS.shiftTab);
		expect(ui.lastFrame()).toContain('╭─ 3 Keys');
		await ui.press('1');
		expect(ui.lastFrame()).toContain('╭─ 1 Stats');
		await ui.press('5');
		expect(ui.lastFrame()).toContain('╭─ 5 Agents');
		expect(ui.lastFrame()).toMatch(/exec_1\s+exec\s+active/);
		// Agents is last in the tab order: Tab wraps to Stats.
		await ui.press(KEYS.tab);
		expect(ui.lastFrame()).toContain('╭─ 1 Stats');
		await ui.press(KEYS.shiftTab);
		expect(ui.lastFrame()).toContain('╭─ 5 Agents');
	});

	it('Enter typed in the same chunk as j acts on the row j moved to', async () => {
		writeFileSync(
			path.join(dir, 'instances.json'),
			JSON.stringify({exec_1: JSON.parse(instanceJson('exec_1', 'executive', 'active')), mgr_1_2: JSON.parse(instanceJson('mgr_1_2', 'manager', 'active', 'exec_1'))}),
		);
		const saved = process.env['TMUX'];
		delete process.env['TMUX'];
		try {
			const ui = app(80, 24);
			await ui.waitFor(f => f.includes('2 instances'));
			// tmux send-keys 5 j Enter: one chunk.
			await ui.burst('5j\r');
			await ui.waitFor(f => /jump to claude_mgr_1_2:0\.0/.test(f));
		} finally {
			if (saved !== undefined) process.env['TMUX'] = saved;
		}
	});

	it('Enter on an agent says why it cannot switch when not inside tmux', async () => {
		const saved = process.env['TMUX'];
		delete process.env['TMUX'];
		try {
			const ui = app(80, 24);
			await ui.waitFor(f => f.includes('1 instances'));
			await ui.press('5', KEYS.enter);
			await ui.waitFor(f => /not inside tmux: run tcmon in tmux to jump to claude_exec_1:0\.0/.test(f));
		} finally {
			if (saved !== undefined) process.env['TMUX'] = saved;
		}
	});

	it('sends a key typed right after a pane switch to the new pane', async () => {
		const ui = app(80, 24);
		await ui.waitFor(f => f.includes('1 instances'));
		// waitFor, not a fixed pause: under a loaded test run frames come late.
		await ui.burst('4', 'G');
		await ui.waitFor(f => f.includes('╭─ 4 Locks') && f.includes('res-29'));
		await ui.burst(KEYS.shiftTab, '4', 'g');
		await ui.waitFor(f => f.includes('╭─ 4 Locks') && f.includes('res-00'));
		// Keys that arrive in one chunk (tmux send-keys 1 4 G) are one key each.
		await ui.burst('14G');
		await ui.waitFor(f => f.includes('╭─ 4 Locks') && f.includes('res-29'));
		// …including a prompt's text and its Enter (tmux send-keys / 'res-1' Enter).
		await ui.burst('/res-1\r');
		const filtered = await ui.waitFor(f => f.includes('res-10'));
		expect(filtered).not.toContain('res-20');
		expect(filtered).not.toContain('▏');
	});

	it('moves the cursor with j/k, G/g and pages, scrolling the list', async () => {
		const ui = app(80, 24);
		await ui.waitFor(f => f.includes('1 instances'));
		await ui.press('4');
		expect(ui.lastFrame()).toContain('res-00');
		await ui.press('G');
		let frame = ui.lastFrame();
		expect(frame).toContain('res-29');
		expect(frame).not.toContain('res-00');
		await ui.press('g');
		expect(ui.lastFrame()).toContain('res-00');
		await ui.press(KEYS.pageDown, KEYS.pageDown);
		frame = ui.lastFrame();
		expect(frame).not.toContain('res-00');
		await ui.press('k', KEYS.up, 'j');
		expect(ui.lastFrame()).not.toContain('res-00');
	});

	it('shows help from the keymap and closes it with q, h, Esc or ?', async () => {
		const ui = app(120, 35);
		await ui.waitFor(f => f.includes('1 instances'));
		for (const close of ['q', 'h', '?', KEYS.escape]) {
			await ui.press('?');
			expect(ui.lastFrame()).toContain('tcmon keys');
			await ui.press(close);
			if (close === KEYS.escape) await tick(80); // Ink waits to tell Esc from an escape sequence
			expect(ui.lastFrame()).not.toContain('tcmon keys');
		}
	});

	it('pauses, changes the interval and quits', async () => {
		let quit = false;
		const ui = app(120, 35, () => (quit = true));
		await ui.waitFor(f => f.includes('every 200ms'));
		await ui.press('p');
		expect(ui.lastFrame()).toContain(' PAUSED ');
		await tick(300); // a poll already in flight when p was pressed may still land
		// Paused: a new instance is not picked up...
		writeFileSync(path.join(dir, 'instances.json'), JSON.stringify({a: {status: 'active'}, b: {status: 'active'}}));
		await tick(500);
		expect(ui.lastFrame()).toContain('1 instances');
		// ...until refreshed by hand.
		await ui.press('r');
		await ui.waitFor(f => f.includes('2 instances'));
		await ui.press('p', '-');
		expect(ui.lastFrame()).toContain('every 500ms');
		await ui.press('+', '+', '+');
		expect(ui.lastFrame()).toContain('every 100ms');
		await ui.press('q');
		expect(quit).toBe(true);
	});

	it('re-lays out on resize between grid and tabs', async () => {
		const ui = renderTui(<App source={new JsonSource({dir})} intervalMs={200} prefix="tmux-claude" />, {columns: 120, rows: 35});
		await ui.waitFor(f => f.includes('1 instances'));
		expect(ui.lastFrame()).toContain('╭─ 4 Locks');
		expect(ui.lastFrame()).toContain('╭─ 1 Stats');
		ui.resize(80, 24);
		await tick(50);
		const frame = ui.lastFrame();
		expect(frame).toMatch(/ 1 Stats  2 Slowlog/);
		expect(frame.split('\n').length).toBe(23);
	});
});
