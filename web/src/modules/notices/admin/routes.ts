// The notices module's pages in the admin console: the list, the compose form and one notice's
// follow-up (for publishers), and 我的通知, the notices the signed-in staff member received (for
// everyone; ?id=<notice> opens one in its drawer). Composed by src/admin/router.ts inside the layout.
import type { RouteRecordRaw } from 'vue-router';

export const noticesAdminRoutes: RouteRecordRaw[] = [
  { path: 'notices', name: 'notices', component: () => import('./List.vue'), meta: { title: 'admin.menu.notices' } },
  { path: 'notices/new', name: 'notice-new', component: () => import('./Compose.vue'), meta: { title: 'notices.compose.title' } },
  { path: 'inbox', name: 'inbox', component: () => import('./Inbox.vue'), meta: { title: 'admin.menu.inbox' } },
  { path: 'notices/:id', name: 'notice', component: () => import('./FollowUp.vue'), meta: { title: 'notices.followup.title' } },
];
