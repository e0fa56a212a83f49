import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { setUnauthorizedHandler } from '@/shared/api';
import { canReview, dropSession, loadMe } from '@/shared/session';
import { onLocale, t } from '@/shared/i18n';
import { orgAdminPublicRoutes, orgAdminRoutes } from '@/modules/org/admin/routes';
import Layout from '@/admin/Layout.vue';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    review?: boolean;
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  ...orgAdminPublicRoutes,
  {
    path: '/',
    component: Layout,
    children: [
      { path: '', name: 'dashboard', component: () => import('@/admin/views/Dashboard.vue'), meta: { title: 'admin.menu.dashboard' } },
      ...orgAdminRoutes,
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({
  history: createWebHistory('/admin/'),
  routes,
});

router.beforeEach(async (to) => {
  let me = null;
  try {
    me = await loadMe();
  } catch {
    me = null;
  }
  if (to.meta.public) return me ? { name: 'dashboard' } : true;
  if (!me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  if (to.meta.review && !canReview(me)) return { name: 'dashboard' };
  return true;
});

function setTitle(): void {
  const key = router.currentRoute.value.meta.title;
  const app = t('app.adminTitle');
  document.title = key ? `${t(key)} · ${app}` : app;
}
router.afterEach(setTitle);
onLocale(() => setTitle());

setUnauthorizedHandler(() => {
  dropSession();
  const cur = router.currentRoute.value;
  if (!cur.meta.public) router.replace({ name: 'login', query: { redirect: cur.fullPath } });
});

export function afterSignIn(redirect: unknown): string {
  return typeof redirect === 'string' && redirect.startsWith('/') && !redirect.startsWith('//') ? redirect : '/';
}
