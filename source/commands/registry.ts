// Subcommands: `tcmon NAME …` runs COMMANDS[NAME] with the rest of argv.
// Each parses its own flags (with the common ones, see cli-flags) and returns
// its exit code.

export type SubCommand = {
	summary: string;
	run: (argv: string[], env: NodeJS.ProcessEnv) => Promise<number>;
};

import {keysCommand} from './keys';

export const COMMANDS: Record<string, SubCommand> = {
	keys: keysCommand,
};
