// Keeps the alert rules' states across polls: each snapshot is evaluated in
// order (its takenAt is the clock) and gets `alerts`. Also keeps the recent
// fresh samples the counter rules (evictions, rejected, hit rate) look back on.
import {evaluateAlerts, observationOf, type AlertSettings, type AlertStates} from '../domain/alerts';
import type {Sample} from '../domain/rates';
import type {Tracker} from './tracked-source';

export const alertTracker = (settings: AlertSettings): Tracker => {
	let states: AlertStates = {};
	let samples: Sample[] = [];
	return {
		observe(snapshot) {
			const fresh = snapshot.source.kind === 'redis' && snapshot.source.connected && !snapshot.source.stale;
			if (fresh && snapshot.stats) {
				samples.push({at: snapshot.takenAt, stats: snapshot.stats});
				// Keep one sample older than the window so the increase covers all of it.
				const from = snapshot.takenAt - settings.windowMs;
				const firstInside = samples.findIndex(s => s.at >= from);
				if (firstInside > 1) samples = samples.slice(firstInside - 1);
			}
			const result = evaluateAlerts(states, observationOf(snapshot, samples), settings);
			states = result.states;
			return {...snapshot, alerts: result.alerts};
		},
	};
};
