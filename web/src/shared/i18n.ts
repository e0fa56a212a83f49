// vue-i18n set up once for both apps (Composition API mode). zh-CN is the default and fallback.
import { createI18n } from 'vue-i18n';
import zhCN, { type MessageSchema } from '@/locales/zh-CN';
import en from '@/locales/en';
import { prefs, setLocalePref, type Locale } from '@/shared/prefs';

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: prefs.locale,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

const listeners: ((l: Locale) => void)[] = [];

/** Runs `fn` now and after every language change (UI libraries' own strings, the page title). */
export function onLocale(fn: (l: Locale) => void): void {
  listeners.push(fn);
  fn(prefs.locale);
}

export function setLocale(l: Locale): void {
  setLocalePref(l);
  i18n.global.locale.value = l;
  for (const fn of listeners) fn(l);
}

export const t = i18n.global.t;
