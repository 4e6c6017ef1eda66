// Session memory across polls (slowlog history, lock history, alert states…)
// lives in trackers: each sees every snapshot in order and may add to it.
// The wrapped Source stays a plain reader; the panes still get one Snapshot.
import {defaultAlertSettings, type AlertSettings} from '../domain/alerts';
import type {Snapshot} from '../domain/types';
import {alertTracker} from './alert-tracker';
import {clientWarningsTracker} from './client-warnings';
import {lockTracker} from './lock-tracker';
import {slowlogTracker} from './slowlog-tracker';
import type {PollOptions, Source} from './source';

export type Tracker = {
	/** Sees each snapshot once, in poll order; returns it, enriched. */
	observe: (snapshot: Snapshot) => Snapshot;
};

export class TrackedSource implements Source {
	constructor(
		readonly inner: Source,
		private readonly trackers: readonly Tracker[],
	) {}

	get kind() {
		return this.inner.kind;
	}

	async poll(options?: PollOptions): Promise<Snapshot> {
		let snapshot = await this.inner.poll(options);
		for (const tracker of this.trackers) snapshot = tracker.observe(snapshot);
		return snapshot;
	}

	close(): Promise<void> {
		return this.inner.close();
	}

	current(): Source {
		return this.inner.current();
	}
}

export type TrackerOptions = {prefix: string; alerts?: AlertSettings; slowlogCount?: number};

/** The trackers every tcmon run uses, in order. */
export const defaultTrackers = (options: TrackerOptions): Tracker[] => [
	alertTracker(options.alerts ?? defaultAlertSettings()),
	lockTracker(options),
	slowlogTracker(options),
	clientWarningsTracker(),
];
