// The org module's pages in the resident app: sign-in, sign-up, home, joining a village, profile
// and the cadre's approval queue. The shell (src/mobile/router.ts) composes module route tables.
import type { RouteRecordRaw } from 'vue-router';
import SignIn from './SignIn.vue';
import Home from './Home.vue';

export const orgMobileRoutes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: SignIn, meta: { public: true, title: 'auth.signIn' } },
  { path: '/signup', name: 'signup', component: () => import('./SignUp.vue'), meta: { public: true, title: 'auth.signUp' } },
  { path: '/', name: 'home', component: Home, meta: { tab: true, title: 'mobile.tabs.home' } },
  { path: '/join', name: 'join', component: () => import('./Join.vue'), meta: { title: 'mobile.join.title' } },
  { path: '/me', name: 'me', component: () => import('./Profile.vue'), meta: { tab: true, title: 'mobile.profile.title' } },
  { path: '/review', name: 'review', component: () => import('./Review.vue'), meta: { tab: true, review: true, title: 'review.title' } },
];
