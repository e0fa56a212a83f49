// The county dashboard's (驾驶舱, the stats module) pages in the admin console: the dashboard with
// its drill position in the address, and the printable monthly report. Composed by
// src/admin/router.ts inside the layout.
import type { RouteRecordRaw } from 'vue-router';

export const statsAdminRoutes: RouteRecordRaw[] = [
  { path: 'stats', name: 'stats', component: () => import('./Dashboard.vue'), meta: { title: 'stats.title' } },
  { path: 'stats/report', name: 'stats-report', component: () => import('./Report.vue'), meta: { title: 'stats.report.printable' } },
];
