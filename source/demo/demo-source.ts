import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {JsonSource} from '../sources/json-source';
import type {SourceSet} from '../sources/choose-source';
import {DemoSimulator} from './simulator';

/** The demo: a simulator writing a temp state dir, read by the ordinary JSON source. */
export const demoSource = (options: {seed?: number; stepMs?: number} = {}): SourceSet & {dir: string} => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'tcmon-demo-'));
	const sim = new DemoSimulator(dir, {seed: options.seed});
	sim.seed();
	sim.start(options.stepMs ?? 1000);
	const source = new JsonSource({dir, kind: 'demo'});
	return {
		source,
		redis: null,
		dir,
		close: async () => {
			sim.stop(true);
			await source.close();
		},
	};
};
