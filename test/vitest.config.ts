import {fileURLToPath} from 'node:url';
import {defineConfig} from 'vitest/config';

export default defineConfig({
	root: fileURLToPath(new URL('..', import.meta.url)),
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		setupFiles: ['test/support/setup.ts'],
		globalSetup: ['test/support/global-setup.ts'],
		reporters: ['default', './test/support/summary-reporter.ts'],
		// Most files wait on servers, timers and child processes, not on the CPU:
		// three at once on the 2-core machines took the suite from ~170 s to
		// ~70 s (CI runs it on four Node versions), with no failures in three runs.
		maxWorkers: 3,
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Snapshot files live beside the tests; in CI a missing one fails the run.
		snapshotFormat: {escapeString: false, printBasicPrototype: false},
	},
});
