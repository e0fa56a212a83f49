// The requests module's pages in the resident app (村民诉求): my requests (a tab), the form to
// file one, the village's public board and one request with its timeline. Composed by
// src/mobile/router.ts; the shell's alerts come from ./alerts.ts.
import type { RouteRecordRaw } from 'vue-router';

export const requestsMobileRoutes: RouteRecordRaw[] = [
  { path: '/requests', name: 'requests', component: () => import('./List.vue'), meta: { tab: true, title: 'requests.mine.title' } },
  { path: '/requests/new', name: 'request-new', component: () => import('./New.vue'), meta: { title: 'requests.form.title' } },
  { path: '/requests/board', name: 'request-board', component: () => import('./Board.vue'), meta: { title: 'requests.board.title' } },
  { path: '/requests/:id', name: 'request', component: () => import('./Detail.vue'), meta: { title: 'requests.detail.title' } },
];
