/**
 * Structural equality of plain JSON-like data, stopping at the first
 * difference: cheap when data changed (the usual case with live TTLs), and
 * no serialisation of whole snapshots when it did not. Iterative (an
 * explicit stack of pairs): snapshots hold store data, and a recursive walk
 * of a hostile, deeply nested value would overflow the call stack.
 */
export const deepEqual = (a: unknown, b: unknown): boolean => {
	const stack: [unknown, unknown][] = [[a, b]];
	while (stack.length > 0) {
		const [x, y] = stack.pop()!;
		if (x === y) continue;
		if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) {
			if (Number.isNaN(x) && Number.isNaN(y)) continue;
			return false;
		}
		if (Array.isArray(x)) {
			if (!Array.isArray(y) || x.length !== y.length) return false;
			for (let i = x.length - 1; i >= 0; i--) stack.push([x[i], y[i]]);
			continue;
		}
		if (Array.isArray(y)) return false;
		const kx = Object.keys(x);
		const ky = Object.keys(y);
		if (kx.length !== ky.length) return false;
		for (let i = kx.length - 1; i >= 0; i--) {
			const k = kx[i]!;
			if (!Object.hasOwn(y, k)) return false;
			stack.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]]);
		}
	}
	return true;
};

/** Same length and the same items (by identity): a list rebuilt from the same memoised objects. */
export const sameItems = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
