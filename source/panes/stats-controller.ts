// The Stats pane's behaviour: Enter opens the detail view (alerts, config
// audit, per-db, persistence, replication, memory check), which scrolls with
// the list keys and closes with Esc / q / h / Backspace. `a` asks the Redis
// source to re-read CONFIG and MEMORY USAGE on the next poll instead of
// waiting for its 30 s budget.
import {detailLines} from '../domain/health';
import {scrollBy} from '../ui/list-cursor';
import type {PaneController} from './controller';

export type StatsState = {detail: boolean; scroll: number};

export const statsController: PaneController<StatsState> = {
	id: 'stats',
	initial: () => ({detail: false, scroll: 0}),
	bindings: [
		{command: 'stats.detail', keys: [{key: 'return'}], label: 'Enter', description: 'health details: alerts, config audit, per-db, persistence, memory check', scope: 'stats', hint: 'details'},
		{command: 'stats.probe', keys: [{input: 'a'}], label: 'a', description: 're-read the config audit and key sizes now (CONFIG GET, MEMORY USAGE)', scope: 'stats'},
	],
	command(state, command, env) {
		if (command === 'stats.detail') return {detail: true, scroll: 0};
		if (command === 'stats.probe') {
			env.effect(() => env.notify(env.capabilities.probe.requestNow() ? 'config audit and key sizes: re-read on the next poll' : 'config audit needs a Redis source'));
		}
		return state;
	},
	scroll(state, move, env) {
		if (!state.detail) return state;
		const total = env.snapshot ? detailLines(env.snapshot, []).length : 0;
		// The last screenful stays full: the first line shown goes at most to total - rows.
		const scroll = Math.min(Math.max(0, total - env.visibleRows), scrollBy(state.scroll, move, total, env.visibleRows));
		return scroll === state.scroll ? state : {...state, scroll};
	},
	modal: state => state.detail,
	back: () => ({detail: false, scroll: 0}),
	rowCount: () => 0,
};
