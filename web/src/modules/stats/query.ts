// The dashboard's place in the page address (?region=&from=&to=&unit=), so a reload, a shared link
// and 返回 come back to the same drill position and period. Missing or invalid values take the
// defaults: the account's broadest region, the current month and the 5 before it, every unit.
import type { LocationQuery } from 'vue-router';
import type { Me } from '@/shared/types';
import { normalRange } from '@/modules/stats/months';
import { statsHome } from '@/modules/stats/perm';
import type { StatsParams } from '@/modules/stats/types';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function paramsFromQuery(q: LocationQuery, me: Me | null): StatsParams {
  const region = /^\d{12}$/.test(str(q.region)) ? str(q.region) : statsHome(me);
  const [from, to] = normalRange(str(q.from), str(q.to));
  const unit = UUID_RE.test(str(q.unit)) ? str(q.unit) : '';
  return { region, from, to, unit };
}

/** The address query of a position (no empty values). */
export function queryOf(p: StatsParams): Record<string, string> {
  const out: Record<string, string> = { region: p.region, from: p.from, to: p.to };
  if (p.unit) out.unit = p.unit;
  return out;
}

/** The API query of GET /stats/dashboard and /stats/table.csv. */
export function apiQuery(p: StatsParams): Record<string, string> {
  return queryOf(p);
}

/** Whether the address already says exactly this position. */
export function sameQuery(q: LocationQuery, p: StatsParams): boolean {
  const want = queryOf(p);
  const keys = new Set([...Object.keys(want), ...Object.keys(q).filter((k) => ['region', 'from', 'to', 'unit'].includes(k))]);
  for (const k of keys) if (str(q[k]) !== (want[k] ?? '')) return false;
  return true;
}
