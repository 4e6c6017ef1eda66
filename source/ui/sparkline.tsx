const BARS = '▁▂▃▄▅▆▇█';

/** Unicode sparkline of the last `width` values; gaps (null) render as spaces. */
export const sparkline = (values: readonly (number | null)[], width: number): string => {
	const tail = values.slice(-width);
	const nums = tail.filter((v): v is number => v !== null && Number.isFinite(v));
	if (nums.length === 0) return ' '.repeat(Math.max(0, width));
	const min = Math.min(...nums);
	const max = Math.max(...nums);
	const span = max - min;
	const out = tail.map(v => {
		if (v === null || !Number.isFinite(v)) return ' ';
		const i = span === 0 ? (max === 0 ? 0 : 3) : Math.round(((v - min) / span) * (BARS.length - 1));
		return BARS[i]!;
	});
	return out.join('').padStart(width, ' ');
};
