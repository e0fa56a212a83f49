// The resident app (/m/): Vant, mobile first, WeChat's browser included.
import { createApp } from 'vue';
import App from '@/mobile/App.vue';
import { router } from '@/mobile/router';
import { i18n } from '@/shared/i18n';
import { applyPrefs } from '@/shared/prefs';
import '@/mobile/vant-setup';
import '@/shared/base.css';
import '@/mobile/mobile.css';

applyPrefs();
createApp(App).use(i18n).use(router).mount('#app');
