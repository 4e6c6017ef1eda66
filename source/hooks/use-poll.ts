import {useCallback, useEffect, useRef, useState} from 'react';
import {deepEqual} from '../domain/equal';
import {RingBuffer} from '../domain/ring-buffer';
import type {Sample} from '../domain/rates';
import type {Snapshot} from '../domain/types';
import type {Source} from '../sources/source';

export const HISTORY_SIZE = 300;

export type PollState = {
	snapshot: Snapshot | null;
	/** Stats of recent successful polls, oldest first. */
	history: readonly Sample[];
	inFlight: boolean;
	/** Duration of the last poll, ms. */
	lastPollMs: number | null;
	/** When the poll in flight began, once it has taken longer than an interval (else null). */
	slowSince: number | null;
};

/** Shortest deadline a poll gets: a read slower than this is shown stale even at a faster interval. */
export const MIN_DEADLINE_MS = 500;

/** How long a poll waits for the store before its last data shows stale: an interval (so STALE shows within two). */
export const pollDeadline = (intervalMs: number): number => Math.max(intervalMs, MIN_DEADLINE_MS);

/** Two snapshots that differ only in when they were taken render the same. */
export const sameData = (a: Snapshot | null, b: Snapshot): boolean => (a ? deepEqual({...a, takenAt: 0}, {...b, takenAt: 0}) : false);

/**
 * Polls a Source with one request in flight at a time: the next tick is
 * scheduled only after the previous one has settled, so a slow store never
 * piles requests up. `refresh()` polls now (or right after the one in flight).
 */
export const usePoll = (source: Source, intervalMs: number, paused: boolean) => {
	const [state, setState] = useState<PollState>({snapshot: null, history: [], inFlight: false, lastPollMs: null, slowSince: null});
	const history = useRef(new RingBuffer<Sample>(HISTORY_SIZE));
	const timer = useRef<NodeJS.Timeout | null>(null);
	const busy = useRef(false);
	const again = useRef(false);
	const alive = useRef(true);
	const settings = useRef({intervalMs, paused});
	settings.current = {intervalMs, paused};

	const tickRef = useRef<() => Promise<void>>(async () => {});

	const schedule = useCallback((delay: number) => {
		if (timer.current) clearTimeout(timer.current);
		timer.current = null;
		if (!alive.current || settings.current.paused) return;
		timer.current = setTimeout(() => void tickRef.current(), Math.max(0, delay));
	}, []);

	const tick = useCallback(async () => {
		if (busy.current) {
			again.current = true;
			return;
		}
		busy.current = true;
		const started = Date.now();
		// A poll slower than an interval: the header's ages must keep moving meanwhile.
		const slow = setTimeout(() => {
			if (alive.current) setState(prev => ({...prev, slowSince: started}));
		}, settings.current.intervalMs);
		let snapshot: Snapshot;
		try {
			snapshot = await source.poll({deadlineMs: pollDeadline(settings.current.intervalMs)});
		} finally {
			busy.current = false;
			clearTimeout(slow);
		}
		if (!alive.current) return;
		const took = Date.now() - started;
		if (snapshot.stats && snapshot.source.connected && !snapshot.source.stale) {
			history.current.push({at: snapshot.takenAt, stats: snapshot.stats});
		}
		setState(prev =>
			sameData(prev.snapshot, snapshot)
				? prev.slowSince === null
					? prev
					: {...prev, slowSince: null}
				: {snapshot, history: history.current.toArray(), inFlight: false, lastPollMs: took, slowSince: null},
		);
		if (again.current) {
			again.current = false;
			schedule(0);
		} else schedule(settings.current.intervalMs - took);
	}, [source, schedule]);
	tickRef.current = tick;

	useEffect(() => {
		alive.current = true;
		void tick();
		return () => {
			alive.current = false;
			if (timer.current) clearTimeout(timer.current);
		};
	}, [tick]);

	// Resuming, or changing the rate, re-arms the timer from now.
	useEffect(() => {
		if (paused) {
			if (timer.current) clearTimeout(timer.current);
			timer.current = null;
		} else if (!busy.current) schedule(intervalMs);
	}, [paused, intervalMs, schedule]);

	const refresh = useCallback(() => {
		if (busy.current) again.current = true;
		else void tick();
	}, [tick]);

	return {...state, refresh};
};
