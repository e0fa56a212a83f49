// The notices module's pages in the resident app: the inbox (a tab) and one notice. The shell
// (src/mobile/router.ts) composes module route tables; its tab bar shows the unread badge.
import type { RouteRecordRaw } from 'vue-router';

export const noticesMobileRoutes: RouteRecordRaw[] = [
  { path: '/notices', name: 'notices', component: () => import('./Inbox.vue'), meta: { tab: true, title: 'notices.inbox.title' } },
  { path: '/notices/:id', name: 'notice', component: () => import('./Detail.vue'), meta: { title: 'notices.detail.title' } },
];
