// The admin console (/admin/): Element Plus, desktop first.
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
import { i18n } from '../shared/i18n';
import { applyPrefs } from '../shared/prefs';
import './ep-setup';
import '../shared/base.css';
import './admin.css';

applyPrefs();
createApp(App).use(i18n).use(router).mount('#app');
