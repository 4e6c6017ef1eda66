// Reading files from a state directory (or a config file) without ever
// hanging: a FIFO, a device or a directory under a known name must be
// refused, not read. A plain open() of a FIFO blocks until a writer comes,
// and a read() of one blocks until data comes; in libuv's thread pool that
// leaves a process that cannot even exit. So: open non-blocking, fstat the
// descriptor (not the name: no race with a swap), read only regular files,
// and never more than a cap.
import {closeSync, constants, fstatSync, openSync, readSync, type Stats} from 'node:fs';
import {open, type FileHandle} from 'node:fs/promises';
import {formatBytes} from '../domain/format';

/** instances.json: a whole-file JSON.parse costs ~10× its size in memory; tmux-claude writes a few KB an instance. */
export const INSTANCES_MAX_BYTES = 64 * 1024 * 1024;
/** --alert-config: a hand-written document of a few hundred bytes. */
export const ALERT_CONFIG_MAX_BYTES = 1024 * 1024;
/** A lock file holds one token (`{epoch ms}-{random}`, ~30 bytes). */
export const LOCK_MAX_BYTES = 4096;

export type FileProblem = 'missing' | 'symlink' | 'not-regular' | 'too-big' | 'error';

export type SafeRead =
	| {ok: true; text: string; stat: Stats}
	| {ok: false; problem: FileProblem; error: string; stat?: Stats};

export type SafeOpenOptions = {
	/** Refuse a symlink (ELOOP) instead of following it. */
	noFollow?: boolean;
};

export const openFlags = (options: SafeOpenOptions = {}): number =>
	// eslint-disable-next-line no-bitwise
	constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0);

/** What a non-regular file is, for the message. */
export const fileKind = (st: Stats): string =>
	st.isDirectory()
		? 'a directory'
		: st.isFIFO()
			? 'a FIFO'
			: st.isSocket()
				? 'a socket'
				: st.isCharacterDevice()
					? 'a character device'
					: st.isBlockDevice()
						? 'a block device'
						: st.isSymbolicLink()
							? 'a symlink'
							: 'not a regular file';

const openProblem = (error: unknown, options: SafeOpenOptions): {problem: FileProblem; error: string} => {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ENOENT') return {problem: 'missing', error: 'does not exist'};
	// O_NOFOLLOW on a symlink fails with ELOOP (EMLINK on some BSDs).
	if (options.noFollow && (code === 'ELOOP' || code === 'EMLINK')) return {problem: 'symlink', error: 'is a symlink: not followed'};
	return {problem: 'error', error: code ?? (error as Error).message ?? String(error)};
};

/** Checks an open descriptor's stat: a regular file within the cap, or why not. */
export const checkStat = (st: Stats, maxBytes: number): {problem: FileProblem; error: string} | null => {
	if (!st.isFile()) return {problem: 'not-regular', error: `is ${fileKind(st)}, not a regular file: not read`};
	if (st.size > maxBytes) return {problem: 'too-big', error: `is ${formatBytes(st.size)}, over the ${formatBytes(maxBytes)} cap: not read`};
	return null;
};

/**
 * Opens a file for reading without blocking and checks it is a regular file
 * (size not checked: for files read by offset, like an append-only log).
 */
export const openRegular = async (file: string, options: SafeOpenOptions = {}): Promise<{ok: true; handle: FileHandle; stat: Stats} | {ok: false; problem: FileProblem; error: string}> => {
	let handle: FileHandle;
	try {
		handle = await open(file, openFlags(options));
	} catch (error) {
		return {ok: false, ...openProblem(error, options)};
	}
	try {
		const stat = await handle.stat();
		const bad = checkStat(stat, Number.POSITIVE_INFINITY);
		if (bad) {
			await handle.close();
			return {ok: false, ...bad};
		}
		return {ok: true, handle, stat};
	} catch (error) {
		await handle.close().catch(() => {});
		return {ok: false, problem: 'error', error: (error as NodeJS.ErrnoException).code ?? String(error)};
	}
};

/** Reads up to `length` bytes from `position`, looping over short reads. */
export const readAt = async (handle: FileHandle, position: number, length: number): Promise<Buffer> => {
	const buf = Buffer.alloc(length);
	let got = 0;
	while (got < length) {
		const {bytesRead} = await handle.read(buf, got, length - got, position + got);
		if (bytesRead === 0) break;
		got += bytesRead;
	}
	return buf.subarray(0, got);
};

/**
 * Reads a whole regular file of at most `maxBytes` as UTF-8. `unchanged`
 * sees the fstat first: returning true skips the read (the caller keeps what
 * it decoded from the same file before).
 */
export const readRegularFile = async (
	file: string,
	maxBytes: number,
	options: SafeOpenOptions & {unchanged?: (st: Stats) => boolean} = {},
): Promise<SafeRead | {ok: 'unchanged'; stat: Stats}> => {
	const opened = await openRegular(file, options);
	if (!opened.ok) return opened;
	const {handle, stat} = opened;
	try {
		const bad = checkStat(stat, maxBytes);
		if (bad) return {ok: false, ...bad, stat};
		if (options.unchanged?.(stat)) return {ok: 'unchanged', stat};
		// One byte more than the cap: a file that grew past it since the fstat is caught too.
		const buf = await readAt(handle, 0, Math.min(maxBytes + 1, Math.max(stat.size, 0) + 1));
		if (buf.length > maxBytes) return {ok: false, problem: 'too-big', error: `grew over the ${formatBytes(maxBytes)} cap while read: not read`, stat};
		return {ok: true, text: buf.toString('utf8'), stat};
	} catch (error) {
		return {ok: false, problem: 'error', error: (error as NodeJS.ErrnoException).code ?? String(error), stat};
	} finally {
		await handle.close().catch(() => {});
	}
};

/** The synchronous twin, for start-up reads (the alert config) that happen before anything else runs. */
export const readRegularFileSync = (file: string, maxBytes: number, options: SafeOpenOptions = {}): SafeRead => {
	let fd: number;
	try {
		fd = openSync(file, openFlags(options));
	} catch (error) {
		return {ok: false, ...openProblem(error, options)};
	}
	try {
		const stat = fstatSync(fd);
		const bad = checkStat(stat, maxBytes);
		if (bad) return {ok: false, ...bad, stat};
		const buf = Buffer.alloc(Math.min(maxBytes + 1, stat.size + 1));
		let got = 0;
		while (got < buf.length) {
			const n = readSync(fd, buf, got, buf.length - got, got);
			if (n === 0) break;
			got += n;
		}
		if (got > maxBytes) return {ok: false, problem: 'too-big', error: `grew over the ${formatBytes(maxBytes)} cap while read: not read`, stat};
		return {ok: true, text: buf.subarray(0, got).toString('utf8'), stat};
	} catch (error) {
		return {ok: false, problem: 'error', error: (error as NodeJS.ErrnoException).code ?? String(error)};
	} finally {
		closeSync(fd);
	}
};
