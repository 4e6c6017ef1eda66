import {Text} from 'ink';
import React from 'react';
import {hintsFor, type Scope} from '../keymap';
import {ALL_BINDINGS} from '../panes/registry';
import {theme} from '../theme';
import {truncate} from './fit';

export const StatusBar = ({width, scopes, message}: {width: number; scopes: readonly Scope[]; message?: string}) => {
	const hints = hintsFor(ALL_BINDINGS, scopes);
	const text = hints.map(h => `${h.keys} ${h.hint}`).join('  ');
	const msg = message ? `${message}  ` : '';
	return (
		<Text wrap="truncate">
			{msg ? <Text color={theme.warn}>{truncate(msg, width)}</Text> : null}
			<Text color={theme.muted}>{truncate(text, Math.max(0, width - msg.length))}</Text>
		</Text>
	);
};
