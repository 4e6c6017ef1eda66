// The activity feed's I/O: a read-only SUBSCRIBE to tmux-claude's
// `instance-updates` channel on a separate connection (while the source is
// Redis), plus the transitions between polls (domain/activity.ts). Nothing is
// ever published or written.
import type {Redis} from 'ioredis';
import {publishedEvent, pushActivity, transitions} from '../domain/activity';
import type {ActivityEvent, Snapshot} from '../domain/types';
import {RedisSource} from './redis-source';
import {errorText, type PollOptions, type Source} from './source';

export const UPDATES_CHANNEL = 'instance-updates';
/** Messages held between two polls at most (a flood drops the oldest). */
const MAX_PENDING = 1000;

export class ActivitySource implements Source {
	private feed: ActivityEvent[] = [];
	private prev: Snapshot | null = null;
	private sub: Redis | null = null;
	private subFor: Redis | null = null;
	private pending: ActivityEvent[] = [];
	private dropped = 0;
	private note = 'instance-updates: not subscribed (not a Redis source)';

	constructor(
		readonly inner: Source,
		private readonly channel = UPDATES_CHANNEL,
	) {}

	get kind() {
		return this.inner.kind;
	}

	async poll(options?: PollOptions): Promise<Snapshot> {
		const snapshot = await this.inner.poll(options);
		const current = this.inner.current();
		if (current instanceof RedisSource) this.subscribe(current.client);
		const published = this.pending;
		this.pending = [];
		// Data that is not fresh changed nothing: compare only fresh reads.
		const fresh = snapshot.source.connected && !snapshot.source.stale;
		const seen = fresh ? transitions(this.prev, snapshot) : [];
		if (fresh) this.prev = snapshot;
		this.feed = pushActivity(this.feed, [...published, ...seen].sort((a, b) => a.at - b.at));
		const note = this.dropped > 0 ? `${this.note} (${this.dropped} messages dropped in a flood)` : this.note;
		return {...snapshot, activity: this.feed, activityNote: note};
	}

	private subscribe(client: Redis): void {
		if (this.subFor === client) return;
		this.sub?.disconnect();
		this.subFor = client;
		const sub = client.duplicate({lazyConnect: true, enableReadyCheck: false, connectionName: 'tcmon:feed'});
		sub.on('error', () => {}); // the main connection reports connection trouble
		sub.on('message', (_channel: string, message: string) => {
			if (this.pending.length >= MAX_PENDING) {
				this.pending.shift();
				this.dropped++;
			}
			this.pending.push(publishedEvent(message, Date.now()));
		});
		this.sub = sub;
		this.note = `instance-updates: subscribing…`;
		sub
			.connect()
			.then(() => sub.subscribe(this.channel))
			.then(() => {
				if (this.sub === sub) this.note = `instance-updates: subscribed (read-only)`;
			})
			.catch((error: unknown) => {
				if (this.sub === sub) this.note = `instance-updates: cannot subscribe (${errorText(error)})`;
			});
	}

	/** Drops the subscriber connection (the wrapped source is closed by its owner). */
	detach(): void {
		this.sub?.disconnect();
		this.sub = null;
		this.subFor = null;
	}

	async close(): Promise<void> {
		this.detach();
		await this.inner.close();
	}

	current(): Source {
		return this.inner.current();
	}
}
