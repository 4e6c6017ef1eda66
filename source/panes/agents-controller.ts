// The Agents pane's behaviour: j/k over the agents (then the unregistered
// claude_* sessions), Enter moves the user's tmux client to the agent's pane
// (paneTarget, else its session). switch-client changes only what the client
// shows; nothing is written to the store or to tmux's sessions.
import {agentsView, type Agent, type AgentsView} from '../domain/agents';
import {sanitize} from '../domain/sanitize';
import type {Snapshot} from '../domain/types';
import type {Binding} from '../keymap';
import {switchClient} from '../sources/tmux-sessions';
import type {PaneController} from './controller';

// One view per snapshot, shared by the pane, the controller and the row count.
const views = new WeakMap<Snapshot, AgentsView>();
export const agentsViewOf = (snapshot: Snapshot): AgentsView => {
	let view = views.get(snapshot);
	if (!view) views.set(snapshot, (view = agentsView(snapshot)));
	return view;
};

/** A selectable line of the pane: an agent, or a claude_* session no agent claims. */
export type AgentsLine = {kind: 'agent'; agent: Agent; depth: number; guide: string} | {kind: 'session'; session: string};

export const agentsLines = (view: AgentsView): AgentsLine[] => [
	...view.rows.map(r => ({kind: 'agent' as const, agent: r.agent, depth: r.depth, guide: r.guide})),
	...view.unregistered.map(session => ({kind: 'session' as const, session})),
];

/** Where Enter goes for a line, or why it cannot go anywhere. */
export const switchTarget = (line: AgentsLine, snapshot: Snapshot): {target: string} | {reason: string} => {
	if (snapshot.source.kind === 'demo') return {reason: 'demo agents have no real tmux session to switch to'};
	if (line.kind === 'session') return {target: line.session};
	const a = line.agent;
	const id = sanitize(a.id);
	if (a.liveness === 'ghost' || a.liveness === 'gone') return {reason: `${id} has no tmux session${a.liveness === 'ghost' ? ' (ghost: the store says it runs)' : ''}: nothing to switch to`};
	// A live agent found under a session other than its paneTarget's: go to that session.
	const paneSession = a.paneTarget?.split(':')[0];
	if (a.paneTarget && (a.session === null || a.session === paneSession)) return {target: a.paneTarget};
	const session = a.session ?? a.sessionName;
	return session ? {target: session} : {reason: `${id} names no tmux session or pane`};
};

const bindings: readonly Binding[] = [
	{command: 'agents.switch', keys: [{key: 'return'}], label: 'Enter', description: "switch this tmux client to the agent's pane (its paneTarget, else its session)", scope: 'agents', hint: 'go to agent'},
	{command: 'agents.feed', keys: [{input: 'a'}], label: 'a', description: 'show the activity feed (instance-updates and the changes tcmon saw) / the tree', scope: 'agents', hint: 'activity'},
];

export type AgentsState = {feed: boolean};

/** The agent line an activity event names, if that agent is in the store. */
const lineOfEvent = (snapshot: Snapshot, index: number): AgentsLine | undefined => {
	const id = snapshot.activity?.[index]?.id;
	return id ? agentsLines(agentsViewOf(snapshot)).find(l => l.kind === 'agent' && l.agent.id === id) : undefined;
};

export const agentsController: PaneController<AgentsState> = {
	id: 'agents',
	initial: () => ({feed: false}),
	bindings,
	command: (state, command, env) => {
		if (command === 'agents.feed') return {feed: !state.feed};
		if (command !== 'agents.switch' || !env.snapshot) return state;
		const snapshot = env.snapshot;
		const line = state.feed ? lineOfEvent(snapshot, env.cursorIndex) : agentsLines(agentsViewOf(snapshot))[env.cursorIndex];
		if (!line) {
			env.notify('no agent here');
			return state;
		}
		const where = switchTarget(line, snapshot);
		if ('reason' in where) {
			env.notify(where.reason);
			return state;
		}
		const target = sanitize(where.target);
		env.effect(() => {
			env.notify(`switching to ${target}…`);
			void switchClient(snapshot.tmux?.socket ?? null, where.target).then(result => env.notify(sanitize(result.message)));
		});
		return state;
	},
	rowCount: (snapshot, state) => (!snapshot ? 0 : state?.feed ? (snapshot.activity?.length ?? 0) : agentsLines(agentsViewOf(snapshot)).length),
	status: state => (state.feed ? 'agents: activity feed (a: back to the tree)' : undefined),
};
