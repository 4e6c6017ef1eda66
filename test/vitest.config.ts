import {fileURLToPath} from 'node:url';
import {defineConfig} from 'vitest/config';

export default defineConfig({
	root: fileURLToPath(new URL('..', import.meta.url)),
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		setupFiles: ['test/support/setup.ts'],
		globalSetup: ['test/support/global-setup.ts'],
		reporters: ['default', './test/support/summary-reporter.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Snapshot files live beside the tests; in CI a missing one fails the run.
		snapshotFormat: {escapeString: false, printBasicPrototype: false},
	},
});
