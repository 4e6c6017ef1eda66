// `--demo`: a small tmux-claude lookalike that writes the JSON fallback format
// exactly as the real writer does (non-atomic instances.json rewrites,
// appended metrics.jsonl, exclusive *.lock files with a 30 s timer), so tcmon
// is shown through its ordinary JSON source, quirks included.
import {appendFileSync, mkdirSync, openSync, closeSync, rmSync, unlinkSync, utimesSync, writeFileSync, writeSync} from 'node:fs';
import path from 'node:path';

type Obj = Record<string, unknown>;

/** Deterministic PRNG (mulberry32) so a seeded demo is reproducible in tests. */
export const prng = (seed: number): (() => number) => {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
};

const RESOURCES = ['git-main', 'worktree-pool', 'job-queue', 'mcp-config', 'branch-merge', 'npm-cache', 'test-db'];
const TASKS = ['fix flaky test', 'add pagination', 'refactor auth', 'write docs', 'upgrade deps', 'profile build', 'review PR'];

export class DemoSimulator {
	readonly dir: string;
	private readonly rand: () => number;
	private readonly state: Record<string, Obj> = {};
	private readonly locks = new Map<string, number>(); // resource → release time (ms)
	private timer: NodeJS.Timeout | null = null;
	private jobSeq = 0;
	private now: () => number;
	/** Agents whose tmux session has died while the store still lists them (ghosts while active). */
	private readonly dead = new Set<string>();
	/** A claude_* session the store has no entry for (an agent started by hand). */
	readonly strayer = 'claude_spec_1_9_424242';

	constructor(dir: string, options: {seed?: number; now?: () => number} = {}) {
		this.dir = dir;
		this.rand = prng(options.seed ?? Date.now());
		this.now = options.now ?? Date.now;
		mkdirSync(dir, {recursive: true});
	}

	private pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.rand() * items.length)]!;
	}

	private digits(): string {
		return String(Math.floor(this.rand() * 900_000) + 100_000);
	}

	private iso(offsetMs = 0): string {
		return new Date(this.now() + offsetMs).toISOString();
	}

	/** Builds the starting hierarchy: one executive, two managers, a few specialists, some jobs. */
	seed(): void {
		const exec = this.spawn('executive', null);
		for (let m = 1; m <= 2; m++) {
			const mgr = this.spawn('manager', exec);
			for (let s = 1; s <= 2 + m; s++) this.spawn('specialist', mgr);
		}
		for (let j = 0; j < 8; j++) this.enqueue();
		// Every Agents-pane state from the first frame: an orphan (its manager is
		// gone from the store), a ghost (active, session died), an error, a failed job.
		const orphan = this.spawn('specialist', 'mgr_1_999999');
		this.state[orphan]!['status'] = 'active';
		const specs = Object.values(this.state).filter(v => v['role'] === 'specialist' && v['instanceId'] !== orphan);
		if (specs[0]) {
			specs[0]['status'] = 'active';
			this.dead.add(String(specs[0]['instanceId']));
		}
		if (specs[1]) specs[1]['status'] = 'error';
		this.enqueue();
		const failed = this.state[`job:job_${this.now()}_${this.jobSeq - 1}`];
		if (failed) Object.assign(failed, {status: 'failed', attempts: 3, failedAt: this.iso(), lastError: 'npm test: 3 failing (auth.spec.ts)', managerId: this.pick(this.managers())});
		// A lock whose writer "died": left behind, mtime 10 minutes ago.
		this.writeLock('stale-writer', this.now() - 600_000, false);
		for (let k = 0; k < 30; k++) this.metric(-(30 - k) * 2000);
		// A few steps of life so the first frame is not all "initializing".
		for (let k = 0; k < 4; k++) this.step();
	}

	private spawn(role: 'executive' | 'manager' | 'specialist', parent: string | null): string {
		const execNo = 1;
		const id =
			role === 'executive'
				? `exec_${this.digits()}`
				: role === 'manager'
					? `mgr_${execNo}_${this.digits()}`
					: `spec_${execNo}_${1 + Math.floor(this.rand() * 2)}_${this.digits()}`;
		const workDir = '/home/dev/app';
		this.state[id] = {
			instanceId: id,
			role,
			parentId: parent,
			sessionName: `claude_${id}`,
			paneTarget: `claude_${id}:0.0`,
			projectDir: `${workDir}/${id}`,
			workDir,
			branchName: `${role}/${id}`,
			isWorktree: role === 'specialist',
			isSharedWorkspace: false,
			gitEnabled: true,
			gitBranch: null,
			status: 'initializing',
			created: this.iso(),
			children: [],
			todoMonitoring: true,
		};
		if (parent && this.state[parent]) (this.state[parent]['children'] as string[]).push(id);
		return id;
	}

	private enqueue(): void {
		const id = `job_${this.now()}_${this.jobSeq++}`;
		this.state[`job:${id}`] = {
			id,
			spec: {task: this.pick(TASKS)},
			priority: this.pick([100, 75, 50, 50, 25]),
			status: 'pending',
			enqueuedAt: this.iso(),
			attempts: 0,
			maxAttempts: 3,
		};
	}

	private writeLock(resource: string, acquiredAt: number, timed = true): void {
		const file = path.join(this.dir, `${resource}.lock`);
		try {
			const fd = openSync(file, 'wx');
			writeSync(fd, `${acquiredAt}-${this.rand()}`);
			closeSync(fd);
			const t = new Date(acquiredAt);
			utimesSync(file, t, t);
			if (timed) this.locks.set(resource, this.now() + 2000 + Math.floor(this.rand() * 12_000));
		} catch {
			// Held already: the writer's exclusive create fails the same way.
		}
	}

	private metric(offsetMs = 0): void {
		const managers = Object.values(this.state).filter(v => v['role'] === 'manager').length;
		const active = Object.values(this.state).filter(v => v['instanceId'] && v['status'] === 'active').length;
		const pending = Object.values(this.state).filter(v => v['id'] && v['status'] === 'pending').length;
		const lines = [
			{metric: 'active_instances', value: active},
			{metric: 'queue_depth', value: pending},
			{metric: 'job_duration_ms', value: Math.round(5000 + this.rand() * 40_000)},
			{metric: 'managers', value: managers},
		].map(m => JSON.stringify({...m, timestamp: this.iso(offsetMs)}));
		appendFileSync(path.join(this.dir, 'metrics.jsonl'), lines.join('\n') + '\n');
	}

	/** One step of life: statuses move, instances come and go, locks churn. */
	step(): void {
		const entries = Object.entries(this.state);
		for (const [key, v] of entries) {
			const r = this.rand();
			if (v['instanceId']) {
				if (v['status'] === 'initializing' && r < 0.5) v['status'] = 'active';
				else if (v['status'] === 'active' && v['role'] === 'specialist' && r < 0.04) v['status'] = this.rand() < 0.2 ? 'error' : 'terminated';
				else if (v['status'] === 'active' && v['role'] === 'specialist' && r > 0.99) this.dead.add(key);
				else if (v['status'] === 'terminated' && r < 0.1) delete this.state[key];
			} else if (v['id']) {
				const attempts = Number(v['attempts']) || 0;
				if (v['status'] === 'pending' && r < 0.3) Object.assign(v, {status: 'assigned', assignedAt: this.iso(), managerId: this.pick(this.managers())});
				else if (v['status'] === 'assigned' && r < 0.5) Object.assign(v, {status: 'active', startedAt: this.iso(), attempts: attempts + 1});
				else if (v['status'] === 'active' && r < 0.15) {
					if (this.rand() < 0.2) {
						const retry = attempts < Number(v['maxAttempts'] ?? 3);
						Object.assign(v, {status: retry ? 'pending' : 'failed', failedAt: this.iso(), lastError: 'tests failed', ...(retry ? {nextRetryAt: this.iso(30_000)} : {})});
					} else Object.assign(v, {status: 'completed', completedAt: this.iso(), duration: Math.round(this.rand() * 60_000), results: {completed: 3, failed: 0}});
				} else if ((v['status'] === 'completed' || v['status'] === 'failed') && r < 0.03) delete this.state[key];
			}
		}
		const specialists = entries.filter(([, v]) => v['role'] === 'specialist' && v['status'] !== 'terminated').length;
		if (specialists < 6 && this.rand() < 0.4) this.spawn('specialist', this.pick(this.managers()));
		if (this.rand() < 0.35) this.enqueue();

		const now = this.now();
		for (const [resource, until] of this.locks) {
			if (now >= until) {
				this.locks.delete(resource);
				try {
					unlinkSync(path.join(this.dir, `${resource}.lock`));
				} catch {}
			}
		}
		if (this.rand() < 0.4) this.writeLock(this.pick(RESOURCES), now);
		this.flush();
		this.metric();
	}

	/** The tmux sessions this simulated tmux-claude would have: live agents, minus the dead, plus a stray. */
	sessions(): string[] {
		const live = Object.values(this.state)
			.filter(v => v['instanceId'] && ['initializing', 'active', 'error'].includes(String(v['status'])) && !this.dead.has(String(v['instanceId'])))
			.map(v => `claude_${String(v['instanceId'])}`);
		return [...live, this.strayer, 'dev'];
	}

	private managers(): string[] {
		const ids = Object.values(this.state)
			.filter(v => v['role'] === 'manager')
			.map(v => String(v['instanceId']));
		return ids.length > 0 ? ids : ['mgr_1_000000'];
	}

	/** Whole-file rewrite with 2-space indent, not atomic: exactly the real writer. */
	private flush(): void {
		writeFileSync(path.join(this.dir, 'instances.json'), JSON.stringify(this.state, null, 2));
	}

	start(intervalMs = 1000): void {
		this.timer ??= setInterval(() => this.step(), intervalMs);
		this.timer.unref();
	}

	stop(removeDir = false): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		if (removeDir) rmSync(this.dir, {recursive: true, force: true});
	}
}
