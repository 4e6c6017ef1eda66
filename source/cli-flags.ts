// Flags shared by `tcmon` and its subcommands, parsed with meow. A command
// adds its own flags; the connection/source flags mean the same everywhere.
import {accessSync, constants, statSync} from 'node:fs';
import meow, {type AnyFlags} from 'meow';
import {resolveConfig, UsageError, type Config} from './config';

export const COMMON_FLAGS = {
	url: {type: 'string', shortFlag: 'u'},
	host: {type: 'string', shortFlag: 'h'},
	port: {type: 'number', shortFlag: 'p'},
	password: {type: 'string', shortFlag: 'a'},
	user: {type: 'string'},
	db: {type: 'number', shortFlag: 'n'},
	tls: {type: 'boolean'},
	cacert: {type: 'string'},
	cert: {type: 'string'},
	key: {type: 'string'},
	insecure: {type: 'boolean'},
	sni: {type: 'string'},
	cluster: {type: 'boolean'},
	stateDir: {type: 'string'},
	prefix: {type: 'string'},
	interval: {type: 'number'},
	source: {type: 'string'},
	demo: {type: 'boolean'},
	json: {type: 'boolean'},
	slowlogCount: {type: 'number'},
	timeout: {type: 'number'},
} as const;

const kebab = (name: string): string => name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);

export const fail = (message: string, command = 'tcmon'): number => {
	process.stderr.write(`tcmon: ${message}\nRun ${command} --help for usage.\n`);
	return 2;
};

/** A TLS file flag names a readable regular file, or the run stops with why (exit 2). */
const readable = (name: string, file: string): void => {
	try {
		accessSync(file, constants.R_OK);
		if (!statSync(file).isFile()) throw new Error('not a file');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new UsageError(`--${name} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not readable' : 'not a regular file'}`);
	}
};

/** Flags that take a value (names as typed: --kebab, --camel, -s). */
export const valueFlags = (...sets: AnyFlags[]): Set<string> => {
	const out = new Set<string>();
	for (const set of sets) {
		for (const [name, spec] of Object.entries(set)) {
			if (spec.type === 'boolean') continue;
			out.add(`--${name}`).add(`--${kebab(name)}`);
			if ('shortFlag' in spec && spec.shortFlag) out.add(`-${spec.shortFlag as string}`);
		}
	}
	return out;
};

/**
 * The subcommand wherever it stands among the flags (`tcmon --url X keys` as
 * `tcmon keys --url X`): the first word that is not a flag or a flag's value.
 * Words after `--` are never one. null: no subcommand, argv as given.
 */
export const findCommand = (argv: string[], commands: Record<string, unknown>, takesValue: Set<string>): {name: string; rest: string[]} | null => {
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '--') return null;
		if (arg.startsWith('-')) {
			if (!arg.includes('=') && takesValue.has(arg)) i++;
			continue;
		}
		return Object.hasOwn(commands, arg) ? {name: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)]} : null;
	}
	return null;
};

export type Parsed<F extends AnyFlags> = {config: Config; flags: Record<keyof F, unknown>; input: string[]};

/**
 * Parses argv with the common flags plus `extra`. Returns the exit code of a
 * usage error (after printing its one-line reason) instead of throwing.
 */
export const parseFlags = <F extends AnyFlags>(
	argv: string[],
	env: NodeJS.ProcessEnv,
	help: string,
	extra: F,
	options: {command?: string; allowInput?: boolean; importMeta: ImportMeta},
): Parsed<F & typeof COMMON_FLAGS> | number => {
	const flags = {...COMMON_FLAGS, ...extra};
	const cli = meow(help, {
		importMeta: options.importMeta,
		argv,
		flags,
		// Checked below instead, so the reason fits on one line.
		allowUnknownFlags: true,
		autoHelp: true,
		autoVersion: true,
	});
	const known = new Set<string>(Object.entries(flags).flatMap(([name, spec]) => [name, kebab(name), ...('shortFlag' in spec && spec.shortFlag ? [spec.shortFlag as string] : [])]));
	const unknown = Object.keys(cli.unnormalizedFlags).filter(name => !known.has(name));
	const command = options.command ?? 'tcmon';
	if (unknown.length > 0) return fail(`unknown flag ${unknown.map(n => (n.length === 1 ? `-${n}` : `--${n}`)).join(', ')}`, command);
	if (!options.allowInput && cli.input.length > 0) return fail(`unknown command ${JSON.stringify(cli.input[0])}`, command);
	try {
		const f = cli.flags as Record<string, unknown>;
		const password = (f['password'] as string | undefined) ?? env['REDISCLI_AUTH'];
		const config = resolveConfig({...(f as object), ...(password === undefined ? {} : {password})}, env);
		for (const name of ['cacert', 'cert', 'key'] as const) {
			const file = config.tlsOptions?.[name];
			if (file !== undefined) readable(name, file);
		}
		return {config, flags: f as Record<keyof (F & typeof COMMON_FLAGS), unknown>, input: cli.input};
	} catch (error) {
		if (error instanceof UsageError) return fail(error.message, command);
		throw error;
	}
};
