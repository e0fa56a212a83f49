// The audience being composed: each pick keeps its display name next to its id, so the builder
// can show tags; toInput() gives the ids the API takes. Server errors name items by their index
// in the sent arrays (audience.people[3]), which is the order kept here.
import type { AudienceInput, AudienceRole } from '@/modules/notices/types';

export interface RolePick {
  /** Stable key for the row (v-for). */
  key: number;
  role: AudienceRole | '';
  region: string;
  region_name: string;
}

export interface AudienceDraft {
  regions: { code: string; name: string }[];
  units: { id: string; name: string }[];
  roles: RolePick[];
  households: { id: string; label: string }[];
  people: { id: string; name: string; detail: string }[];
}

export type AudienceKind = 'regions' | 'units' | 'roles' | 'households' | 'people';
export const AUDIENCE_KINDS: AudienceKind[] = ['regions', 'units', 'roles', 'households', 'people'];

export function emptyDraft(): AudienceDraft {
  return { regions: [], units: [], roles: [], households: [], people: [] };
}

/** Only complete role rows are sent; the index map says where each sent row came from. */
function completeRoles(d: AudienceDraft): RolePick[] {
  return d.roles.filter((r) => r.role && r.region);
}

export function toInput(d: AudienceDraft): AudienceInput {
  return {
    regions: d.regions.map((x) => x.code),
    units: d.units.map((x) => x.id),
    roles: completeRoles(d).map((r) => ({ role: r.role as AudienceRole, region: r.region })),
    households: d.households.map((x) => x.id),
    people: d.people.map((x) => x.id),
  };
}

export function isEmpty(a: AudienceInput): boolean {
  return !a.regions.length && !a.units.length && !a.roles.length && !a.households.length && !a.people.length;
}

/**
 * Server field errors on the audience, by draft item: "people:3" -> message. Role rows are
 * re-mapped from the index in the sent array to the row in the draft. Errors naming the whole
 * audience (or an unknown shape) go under "*".
 */
export function audienceErrors(d: AudienceDraft, errors: { field: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  const sentRoles = completeRoles(d);
  const add = (k: string, m: string) => {
    out[k] = out[k] ? `${out[k]}; ${m}` : m;
  };
  for (const e of errors) {
    if (e.field !== 'audience' && !e.field.startsWith('audience.')) continue;
    const m = /^audience\.(regions|units|roles|households|people)\[(\d+)\]/.exec(e.field);
    if (!m) {
      add('*', e.message);
      continue;
    }
    const kind = m[1] as AudienceKind;
    let i = Number(m[2]);
    if (kind === 'roles') {
      const row = sentRoles[i];
      i = row ? d.roles.indexOf(row) : -1;
    }
    if (i < 0) add('*', e.message);
    else add(`${kind}:${i}`, e.message);
  }
  return out;
}
