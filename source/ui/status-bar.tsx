import {Text} from 'ink';
import React from 'react';
import {hintsFor, type Binding} from '../keymap';
import {theme} from '../theme';
import {truncate} from './fit';

export const StatusBar = ({width, scopes, message}: {width: number; scopes: readonly Binding['scope'][]; message?: string}) => {
	const hints = hintsFor(scopes);
	const text = hints.map(h => `${h.keys} ${h.hint}`).join('  ');
	const msg = message ? `${message}  ` : '';
	return (
		<Text wrap="truncate">
			{msg ? <Text color={theme.warn}>{truncate(msg, width)}</Text> : null}
			<Text color={theme.muted}>{truncate(text, Math.max(0, width - msg.length))}</Text>
		</Text>
	);
};
