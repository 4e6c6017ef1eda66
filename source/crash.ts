// The last resort: an error nothing else caught. Node's default report prints
// the offending line of the bundle (minified source, kilobytes of it) and a
// stack; a user gets one line instead, secret-free, and exit status 1.
// TCMON_DEBUG=1 adds the stack (scrubbed too), for bug reports.
import {scrubSecret, urlSecrets} from './config';
import {clip} from './domain/sanitize';

/** Longest crash message shown: a message can hold a whole reply or value. */
const MAX_MESSAGE = 300;

/** Every secret argv and the environment may hold: passwords and URLs' secrets. */
export const secretsIn = (argv: string[], env: NodeJS.ProcessEnv): string[] => {
	const out: string[] = [];
	const add = (value: string | undefined) => {
		if (!value) return;
		out.push(value, ...urlSecrets(value));
	};
	for (const [i, arg] of argv.entries()) {
		const eq = /^(?:-a|--password)=(.*)$/s.exec(arg);
		if (eq) add(eq[1]);
		else if (arg === '-a' || arg === '--password') add(argv[i + 1]);
		else if (arg.includes('://')) out.push(...urlSecrets(arg.replace(/^--?[\w-]+=/, '')));
	}
	add(env['REDISCLI_AUTH']);
	if (env['REDIS_URL']) out.push(...urlSecrets(env['REDIS_URL']));
	return [...new Set(out)];
};

/** What a crash prints: `tcmon: <message>` on one line (plus the stack when debugging), without secrets. */
export const crashReport = (error: unknown, secrets: string[], debug = false): string => {
	const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
	const line = `tcmon: ${clip(scrubSecret(message, secrets).replace(/\s*\n\s*/g, ' '), MAX_MESSAGE)}\n`;
	if (!debug || !(error instanceof Error) || !error.stack) return line;
	return `${line}${scrubSecret(error.stack, secrets)}\n`;
};

/**
 * Installs the last-resort handlers: report `error` as one line, call
 * `restore` (the terminal), exit 1. Returns the handler, for the UI to reuse.
 */
export const installCrashHandlers = (argv: string[], env: NodeJS.ProcessEnv, restore: () => void = () => {}): ((error: unknown) => never) => {
	const secrets = secretsIn(argv, env);
	let crashed = false;
	const onCrash = (error: unknown): never => {
		// A second error while reporting the first (the terminal is gone) must not loop.
		if (!crashed) {
			crashed = true;
			try {
				restore();
			} catch {}
			try {
				process.stderr.write(crashReport(error, secrets, env['TCMON_DEBUG'] === '1'));
			} catch {}
		}
		process.exit(1);
	};
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	return onCrash;
};
