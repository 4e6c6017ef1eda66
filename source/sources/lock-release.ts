// Force-release of a lock: the only write tcmon can make, behind
// --allow-write and a typed confirmation. It deletes only if the lock still
// holds the token the user saw, so a lock re-taken meanwhile is left alone.
import {unlink} from 'node:fs/promises';
import path from 'node:path';
import type {Lock} from '../domain/types';
import {JsonSource} from './json-source';
import {RedisSource} from './redis-source';
import {LOCK_MAX_BYTES, readRegularFile} from './safe-file';
import {errorText, type Source} from './source';

/** Compare-and-delete: DEL only when the key still holds the token (atomic on the server). */
export const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

export type ReleaseResult = {released: boolean; message: string};

export const forceRelease = async (source: Source, lock: Lock): Promise<ReleaseResult> => {
	const current = source.current();
	try {
		if (lock.layout === 'file') {
			if (!(current instanceof JsonSource)) return {released: false, message: 'lock files can only be released while reading the state dir'};
			// Only a file directly in the state dir, named as shown.
			const file = path.join(current.dir, path.basename(lock.key));
			if (file !== lock.key) return {released: false, message: 'lock file path is outside the state dir: not touched'};
			// The same safe read as the poll: a FIFO or symlink here is never opened blocking or followed.
			const read = await readRegularFile(file, LOCK_MAX_BYTES, {noFollow: true});
			if (read.ok !== true) return {released: false, message: read.ok === false && read.problem !== 'missing' ? `${path.basename(file)} ${read.error}: not deleted` : `${path.basename(file)} is already gone`};
			const content = read.text.trim();
			if (content !== lock.token) return {released: false, message: 'the lock file holds another token now: not deleted'};
			await unlink(file);
			return {released: true, message: `released ${path.basename(file)}`};
		}
		if (!(current instanceof RedisSource)) return {released: false, message: 'Redis locks can only be released while connected to Redis'};
		const deleted = (await current.client.eval(RELEASE_SCRIPT, 1, lock.key, lock.token)) as number;
		return deleted === 1
			? {released: true, message: `released ${lock.key}`}
			: {released: false, message: 'the lock is gone or holds another token now: not deleted'};
	} catch (error) {
		return {released: false, message: `release failed: ${errorText(error)}`};
	}
};
