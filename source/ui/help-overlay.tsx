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

export const helpLineCount = (): number => SECTIONS.reduce((n, section) => {
	const count = ALL_BINDINGS.filter(b => b.scope === section.scope).length;
	return n + (count > 0 ? count + 1 : 0);
}, 0);

export const clampHelpOffset = (offset: number, total: number, room: number): number => Math.max(0, Math.min(offset, total - room));

/** Help generated from the keymap the input handler uses; scrolls when taller than the screen. */
export const HelpOverlay = ({width, height, offset = 0}: {width: number; height: number; offset?: number}) => {
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
	const room = Math.max(1, height - 3);
	const start = clampHelpOffset(offset, lines.length, room);
	const more = lines.length > room ? ` · ${start + 1}-${Math.min(lines.length, start + room)} of ${lines.length}, j/k to scroll` : '';
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.focus} width={width} height={height} paddingX={1} overflow="hidden">
			<Text bold wrap="truncate">
				tcmon keys · ? or Esc to close{more}
			</Text>
			{lines.slice(start, start + room)}
		</Box>
	);
};
