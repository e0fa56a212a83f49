// For the console's shell (admin/Layout.vue): a message on any page when someone mentions me in a
// document's comment (doc.mentioned); it links to the document.
import { h } from 'vue';
import { useRouter } from 'vue-router';
import { ElMessage } from 'element-plus';
import { t } from '@/shared/i18n';
import { onLive } from '@/shared/live';
import { session } from '@/shared/session';

export function useDocAlerts(): void {
  const router = useRouter();
  onLive('doc.mentioned', (ev) => {
    if (!session.me || !ev.data?.doc_id) return;
    const open = () => void router.push({ name: 'doc', params: { id: ev.data.doc_id } });
    ElMessage({
      type: 'info',
      duration: 10000,
      showClose: true,
      message: h('span', [
        t('docs.live.mentioned', { by: ev.data.by ?? '', title: ev.data.title ?? '' }),
        ' ',
        h('a', { href: router.resolve({ name: 'doc', params: { id: ev.data.doc_id } }).href, onClick: (e: MouseEvent) => (e.preventDefault(), open()), 'data-testid': 'doc-mentioned-open' }, t('docs.live.open')),
      ]),
    });
  });
}
