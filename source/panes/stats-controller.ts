// The Stats pane's behaviour: Enter opens the detail view (alerts, config
// audit, per-db, persistence, replication, memory check), which scrolls with
// the list keys and closes with Esc / q / h / Backspace. `a` asks the Redis
// source to re-read CONFIG and MEMORY USAGE on the next poll instead of
// waiting for its 30 s budget.
import {detailLines} from '../domain/health';
import {RedisSource} from '../sources/redis-source';
import type {PaneController} from './controller';

export type StatsState = {detail: boolean; scroll: number};

const SCROLL: Record<string, (scroll: number, page: number, max: number) => number> = {
	j: s => s + 1,
	k: s => s - 1,
	g: () => 0,
	G: (_s, _p, max) => max,
	' ': (s, p) => s + p,
};

export const statsController: PaneController<StatsState> = {
	id: 'stats',
	initial: () => ({detail: false, scroll: 0}),
	bindings: [
		{command: 'statsDetail', keys: [{key: 'return'}], label: 'Enter', description: 'health details: alerts, config audit, per-db, persistence, memory check', scope: 'stats', hint: 'details'},
		{command: 'statsProbe', keys: [{input: 'a'}], label: 'a', description: 're-read the config audit and key sizes now (CONFIG GET, MEMORY USAGE)', scope: 'stats'},
	],
	command(state, command, env) {
		if (command === 'statsDetail') return {detail: true, scroll: 0};
		if (command === 'statsProbe') {
			const current = env.source.current();
			if (current instanceof RedisSource) {
				current.probe.requestNow();
				env.notify('config audit and key sizes: re-read on the next poll');
			} else env.notify('config audit needs a Redis source');
		}
		return state;
	},
	input(state, input, key, env) {
		if (!state.detail) return null;
		const total = env.snapshot ? detailLines(env.snapshot, []).length : 0;
		const page = Math.max(1, env.visibleRows - 1);
		const max = Math.max(0, total - env.visibleRows);
		const move = key.downArrow ? SCROLL['j'] : key.upArrow ? SCROLL['k'] : key.pageDown ? SCROLL[' '] : key.pageUp ? (s: number) => s - page : SCROLL[input];
		if (!move || key.ctrl) return null;
		return {...state, scroll: Math.min(max, Math.max(0, move(state.scroll, page, max)))};
	},
	modal: state => state.detail,
	back: () => ({detail: false, scroll: 0}),
	rowCount: () => 0,
	status: state => (state.detail ? 'details: j/k PgUp/PgDn scroll · Esc/q back' : undefined),
};
