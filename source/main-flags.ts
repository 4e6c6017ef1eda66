// tcmon's own flags (beside the common ones), apart from main.tsx so that the
// entry point can tell a subcommand from a flag's value without loading the UI.
import {ALERT_FLAGS} from './alert-settings';
import {COMMON_FLAGS, findCommand, valueFlags} from './cli-flags';

export const MAIN_FLAGS = {
	once: {type: 'boolean'},
	width: {type: 'number'},
	height: {type: 'number'},
	allowWrite: {type: 'boolean'},
	tmuxSocket: {type: 'string'},
	pane: {type: 'string'},
	panes: {type: 'string'},
	...ALERT_FLAGS,
} as const;

const TAKES_VALUE = valueFlags(COMMON_FLAGS, MAIN_FLAGS);

/** `tcmon [flags] NAME [flags]`: the subcommand NAME and the other words, or null. */
export const subcommandOf = <C>(argv: string[], commands: Record<string, C>): {command: C; rest: string[]} | null => {
	const found = findCommand(argv, commands, TAKES_VALUE);
	return found ? {command: commands[found.name]!, rest: found.rest} : null;
};
