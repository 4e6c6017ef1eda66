// Entry point. Colour must be settled before Ink/chalk load, so the real
// program is imported only after NO_COLOR has been honoured.
import v8 from 'node:v8';

// A monitor runs the same code once a second: with V8's default budget its
// optimising compiler kept recompiling that code on background threads, about
// as much CPU as the work itself (`npm run bench`). A larger budget leaves
// optimisation to code that is really hot (key indexing, `tcmon keys --all`).
v8.setFlagsFromString('--interrupt-budget=1000000');
if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') process.env['FORCE_COLOR'] = '0';

// Subcommands are dispatched before the UI's modules load: `tcmon keys` starts without Ink.
const {COMMANDS} = await import('./commands/registry');
const name = process.argv[2];
const sub = name && !name.startsWith('-') ? COMMANDS[name] : undefined;
const {main} = sub ? {main: (argv: string[]) => sub.run(argv.slice(1), process.env)} : await import('./main');
const code = await main(process.argv.slice(2));
// Exit now rather than wait for ioredis' reconnect and connect-timeout timers
// (stdout to a pipe or file is synchronous on Linux, so nothing is lost).
process.exit(code);

export {};
