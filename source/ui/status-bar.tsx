import {Text} from 'ink';
import React from 'react';
import {theme} from '../theme';
import {truncate} from './fit';

/** A message (or an open prompt) first, then the hints of the current mode. */
export const StatusBar = ({width, hints, message}: {width: number; hints: readonly {keys: string; hint: string}[]; message?: string}) => {
	const text = hints.map(h => `${h.keys} ${h.hint}`).join('  ');
	const msg = message ? `${message}  ` : '';
	return (
		<Text wrap="truncate">
			{msg ? <Text color={theme.warn}>{truncate(msg, width)}</Text> : null}
			<Text color={theme.muted}>{truncate(text, Math.max(0, width - msg.length))}</Text>
		</Text>
	);
};
