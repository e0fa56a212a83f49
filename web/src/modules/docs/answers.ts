// Checking a form's answers on the phone before they are sent (the server checks them again and
// names the fields it refuses: `answers.<id>`): required fields, a mainland mobile number, an
// 18-character resident ID with its GB 11643 check digit, a number within min..max, a real date,
// choices among the options, a region code of the county. Also turns what was typed into the
// value sent (trimmed text, a number, the normalised ID number).
import { t } from '@/shared/i18n';
import { idNumberMessage, normalizeIdNumber } from '@/shared/idcard';
import { PHONE_RE } from '@/shared/session';
import type { Answer, Answers, Field } from '@/modules/docs/types';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const REGION_RE = /^[0-9]{12}$/;
export const TEXT_MAX = 200;
export const TEXTAREA_MAX = 5000;

export function isEmptyAnswer(v: Answer | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && v.length === 0);
}

function realDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Why an answer would be refused ('' when it is fine). */
export function answerProblem(field: Field, v: Answer | undefined): string {
  if (isEmptyAnswer(v)) return field.required ? t('docs.fill.required') : '';
  switch (field.type) {
    case 'text':
    case 'textarea': {
      const max = field.type === 'text' ? TEXT_MAX : TEXTAREA_MAX;
      return [...String(v)].length > max ? t('docs.fill.tooLong', { n: max }) : '';
    }
    case 'number': {
      const n = typeof v === 'number' ? v : Number(String(v).trim());
      if (!Number.isFinite(n)) return t('docs.fill.notNumber');
      if (field.min !== null && field.min !== undefined && n < field.min) return t('docs.fill.tooSmall', { n: field.min });
      if (field.max !== null && field.max !== undefined && n > field.max) return t('docs.fill.tooBig', { n: field.max });
      return '';
    }
    case 'single':
      return (field.options ?? []).includes(String(v)) ? '' : t('docs.fill.pickOne');
    case 'multiple':
      return Array.isArray(v) && v.every((x) => (field.options ?? []).includes(x)) ? '' : t('docs.fill.pickSome');
    case 'date':
      return realDate(String(v)) ? '' : t('docs.fill.badDate');
    case 'phone':
      return PHONE_RE.test(String(v).replace(/\s+/g, '')) ? '' : t('validation.phoneFormat');
    case 'id_number':
      return idNumberMessage(String(v));
    case 'region':
      return REGION_RE.test(String(v)) ? '' : t('docs.fill.pickRegion');
    case 'photo':
      return typeof v === 'string' && v ? '' : t('docs.fill.photoMissing');
    default:
      return '';
  }
}

/** The value sent for what was typed (undefined: leave the field out). */
export function answerValue(field: Field, v: Answer | undefined): Answer | undefined {
  if (isEmptyAnswer(v)) return undefined;
  switch (field.type) {
    case 'number':
      return typeof v === 'number' ? v : Number(String(v).trim());
    case 'phone':
      return String(v).replace(/\s+/g, '');
    case 'id_number':
      return normalizeIdNumber(String(v));
    case 'text':
    case 'textarea':
      return String(v).trim();
    default:
      return v;
  }
}

/** The answers to send: every field with something in it, in the form's order. */
export function answersToSend(fields: Field[], answers: Answers): Answers {
  const out: Answers = {};
  for (const f of fields) {
    const v = answerValue(f, answers[f.id]);
    if (v !== undefined) out[f.id] = v;
  }
  return out;
}

/** Every problem by field id (empty when all is well). */
export function checkAnswers(fields: Field[], answers: Answers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const p = answerProblem(f, answers[f.id]);
    if (p) out[f.id] = p;
  }
  return out;
}
