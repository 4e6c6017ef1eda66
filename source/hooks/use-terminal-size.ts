import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type Size = {columns: number; rows: number};

/** Terminal size that follows `resize` (Ink 6 has no hook for it). */
export const useTerminalSize = (fallback: Size = {columns: 80, rows: 24}): Size => {
	const {stdout} = useStdout();
	const read = (): Size => ({columns: stdout.columns || fallback.columns, rows: stdout.rows || fallback.rows});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [stdout]);
	return size;
};

/**
 * The time to show ages against ("updated 3s ago"). With `ms` it re-renders
 * on that beat (paused, stale, slow polling); with null it costs nothing and
 * is simply the time of the render, which polls already cause.
 */
export const useNow = (ms: number | null): number => {
	const [, setTick] = useState(0);
	useEffect(() => {
		if (ms === null) return;
		const t = setInterval(() => setTick(n => n + 1), ms);
		return () => clearInterval(t);
	}, [ms]);
	return Date.now();
};
