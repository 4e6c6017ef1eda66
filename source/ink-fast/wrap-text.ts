// Replaces ink/build/wrap-text.js in the bundle: Ink's logic, with a bounded
// cache instead of a plain object that keeps every text ever wrapped.
import cliTruncate from 'cli-truncate';
import wrapAnsi from 'wrap-ansi';
import {BoundedCache} from './bounded-cache';

const cache = new BoundedCache<string, string>(2048);

const wrapText = (text: string, maxWidth: number, wrapType: string): string => {
	const cacheKey = `${text}\u0000${maxWidth}\u0000${wrapType}`;
	const cached = cache.get(cacheKey);
	if (cached !== undefined) return cached;
	let wrapped = text;
	if (wrapType === 'wrap') wrapped = wrapAnsi(text, maxWidth, {trim: false, hard: true});
	if (wrapType.startsWith('truncate')) {
		const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
		wrapped = cliTruncate(text, maxWidth, {position});
	}
	cache.set(cacheKey, wrapped);
	return wrapped;
};

export default wrapText;
