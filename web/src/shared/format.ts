// Display helpers: times in Asia/Shanghai whatever the device's zone.
import { prefs } from '@/shared/prefs';

const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const key = prefs.locale;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(key === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    formatters.set(key, f);
  }
  return f.format(d);
}
