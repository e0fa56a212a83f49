// For the resident app's shell (mobile/App.vue): a notify bar on any page when a meeting of mine is
// about to start (meeting.reminder) or an action item of mine is overdue (meeting.action_overdue).
// Invitations, changes and cancellations come as notices too (the notices alerts show those).
// Tapping the bar opens the meeting, or my action items.
import { useRouter } from 'vue-router';
import { showNotify } from 'vant';
import { t } from '@/shared/i18n';
import { formatTime } from '@/shared/format';
import { onLive } from '@/shared/live';
import { session } from '@/shared/session';

export function useMeetingAlerts(): void {
  const router = useRouter();

  onLive('meeting.reminder', (ev) => {
    if (!session.me || !ev.data?.id) return;
    showNotify({
      type: 'warning',
      message: t('meetings.live.reminder', { title: ev.data.title, time: formatTime(ev.data.start_at) }),
      duration: 10000,
      className: 'm-notify',
      onClick: () => void router.push({ name: 'meeting', params: { id: ev.data.id } }),
    });
  });

  onLive('meeting.action_overdue', (ev) => {
    if (!session.me) return;
    showNotify({
      type: 'danger',
      message: t('meetings.live.actionOverdue', { title: ev.data.title }),
      duration: 8000,
      className: 'm-notify',
      onClick: () => void router.push({ name: 'meeting-actions' }),
    });
  });
}
