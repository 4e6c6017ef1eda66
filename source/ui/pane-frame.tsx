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
	children: React.ReactNode;
};

/**
 * A bordered box of fixed size with the title in the top border
 * (`╭─ 2 Slowlog · 12 entries ───╮`), as k9s and lazygit draw theirs.
 * Children get width-4 columns and height-2 rows and must not exceed them.
 */
export const PaneFrame = ({title, subtitle, index, focused, width, height, children}: PaneFrameProps) => {
	const color = focused ? theme.focus : theme.border;
	const label = ` ${index === undefined ? '' : `${index} `}${title}${subtitle ? ` · ${subtitle}` : ''} `;
	const inner = Math.max(0, width - 2);
	const shown = truncate(label, Math.max(0, inner - 1));
	const top = `╭─${shown}${'─'.repeat(Math.max(0, inner - 1 - shown.length))}╮`;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<Text color={color} bold={focused} wrap="truncate">
				{top}
			</Text>
			<Box
				borderStyle="round"
				borderTop={false}
				borderColor={color}
				flexDirection="column"
				width={width}
				height={Math.max(1, height - 1)}
				paddingX={1}
				overflow="hidden"
			>
				{children}
			</Box>
		</Box>
	);
};

/** Inner size of a PaneFrame of the given outer size. */
export const innerSize = (width: number, height: number) => ({cols: Math.max(0, width - 4), rows: Math.max(0, height - 2)});
