import type {LockState} from '../domain/locks';
import type {LockEventKind} from '../domain/types';
import {theme} from '../theme';

export const STATE_LABEL: Record<LockState, {text: string; color?: string}> = {
	unreadable: {text: 'UNREADABLE', color: theme.critical},
	held: {text: 'held', color: theme.ok},
	expiring: {text: 'expiring', color: theme.warn},
	'no-ttl': {text: 'NO TTL', color: theme.critical},
	stale: {text: 'stale file', color: theme.critical},
	foreign: {text: 'foreign', color: theme.info},
};

export const EVENT_STYLE: Record<LockEventKind, {text: string; color?: string}> = {
	acquired: {text: 'acquired', color: theme.ok},
	released: {text: 'released'},
	expired: {text: 'expired', color: theme.warn},
};
