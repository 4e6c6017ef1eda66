// `+`/`-` step a fixed ladder of poll intervals instead of halving and
// doubling: halving from 1 s never came back to 1 s (1000 → 500 → 250 →
// 500 → 1000 only from the right start), and odd values (400 ms, 1.6 s)
// meant nothing to the user.
export const INTERVAL_LADDER: readonly number[] = [100, 200, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000];

/** The next rung faster (-1) or slower (+1); an interval between rungs goes to the nearest rung that way. */
export const stepInterval = (ms: number, direction: -1 | 1): number => {
	if (direction > 0) return INTERVAL_LADDER.find(r => r > ms) ?? INTERVAL_LADDER.at(-1)!;
	return [...INTERVAL_LADDER].reverse().find(r => r < ms) ?? INTERVAL_LADDER[0]!;
};
