/**
 * Code-unit order of two strings: deterministic, locale-free, and cheap. The
 * first `localeCompare` of a process loads ICU's collator (~6-8 ms of start-up
 * on these machines), and key names, resources and metric names are ASCII
 * identifiers whose byte order is what redis-cli and SCAN users expect.
 */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
