// Redis Cluster in the panes: the Stats pane's node table and the Slowlog
// pane's node column, at more than one width.
import React from 'react';
import {describe, expect, it} from 'vitest';
import {initialSlowlogState} from '../../source/panes/slowlog-view';
import {SlowlogPane} from '../../source/panes/slowlog-pane';
import {StatsPane} from '../../source/panes/stats-pane';
import {clusterSnapshot} from '../support/cluster-fixtures';
import {redisSnapshot} from '../support/fixtures';
import {frameOf, WIDTHS} from '../support/render';

const stats = (width: number, height = 19, snapshot = clusterSnapshot()) =>
	frameOf(<StatsPane snapshot={snapshot} history={[]} width={width} height={height} focused cursor={{index: 0, offset: 0}} index={1} />, width);
const slowlog = (width: number, snapshot = clusterSnapshot()) =>
	frameOf(<SlowlogPane snapshot={snapshot} history={[]} width={width} height={12} focused cursor={{index: 0, offset: 0}} index={2} state={initialSlowlogState()} />, width);

describe('Stats pane, Redis Cluster', () => {
	it.each([...WIDTHS, 60])('shows the cluster, its totals and the node table at %i columns', width => {
		const frame = stats(width);
		for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(width);
		expect(frame).toMatch(/cluster\s+ok · 3 masters, 2 replicas, 1 failing/);
		expect(frame).toMatch(/total\s+1200 keys · 9\.46M · 324 ops\/s · 11 clients/);
		expect(frame).toMatch(/└ (127\.0\.0\.1)?:7004 +replica/);
		expect(frame).toMatch(/(127\.0\.0\.1)?:7003 +master +0 .* FAIL/);
		expect(frame).toMatchSnapshot();
	});

	it('a standalone server has no node table', () => {
		expect(stats(80, 19, redisSnapshot())).not.toMatch(/cluster|replica/);
	});
});

describe('Slowlog pane, Redis Cluster', () => {
	it.each(WIDTHS)('has a node column at %i columns, entries of every node newest first', width => {
		const frame = slowlog(width);
		expect(frame).toMatch(/took node/);
		const rows = frame.split('\n').filter(l => /\s(?:127\.0\.0\.1)?:700\d\s/.test(l));
		expect(rows.map(r => /\s(?:127\.0\.0\.1)?:(700\d)\s/.exec(r)![1])).toEqual(['7006', '7001', '7002', '7001']);
		expect(frame).toMatchSnapshot();
	});

	it('a standalone server has none', () => {
		expect(slowlog(120, redisSnapshot())).not.toMatch(/took node/);
	});
});
