// A row of the dashboard's figure tables: a place (drills down), a unit (may be picked as the
// filter) or a month.
import type { RouteLocationRaw } from 'vue-router';
import type { Figures } from '@/modules/stats/types';

export interface FigureRow {
  /** A region code, a unit id or a month. */
  key: string;
  label: string;
  figures: Figures;
  /** Where clicking the name goes (a place's dashboard). */
  to?: RouteLocationRaw;
}
