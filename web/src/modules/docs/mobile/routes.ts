// The documents module's pages in the resident app: 我的收集表 (the forms sent to me) and one form
// to fill in, at /m/forms/{id} — the address the form's notice links to. Composed by
// src/mobile/router.ts.
import type { RouteRecordRaw } from 'vue-router';

export const docsMobileRoutes: RouteRecordRaw[] = [
  { path: '/forms', name: 'forms', component: () => import('./List.vue'), meta: { title: 'docs.mine.title' } },
  { path: '/forms/:id', name: 'form-fill', component: () => import('./Fill.vue'), meta: { title: 'docs.fill.title' } },
];
