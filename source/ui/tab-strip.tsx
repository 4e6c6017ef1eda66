import {Text} from 'ink';
import React from 'react';
import {PANES, type PaneId} from '../keymap';
import {theme} from '../theme';

/** Narrow layout: which pane is shown, and the numbers to reach the others. */
export const TabStrip = ({active, width}: {active: PaneId; width: number}) => (
	<Text wrap="truncate-end">
		{PANES.map((p, i) => (
			<Text key={p.id} color={p.id === active ? theme.focus : theme.muted} bold={p.id === active} inverse={p.id === active}>
				{` ${i + 1} ${p.title} `}
			</Text>
		))}
	</Text>
);
