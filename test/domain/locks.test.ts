import {describe, expect, it} from 'vitest';
import {fileLock, lockResource, lockState, redisLock, tokenAcquiredAt} from '../../source/domain/locks';

const NOW = 1_764_133_080_123;

describe('lock tokens', () => {
	it('decodes {Date.now()}-{Math.random()}', () => {
		expect(tokenAcquiredAt('1764133080123-0.5488135039273248')).toBe(1_764_133_080_123);
	});
	it('returns null for foreign tokens', () => {
		for (const t of ['abc', 'uuid-1234-5678', '', '1764133080123', '1764133080123-x', '12-0.5']) expect(tokenAcquiredAt(t)).toBeNull();
	});
});

describe('redis locks', () => {
	it('reads both namespaces', () => {
		expect(lockResource('tmux-claude:lock:git', 'tmux-claude')).toEqual({resource: 'git', layout: 'lock'});
		expect(lockResource('tmux-claude:locks:a:b', 'tmux-claude')).toEqual({resource: 'a:b', layout: 'locks'});
		expect(lockResource('tmux-claude:lockx', 'tmux-claude')).toBeNull();
	});
	it('maps PTTL -1 to no TTL and drops vanished keys', () => {
		const l = redisLock({key: 'tmux-claude:locks:r', token: `${NOW}-0.1`, pttl: -1}, 'tmux-claude');
		expect(l).toMatchObject({resource: 'r', ttlMs: null, acquiredAt: NOW, foreignToken: false});
		expect(lockState(l!)).toBe('no-ttl');
		expect(redisLock({key: 'tmux-claude:locks:r', token: 'x', pttl: -2}, 'tmux-claude')).toBeNull();
	});
	it('classifies expiring and foreign', () => {
		const expiring = redisLock({key: 'tmux-claude:lock:r', token: `${NOW}-0.1`, pttl: 2000}, 'tmux-claude')!;
		expect(lockState(expiring)).toBe('expiring');
		const foreign = redisLock({key: 'tmux-claude:lock:r', token: 'someone-else', pttl: 20_000}, 'tmux-claude')!;
		expect(foreign.acquiredAt).toBeNull();
		expect(lockState(foreign)).toBe('foreign');
		expect(lockState({...foreign, foreignToken: false})).toBe('held');
	});
});

describe('file locks', () => {
	it('is held while younger than the TTL and stale after', () => {
		const fresh = fileLock({path: '/s/git.lock', name: 'git.lock', token: `${NOW}-0.3`, mtimeMs: NOW - 1000}, NOW);
		expect(fresh).toMatchObject({resource: 'git', ttlMs: 29_000, layout: 'file'});
		expect(lockState(fresh)).toBe('held');
		const stale = fileLock({path: '/s/git.lock', name: 'git.lock', token: `${NOW}-0.3`, mtimeMs: NOW - 600_000}, NOW);
		expect(stale.ttlMs).toBe(-570_000);
		expect(lockState(stale)).toBe('stale');
	});
});
