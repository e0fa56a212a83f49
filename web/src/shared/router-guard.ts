// The sign-in guard, page title and 401 handling shared by the resident app and the admin console.
import type { Router } from 'vue-router';
import { setUnauthorizedHandler } from '@/shared/api';
import { canReview, dropSession, loadMe } from '@/shared/session';
import { onLocale, t } from '@/shared/i18n';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable signed out (sign-in, sign-up); signed-in users are sent home. */
    public?: boolean;
    /** Needs the review permission. */
    review?: boolean;
    /** Locale key of the page title. */
    title?: string;
  }
}

export interface GuardOptions {
  /** Name of the route signed-in users land on. */
  home: 'home' | 'dashboard';
  /** Locale key of the app name, the document title's suffix. */
  titleKey: 'app.mobileTitle' | 'app.adminTitle';
}

export function installGuards(router: Router, { home, titleKey }: GuardOptions): void {
  router.beforeEach(async (to) => {
    let me = null;
    try {
      me = await loadMe();
    } catch {
      me = null; // server unreachable: the sign-in page says so when used
    }
    if (to.meta.public) return me ? { name: home } : true;
    if (!me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    if (to.meta.review && !canReview(me)) return { name: home };
    return true;
  });

  function setTitle(): void {
    const key = router.currentRoute.value.meta.title;
    const app = t(titleKey);
    document.title = key ? `${t(key)} · ${app}` : app;
  }
  router.afterEach(setTitle);
  onLocale(() => setTitle());

  setUnauthorizedHandler(() => {
    dropSession();
    const cur = router.currentRoute.value;
    if (!cur.meta.public) router.replace({ name: 'login', query: { redirect: cur.fullPath } });
  });
}

/** Where to go after signing in: the page that asked, if it is one of ours. */
export function afterSignIn(redirect: unknown): string {
  return typeof redirect === 'string' && redirect.startsWith('/') && !redirect.startsWith('//') ? redirect : '/';
}
