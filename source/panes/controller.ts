// A pane's behaviour, apart from its rendering: its own state, its own keys
// (in the shared keymap, scope = the pane id), and what those keys do, as
// reducers over the pane's state: I/O they need is queued with env.effect
// and run after the new state is stored; `settle` runs after the render.
// The App holds every pane's state and routes keys; panes only render props.
import type {Key} from 'ink';
import type {Snapshot} from '../domain/types';
import type {Binding, PaneId} from '../keymap';
import type {UiCapabilities} from '../sources/capabilities';
import type {CursorMove} from '../ui/list-cursor';

export type PaneEnv<S> = {
	snapshot: Snapshot | null;
	/** Rows of the pane's list that fit on screen now. */
	visibleRows: number;
	/** Index of the list row under the cursor. */
	cursorIndex: number;
	/** The key browser, the probe and (with --allow-write only) lock admin: owned by the source set, closed on quit. */
	capabilities: UiCapabilities;
	prefix: string;
	allowWrite: boolean;
	/** Changes this pane's state later (async results of on-demand reads). */
	update: (change: (state: S) => S) => void;
	/**
	 * A transient message in the status bar. Said during a reduction it is
	 * queued like an effect (shown once the state is stored); from an async
	 * result it shows at once.
	 */
	notify: (text: string) => void;
	/**
	 * Queues I/O a command needs (a walk, a read, a release, a tmux switch):
	 * it runs once the state the reducer returned is stored, never during
	 * the reduction, so a reducer stays (state, action) → state.
	 */
	effect: (run: () => void) => void;
};

export type PaneController<S> = {
	id: PaneId;
	initial: () => S;
	/** Commands of this pane; their scope must be the pane id. */
	bindings: readonly Binding[];
	/** Called when the pane becomes the active one (start lazy work such as indexing). */
	activate?: (state: S, env: PaneEnv<S>) => S;
	/** The store's data was replaced without writes (snapshot source.dataset moved): drop or redo what was read on demand. */
	datasetReplaced?: (state: S, env: PaneEnv<S>, active: boolean) => S;
	/** A new snapshot arrived (the JSON key tree follows the state dir). */
	snapshotChanged?: (state: S, env: PaneEnv<S>, active: boolean) => S;
	/** The list keys (j/k, PgUp/PgDn, g/G) while a detail view is open: they scroll it, never the list behind. */
	scroll?: (state: S, move: CursorMove, env: PaneEnv<S>) => S;
	/**
	 * Effects after a render in which the active pane's state or cursor
	 * changed (the key browser reads details of the rows now on screen):
	 * reducers return states; what they need done happens here.
	 */
	settle?: (state: S, env: PaneEnv<S>) => void;
	/** Runs one of the pane's own commands. */
	command?: (state: S, command: string, env: PaneEnv<S>) => S;
	/**
	 * Gets every key first while it returns non-null (a text prompt);
	 * null lets the key fall through to the keymap.
	 */
	input?: (state: S, input: string, key: Key, env: PaneEnv<S>) => S | null;
	/** True while a detail view or prompt is open: back keys go to `back`, q does not quit. */
	modal?: (state: S) => boolean;
	/** True while a prompt is open: the status bar shows it instead of key hints. */
	prompting?: (state: S) => boolean;
	back?: (state: S) => S;
	/** Selectable rows, after the pane's own filters. */
	rowCount: (snapshot: Snapshot | null, state: S) => number;
	/** Extra status-bar text (a prompt being typed, a sort order…). */
	status?: (state: S) => string | undefined;
};

/** A controller for a pane that is only a list. */
export const listController = (id: PaneId, rowCount: (snapshot: Snapshot | null) => number): PaneController<null> => ({
	id,
	initial: () => null,
	bindings: [],
	rowCount: snapshot => rowCount(snapshot),
});
