// The Keys pane's walk of a Redis Cluster: one KeyIndexer per master (SCAN
// runs per node; a cluster routes no SCAN), all feeding one tree, published as
// one view. Counts are exact (each key lives on one master); the walk is
// 'done' only when every master's walk ended and the masters walked hold all
// 16384 slots, else it ends in 'error' saying which slots were not walked.
import {CLUSTER_SLOTS} from '../domain/cluster';
import {NamespaceTree, type ScanProgress} from '../domain/namespaces';
import type {ClusterSource} from './cluster-source';
import {initialIndexView, KeyIndexer, type IndexerOptions, type IndexView} from './key-index';
import {errorText} from './source';

/** How long finding the masters (CLUSTER NODES, a connection to each) may take. */
const MASTERS_MS = 5000;

export class ClusterIndexer {
	readonly tree: NamespaceTree;
	private indexers: KeyIndexer[] = [];
	private views: (IndexView | undefined)[] = [];
	private cancelled = false;
	private view: IndexView;
	private started = Date.now();
	private lastEmit = 0;

	constructor(
		private readonly cluster: ClusterSource,
		private readonly options: IndexerOptions,
	) {
		this.tree = new NamespaceTree(options.tree);
		this.view = initialIndexView(this.tree, options);
	}

	get current(): IndexView {
		return this.view;
	}

	/** Keys each master's walk added to the tree, by node address. */
	perMaster: {node: string; keys: number}[] = [];

	cancel(): void {
		this.cancelled = true;
		for (const indexer of this.indexers) indexer.cancel();
	}

	/** The masters' walks as one progress (each master's own dbsize, examined, calls). */
	private progress(done: boolean): ScanProgress {
		const filtered = this.options.match !== null || this.options.type !== null;
		let examined = 0;
		let dbsize: number | null = 0;
		let calls = 0;
		this.indexers.forEach((indexer, i) => {
			const v = this.views[i] ?? indexer.current;
			const own = v.progress.dbsize;
			dbsize = dbsize === null || own === null ? null : dbsize + own;
			calls += v.progress.calls;
			// A shared tree's `found` is every master's: a master's own count is what it added.
			if (v.status === 'done') examined += own ?? indexer.added;
			else if (!filtered) examined += indexer.added;
			else examined += Math.min(v.progress.examined, own ?? v.progress.examined);
		});
		return {found: this.tree.total, examined, dbsize: this.indexers.length === 0 ? null : dbsize, elapsedMs: Date.now() - this.started, calls, done};
	}

	private publish(patch: Partial<IndexView>, final = false): IndexView {
		this.view = {...this.view, ...patch};
		const now = Date.now();
		if (final || now - this.lastEmit >= (this.options.updateEveryMs ?? 200)) {
			this.lastEmit = now;
			this.options.onUpdate?.(this.view);
		}
		return this.view;
	}

	/** Walks every master at once. Never throws: failures end in status `error`. */
	async run(): Promise<IndexView> {
		this.started = Date.now();
		let found: Awaited<ReturnType<ClusterSource['masters']>>;
		try {
			found = await this.cluster.masters(MASTERS_MS);
		} catch (error) {
			return this.publish({status: 'error', error: errorText(error), progress: this.progress(false)}, true);
		}
		if (this.cancelled) return this.publish({status: 'cancelled', progress: this.progress(false)}, true);
		this.indexers = found.masters.map(
			(m, i) =>
				new KeyIndexer(
					m.client,
					{
						...this.options,
						// One walk per node: a cluster node's cursor is not a standalone one (no ranges).
						ranges: 1,
						updateEveryMs: 0,
						onUpdate: v => {
							this.views[i] = v;
							if (v.status === 'scanning') this.publish({progress: this.progress(false), typeFilter: v.typeFilter, memoryError: this.view.memoryError ?? v.memoryError});
						},
					},
					this.tree,
				),
		);
		const views = await Promise.all(this.indexers.map(indexer => indexer.run()));
		this.views = views;
		this.perMaster = found.masters.map((m, i) => ({node: m.addr, keys: this.indexers[i]!.added}));
		const failedAt = views.findIndex(v => v.status === 'error');
		const missing = CLUSTER_SLOTS - found.slots;
		const memoryError = views.find(v => v.memoryError)?.memoryError ?? null;
		if (this.cancelled || views.some(v => v.status === 'cancelled')) return this.publish({status: 'cancelled', progress: this.progress(false), memoryError}, true);
		if (failedAt !== -1) return this.publish({status: 'error', error: `${found.masters[failedAt]!.addr}: ${views[failedAt]!.error ?? '?'}`, progress: this.progress(false), memoryError}, true);
		if (missing > 0 || found.masters.length === 0) {
			const error = `keys of ${missing} of ${CLUSTER_SLOTS} slots not walked: no reachable master${found.unreachable.length ? ` (${found.unreachable.join(', ')})` : ''}`;
			return this.publish({status: 'error', error, progress: this.progress(false), memoryError}, true);
		}
		return this.publish({status: 'done', progress: this.progress(true), memoryError}, true);
	}
}
