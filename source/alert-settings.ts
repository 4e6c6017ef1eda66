// Alert thresholds and durations from flags and an optional JSON config file.
// Shared by the UI (`tcmon --alert-…`) and `tcmon check`. Bad input is a
// UsageError (exit 2 with one line).
import {parseBounded} from './domain/layouts';
import {defaultAlertSettings, RULE_NAMES, withAlertFor, type AlertSettings, type RuleName} from './domain/alerts';
import {UsageError} from './config';
import {ALERT_CONFIG_MAX_BYTES, readRegularFileSync} from './sources/safe-file';

export const ALERT_FLAGS = {
	alertFor: {type: 'string'},
	alertConfig: {type: 'string'},
	alertThreshold: {type: 'string', isMultiple: true},
} as const;

export const ALERT_HELP = `  Alerts
        --alert-for DURATION   override every rule's "for" (e.g. 0, 30s, 5m, 1h)
        --alert-threshold RULE=VALUE
                               override one rule's threshold (repeatable), e.g.
                               RedisMemoryHigh=0.8 RedisTooManyConnections=500
        --alert-config FILE    JSON file of rules, thresholds and durations
                               (default: $TCMON_ALERTS when set; see README)`;

/** "0", "90" (seconds), "500ms", "30s", "5m", "1h", "1d", "1h30m" → ms. */
export const parseDuration = (text: string): number => {
	const t = text.trim();
	if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
	const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
	const unit = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000} as const;
	let total = 0;
	let m: RegExpExecArray | null;
	let consumed = 0;
	while ((m = re.exec(t))) {
		total += Number(m[1]) * unit[m[2] as keyof typeof unit];
		consumed = re.lastIndex;
	}
	if (!t || consumed !== t.length) throw new UsageError(`not a duration: ${JSON.stringify(text)} (use e.g. 0, 30s, 5m, 1h)`);
	return Math.round(total);
};

const isRule = (name: string): name is RuleName => (RULE_NAMES as readonly string[]).includes(name);

const durationOf = (v: unknown, where: string): number => {
	if (typeof v === 'number' && v >= 0) return v * 1000;
	if (typeof v === 'string') return parseDuration(v);
	throw new UsageError(`${where}: expected a duration like "5m" or seconds, got ${JSON.stringify(v)}`);
};

const numberOf = (v: unknown, where: string): number => {
	if (typeof v === 'number' && Number.isFinite(v)) return v;
	throw new UsageError(`${where}: expected a number, got ${JSON.stringify(v)}`);
};

/**
 * Applies a config document:
 * `{"window": "5m", "hitRateMinLookups": 100, "fragmentationMinWasteBytes": 104857600,
 *   "rules": {"RedisMemoryHigh": {"threshold": 0.8, "for": "2m"}, "RedisHitRateLow": {"enabled": false}}}`
 */
export const applyAlertConfig = (base: AlertSettings, doc: unknown, file = 'alert config'): AlertSettings => {
	if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`${file}: expected a JSON object`);
	const out: AlertSettings = {...base, rules: {...base.rules}};
	for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
		if (key === 'window') out.windowMs = durationOf(value, `${file}: window`);
		else if (key === 'hitRateMinLookups') out.hitRateMinLookups = numberOf(value, `${file}: hitRateMinLookups`);
		else if (key === 'fragmentationMinWasteBytes') out.fragmentationMinWasteBytes = numberOf(value, `${file}: fragmentationMinWasteBytes`);
		else if (key === 'rules') {
			if (!value || typeof value !== 'object') throw new UsageError(`${file}: rules must be an object`);
			for (const [name, rule] of Object.entries(value as Record<string, unknown>)) {
				if (!isRule(name)) throw new UsageError(`${file}: unknown rule ${JSON.stringify(name)} (known: ${RULE_NAMES.join(', ')})`);
				if (!rule || typeof rule !== 'object') throw new UsageError(`${file}: rules.${name} must be an object`);
				const r = {...out.rules[name]};
				for (const [field, v] of Object.entries(rule as Record<string, unknown>)) {
					if (field === 'for') r.forMs = durationOf(v, `${file}: rules.${name}.for`);
					else if (field === 'threshold') r.threshold = numberOf(v, `${file}: rules.${name}.threshold`);
					else if (field === 'enabled') r.enabled = v !== false;
					else throw new UsageError(`${file}: rules.${name}: unknown field ${JSON.stringify(field)} (for, threshold, enabled)`);
				}
				out.rules[name] = r;
			}
		} else throw new UsageError(`${file}: unknown field ${JSON.stringify(key)} (window, hitRateMinLookups, fragmentationMinWasteBytes, rules)`);
	}
	return out;
};

export type AlertFlags = {alertFor?: unknown; alertConfig?: unknown; alertThreshold?: unknown};

/**
 * Reads the config file at start-up: only a regular file of at most
 * ALERT_CONFIG_MAX_BYTES (a FIFO or a device given by mistake would block
 * the whole process in a synchronous read). Throws with a `code` that is
 * the one-line reason.
 */
export const readAlertConfig = (file: string): string => {
	const read = readRegularFileSync(file, ALERT_CONFIG_MAX_BYTES);
	if (read.ok) return read.text;
	throw Object.assign(new Error(read.error), {code: read.problem === 'missing' ? 'ENOENT' : read.error});
};

/** Defaults ← config file ← --alert-threshold ← --alert-for. */
export const alertSettingsFrom = (flags: AlertFlags, env: NodeJS.ProcessEnv, read = readAlertConfig): AlertSettings => {
	let settings = defaultAlertSettings();
	const file = (flags.alertConfig as string | undefined) ?? env['TCMON_ALERTS'];
	if (file) {
		let text: string;
		try {
			text = read(file);
		} catch (error) {
			throw new UsageError(`cannot read --alert-config ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
		}
		let doc: unknown;
		try {
			doc = parseBounded(text);
		} catch (error) {
			throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
		}
		settings = applyAlertConfig(settings, doc, file);
	}
	const thresholds = (flags.alertThreshold as string[] | undefined) ?? [];
	for (const item of thresholds) {
		const m = /^([A-Za-z]+)=(.+)$/.exec(item);
		const value = m ? Number(m[2]) : Number.NaN;
		if (!m || !isRule(m[1]!) || !Number.isFinite(value)) throw new UsageError(`--alert-threshold wants RULE=NUMBER with RULE one of ${RULE_NAMES.join(', ')}, got ${JSON.stringify(item)}`);
		settings = {...settings, rules: {...settings.rules, [m[1]!]: {...settings.rules[m[1] as RuleName], threshold: value}}};
	}
	if (flags.alertFor !== undefined) settings = withAlertFor(settings, parseDuration(String(flags.alertFor)));
	return settings;
};
