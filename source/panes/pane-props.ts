import type {Sample} from '../domain/rates';
import type {Snapshot} from '../domain/types';
import type {ListCursor} from '../ui/list-cursor';

/** What every pane gets: data, geometry and its controller's state; never a source. */
export type PaneProps<S = unknown> = {
	snapshot: Snapshot;
	history: readonly Sample[];
	width: number;
	height: number;
	focused: boolean;
	cursor: ListCursor;
	index?: number;
	/** The pane's own UI state (filters, sort, detail view), from its controller. */
	state?: S;
};
