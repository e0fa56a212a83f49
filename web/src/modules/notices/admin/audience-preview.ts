// How many people an audience being composed reaches (and, with SMS on, how many texts at what
// cost): POST /notices/preview, 400 ms after the last change, the latest answer wins. Used by the
// notice form and the meeting form (a meeting's invitations go out as a notice to its audience).
import { onBeforeUnmount, ref, watch } from 'vue';
import { api, ApiError } from '@/shared/api';
import { useDebounced } from '@/shared/debounce';
import { errorText } from '@/shared/errors';
import { audienceErrors, isEmpty, toInput, type AudienceDraft } from '@/modules/notices/admin/audience';
import type { AudiencePreview } from '@/modules/notices/types';

export interface AudiencePreviewHooks {
  /** The audience (or SMS, or the unit) changed: earlier errors about its items no longer fit. */
  onChange: () => void;
  /** The server's complaints per item ("people:3" -> message) about the audience previewed. */
  onErrors: (errors: Record<string, string>) => void;
}

/** Call in setup. `settings` gives what else the preview depends on. */
export function useAudiencePreview(draft: AudienceDraft, settings: () => { sms: boolean; unitId: string }, hooks: AudiencePreviewHooks) {
  const preview = ref<AudiencePreview | null>(null);
  const busy = ref(false);
  /** Why the last preview failed. */
  const error = ref('');
  let ctrl: AbortController | null = null;

  async function run(): Promise<void> {
    const audience = toInput(draft);
    ctrl?.abort();
    error.value = '';
    if (isEmpty(audience)) {
      preview.value = null;
      busy.value = false;
      return;
    }
    const mine = new AbortController();
    ctrl = mine;
    busy.value = true;
    const { sms, unitId } = settings();
    try {
      preview.value = await api.post<AudiencePreview>('/notices/preview', { audience, sms, unit_id: unitId || undefined }, { signal: mine.signal });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      preview.value = null;
      if (e instanceof ApiError && e.errors.length) hooks.onErrors(audienceErrors(draft, e.errors));
      error.value = errorText(e);
    } finally {
      if (ctrl === mine) busy.value = false;
    }
  }

  const runSoon = useDebounced(() => void run(), 400);
  watch(
    () => {
      const { sms, unitId } = settings();
      return JSON.stringify([toInput(draft), sms, unitId]);
    },
    () => {
      // Indexes in earlier errors no longer match the items: the next preview says again.
      hooks.onChange();
      runSoon();
    },
  );
  onBeforeUnmount(() => ctrl?.abort());

  return { preview, busy, error };
}
