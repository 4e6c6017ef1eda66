import {LockBook} from '../domain/lock-history';
import type {Tracker} from './tracked-source';

/** Lock history for the session (appear / release / expiry, per-resource figures, full TTLs). */
export const lockTracker = (options: {prefix: string}): Tracker => {
	const book = new LockBook(options.prefix);
	return {observe: snapshot => book.observe(snapshot)};
};
