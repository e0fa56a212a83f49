// The county dashboard's (驾驶舱) page in the resident app, for leaders on their phones (staff
// with stats.view; the home page links to it). Composed by src/mobile/router.ts.
import type { RouteRecordRaw } from 'vue-router';

export const statsMobileRoutes: RouteRecordRaw[] = [
  { path: '/stats', name: 'stats', component: () => import('./Dashboard.vue'), meta: { title: 'stats.mobile.title' } },
];
