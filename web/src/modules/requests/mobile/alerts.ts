// For the resident app's shell (mobile/App.vue): a notify bar on any page when one of my requests
// moves on (request.updated: signed, a progress note, finished, merged) or the 回访 asks whether
// the fix still holds (request.followup). The same events can reach a village cadre as the
// handling office (a rating), so the request is fetched and only the reporter is alerted.
// Tapping the bar opens the request.
import { useRouter } from 'vue-router';
import { showNotify } from 'vant';
import { api } from '@/shared/api';
import { t } from '@/shared/i18n';
import { onLive, type RequestLiveEvent } from '@/shared/live';
import { session } from '@/shared/session';
import type { RequestDetail } from '@/modules/requests/types';

async function mine(id: string): Promise<RequestDetail | null> {
  try {
    const r = await api.get<RequestDetail>(`/requests/${encodeURIComponent(id)}`);
    return r.is_reporter ? r : null;
  } catch {
    return null;
  }
}

export function useRequestAlerts(): void {
  const router = useRouter();

  function open(id: string): void {
    if (id) void router.push({ name: 'request', params: { id } });
  }

  async function alert(ev: RequestLiveEvent, kind: 'updated' | 'followup'): Promise<void> {
    if (!session.me || !ev.data?.id) return;
    const r = await mine(ev.data.id);
    if (!r) return;
    const what = r.category_name || ev.data.title;
    const message =
      kind === 'followup'
        ? t('requests.live.followup', { title: what })
        : r.status === 'finished'
          ? t('requests.live.finished', { title: what })
          : t('requests.live.updated', { title: what, status: t(`requests.status.${r.status}`) });
    showNotify({
      type: kind === 'followup' || r.status === 'finished' ? 'warning' : 'primary',
      message,
      duration: kind === 'followup' || r.status === 'finished' ? 8000 : 5000,
      className: 'm-notify',
      onClick: () => open(r.id),
    });
  }

  onLive('request.updated', (ev) => void alert(ev, 'updated'));
  onLive('request.followup', (ev) => void alert(ev, 'followup'));
}
