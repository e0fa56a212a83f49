// What the console's pages of one document have in common (the editor, a form's builder and its
// results): the document the route's id names (src/shared/item-loader.ts), and the way on to the
// page for its kind when it is the other kind (a form opened as a document, or the other way).
// components/DocStates.vue shows it until it is there.
import { computed, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { api } from '@/shared/api';
import { useItemLoader } from '@/shared/item-loader';
import { docPath } from '@/modules/docs/format';
import type { Doc, DocKind } from '@/modules/docs/types';

/** Call in setup; `kind` is what this page shows. Returns the route's id and the item loader. */
export function useDocPage(kind: DocKind) {
  const route = useRoute();
  const router = useRouter();
  const id = computed(() => (typeof route.params.id === 'string' ? route.params.id : ''));
  const loader = useItemLoader(id, (v) => api.get<Doc>(docPath(v)));
  watch(loader.item, (d) => {
    if (d && d.kind !== kind) void router.replace({ name: d.kind === 'form' ? 'form' : 'doc', params: { id: d.id } });
  });
  return { id, ...loader };
}
