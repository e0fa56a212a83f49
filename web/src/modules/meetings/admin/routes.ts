// The meetings module's pages in the admin console (会议管理): the meetings I manage, the form to
// schedule or change one, and one meeting with its answers, attendance, minutes and action items
// (inside the layout); the live room, full screen and shared with the resident app, outside it.
// Composed by src/admin/router.ts.
import type { RouteRecordRaw } from 'vue-router';

export const meetingsAdminRoutes: RouteRecordRaw[] = [
  { path: 'meetings', name: 'meetings', component: () => import('./List.vue'), meta: { title: 'admin.menu.meetings' } },
  { path: 'meetings/new', name: 'meeting-new', component: () => import('./Edit.vue'), meta: { title: 'meetings.form.newTitle' } },
  { path: 'meetings/:id', name: 'meeting', component: () => import('./Detail.vue'), meta: { title: 'meetings.detail.title' } },
  { path: 'meetings/:id/edit', name: 'meeting-edit', component: () => import('./Edit.vue'), meta: { title: 'meetings.form.editTitle' } },
];

/** Full-screen pages (outside the layout). */
export const meetingsAdminFullRoutes: RouteRecordRaw[] = [
  { path: '/meetings/:id/room', name: 'meeting-room', component: () => import('../room/Room.vue'), meta: { title: 'meetings.room.title' } },
];
