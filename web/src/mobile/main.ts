// The resident app (/m/): Vant, mobile first, WeChat's browser included.
import { createApp } from 'vue';
import App from '@/mobile/App.vue';
import { router } from '@/mobile/router';
import { i18n } from '@/shared/i18n';
import { applyPrefs } from '@/shared/prefs';
import { bindLiveToSession } from '@/shared/live';
import '@/mobile/vant-setup';
import '@/shared/base.css';
import '@/mobile/mobile.css';

applyPrefs();
bindLiveToSession(); // live events while signed in
createApp(App).use(i18n).use(router).mount('#app');
