// End to end: the built bin (`--demo`) in a real tmux pane, driven with
// send-keys through every pane and every key of the help; each step checks
// the screen changed as the help says. A last check makes sure no binding of
// the keymap was left out of the walk.
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ALL_BINDINGS} from '../../source/panes/registry';
import {title, tmuxAvailable, TmuxDriver} from '../support/tmux';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const driver = new TmuxDriver('e2e-demo');
const screen = () => driver.screen();
const status = () => driver.status();
const waitFor = driver.waitFor.bind(driver);
const send = driver.send.bind(driver);
const step = driver.step.bind(driver);
const covered = driver.covered;

let tmuxOk = true;
beforeAll(() => {
	tmuxOk = tmuxAvailable();
	if (tmuxOk) driver.start(`node ${CLI} --demo --allow-write`);
});
afterAll(() => driver.kill());

describe('the built bin in tmux, every key of the help', () => {
	it('walks every pane and key and the screen follows', async () => {
		if (!tmuxOk) throw new Error('tmux is missing: install it (apt-get install tmux)');
		await waitFor('first frame', f => f.includes('DEMO') && f.includes('╭─ 1 Stats'), 15_000);
		expect(screen().split('\n')[0]).toContain('WRITE');

		// Help: opens, scrolls, closes.
		await step({commands: ['app.help'], keys: ['?'], expect: f => f.includes('tcmon keys'), what: 'help opens'});
		const first = screen().match(/(\d+)-(\d+) of (\d+)/);
		expect(first).not.toBeNull();
		await step({commands: ['list.down'], keys: ['j'], expect: f => f.includes(`2-${Number(first![2]) + 1} of`), what: 'help scrolls down'});
		await step({commands: ['list.bottom'], keys: ['G'], expect: f => new RegExp(`-${first![3]} of ${first![3]}`).test(f), what: 'help to the end'});
		await step({commands: ['list.top'], keys: ['g'], expect: f => f.includes(`1-${first![2]} of`), what: 'help to the top'});
		await step({commands: ['list.pageDown'], keys: ['PageDown'], expect: f => !f.includes(`1-${first![2]} of`), what: 'help pages down'});
		await step({commands: ['list.pageUp'], keys: ['PageUp'], expect: f => f.includes(`1-${first![2]} of`), what: 'help pages up'});
		await step({commands: ['list.up'], keys: ['j', 'k'], expect: f => f.includes(`1-${first![2]} of`), what: 'help scrolls up'});
		await step({commands: ['app.back'], keys: ['q'], expect: f => !f.includes('tcmon keys'), what: 'help closes with q'});

		await driver.walkPanes();

		// Pause, refresh, interval.
		await step({commands: ['poll.pause'], keys: ['p'], expect: f => f.includes(' PAUSED '), what: 'pause'});
		await step({commands: ['poll.refresh'], keys: ['r'], expect: f => /updated \d+ms ago/.test(f), what: 'refresh while paused'});
		await step({commands: ['poll.pause'], keys: ['p'], expect: f => !f.includes(' PAUSED '), what: 'resume'});
		await step({commands: ['poll.faster'], keys: ['+'], expect: f => f.includes('every 500ms'), what: 'faster'});
		await step({commands: ['poll.slower'], keys: ['-'], expect: f => /every 1(\.0)?s/.test(f), what: 'slower, back to 1 s'});

		// Stats.
		await step({commands: ['stats.detail'], keys: ['Enter'], expect: f => f.includes('details'), what: 'stats details'});
		await step({commands: [], keys: ['j', 'q'], expect: f => !/Stats.*details/.test(f.split('\n')[3] ?? ''), what: 'stats details close'});
		await step({commands: ['stats.probe'], keys: ['a'], expect: f => status().includes('config audit needs a Redis source') || f.includes('config audit'), what: 'stats probe'});

		// Slowlog (the demo's duration samples).
		await step({commands: [], keys: ['2'], expect: title(2, 'Slowlog'), what: 'to Slowlog'});
		await step({commands: ['slowlog.filter'], keys: ['/', 'a', 'b'], expect: () => status().includes('filter /ab▏'), what: 'slowlog prompt echoes'});
		await step({commands: [], keys: ['C-u', 'BSpace', 'Enter'], expect: () => !status().includes('▏'), what: 'slowlog prompt applies'});
		await step({commands: ['slowlog.sort', 'slowlog.summary', 'slowlog.open'], keys: ['s', 'c', 'Enter'], expect: title(2, 'Slowlog'), what: 'slowlog keys on a state dir'});

		// Keys.
		await step({commands: [], keys: ['3'], expect: f => /▾ instances\.json/.test(f), what: 'to Keys'});
		await step({commands: ['keys.collapse'], keys: ['Left'], expect: f => /▸ instances\.json/.test(f) && title(3, 'Keys')(f), what: 'keys ← collapses'});
		await step({commands: ['keys.expand'], keys: ['Right'], expect: f => /▾ instances\.json/.test(f), what: 'keys → expands'});
		await step({commands: ['keys.view'], keys: ['v'], expect: f => f.includes('Keys · list'), what: 'keys list view'});
		await step({commands: ['keys.view'], keys: ['v'], expect: f => f.includes('Keys · tree'), what: 'keys tree view'});
		// Row 2 is the first key under instances.json (row 1: the jobs namespace).
		await step({commands: ['keys.open'], keys: ['j', 'j', 'Enter'], expect: () => status().includes('q/Esc back'), what: 'keys opens a value'});
		await step({commands: ['keys.copy'], keys: ['y'], expect: () => status().includes('q/Esc back') || /copied|OSC 52|clipboard/i.test(status()), what: 'keys copy in the viewer'});
		await step({commands: [], keys: ['q'], expect: () => !status().includes('q/Esc back'), what: 'keys viewer closes'});
		await step({commands: ['keys.filter'], keys: ['/', 'x'], expect: () => status().includes('/x▏'), what: 'keys prompt echoes'});
		await step({commands: [], keys: ['C-u', 'Enter'], expect: () => !status().includes('▏'), what: 'keys prompt applies'});
		await step(
			{commands: ['keys.all', 'keys.type', 'keys.db', 'keys.delimiter', 'keys.cancel', 'keys.rescan'], keys: ['a', 't', 'n', 'd', 'x', 's'], expect: title(3, 'Keys'), what: 'keys scope keys on a state dir'},
		);

		// Locks.
		await step({commands: [], keys: ['4'], expect: title(4, 'Locks'), what: 'to Locks'});
		await step({commands: ['locks.sort'], keys: ['s'], expect: f => f.includes('sort age'), what: 'locks sort'});
		await step({commands: ['locks.events'], keys: ['e'], expect: f => f.includes('events'), what: 'locks events'});
		await step({commands: ['locks.events'], keys: ['e'], expect: f => f.includes('sort age'), what: 'locks list again'});
		await step({commands: ['locks.filter'], keys: ['/', 'z', 'z'], expect: () => status().includes('/zz▏'), what: 'locks prompt'});
		await step({commands: [], keys: ['BSpace', 'BSpace', 'Enter'], expect: () => !status().includes('▏'), what: 'locks prompt applies'});
		await step({commands: ['locks.detail'], keys: ['Enter'], expect: f => f.includes('acquired'), what: 'locks detail'});
		await step({commands: ['locks.release'], keys: ['x', 'n', 'o'], expect: () => /force-release .*: no▏/.test(status()), what: 'release prompt echoes'});
		await step({commands: [], keys: ['Enter'], expect: () => status().includes('does not match: nothing released'), what: 'release refused'});
		await step({commands: [], keys: ['q'], expect: f => !f.includes('acquired') || f.includes('sort age'), what: 'locks detail closes'});

		// Agents.
		await step({commands: [], keys: ['5'], expect: title(5, 'Agents'), what: 'to Agents'});
		await step({commands: ['agents.switch'], keys: ['Enter'], expect: () => status().includes('demo agents have no real tmux session'), what: 'agents switch'});
		await step({commands: ['agents.feed'], keys: ['a'], expect: () => status().includes('activity feed'), what: 'agents feed'});

		// Quit.
		await send('q');
		await waitFor('quit', f => !f.includes('╭─'), 5000).catch(() => undefined);
		covered.add('app.quit');

		const missing = [...new Set(ALL_BINDINGS.map(b => b.command))].filter(c => !covered.has(c));
		expect(missing).toEqual([]);
	});
});
