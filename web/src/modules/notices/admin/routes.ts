// The notices module's pages in the admin console: the list, the compose form and one notice's
// follow-up. Composed by src/admin/router.ts inside the layout.
import type { RouteRecordRaw } from 'vue-router';

export const noticesAdminRoutes: RouteRecordRaw[] = [
  { path: 'notices', name: 'notices', component: () => import('./List.vue'), meta: { title: 'admin.menu.notices' } },
  { path: 'notices/new', name: 'notice-new', component: () => import('./Compose.vue'), meta: { title: 'notices.compose.title' } },
  { path: 'notices/:id', name: 'notice', component: () => import('./FollowUp.vue'), meta: { title: 'notices.followup.title' } },
];
