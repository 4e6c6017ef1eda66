// What was left out or merged shows where instances, jobs and locks are counted.
import React from 'react';
import {describe, expect, it} from 'vitest';
import {truncatedInstance, truncatedJob} from '../../source/domain/state-merge';
import type {Snapshot} from '../../source/domain/types';
import {initialLocksState} from '../../source/panes/locks-view';
import {LocksPane} from '../../source/panes/locks-pane';
import {StatsPane} from '../../source/panes/stats-pane';
import {Header} from '../../source/ui/header';
import {history, locks, redisSnapshot, T0} from '../support/fixtures';
import {frameOf, WIDTHS} from '../support/render';
import {info72, statsHistory} from '../support/stats-fixtures';

const cutToken = `${T0 - 1000}-${'9'.repeat(4096 - 14)}`;
const snapshot = (): Snapshot => {
	const base = redisSnapshot();
	return {
		...base,
		instances: [...base.instances, truncatedInstance('huge_1', 'instance-key', 65_536, 67_108_864)],
		jobs: [...base.jobs, truncatedJob('huge_job', 'instances-hash', 65_536, 1_048_600)],
		locks: [{resource: 'huge', key: 'tmux-claude:lock:huge', token: cutToken, acquiredAt: T0 - 1000, ttlMs: 29_000, layout: 'lock', foreignToken: false, truncated: true, bytes: 100_014}, ...locks().slice(0, 2)],
		instancesHash: {fields: 1_000_000, read: 10_000},
		duplicates: {instances: 32, jobs: 0, differ: 1},
	};
};

describe('counts that say what they leave out', () => {
	it.each(WIDTHS)('header at %i columns', width => {
		const frame = frameOf(<Header snapshot={snapshot()} width={width} now={T0} intervalMs={1000} paused={false} prefix="tmux-claude" />, width);
		expect(frame.split('\n')[1]).toMatch(/^prefix tmux-claude · 5 instances · 3 jobs · 3 locks · hash: /);
		if (width >= 120) expect(frame).toMatch(/hash: 10,000 of 1,000,000 fields read · 32 instances in both layo/);
		expect(frame).toMatchSnapshot();
	});

	it.each(WIDTHS)('Stats pane at %i columns', width => {
		const frame = frameOf(<StatsPane snapshot={snapshot()} history={statsHistory(info72())} width={width} height={24} focused cursor={{index: 0, offset: 0}} index={1} />, width);
		expect(frame).toMatch(/instances 5: .*truncated 1/);
		expect(frame).toMatch(/jobs\s+3: .*truncated 1/);
		expect(frame).toMatch(/counted\s+hash: 10,000 of 1,000,000 fields read/);
		expect(frame).toMatchSnapshot();
	});

	it.each(WIDTHS)('Locks pane at %i columns marks a cut token', width => {
		const frame = frameOf(<LocksPane snapshot={snapshot()} history={history()} width={width} height={16} focused cursor={{index: 0, offset: 0}} index={4} state={initialLocksState()} />, width);
		expect(frame).toMatch(/huge .*\[truncated\] \d/);
		expect(frame).toMatchSnapshot();
	});

	it('the lock detail says how much of the token was read', () => {
		const lock = snapshot().locks[0]!;
		const frame = frameOf(
			<LocksPane snapshot={snapshot()} history={history()} width={100} height={30} focused cursor={{index: 0, offset: 0}} index={4} state={{...initialLocksState(), detail: {key: lock.key, layout: lock.layout, lock, scroll: 0}} as never} />,
			100,
		);
		expect(frame).toMatch(/truncated: first 4\.00K of 100,014 bytes read/);
	});
});
