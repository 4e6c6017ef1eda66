import {renderToString} from 'ink';
import React from 'react';
import type {Snapshot} from './domain/types';
import type {PaneId} from './keymap';
import {Screen} from './screen';

/** One whole frame as text (`--once`): the Stats pane (or `--pane`) focused, no history yet. */
export const renderFrame = (snapshot: Snapshot, options: {width: number; height: number; intervalMs: number; prefix: string; active?: PaneId; grid?: readonly PaneId[]}): string =>
	renderToString(
		<Screen
			snapshot={snapshot}
			history={[]}
			width={options.width}
			height={options.height}
			active={options.active ?? 'stats'}
			grid={options.grid}
			cursors={{}}
			showHelp={false}
			intervalMs={options.intervalMs}
			paused={false}
			now={Date.now()}
			prefix={options.prefix}
		/>,
		{columns: options.width},
	);
