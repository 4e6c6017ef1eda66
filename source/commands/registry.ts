// Subcommands: `tcmon NAME …` runs COMMANDS[NAME] with the rest of argv.
// Each parses its own flags (with the common ones, see cli-flags) and returns
// its exit code.
import {check} from './check';
import {keysCommand} from './keys';
import {split} from './split';
import {status} from './status';

export type SubCommand = {
	summary: string;
	run: (argv: string[], env: NodeJS.ProcessEnv) => Promise<number>;
};

export const COMMANDS: Record<string, SubCommand> = {
	check,
	keys: keysCommand,
	status,
	split,
};
