// The `{resource}.lock` files of a state directory, read safely: shared by
// the JSON source and the split-state view beside Redis.
import type {Dirent} from 'node:fs';
import {lstat, readdir} from 'node:fs/promises';
import path from 'node:path';
import {fileLock, unreadableFileLock} from '../domain/locks';
import type {Lock} from '../domain/types';
import {LOCK_MAX_BYTES, readRegularFile} from './safe-file';
import {errorText} from './source';

/** Lock files read per poll; more are counted and reported as "N of M shown". */
export const LOCK_FILE_LIMIT = 5000;

const READS_IN_FLIGHT = 8;

export type DirListing = {exists: boolean; error: string | null; entries: Dirent[]};

/** The directory's entries sorted by name (no stat of each). */
export const listDir = async (dir: string): Promise<DirListing> => {
	try {
		const entries = await readdir(dir, {withFileTypes: true});
		entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		return {exists: true, error: null, entries};
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return {exists: false, error: code === 'ENOENT' ? `state directory ${dir} does not exist` : `cannot read ${dir}: ${errorText(error)}`, entries: []};
	}
};

export const isLockName = (name: string): boolean => name.endsWith('.lock');

/**
 * One lock file. Symlinks are refused (O_NOFOLLOW), not resolved: the writer
 * creates its lock files itself (exclusive create), so a symlink is never
 * one of its locks, and following it could show any file the user can read
 * as a token. Null when the file is gone (released since the listing).
 */
export const readLockFile = async (dir: string, name: string, now: number): Promise<Lock | null> => {
	const full = path.join(dir, name);
	const read = await readRegularFile(full, LOCK_MAX_BYTES, {noFollow: true});
	if (read.ok === true) return fileLock({path: full, name, token: read.text.trim(), mtimeMs: read.stat.mtimeMs}, now);
	if (read.ok !== false || read.problem === 'missing') return null;
	let mtimeMs = read.stat?.mtimeMs ?? null;
	if (mtimeMs === null) mtimeMs = await lstat(full).then(st => st.mtimeMs, () => null);
	return unreadableFileLock({path: full, name, error: `${name} ${read.error}`, mtimeMs}, now);
};

export type LockFiles = {locks: Lock[]; total: number; shown: number};

/** The first `limit` lock files by name (all of them counted). */
export const readLockFiles = async (dir: string, entries: readonly Dirent[], now: number, limit = LOCK_FILE_LIMIT): Promise<LockFiles> => {
	const names = entries.filter(e => isLockName(e.name)).map(e => e.name);
	const wanted = names.slice(0, limit);
	const read: (Lock | null)[] = new Array(wanted.length).fill(null);
	// A few reads in flight (libuv has 4 pool threads): thousands of small files in a fraction of the serial time.
	let next = 0;
	const worker = async () => {
		while (next < wanted.length) {
			const i = next++;
			read[i] = await readLockFile(dir, wanted[i]!, now);
		}
	};
	await Promise.all(Array.from({length: Math.min(READS_IN_FLIGHT, wanted.length)}, worker));
	const locks = read.filter((l): l is Lock => l !== null);
	const gone = wanted.length - locks.length;
	// A file deleted since the listing was released: it counts nowhere.
	return {locks, total: names.length - gone, shown: locks.length};
};
