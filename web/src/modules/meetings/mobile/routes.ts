// The meetings module's pages in the resident app (我的会议): my meetings (a tab), one meeting, the
// check-in page the QR code at the meeting place opens, my action items, the calendar feed and the
// live room (full screen, shared with the console). Composed by src/mobile/router.ts; the shell's
// alerts come from ./alerts.ts.
import type { RouteRecordRaw } from 'vue-router';

export const meetingsMobileRoutes: RouteRecordRaw[] = [
  { path: '/meetings', name: 'meetings', component: () => import('./List.vue'), meta: { tab: true, title: 'meetings.mine.title' } },
  { path: '/meetings/todo', name: 'meeting-actions', component: () => import('./Actions.vue'), meta: { title: 'meetings.todo.title' } },
  { path: '/meetings/calendar', name: 'meeting-calendar', component: () => import('./Calendar.vue'), meta: { title: 'meetings.calendar.title' } },
  { path: '/meetings/:id', name: 'meeting', component: () => import('./Detail.vue'), meta: { title: 'meetings.view.title' } },
  { path: '/meetings/:id/checkin', name: 'meeting-checkin', component: () => import('./Checkin.vue'), meta: { title: 'meetings.scan.title' } },
  { path: '/meetings/:id/room', name: 'meeting-room', component: () => import('../room/Room.vue'), meta: { title: 'meetings.room.title' } },
];
