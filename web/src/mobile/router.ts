import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { setUnauthorizedHandler } from '@/shared/api';
import { canReview, dropSession, loadMe } from '@/shared/session';
import { onLocale, t } from '@/shared/i18n';
import { orgMobileRoutes } from '@/modules/org/mobile/routes';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    tab?: boolean;
    review?: boolean;
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  ...orgMobileRoutes,
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({
  history: createWebHistory('/m/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  let me = null;
  try {
    me = await loadMe();
  } catch {
    me = null; // server unreachable: the sign-in page says so when used
  }
  if (to.meta.public) {
    return me ? { name: 'home' } : true;
  }
  if (!me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  if (to.meta.review && !canReview(me)) return { name: 'home' };
  return true;
});

function setTitle(): void {
  const key = router.currentRoute.value.meta.title;
  const app = t('app.mobileTitle');
  document.title = key ? `${t(key)} · ${app}` : app;
}
router.afterEach(setTitle);
onLocale(() => setTitle());

setUnauthorizedHandler(() => {
  dropSession();
  const cur = router.currentRoute.value;
  if (!cur.meta.public) router.replace({ name: 'login', query: { redirect: cur.fullPath } });
});

/** Where to go after signing in: the page that asked, if it is one of ours. */
export function afterSignIn(redirect: unknown): string {
  return typeof redirect === 'string' && redirect.startsWith('/') && !redirect.startsWith('//') ? redirect : '/';
}
