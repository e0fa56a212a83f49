// The sign-in step both apps share: the busy flag, a wrong-credentials flag (401) apart from
// other errors, and the redirect back to the page that asked. Each app keeps its own form.
import { ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { ApiError } from '@/shared/api';
import { login } from '@/shared/session';
import { afterSignIn } from '@/shared/router-guard';

export function useSignIn(onSignedIn: () => void = () => {}) {
  const router = useRouter();
  const route = useRoute();
  const busy = ref(false);
  const error = ref<unknown>(null);
  const badCredentials = ref(false);

  async function signIn(phone: string, password: string): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    error.value = null;
    badCredentials.value = false;
    try {
      await login(phone.trim(), password);
      onSignedIn();
      await router.replace(afterSignIn(route.query.redirect));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) badCredentials.value = true;
      else error.value = e;
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, badCredentials, signIn };
}
