// Number and month formatting for the county dashboard in both apps, Chinese-friendly: counts with
// the UI language's grouping, large ones as 1.2万 / 3.4亿 (12.3K in English), rates as percentages
// with one decimal, hours with one decimal, durations in minutes, hours or days, months as
// 2026年6月. A missing figure (null) is "—".
import { t } from '@/shared/i18n';
import { prefs } from '@/shared/prefs';

const DASH = '—';

const cache = new Map<string, Intl.NumberFormat>();
function nf(kind: 'count' | 'compact' | 'decimal' | 'plain' | 'plainDecimal'): Intl.NumberFormat {
  const key = `${prefs.locale}:${kind}`;
  let f = cache.get(key);
  if (!f) {
    f =
      kind === 'compact'
        ? new Intl.NumberFormat(prefs.locale, { notation: 'compact', maximumFractionDigits: 1 })
        : kind === 'decimal' || kind === 'plainDecimal'
          ? new Intl.NumberFormat(prefs.locale, { maximumFractionDigits: 1, useGrouping: kind === 'decimal' })
          : new Intl.NumberFormat(prefs.locale, { maximumFractionDigits: 0, useGrouping: kind === 'count' });
    cache.set(key, f);
  }
  return f;
}

const ok = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** A count with grouping: 12,345. */
export function count(n: number | null | undefined): string {
  return ok(n) ? nf('count').format(n) : DASH;
}

/** Below 10,000 the way Chinese writes it: no grouping ("6000"); English groups ("6,000"). */
const small = (n: number, decimals: boolean) =>
  nf(prefs.locale === 'en' ? (decimals ? 'decimal' : 'count') : decimals ? 'plainDecimal' : 'plain').format(n);

/** A figure for a tile or a KPI card: as it is below 10,000 ("6000"), else 1.2万 / 1.2亿 (12.3K). */
export function compact(n: number | null | undefined): string {
  if (!ok(n)) return DASH;
  return Math.abs(n) < 10_000 ? small(n, !Number.isInteger(n)) : nf('compact').format(n);
}

/** A rate 0..1 as a percentage with one decimal: 0.8754 → "87.5%". */
export function pct(v: number | null | undefined): string {
  return ok(v) ? `${(Math.round(v * 1000) / 10).toFixed(1)}%` : DASH;
}

/** A number with at most one decimal: 12.5. */
export function decimal(n: number | null | undefined): string {
  return ok(n) ? nf('decimal').format(n) : DASH;
}

/** A number of hours with one decimal and the unit: "12.5 小时". */
export function hoursTotal(h: number | null | undefined): string {
  return ok(h) ? t('stats.unit.hours', { n: nf('decimal').format(h) }) : DASH;
}

/** A median duration for people: minutes below an hour, hours below two days, else days. */
export function duration(h: number | null | undefined): string {
  if (!ok(h)) return DASH;
  if (h < 1) return t('stats.unit.minutes', { n: Math.max(1, Math.round(h * 60)) });
  if (h < 48) return t('stats.unit.hours', { n: nf('decimal').format(h) });
  return t('stats.unit.days', { n: nf('decimal').format(h / 24) });
}

/** The plain value for a data-value attribute: digits (and a decimal point), '' when missing. */
export function plain(n: number | null | undefined): string {
  return ok(n) ? String(n) : '';
}

/** "2026-06" → "2026年6月" / "Jun 2026". */
export function monthLabel(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  if (!y || !mo) return m;
  return t('stats.month.long', { y, m: mo, name: t(`stats.month.names.m${mo}`) });
}

/** "2026-06" → "6月" / "Jun" (with the year when the range spans more than one: "26年6月"). */
export function monthShort(m: string, withYear: boolean): string {
  const [y, mo] = m.split('-').map(Number);
  if (!y || !mo) return m;
  const name = t(`stats.month.names.m${mo}`);
  return withYear ? t('stats.month.shortYear', { y: String(y).slice(2), m: mo, name }) : t('stats.month.short', { m: mo, name });
}

/** "2026-06" to "2026-11" for people. */
export function periodLabel(from: string, to: string): string {
  return from === to ? monthLabel(from) : t('stats.month.range', { from: monthLabel(from), to: monthLabel(to) });
}
