import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { installGuards } from '@/shared/router-guard';
import { orgAdminPublicRoutes, orgAdminRoutes } from '@/modules/org/admin/routes';
import { noticesAdminRoutes } from '@/modules/notices/admin/routes';
import { requestsAdminRoutes } from '@/modules/requests/admin/routes';
import { meetingsAdminFullRoutes, meetingsAdminRoutes } from '@/modules/meetings/admin/routes';
import { docsAdminRoutes } from '@/modules/docs/admin/routes';
import { statsAdminRoutes } from '@/modules/stats/admin/routes';
import Layout from '@/admin/Layout.vue';

const routes: RouteRecordRaw[] = [
  ...orgAdminPublicRoutes,
  ...meetingsAdminFullRoutes,
  {
    path: '/',
    component: Layout,
    children: [
      { path: '', name: 'dashboard', component: () => import('@/admin/views/Dashboard.vue'), meta: { title: 'admin.menu.dashboard' } },
      ...orgAdminRoutes,
      ...noticesAdminRoutes,
      ...requestsAdminRoutes,
      ...meetingsAdminRoutes,
      ...docsAdminRoutes,
      ...statsAdminRoutes,
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({
  history: createWebHistory('/admin/'),
  routes,
});

installGuards(router, { home: 'dashboard', titleKey: 'app.adminTitle' });
