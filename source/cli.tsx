// Entry point (bundled into dist/tcmon.cjs, run by source/launcher.cjs). Colour
// must be settled before Ink/chalk load, so the real program is imported only
// after NO_COLOR has been honoured (crash.ts and terminal.ts load neither).
import {installCrashHandlers} from './crash';
import {leaveAltScreen} from './terminal';

if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') process.env['FORCE_COLOR'] = '0';

// Whatever escapes every other handler (one-shot runs and subcommands
// included) ends as one secret-free line and exit 1, the terminal restored.
const onCrash = installCrashHandlers(process.argv.slice(2), process.env, () => leaveAltScreen(process.stdout));

// Subcommands are dispatched before the UI's modules load: `tcmon keys` starts without Ink.
const run = async (): Promise<number> => {
	const {COMMANDS} = await import('./commands/registry');
	const {subcommandOf} = await import('./main-flags');
	// The subcommand may come after the flags: `tcmon --url X keys`.
	const sub = subcommandOf(process.argv.slice(2), COMMANDS);
	if (sub) return sub.command.run(sub.rest, process.env);
	const {main} = await import('./main');
	return main(process.argv.slice(2));
};
// A reader that went away (`tcmon --json | head`) is not a crash. A terminal
// that went away is the UI's to handle (interactive.tsx: a quiet hangup).
process.stdout.on('error', error => {
	if (process.stdout.isTTY) return;
	if ((error as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
	onCrash(error);
});
// Exit now rather than wait for ioredis' reconnect and connect-timeout timers,
// but only once stdout has taken everything: a pipe takes 64 KiB at once and
// queues the rest, which process.exit() would drop (a 1 MB --json piped to wc
// counted 65536 bytes). An empty write's callback runs after those before it.
const exitFlushed = (code: number) => process.stdout.write('', () => process.exit(code));
void run().then(exitFlushed, onCrash);

export {};
