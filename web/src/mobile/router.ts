import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { setUnauthorizedHandler } from '../shared/api';
import { canReview, dropSession, loadMe } from '../shared/session';
import { onLocale, t } from '../shared/i18n';
import SignIn from './views/SignIn.vue';
import Home from './views/Home.vue';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    tab?: boolean;
    review?: boolean;
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: SignIn, meta: { public: true, title: 'auth.signIn' } },
  { path: '/signup', name: 'signup', component: () => import('./views/SignUp.vue'), meta: { public: true, title: 'auth.signUp' } },
  { path: '/', name: 'home', component: Home, meta: { tab: true, title: 'mobile.tabs.home' } },
  { path: '/join', name: 'join', component: () => import('./views/Join.vue'), meta: { title: 'mobile.join.title' } },
  { path: '/me', name: 'me', component: () => import('./views/Profile.vue'), meta: { tab: true, title: 'mobile.profile.title' } },
  { path: '/review', name: 'review', component: () => import('./views/Review.vue'), meta: { tab: true, review: true, title: 'review.title' } },
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
