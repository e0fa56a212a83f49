// Strings kept on this device (localStorage) for what the resident app keeps while someone types
// (the requests' draft, a form's answers), with a fallback in memory for this page when the
// browser refuses storage (some in-app browsers, private mode).
const memory = new Map<string, string>();

export function readLocal(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

/** Keeps `value` under `key`; null removes it. */
export function writeLocal(key: string, value: string | null): void {
  if (value === null) memory.delete(key);
  else memory.set(key, value);
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* kept in memory only */
  }
}
