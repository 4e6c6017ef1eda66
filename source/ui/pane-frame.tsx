import {Box, Text} from 'ink';
import React from 'react';
import {theme} from '../theme';
import {truncate} from './fit';

export type PaneFrameProps = {
	title: string;
	/** Shown right of the title in the top border (counts, sort order…). */
	subtitle?: string;
	index?: number;
	focused: boolean;
	width: number;
	height: number;
	/** Where a cut list is scrolled to, shown in the bottom border ("3-11 of 40"), as lazygit does; null when it all fits. */
	position?: ListPosition | null;
	children: React.ReactNode;
};

export type ListPosition = {first: number; last: number; total: number};

/** The position of a list of `total` rows showing `shown` from `start`; null when all fit. */
export const listPosition = (start: number, shown: number, total: number): ListPosition | null =>
	total > shown && shown > 0 ? {first: start + 1, last: Math.min(total, start + shown), total} : null;

/**
 * A bordered box of fixed size with the title in the top border
 * (`╭─ 2 Slowlog · 12 entries ───╮`), as k9s and lazygit draw theirs.
 * Children get width-4 columns and height-2 rows and must not exceed them.
 */
export const PaneFrame = ({title, subtitle, index, focused, width, height, position, children}: PaneFrameProps) => {
	const color = focused ? theme.focus : theme.border;
	const label = ` ${index === undefined ? '' : `${index} `}${title}${subtitle ? ` · ${subtitle}` : ''} `;
	const inner = Math.max(0, width - 2);
	const shown = truncate(label, Math.max(0, inner - 1));
	const top = `╭─${shown}${'─'.repeat(Math.max(0, inner - 1 - shown.length))}╮`;
	// Drawn here rather than by Ink's border, so it can carry the list's position.
	const where = position ? ` ${position.first}-${position.last} of ${position.total} ` : '';
	const fits = where.length + 2 <= inner;
	const bottom = fits && where ? `╰${'─'.repeat(inner - where.length - 1)}${where}─╯` : `╰${'─'.repeat(inner)}╯`;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<Text color={color} bold={focused} wrap="truncate">
				{top}
			</Text>
			<Box
				borderStyle="round"
				borderTop={false}
				borderBottom={false}
				borderColor={color}
				flexDirection="column"
				width={width}
				height={Math.max(0, height - 2)}
				paddingX={1}
				overflow="hidden"
			>
				{children}
			</Box>
			{height >= 2 ? (
				<Text color={color} wrap="truncate">
					{bottom}
				</Text>
			) : null}
		</Box>
	);
};

/** Inner size of a PaneFrame of the given outer size. */
export const innerSize = (width: number, height: number) => ({cols: Math.max(0, width - 4), rows: Math.max(0, height - 2)});
