// The header line at narrow widths: whole words give way (version, role, then
// alert names) before the server's address is cut.
import React from 'react';
import {describe, expect, it} from 'vitest';
import type {AlertView, Snapshot} from '../../source/domain/types';
import {Header} from '../../source/ui/header';
import {redisSnapshot, T0} from '../support/fixtures';
import {frameOf, WIDTHS} from '../support/render';

const firing = (name: string): AlertView => ({name, severity: 'critical', status: 'firing', activeAt: T0 - 60_000, firedAt: T0 - 30_000, resolvedAt: null, forMs: 30_000, value: 'x', summary: name}) as AlertView;
const withAlerts = (): Snapshot => ({...redisSnapshot(), alerts: [firing('RedisMemoryHigh'), firing('RedisEvictions'), firing('RedisHitRateLow')]});
const first = (snapshot: Snapshot, width: number, stale = false) =>
	frameOf(<Header snapshot={stale ? {...snapshot, source: {...snapshot.source, stale: true}} : snapshot} width={width} now={T0} intervalMs={1000} paused={false} prefix="tmux-claude" />, width).split('\n')[0]!;

describe('header', () => {
	it.each([60, ...WIDTHS, 160])('at %i columns: no word cut in half, the address whole', width => {
		const line = first(redisSnapshot(), width);
		expect(line).toContain('redis://:***@127.0.0.1:6379');
		expect(line).not.toContain('…');
		if (width >= 120) expect(line).toContain('7.0.15 master');
		if (width === 80) expect(line).toMatch(/6379 · master\s/); // the role stays where the version does not fit
		expect(line).toMatchSnapshot();
	});

	it.each([60, ...WIDTHS])('at %i columns: a cluster keeps the word "cluster" where its node counts do not fit', width => {
		const snapshot = redisSnapshot();
		const line = first({...snapshot, server: {...snapshot.server!, role: 'cluster: 3 masters, 3 replicas'}}, width);
		if (width >= 120) expect(line).toContain('· 7.0.15 cluster: 3 masters, 3 replicas');
		else if (width === 80) expect(line).toMatch(/6379 · cluster\s/);
		expect(line).toMatch(/updated 0ms ago$/);
	});

	it.each([60, ...WIDTHS, 160])('at %i columns: firing alerts named before role and interval, counted when names do not fit', width => {
		const line = first(withAlerts(), width, true);
		expect(line).toContain('STALE');
		// At 60 columns something must be cut: the address's end, after every whole word that could go.
		expect(line).toContain(width >= 80 ? 'redis://:***@127.0.0.1:6379' : 'tcmon redis://:***@127.');
		if (width >= 120) expect(line).toContain('FIRING RedisMemoryHigh RedisEvictions RedisHitRateLow');
		else expect(line).toContain('FIRING 3');
		expect(line).toMatch(/updated 0ms ago$/); // how old the data is never gives way
		expect(line).toMatchSnapshot();
	});
});
