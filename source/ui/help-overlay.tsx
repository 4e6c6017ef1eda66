import {Box, Text} from 'ink';
import React from 'react';
import {PANES, type Scope} from '../keymap';
import {ALL_BINDINGS} from '../panes/registry';
import {theme} from '../theme';
import {fit, truncate} from './fit';

const SECTIONS: {scope: Scope; title: string}[] = [
	{scope: 'global', title: 'Everywhere'},
	{scope: 'list', title: 'In a list'},
	...PANES.map(p => ({scope: p.id, title: `In ${p.title}`})),
	{scope: 'help', title: 'In help and detail views'},
];

/** Help generated from the keymap the input handler uses. */
export const HelpOverlay = ({width, height}: {width: number; height: number}) => {
	const lines: React.ReactNode[] = [];
	for (const section of SECTIONS) {
		const bindings = ALL_BINDINGS.filter(x => x.scope === section.scope);
		if (bindings.length === 0) continue;
		lines.push(
			<Text key={`s:${section.scope}`} bold color={theme.accent}>
				{section.title}
			</Text>,
		);
		for (const b of bindings) {
			lines.push(
				<Text key={`${section.scope}:${b.command}`} wrap="truncate">
					<Text color={theme.focus}>{fit(`  ${b.label}`, 18)}</Text>
					<Text>{truncate(b.description, Math.max(0, width - 22))}</Text>
				</Text>,
			);
		}
	}
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.focus} width={width} height={height} paddingX={1} overflow="hidden">
			<Text bold>tcmon keys · ? or Esc to close</Text>
			{lines.slice(0, Math.max(0, height - 3))}
		</Box>
	);
};
