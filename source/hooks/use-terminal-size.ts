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

/** Re-renders every `ms` so ages ("updated 3s ago") stay true between polls. */
export const useNow = (ms: number): number => {
	const [now, setNow] = useState(Date.now);
	useEffect(() => {
		const t = setInterval(() => setNow(Date.now()), ms);
		return () => clearInterval(t);
	}, [ms]);
	return now;
};
