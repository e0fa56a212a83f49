// The requests module's pages in the admin console (诉求办理): the office's queue and the places it
// supervises, one request with its actions, and the 三率 dashboard. Composed by
// src/admin/router.ts inside the layout.
import type { RouteRecordRaw } from 'vue-router';

export const requestsAdminRoutes: RouteRecordRaw[] = [
  { path: 'requests', name: 'requests', component: () => import('./List.vue'), meta: { title: 'admin.menu.requests' } },
  { path: 'requests/dashboard', name: 'requests-dashboard', component: () => import('./Dashboard.vue'), meta: { title: 'admin.menu.requestStats' } },
  { path: 'requests/:id', name: 'request', component: () => import('./Detail.vue'), meta: { title: 'requests.admin.detailTitle' } },
];
