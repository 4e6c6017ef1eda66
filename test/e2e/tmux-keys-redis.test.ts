// End to end against a real Redis: the built bin in a tmux pane, connected to
// a redis-server holding a tmux-claude store (both layouts, a few locks, a key
// in db 1, a slowlog that logs every command), driven with send-keys through
// every pane and key of the help — Esc included — each step checking the
// screen changed as the help says. Force-release (--allow-write) really
// deletes the lock it names, and only after its name is typed.
import {fileURLToPath} from 'node:url';
import type {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ALL_BINDINGS} from '../../source/panes/registry';
import {RedisServer} from '../support/redis-server';
import {P, writeLayout1, writeLayout2} from '../support/store';
import {title, tmuxAvailable, TmuxDriver} from '../support/tmux';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const driver = new TmuxDriver('e2e-redis');
const status = () => driver.status();
const step = driver.step.bind(driver);
/** Row 4: the focused pane's title. */
const head = (f: string) => f.split('\n')[3] ?? '';

let server: RedisServer;
let client: Redis;
let tmuxOk = true;
beforeAll(async () => {
	// slower-than 0: every command (tcmon's own polls too) is a slowlog entry.
	server = await RedisServer.start({args: ['--slowlog-log-slower-than', '0']});
	client = server.client();
	const now = Date.now();
	await writeLayout1(client, now);
	await writeLayout2(client, now);
	await client.set(`${P}:lock:alpha`, `${now}-0.42`, 'PX', 600_000);
	await client.set(`${P}:lock:bravo`, `${now - 5000}-0.43`, 'PX', 600_000);
	await client.select(1);
	await client.set(`${P}:other:db1`, 'x');
	await client.select(0);
	tmuxOk = tmuxAvailable();
	if (tmuxOk) driver.start(`node ${CLI} --url ${server.url} --allow-write --interval 500`);
});
afterAll(async () => {
	driver.kill();
	await server?.stop();
});

describe('the built bin in tmux on a real Redis, every key of the help', () => {
	// ~20 s idle; the bound leaves room for a loaded 2-core machine (each wait gives up after 6 s).
	it('walks every pane and key, Esc included, and the screen follows', {timeout: 60_000}, async () => {
		if (!tmuxOk) throw new Error('tmux is missing: install it (apt-get install tmux)');
		const first = await driver.waitFor('first frame', f => f.includes(`redis ${server.url}`) && f.includes('╭─ 1 Stats') && f.includes('locks'), 15_000);
		expect(first.split('\n')[0]).toContain('WRITE');

		// Help: opens, scrolls, closes with Esc.
		await step({commands: ['app.help'], keys: ['?'], expect: f => f.includes('tcmon keys'), what: 'help opens'});
		const lines = driver.screen().match(/(\d+)-(\d+) of (\d+)/)!;
		expect(lines).not.toBeNull();
		const [, , shown, total] = lines;
		await step({commands: ['list.down'], keys: ['j'], expect: f => f.includes(`2-${Number(shown) + 1} of`), what: 'help scrolls down'});
		await step({commands: ['list.up'], keys: ['k'], expect: f => f.includes(`1-${shown} of`), what: 'help scrolls up'});
		await step({commands: ['list.bottom'], keys: ['G'], expect: f => f.includes(`-${total} of ${total}`), what: 'help to the end'});
		await step({commands: ['list.top'], keys: ['g'], expect: f => f.includes(`1-${shown} of`), what: 'help to the top'});
		await step({commands: ['list.pageDown'], keys: ['PageDown'], expect: f => !f.includes(`1-${shown} of`), what: 'help pages down'});
		await step({commands: ['list.pageUp'], keys: ['PageUp'], expect: f => f.includes(`1-${shown} of`), what: 'help pages up'});
		await step({commands: ['app.back'], keys: ['Escape'], expect: f => !f.includes('tcmon keys') && title(1, 'Stats')(f), what: 'Esc closes the help'});

		await driver.walkPanes();

		// Pause, refresh, interval.
		await step({commands: ['poll.pause'], keys: ['p'], expect: f => f.includes(' PAUSED '), what: 'pause'});
		await driver.waitFor('paused: the age grows', f => /updated \d+(\.\d)?s ago/.test(f));
		await step({commands: ['poll.refresh'], keys: ['r'], expect: f => /updated \d+ms ago/.test(f), what: 'refresh while paused'});
		await step({commands: ['poll.pause'], keys: ['p'], expect: f => !f.includes(' PAUSED '), what: 'resume'});
		await step({commands: ['poll.faster'], keys: ['+'], expect: f => f.includes('every 200ms'), what: 'faster'});
		await step({commands: ['poll.slower'], keys: ['-', '-'], expect: f => /every 1(\.0)?s/.test(f), what: 'slower, up to 1 s'});

		// Stats: the details view (Esc closes it), the probe re-read.
		await step({commands: ['stats.detail'], keys: ['Enter'], expect: f => head(f).includes('details'), what: 'stats details'});
		await step({commands: [], keys: ['Escape'], expect: f => !head(f).includes('details'), what: 'Esc closes the stats details'});
		await step({commands: ['stats.probe'], keys: ['a'], expect: () => status().includes('re-read on the next poll'), what: 'stats probe'});

		// Slowlog: the server's entries (tcmon's own HLEN of the instances hash among them).
		await step({commands: [], keys: ['2'], expect: f => head(f).includes('newest') && f.includes(`hlen ${P}:instances`), what: 'to Slowlog'});
		await step({commands: ['slowlog.sort'], keys: ['s'], expect: f => head(f).includes('slowest'), what: 'slowlog sorts by duration'});
		await step({commands: ['slowlog.sort'], keys: ['s'], expect: f => head(f).includes('newest'), what: 'slowlog sorts by time'});
		await step({commands: ['slowlog.filter'], keys: ['/', 'h', 'l'], expect: () => status().includes('filter /hl▏'), what: 'slowlog prompt echoes'});
		await step({commands: [], keys: ['Escape'], expect: f => !status().includes('▏') && !head(f).includes('/hl'), what: 'Esc cancels the slowlog prompt'});
		await step({commands: [], keys: ['/', 'h', 'l', 'e', 'n', 'Enter'], expect: f => head(f).includes('/hlen') && !/│ \+?\*?\s+\d+ .*\binfo\b/.test(f), what: 'slowlog filter applies'});
		await step({commands: [], keys: ['/', 'C-u', 'Enter'], expect: f => !head(f).includes('/hlen') && /\binfo\b/.test(f), what: 'slowlog filter clears'});
		await step({commands: ['slowlog.summary'], keys: ['c'], expect: f => head(f).includes('per command') && /INFO\s+\d+/.test(f), what: 'slowlog summary'});
		await step({commands: [], keys: ['c'], expect: f => !head(f).includes('per command'), what: 'slowlog list again'});
		await step({commands: ['slowlog.open'], keys: ['Enter'], expect: f => head(f).includes('Slowlog · entry') && /took\s+\d/.test(f), what: 'slowlog opens an entry'});
		await step({commands: [], keys: ['Escape'], expect: f => !head(f).includes('entry'), what: 'Esc closes the entry'});

		// Keys: the SCAN walk of the prefix, as a tree.
		await step({commands: [], keys: ['3'], expect: f => f.includes(`▾ ${P}:`) && f.includes('▸ lock:'), what: 'to Keys'});
		await step({commands: ['keys.collapse'], keys: ['Left'], expect: f => f.includes(`▸ ${P}:`) && title(3, 'Keys')(f), what: 'keys ← collapses'});
		await step({commands: ['keys.expand'], keys: ['Right'], expect: f => f.includes(`▾ ${P}:`), what: 'keys → expands'});
		// The pane follows writes: a new namespace shows without a rescan.
		await client.set(`${P}:fresh:one`, '1');
		await driver.waitFor('keys follow a write', f => f.includes('▸ fresh:'), 8000);
		await step({commands: ['keys.view'], keys: ['v'], expect: f => head(f).includes('Keys · list') && f.includes(`${P}:lock:alpha`), what: 'keys list view'});
		await step({commands: ['keys.open'], keys: ['g', 'Enter'], expect: () => status().includes('q/Esc back'), what: 'keys opens a value'});
		await step({commands: ['keys.copy'], keys: ['y'], expect: () => status().includes('q/Esc back') || /copied|OSC 52|clipboard/i.test(status()), what: 'keys copy in the viewer'});
		await step({commands: [], keys: ['Escape'], expect: () => !status().includes('q/Esc back'), what: 'Esc closes the viewer'});
		await step({commands: ['keys.view'], keys: ['v'], expect: f => head(f).includes('Keys · tree'), what: 'keys tree view'});
		await step({commands: ['keys.filter'], keys: ['/', 'x'], expect: () => status().includes('/x▏'), what: 'keys prompt echoes'});
		await step({commands: [], keys: ['Escape'], expect: () => !status().includes('▏'), what: 'Esc cancels the keys prompt'});
		await step({commands: [], keys: ['/', '*', 'l', 'o', 'c', 'k', '*', 'Enter'], expect: f => head(f).includes('*lock*') && !f.includes('▸ instance:'), what: 'keys filter applies'});
		await step({commands: [], keys: ['/', 'C-u', 'Enter'], expect: f => !head(f).includes('*lock*') && f.includes('▸ instance:'), what: 'keys filter clears'});
		// d: another delimiter, so `tmux-claude:` is no namespace any more; five more come back to `:`.
		await step({commands: ['keys.delimiter'], keys: ['d'], expect: f => !f.includes(`▾ ${P}:`) && !f.includes('▸ lock:') && f.includes('instance'), what: 'keys delimiter /'});
		await step({commands: [], keys: ['d', 'd', 'd', 'd', 'd'], expect: f => f.includes(`▾ ${P}:`) && f.includes('▸ lock:'), what: 'keys delimiter back to :'});
		await step({commands: ['keys.type'], keys: ['t'], expect: f => / · string · /.test(head(f)) && !/instances\s+hash/.test(f), what: 'keys type filter'});
		await step({commands: ['keys.all'], keys: ['a'], expect: f => head(f).includes(' · * · '), what: 'keys whole database'});
		await step({commands: ['keys.db'], keys: ['n'], expect: f => head(f).includes('db1') && f.includes('▸ other:') && !f.includes('lock:'), what: 'keys next database'});
		// db 1 is not followed: the walk's age shows; x (nothing running) leaves it; s walks again.
		await step({commands: ['keys.cancel'], keys: ['x'], expect: f => f.includes('▸ other:') && /walked ([2-9]|\d\d)(\.\d)?s ago/.test(f), what: 'keys walk ages'});
		await step({commands: ['keys.rescan'], keys: ['s'], expect: f => f.includes('▸ other:') && /walked (\d+ms|[01](\.\d)?s) ago/.test(f), what: 'keys rescan'});

		// Locks.
		await step({commands: [], keys: ['4'], expect: f => title(4, 'Locks')(f) && f.includes('alpha') && f.includes('forever'), what: 'to Locks'});
		await step({commands: ['locks.sort'], keys: ['s'], expect: f => f.includes('sort age'), what: 'locks sort by age'});
		await step({commands: ['locks.sort'], keys: ['s'], expect: f => f.includes('sort resource'), what: 'locks sort by resource'});
		// A lock taken now is an event of the session.
		await client.set(`${P}:lock:charlie`, `${Date.now()}-0.44`, 'PX', 600_000);
		await driver.waitFor('a new lock shows', f => f.includes('charlie'));
		await step({commands: ['locks.events'], keys: ['e'], expect: f => /acquired\s+charlie/.test(f), what: 'locks events'});
		await step({commands: ['locks.events'], keys: ['e'], expect: f => !/at\s+event\s+resource/.test(f) && f.includes('forever'), what: 'locks list again'});
		await step({commands: ['locks.filter'], keys: ['/', 'z', 'z'], expect: () => status().includes('/zz▏'), what: 'locks prompt echoes'});
		await step({commands: [], keys: ['Escape'], expect: () => !status().includes('▏'), what: 'Esc cancels the locks prompt'});
		await step({commands: [], keys: ['/', 'a', 'l', 'p', 'h', 'a', 'Enter'], expect: f => /Locks · 1 of \d/.test(head(f)), what: 'locks filter applies'});
		await step({commands: ['locks.detail'], keys: ['Enter'], expect: f => head(f).includes('detail') && f.includes('0.42'), what: 'locks detail'});
		await step({commands: ['locks.release'], keys: ['x', 'n', 'o'], expect: () => /force-release alpha\? .*: no▏/.test(status()), what: 'release prompt echoes'});
		await step({commands: [], keys: ['Enter'], expect: () => status().includes('does not match: nothing released'), what: 'release refused'});
		expect(await client.exists(`${P}:lock:alpha`)).toBe(1);
		await step({commands: [], keys: ['x', 'a', 'Escape'], expect: () => !status().includes('▏'), what: 'Esc cancels the release prompt'});
		expect(await client.exists(`${P}:lock:alpha`)).toBe(1);
		// Re-taken while the prompt is open: the token differs, the compare-and-delete leaves it.
		await step({commands: [], keys: ['x'], expect: () => /force-release alpha\? .*: ▏/.test(status()), what: 'release prompt again'});
		await client.set(`${P}:lock:alpha`, `${Date.now()}-0.99`, 'PX', 600_000);
		await step({commands: [], keys: [...'alpha', 'Enter'], expect: () => status().includes('holds another token now: not deleted'), what: 'release of a re-taken lock refused'});
		expect(await client.get(`${P}:lock:alpha`)).toMatch(/-0\.99$/);
		// Once the detail shows the new token, typing the name releases it.
		await driver.waitFor('the detail shows the new token', f => f.includes('-0.99'));
		await step({commands: [], keys: ['x', ...'alpha', 'Enter'], expect: () => status().includes(`released ${P}:lock:alpha`), what: 'release after the name'});
		expect(await client.exists(`${P}:lock:alpha`)).toBe(0);
		expect(await client.exists(`${P}:lock:bravo`)).toBe(1);
		await step({commands: [], keys: ['Escape'], expect: f => !head(f).includes('detail'), what: 'Esc closes the lock detail'});

		// Agents: the store's instances.
		await step({commands: [], keys: ['5'], expect: f => title(5, 'Agents')(f) && f.includes('exec_100001'), what: 'to Agents'});
		await step({commands: ['agents.switch'], keys: ['Enter'], expect: () => /session|switching to/.test(status()), what: 'agents switch'});
		await step({commands: ['agents.feed'], keys: ['a'], expect: f => / · activity \d+/.test(head(f)), what: 'agents feed'});
		await step({commands: [], keys: ['a'], expect: f => !head(f).includes('activity') && f.includes('exec_100001'), what: 'agents tree again'});

		// Quit.
		// Quit: q leaves a pane's view first (the feed is no view), so q ends tcmon and its tmux session.
		await driver.send('q');
		expect(await driver.exited()).toBe(true);
		driver.covered.add('app.quit');

		const missing = [...new Set(ALL_BINDINGS.map(b => b.command))].filter(c => !driver.covered.has(c));
		expect(missing).toEqual([]);
	});
});
