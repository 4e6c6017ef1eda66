// The Locks pane's keys, driven through the real App on a real state dir.
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {App} from '../../source/app';
import type {Lock} from '../../source/domain/types';
import {locksController} from '../../source/panes/locks-controller';
import {LockAdmin, uiCapabilitiesFor, type UiCapabilities} from '../../source/sources/capabilities';
import {JsonSource} from '../../source/sources/json-source';
import {lockTracker} from '../../source/sources/lock-tracker';
import {TrackedSource} from '../../source/sources/tracked-source';
import {KEYS, renderTui, tick} from '../support/render';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-lockkeys-'));
	const now = Date.now();
	for (const [i, name] of ['alpha', 'bravo', 'charlie'].entries()) writeFileSync(path.join(dir, `${name}.lock`), `${now - i * 1000}-0.${i}`);
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const app = (allowWrite = false) =>
	renderTui(
		<App source={new TrackedSource(new JsonSource({dir}), [lockTracker({prefix: 'tmux-claude'})])} intervalMs={200} prefix="tmux-claude" allowWrite={allowWrite} size={{columns: 100, rows: 30}} initialPane="locks" />,
		{columns: 100, rows: 30},
	);

describe('Locks pane keys', () => {
	it('sorts with s, filters with /, opens the detail with Enter and goes back with q', async () => {
		const ui = app();
		await ui.waitFor(f => f.includes('Locks · 3'));
		await ui.press('s');
		expect(ui.lastFrame()).toMatch(/sort age/);
		await ui.press('s');
		expect(ui.lastFrame()).toMatch(/sort resource/);
		await ui.press('/', 'b', 'r');
		expect(ui.lastFrame()).toMatch(/filter \/br▏/);
		await ui.press(KEYS.enter); // applies the filter, closes the prompt
		expect(ui.lastFrame()).toMatch(/Locks · 1 of 3/);
		expect(ui.lastFrame()).toMatch(/sort resource · \/br/);
		await ui.press(KEYS.enter);
		let frame = ui.lastFrame();
		expect(frame).toMatch(/Locks · 1 of 3 · detail/);
		expect(frame).toMatch(/bravo · file · held/);
		expect(frame).toMatch(/token\s+\d+-0\.1/);
		await ui.press('q'); // back, not quit
		frame = ui.lastFrame();
		expect(frame).not.toMatch(/· detail/);
		expect(frame).toMatch(/bravo\s+file/);
		// Esc cancels the prompt and keeps the filter; an empty line applied clears it.
		await ui.press('/', KEYS.escape);
		await tick(80);
		expect(ui.lastFrame()).toMatch(/Locks · 1 of 3/);
		await ui.press('/', '\u0015', KEYS.enter);
		await ui.waitFor(f => f.includes('Locks · 3'));
	});

	it('x without --allow-write says how to enable it and deletes nothing', async () => {
		const ui = app();
		await ui.waitFor(f => f.includes('Locks · 3'));
		await ui.press('x');
		expect(ui.lastFrame()).toMatch(/force-release is off: start tcmon with --allow-write/);
		expect(existsSync(path.join(dir, 'alpha.lock'))).toBe(true);
	});

	it('with --allow-write releases only after the resource name is typed', async () => {
		const ui = app(true);
		await ui.waitFor(f => f.includes('Locks · 3'));
		await ui.press('s', 's'); // by resource: alpha first
		await ui.press(KEYS.enter, 'x', 'a', 'l', 'f', KEYS.enter);
		expect(ui.lastFrame()).toMatch(/does not match: nothing released/);
		expect(existsSync(path.join(dir, 'alpha.lock'))).toBe(true);
		await ui.press('x', ...'alpha', KEYS.enter);
		await ui.waitFor(f => /released alpha\.lock/.test(f));
		expect(existsSync(path.join(dir, 'alpha.lock'))).toBe(false);
		expect(existsSync(path.join(dir, 'bravo.lock'))).toBe(true);
	});

	it('a prompt opened right after a notice shows what is typed (the notice does not hide it)', async () => {
		const ui = app(true);
		await ui.waitFor(f => f.includes('Locks · 3'));
		await ui.press('s', 's', 'x', 'n', 'o', KEYS.enter);
		expect(ui.lastFrame()).toMatch(/does not match: nothing released/);
		await ui.press('x', 'a');
		expect(ui.lastFrame()).toMatch(/force-release alpha\? type its name: a▏/);
		await ui.press(KEYS.escape);
		expect(ui.lastFrame()).not.toMatch(/▏/);
	});

	it('e shows the event list of the session', async () => {
		const ui = app();
		await ui.waitFor(f => f.includes('Locks · 3'));
		writeFileSync(path.join(dir, 'delta.lock'), `${Date.now()}-0.9`);
		await ui.waitFor(f => f.includes('Locks · 4'));
		await ui.press('e');
		await ui.waitFor(f => /acquired\s+delta\s+file/.test(f));
		await ui.press(KEYS.enter); // the event's lock, with its history
		await ui.waitFor(f => /delta · file · held/.test(f) && /history\s+1 acquired/.test(f));
	});

	it('lock admin is a capability: none without --allow-write, and x then says write mode is off', async () => {
		const source = new JsonSource({dir});
		const readOnly = uiCapabilitiesFor(source, false);
		expect(readOnly.locks).toBeNull();
		const writable = uiCapabilitiesFor(source, true);
		expect(writable.locks).toBeInstanceOf(LockAdmin);
		const snapshot = await source.poll();
		expect(snapshot.locks.length).toBe(3);
		const notes: string[] = [];
		// The controller never reaches the source (null here): only the capability.
		const env = (capabilities: UiCapabilities, allowWrite: boolean) => ({
			snapshot,
			visibleRows: 10,
			cursorIndex: 0,
			capabilities,
			prefix: 'tmux-claude',
			allowWrite,
			update: () => {},
			notify: (text: string) => notes.push(text),
			effect: (run: () => void) => run(),
		});
		// Even a UI told allowWrite, without the capability, cannot write.
		let s = locksController.command!(locksController.initial(), 'locks.release', env(readOnly, true));
		expect(s.prompt).toBeNull();
		expect(notes.at(-1)).toMatch(/force-release is off: start tcmon with --allow-write/);
		// With it: the release goes through the capability, with the lock under the cursor.
		const asked: Lock[] = [];
		const spy = {release: async (lock: Lock) => (asked.push(lock), {released: true, message: `released ${lock.resource}`})} as unknown as LockAdmin;
		const e = env({...writable, locks: spy}, true);
		s = locksController.command!(locksController.initial(), 'locks.release', e);
		expect(s.prompt?.kind).toBe('release');
		const lock = (s.prompt as {lock: Lock}).lock;
		for (const ch of lock.resource) s = locksController.input!(s, ch, {} as never, e) ?? s;
		s = locksController.input!(s, '', {return: true} as never, e) ?? s;
		expect(asked).toEqual([lock]);
		await tick(10);
		expect(notes.at(-1)).toBe(`released ${lock.resource}`);
		// Closed on quit: a release asked after that deletes nothing.
		writable.close();
		const late = await writable.locks!.release(lock);
		expect(late.released).toBe(false);
		expect(existsSync(lock.key)).toBe(true);
		readOnly.close();
	});
});
