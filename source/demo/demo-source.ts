import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {JsonSource} from '../sources/json-source';
import type {SourceSet} from '../sources/choose-source';
import type {Source} from '../sources/source';
import {DemoSimulator} from './simulator';

/** The demo: a simulator writing a temp state dir, read by the ordinary JSON source. */
export const demoSource = (options: {seed?: number; stepMs?: number} = {}): SourceSet & {dir: string} => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-demo-'));
	const sim = new DemoSimulator(dir, {seed: options.seed});
	sim.seed();
	sim.start(options.stepMs ?? 1000);
	const json = new JsonSource({dir, kind: 'demo'});
	// The simulated agents' tmux sessions, as tmux list-sessions would give them.
	const source: Source = {
		kind: 'demo',
		poll: async () => ({...(await json.poll()), tmux: {state: 'ok', sessions: sim.sessions(), detail: null, socket: null, readAt: Date.now()}}),
		close: () => json.close(),
		current: () => json,
	};
	return {
		source,
		redis: null,
		dir,
		close: async () => {
			sim.stop(true);
			await json.close();
		},
	};
};
