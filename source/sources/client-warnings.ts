// ioredis reports some AUTH outcomes only with console.warn (a password given
// to a server that needs none; a username sent to Redis ≤ 5). On a terminal
// that tears the UI, and it fills a one-shot's stderr once per connection.
// Captured here instead, and shown once as the connection's note.
import type {Tracker} from './tracked-source';

const seen = new Set<string>();
let installed = false;

/** In our words where we know the message; ioredis' otherwise. */
const explain = (message: string): string => {
	if (/does not require a password/.test(message)) return "a password was given but the server's user needs none (AUTH refused, connected without it)";
	if (/wrong number of arguments for 'auth'/.test(message)) return 'AUTH with a user name was refused: Redis 5 and older take a password only (drop --user)';
	return message;
};

/** Routes ioredis' "[WARN] …"/"[ERROR] …" console lines here; other warnings pass. Idempotent. */
export const captureClientWarnings = (): void => {
	if (installed) return;
	installed = true;
	const warn = console.warn.bind(console);
	console.warn = (...args: unknown[]) => {
		const first = args[0];
		if (typeof first === 'string' && /^\[(WARN|ERROR)\] /.test(first)) {
			seen.add(explain(first.replace(/^\[\w+\] /, '')));
			return;
		}
		warn(...args);
	};
};

/** What was captured so far, oldest first. */
export const clientWarnings = (): string[] => [...seen];

/** Puts the captured warnings in the snapshot's `errors.connection`. */
export const clientWarningsTracker = (warnings: () => string[] = clientWarnings): Tracker => ({
	observe: snapshot => {
		const list = warnings();
		return list.length === 0 ? snapshot : {...snapshot, errors: {...snapshot.errors, connection: list.join(' · ')}};
	},
});
