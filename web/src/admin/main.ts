// The admin console (/admin/): Element Plus, desktop first.
import { createApp } from 'vue';
import App from '@/admin/App.vue';
import { router } from '@/admin/router';
import { i18n } from '@/shared/i18n';
import { applyPrefs } from '@/shared/prefs';
import '@/admin/ep-setup';
import '@/shared/base.css';
import '@/admin/admin.css';

applyPrefs();
createApp(App).use(i18n).use(router).mount('#app');
