// Writes tmux-claude state with real commands, exactly as the writers do.
import type {Redis} from 'ioredis';
import {instanceJson, jobJson} from './fixtures';

export const P = 'tmux-claude';

/** Layout 1, the guide's: one string key per instance / job / lock, metrics zsets. */
export const writeLayout1 = async (r: Redis, now = Date.now()) => {
	await r.set(`${P}:instance:exec_100001`, instanceJson('exec_100001', 'executive', 'active'));
	await r.set(`${P}:instance:mgr_1_100002`, instanceJson('mgr_1_100002', 'manager', 'terminated', 'exec_100001'), 'EX', 3600);
	await r.set(`${P}:instance:broken_1`, '{"instanceId":"broken_1","status":"act');
	await r.set(`${P}:job:job_1_1`, jobJson('job_1_1', 'pending', 100));
	await r.set(`${P}:lock:git-main`, `${now - 2000}-0.123`, 'PX', 30_000);
	await r.zadd(`${P}:metrics:cpu`, now - 1000, JSON.stringify({metric: 'cpu', value: 0.5, timestamp: new Date(now - 1000).toISOString()}));
	await r.expire(`${P}:metrics:cpu`, 86_400);
	await r.set(`${P}:tmp:scratch`, 'x', 'EX', 300);
};

/** Layout 2, the reference RedisStateStore's: one hash with job: fields, an active set, `locks:` keys. */
export const writeLayout2 = async (r: Redis, now = Date.now()) => {
	await r.hset(`${P}:instances`, {
		spec_1_1_200001: instanceJson('spec_1_1_200001', 'specialist', 'active', 'mgr_1_100002'),
		'job:job_2_1': jobJson('job_2_1', 'completed', 25),
	});
	await r.sadd(`${P}:instances:active`, 'spec_1_1_200001');
	await r.set(`${P}:locks:worktree`, `${now}-0.987`, 'PX', 30_000, 'NX');
	await r.set(`${P}:locks:forever`, 'foreign-token');
	await r.zadd(`${P}:metrics:queue_depth`, now, JSON.stringify({metric: 'queue_depth', value: 4, timestamp: new Date(now).toISOString()}));
};
