import type {Sample} from '../domain/rates';
import type {Snapshot} from '../domain/types';
import type {ListCursor} from '../ui/list-cursor';

/** What every pane gets: data and geometry only, never a source. */
export type PaneProps = {
	snapshot: Snapshot;
	history: readonly Sample[];
	width: number;
	height: number;
	focused: boolean;
	cursor: ListCursor;
	index?: number;
};
