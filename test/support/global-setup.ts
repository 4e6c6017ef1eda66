import {ensureRedisServer} from './redis-server';

/** Once per run: make sure a real redis-server exists (installing it when we can). */
export default async function setup(): Promise<void> {
	await ensureRedisServer();
}
