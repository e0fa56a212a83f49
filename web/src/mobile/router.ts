import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { installGuards } from '@/shared/router-guard';
import { orgMobileRoutes } from '@/modules/org/mobile/routes';
import { noticesMobileRoutes } from '@/modules/notices/mobile/routes';
import { requestsMobileRoutes } from '@/modules/requests/mobile/routes';
import { meetingsMobileRoutes } from '@/modules/meetings/mobile/routes';
import { docsMobileRoutes } from '@/modules/docs/mobile/routes';
import { statsMobileRoutes } from '@/modules/stats/mobile/routes';

declare module 'vue-router' {
  interface RouteMeta {
    tab?: boolean;
  }
}

const routes: RouteRecordRaw[] = [
  ...orgMobileRoutes,
  ...noticesMobileRoutes,
  ...requestsMobileRoutes,
  ...meetingsMobileRoutes,
  ...docsMobileRoutes,
  ...statsMobileRoutes,
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({
  history: createWebHistory('/m/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

installGuards(router, { home: 'home', titleKey: 'app.mobileTitle' });
