// Flags shared by `tcmon` and its subcommands, parsed with meow. A command
// adds its own flags; the connection/source flags mean the same everywhere.
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
		return {config, flags: f as Record<keyof (F & typeof COMMON_FLAGS), unknown>, input: cli.input};
	} catch (error) {
		if (error instanceof UsageError) return fail(error.message, command);
		throw error;
	}
};
