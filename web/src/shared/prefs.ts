// Per-device preferences (elderly mode, language), kept in localStorage and applied to <html>:
// `sx-elderly` class for elderly mode (长辈模式), `lang` for the language.
import { reactive } from 'vue';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: Locale[] = ['zh-CN', 'en'];

const ELDERLY_KEY = 'sx.elderly';
const LOCALE_KEY = 'sx.locale';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (some in-app browsers, private mode)
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* not persisted, still applied for this page */
  }
}

function initialLocale(): Locale {
  const v = read(LOCALE_KEY);
  return LOCALES.includes(v as Locale) ? (v as Locale) : 'zh-CN';
}

export const prefs = reactive({
  elderly: read(ELDERLY_KEY) === '1',
  locale: initialLocale(),
});

export function applyPrefs(): void {
  const html = document.documentElement;
  html.classList.toggle('sx-elderly', prefs.elderly);
  html.lang = prefs.locale;
}

export function setElderly(on: boolean): void {
  prefs.elderly = on;
  write(ELDERLY_KEY, on ? '1' : '0');
  applyPrefs();
}

export function setLocalePref(locale: Locale): void {
  prefs.locale = locale;
  write(LOCALE_KEY, locale);
  applyPrefs();
}
