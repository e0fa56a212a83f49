// The org module's pages in the admin console: sign-in (outside the layout), the region tree with
// units and people, and the join-request queue (inside it). Composed by src/admin/router.ts.
import type { RouteRecordRaw } from 'vue-router';
import SignIn from './SignIn.vue';

export const orgAdminPublicRoutes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: SignIn, meta: { public: true, title: 'auth.adminSignInTitle' } },
];

export const orgAdminRoutes: RouteRecordRaw[] = [
  { path: 'regions/:code?', name: 'regions', component: () => import('./Regions.vue'), meta: { title: 'admin.menu.regions' } },
  { path: 'review', name: 'review', component: () => import('./Review.vue'), meta: { title: 'admin.menu.review', review: true } },
];
