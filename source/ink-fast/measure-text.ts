// Replaces ink/build/measure-text.js in the bundle: the same answer, with a
// bounded cache instead of one that grows with every distinct text ever drawn.
import {BoundedCache} from './bounded-cache';
import stringWidth from 'string-width';

type Dimensions = {width: number; height: number};
const cache = new BoundedCache<string, Dimensions>(2048);

const measureText = (text: string): Dimensions => {
	if (text.length === 0) return {width: 0, height: 0};
	const cached = cache.get(text);
	if (cached) return cached;
	const lines = text.split('\n');
	let width = 0;
	for (const line of lines) width = Math.max(width, stringWidth(line));
	const dimensions = {width, height: lines.length};
	cache.set(text, dimensions);
	return dimensions;
};

export default measureText;
