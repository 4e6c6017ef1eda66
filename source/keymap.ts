// One table of commands → keys. The input handler matches against it and the
// `?` help overlay and the status bar render from it, so they cannot drift.
import type {Key} from 'ink';
import type {CursorMove} from './ui/list-cursor';

export type PaneId = 'stats' | 'slowlog' | 'keys' | 'locks' | 'agents';

export const PANES: readonly {id: PaneId; title: string}[] = [
	{id: 'stats', title: 'Stats'},
	{id: 'slowlog', title: 'Slowlog'},
	{id: 'keys', title: 'Keys'},
	{id: 'locks', title: 'Locks'},
	{id: 'agents', title: 'Agents'},
];

export type Command =
	| 'app.quit'
	| 'app.help'
	| 'app.back'
	| 'pane.next'
	| 'pane.prev'
	| 'pane.1'
	| 'pane.2'
	| 'pane.3'
	| 'pane.4'
	| 'pane.5'
	| 'list.up'
	| 'list.down'
	| 'list.pageUp'
	| 'list.pageDown'
	| 'list.top'
	| 'list.bottom'
	| 'poll.pause'
	| 'poll.refresh'
	| 'poll.faster'
	| 'poll.slower'
	| 'pane.zoom';

/** Command ids are `area.action`: app.*, pane.*, poll.*, list.* (the scroll moves every list and detail view shares), and each pane's own `<pane>.*`. */

/** The scroll move a `list.*` command stands for, or null. */
export const scrollMove = (command: string): CursorMove | null => {
	const move = command.startsWith('list.') ? command.slice(5) : null;
	return move === 'up' || move === 'down' || move === 'pageUp' || move === 'pageDown' || move === 'top' || move === 'bottom' ? move : null;
};

type KeyName = {[K in keyof Key]: Key[K] extends boolean ? K : never}[keyof Key];

/** One way to press a command: a printable input, or a named key with modifiers. */
export type KeySpec = {input?: string; key?: KeyName; ctrl?: boolean; shift?: boolean};

export type Scope = 'global' | 'list' | 'help' | PaneId;

export type Binding = {
	/** A global Command, or a pane's own command name (handled by its controller). */
	command: Command | (string & {});
	keys: KeySpec[];
	/** How the keys are written in help and hints. */
	label: string;
	description: string;
	/** Where it applies: everywhere, in list panes, in help/detail views, or in one pane. */
	scope: Scope;
	/** Shown in the status bar's short hints, as `hintKeys hint`. */
	hint?: string;
	/** Keys written in the hint (default: the label's first key). */
	hintKeys?: string;
	/** A pane command that also works in the pane's detail view (hinted there). */
	detail?: boolean;
};

/** The app-wide bindings; panes add theirs through their controllers (see panes/registry). */
export const GLOBAL_BINDINGS: readonly Binding[] = [
	{command: 'app.help', keys: [{input: '?'}], label: '?', description: 'show / hide this help', scope: 'global', hint: 'help'},
	{command: 'app.quit', keys: [{input: 'q'}, {input: 'c', ctrl: true}], label: 'q  Ctrl-C', description: 'quit', scope: 'global', hint: 'quit'},
	{
		command: 'app.back',
		keys: [{key: 'escape'}, {input: 'q'}, {input: 'h'}, {key: 'backspace'}, {key: 'delete'}],
		label: 'Esc q h ⌫',
		description: 'back / close (Esc is slow in tmux before 3.5: q, h or Backspace are instant)',
		scope: 'help',
		hint: 'back',
		hintKeys: 'q/Esc',
	},
	{command: 'pane.next', keys: [{key: 'tab', shift: false}, {key: 'rightArrow'}, {input: 'l'}], label: 'Tab → l', description: 'next pane', scope: 'global', hint: 'pane', hintKeys: 'Tab/1-5'},
	{command: 'pane.prev', keys: [{key: 'tab', shift: true}, {key: 'leftArrow'}, {input: 'h'}], label: 'S-Tab ← h', description: 'previous pane', scope: 'global'},
	{command: 'pane.zoom', keys: [{input: 'z'}], label: 'z', description: 'zoom the focused pane to the whole screen / back', scope: 'global'},
	{command: 'pane.1', keys: [{input: '1'}], label: '1', description: 'Stats pane', scope: 'global'},
	{command: 'pane.2', keys: [{input: '2'}], label: '2', description: 'Slowlog pane', scope: 'global'},
	{command: 'pane.3', keys: [{input: '3'}], label: '3', description: 'Keys pane', scope: 'global'},
	{command: 'pane.4', keys: [{input: '4'}], label: '4', description: 'Locks pane', scope: 'global'},
	{command: 'pane.5', keys: [{input: '5'}], label: '5', description: 'Agents pane', scope: 'global'},
	{command: 'list.down', keys: [{input: 'j'}, {key: 'downArrow'}], label: 'j ↓', description: 'move down (scroll in a detail view)', scope: 'list', hint: 'move', hintKeys: 'j/k'},
	{command: 'list.up', keys: [{input: 'k'}, {key: 'upArrow'}], label: 'k ↑', description: 'move up', scope: 'list'},
	{command: 'list.pageDown', keys: [{key: 'pageDown'}, {input: 'd', ctrl: true}, {input: ' '}], label: 'PgDn ^D Space', description: 'page down', scope: 'list'},
	{command: 'list.pageUp', keys: [{key: 'pageUp'}, {input: 'u', ctrl: true}], label: 'PgUp ^U', description: 'page up', scope: 'list'},
	{command: 'list.top', keys: [{input: 'g'}, {key: 'home'}], label: 'g Home', description: 'first row', scope: 'list'},
	{command: 'list.bottom', keys: [{input: 'G'}, {key: 'end'}], label: 'G End', description: 'last row', scope: 'list'},
	{command: 'poll.pause', keys: [{input: 'p'}], label: 'p', description: 'pause / resume polling', scope: 'global', hint: 'pause'},
	{command: 'poll.refresh', keys: [{input: 'r'}], label: 'r', description: 'refresh now', scope: 'global', hint: 'refresh'},
	{command: 'poll.faster', keys: [{input: '+'}, {input: '='}], label: '+', description: 'poll faster (100 200 500 ms 1 2 5 10 30 60 s)', scope: 'global'},
	{command: 'poll.slower', keys: [{input: '-'}, {input: '_'}], label: '-', description: 'poll slower (the same steps)', scope: 'global', hint: 'rate', hintKeys: '+/-'},
];

const matches = (spec: KeySpec, input: string, key: Key): boolean => {
	if (spec.key) {
		if (!key[spec.key]) return false;
		if (spec.shift !== undefined && key.shift !== spec.shift) return false;
		return !spec.ctrl || key.ctrl;
	}
	if (spec.input === undefined) return false;
	if (Boolean(spec.ctrl) !== key.ctrl) return false;
	return input === spec.input;
};

/**
 * The command a key press means: scopes are tried in the order given (so a
 * pane's own binding wins over a global one), bindings in table order.
 */
export const commandFor = (bindings: readonly Binding[], input: string, key: Key, scopes: readonly Scope[]): Binding['command'] | null => {
	for (const scope of scopes) {
		for (const binding of bindings) {
			if (binding.scope !== scope) continue;
			if (binding.keys.some(spec => matches(spec, input, key))) return binding.command;
		}
	}
	return null;
};

/** Status-bar hints: `key label` pairs for the bindings that have a hint, in scope order. */
export const hintsFor = (bindings: readonly Binding[], scopes: readonly Scope[]): {keys: string; hint: string}[] =>
	scopes.flatMap(scope => bindings.filter(b => b.hint && b.scope === scope)).map(b => ({keys: b.hintKeys ?? b.label.split(/\s+/)[0]!, hint: b.hint!}));
