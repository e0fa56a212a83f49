// Turns any thrown error into text for a person: a short line in the UI language for the kind of
// failure, the server's `detail` when it gave one, and each field error with the field's label.
import { ApiError } from '@/shared/api';
import { i18n } from '@/shared/i18n';

export interface Described {
  summary: string;
  detail: string;
  fields: { field: string; label: string; message: string }[];
}

const KNOWN = [400, 401, 403, 404, 409, 413, 422, 429, 500, 503];

export function describeError(e: unknown): Described {
  const { t, te } = i18n.global;
  if (!(e instanceof ApiError)) {
    return { summary: t('errors.generic'), detail: '', fields: [] };
  }
  if (e.status === 0) return { summary: t('errors.network'), detail: '', fields: [] };
  const code = KNOWN.includes(e.status) ? e.status : e.status >= 500 ? 500 : 400;
  const fields = e.errors.map((f) => ({
    field: f.field,
    label: te(`fields.${f.field}`) ? t(`fields.${f.field}`) : f.field,
    message: f.message,
  }));
  return { summary: t(`errors.status.${code}`), detail: e.detail, fields };
}

/** One readable paragraph (for a toast or a dialog). */
export function errorText(e: unknown): string {
  const d = describeError(e);
  const lines = [d.summary];
  if (d.fields.length) {
    for (const f of d.fields) lines.push(`${f.label}: ${f.message}`);
  } else if (d.detail && d.detail !== d.summary) {
    lines.push(d.detail);
  }
  return lines.join('\n');
}
