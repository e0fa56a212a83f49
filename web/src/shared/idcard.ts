// GB 11643-1999 resident ID numbers (居民身份证号码): 6-digit area, 8-digit birth date, 3-digit
// sequence, and an ISO 7064 MOD 11-2 check character (0-9 or X).
import { t } from '@/shared/i18n';

export type IdProblem =
  | { kind: 'required' }
  | { kind: 'length'; n: number }
  | { kind: 'format' }
  | { kind: 'date' }
  | { kind: 'checksum' };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Trims, removes inner spaces and upper-cases a trailing x. */
export function normalizeIdNumber(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase();
}

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

export function checkIdNumber(raw: string, today = new Date()): IdProblem | null {
  const s = normalizeIdNumber(raw);
  if (!s) return { kind: 'required' };
  if (s.length !== 18) return { kind: 'length', n: s.length };
  if (!/^[0-9]{17}[0-9X]$/.test(s)) return { kind: 'format' };
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1900 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d ||
    date.getTime() > today.getTime()
  ) {
    return { kind: 'date' };
  }
  if (idCheckChar(s) !== s[17]) return { kind: 'checksum' };
  return null;
}

/** What is wrong with an ID number in the UI language (validation.id*), or '' when nothing is. */
export function idNumberMessage(raw: string): string {
  const p = checkIdNumber(raw);
  if (!p) return '';
  switch (p.kind) {
    case 'required':
      return t('validation.idRequired');
    case 'length':
      return t('validation.idLength', { n: p.n });
    case 'format':
      return t('validation.idFormat');
    case 'date':
      return t('validation.idDate');
    case 'checksum':
      return t('validation.idChecksum');
  }
}
