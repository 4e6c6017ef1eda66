/**
 * A tick's one pipeline, shared by sections that each queue their commands
 * and parse only their own replies. A section's replies are the slots it
 * queued, so no section depends on how many replies another one asked for
 * (the tick used to read every reply by position through one shared cursor).
 */
import type {ChainableCommander} from 'ioredis';

export type Reply = [Error | null, unknown];

const NO_REPLY: Reply = [new Error('no reply'), null];

/** A section's own replies, in the order it queued their commands. */
export class Replies {
	private at = 0;

	constructor(private readonly slots: readonly Reply[]) {}

	/** The next of this section's replies; an error past its last one. */
	next = (): Reply => this.slots[this.at++] ?? NO_REPLY;

	get length(): number {
		return this.slots.length;
	}
}

export class TickPipeline {
	private replies: Reply[] | null = null;

	constructor(readonly pipe: ChainableCommander) {}

	/**
	 * Queues a section: `queue` adds its commands and returns how to parse
	 * their replies. The parse, bound to this section's slots, runs once the
	 * pipeline has been executed.
	 */
	add<A extends unknown[], T>(queue: (pipe: ChainableCommander) => (replies: Replies, ...args: A) => T): (...args: A) => T {
		const start = this.pipe.length;
		const parse = queue(this.pipe);
		const end = this.pipe.length;
		return (...args: A): T => {
			if (this.replies === null) throw new Error('a section parsed before the pipeline ran');
			return parse(new Replies(this.replies.slice(start, end)), ...args);
		};
	}

	/** Sends the pipeline: one round trip. A connection lost mid-pipeline resolves with every reply an error. */
	async exec(): Promise<Reply[]> {
		this.replies = ((await this.pipe.exec()) ?? []) as Reply[];
		return this.replies;
	}
}
