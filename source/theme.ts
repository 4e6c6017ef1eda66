// Semantic colour tokens: panes say what a thing *is* (ok, warn, critical…),
// the theme says how it looks. NO_COLOR is handled at start-up (FORCE_COLOR=0),
// so Ink/chalk drop every colour below this layer.

export const theme = {
	accent: 'cyan',
	focus: 'cyan',
	border: 'gray',
	muted: 'gray',
	ok: 'green',
	warn: 'yellow',
	critical: 'red',
	info: 'blue',
	highlight: 'magenta',
	selectedBg: 'blue',
	badgeDemo: 'magenta',
	badgeStale: 'yellow',
	badgeFallback: 'yellow',
	badgePaused: 'blue',
} as const;

export type Level = 'ok' | 'warn' | 'critical' | 'muted' | 'info';

export const levelColor = (level: Level): string => theme[level];
