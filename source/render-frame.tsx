import {renderToString} from 'ink';
import React from 'react';
import type {Snapshot} from './domain/types';
import {Screen} from './screen';

/** One whole frame as text (`--once`): the Stats pane focused, no history yet. */
export const renderFrame = (snapshot: Snapshot, options: {width: number; height: number; intervalMs: number; prefix: string}): string =>
	renderToString(
		<Screen
			snapshot={snapshot}
			history={[]}
			width={options.width}
			height={options.height}
			active="stats"
			cursors={{}}
			showHelp={false}
			intervalMs={options.intervalMs}
			paused={false}
			now={Date.now()}
			prefix={options.prefix}
		/>,
		{columns: options.width},
	);
