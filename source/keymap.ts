// One table of commands → keys. The input handler matches against it and the
// `?` help overlay and the status bar render from it, so they cannot drift.
import type {Key} from 'ink';

export type PaneId = 'stats' | 'slowlog' | 'keys' | 'locks' | 'agents';

export const PANES: readonly {id: PaneId; title: string}[] = [
	{id: 'stats', title: 'Stats'},
	{id: 'slowlog', title: 'Slowlog'},
	{id: 'keys', title: 'Keys'},
	{id: 'locks', title: 'Locks'},
	{id: 'agents', title: 'Agents'},
];

export type Command =
	| 'quit'
	| 'help'
	| 'back'
	| 'nextPane'
	| 'prevPane'
	| 'pane1'
	| 'pane2'
	| 'pane3'
	| 'pane4'
	| 'pane5'
	| 'up'
	| 'down'
	| 'pageUp'
	| 'pageDown'
	| 'top'
	| 'bottom'
	| 'pause'
	| 'refresh'
	| 'faster'
	| 'slower'
	| 'zoom';

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
	{command: 'help', keys: [{input: '?'}], label: '?', description: 'show / hide this help', scope: 'global', hint: 'help'},
	{command: 'quit', keys: [{input: 'q'}, {input: 'c', ctrl: true}], label: 'q  Ctrl-C', description: 'quit', scope: 'global', hint: 'quit'},
	{
		command: 'back',
		keys: [{key: 'escape'}, {input: 'q'}, {input: 'h'}, {key: 'backspace'}, {key: 'delete'}],
		label: 'Esc q h ⌫',
		description: 'back / close (Esc is slow in tmux before 3.5: q, h or Backspace are instant)',
		scope: 'help',
		hint: 'back',
		hintKeys: 'q/Esc',
	},
	{command: 'nextPane', keys: [{key: 'tab', shift: false}, {key: 'rightArrow'}, {input: 'l'}], label: 'Tab → l', description: 'next pane', scope: 'global', hint: 'pane', hintKeys: 'Tab/1-5'},
	{command: 'prevPane', keys: [{key: 'tab', shift: true}, {key: 'leftArrow'}, {input: 'h'}], label: 'S-Tab ← h', description: 'previous pane', scope: 'global'},
	{command: 'zoom', keys: [{input: 'z'}], label: 'z', description: 'zoom the focused pane to the whole screen / back', scope: 'global'},
	{command: 'pane1', keys: [{input: '1'}], label: '1', description: 'Stats pane', scope: 'global'},
	{command: 'pane2', keys: [{input: '2'}], label: '2', description: 'Slowlog pane', scope: 'global'},
	{command: 'pane3', keys: [{input: '3'}], label: '3', description: 'Keys pane', scope: 'global'},
	{command: 'pane4', keys: [{input: '4'}], label: '4', description: 'Locks pane', scope: 'global'},
	{command: 'pane5', keys: [{input: '5'}], label: '5', description: 'Agents pane', scope: 'global'},
	{command: 'down', keys: [{input: 'j'}, {key: 'downArrow'}], label: 'j ↓', description: 'move down (scroll in a detail view)', scope: 'list', hint: 'move', hintKeys: 'j/k'},
	{command: 'up', keys: [{input: 'k'}, {key: 'upArrow'}], label: 'k ↑', description: 'move up', scope: 'list'},
	{command: 'pageDown', keys: [{key: 'pageDown'}, {input: 'd', ctrl: true}, {input: ' '}], label: 'PgDn ^D Space', description: 'page down', scope: 'list'},
	{command: 'pageUp', keys: [{key: 'pageUp'}, {input: 'u', ctrl: true}], label: 'PgUp ^U', description: 'page up', scope: 'list'},
	{command: 'top', keys: [{input: 'g'}, {key: 'home'}], label: 'g Home', description: 'first row', scope: 'list'},
	{command: 'bottom', keys: [{input: 'G'}, {key: 'end'}], label: 'G End', description: 'last row', scope: 'list'},
	{command: 'pause', keys: [{input: 'p'}], label: 'p', description: 'pause / resume polling', scope: 'global', hint: 'pause'},
	{command: 'refresh', keys: [{input: 'r'}], label: 'r', description: 'refresh now', scope: 'global', hint: 'refresh'},
	{command: 'faster', keys: [{input: '+'}, {input: '='}], label: '+', description: 'poll faster (100 200 500 ms 1 2 5 10 30 60 s)', scope: 'global'},
	{command: 'slower', keys: [{input: '-'}, {input: '_'}], label: '-', description: 'poll slower (the same steps)', scope: 'global', hint: 'rate', hintKeys: '+/-'},
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
