// The admin console (/admin/): Element Plus, desktop first.
import { createApp } from 'vue';
import App from '@/admin/App.vue';
import { router } from '@/admin/router';
import { i18n } from '@/shared/i18n';
import { applyPrefs } from '@/shared/prefs';
import { bindLiveToSession } from '@/shared/live';
import '@/admin/ep-setup';
import '@/shared/base.css';
import '@/admin/admin.css';

applyPrefs();
bindLiveToSession(); // live events while signed in
createApp(App).use(i18n).use(router).mount('#app');
