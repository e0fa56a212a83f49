// Months as "YYYY-MM" strings (Asia/Shanghai): the current one, arithmetic, ranges. The dashboard
// asks for at most MAX_MONTHS months, by default the current month and the 5 before it.
export const MAX_MONTHS = 24;
export const DEFAULT_MONTHS = 6;
export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The current month in Asia/Shanghai, "2026-11". */
export function thisMonth(now = Date.now()): string {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 7);
}

function index(m: string): number {
  const [y, mo] = m.split('-').map(Number);
  return y * 12 + (mo - 1);
}

function fromIndex(i: number): string {
  const y = Math.floor(i / 12);
  const mo = (i % 12) + 1;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}`;
}

/** `m` moved by `n` months (negative: earlier). */
export function addMonths(m: string, n: number): string {
  return fromIndex(index(m) + n);
}

/** How many months from..to, both included (0 when to is before from). */
export function monthSpan(from: string, to: string): number {
  return Math.max(0, index(to) - index(from) + 1);
}

/** A valid range: ordered, not after the current month, at most MAX_MONTHS long (kept from `to` back). */
export function normalRange(from: string, to: string, now = thisMonth()): [string, string] {
  let a = MONTH_RE.test(from) ? from : '';
  let b = MONTH_RE.test(to) ? to : '';
  if (!b) b = a && a <= now ? addMonths(a, DEFAULT_MONTHS - 1) : now;
  if (b > now) b = now;
  if (!a) a = addMonths(b, -(DEFAULT_MONTHS - 1));
  if (a > b) [a, b] = [b, a];
  if (monthSpan(a, b) > MAX_MONTHS) a = addMonths(b, -(MAX_MONTHS - 1));
  return [a, b];
}
