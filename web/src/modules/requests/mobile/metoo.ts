// The requests this device's account said 同问 to. The board's list (the summary) does not say
// whether the caller already did, only one request's detail does (`metoo`), so the board keeps
// the ids it sent (localStorage, per account, the latest 300).
const PREFIX = 'sx.requests.metoo.';
const MAX = 300;
const memory = new Map<string, string[]>();

export function metooIds(account: string): Set<string> {
  if (!account) return new Set();
  try {
    const raw = localStorage.getItem(PREFIX + account);
    const list = raw ? (JSON.parse(raw) as unknown) : [];
    return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set(memory.get(account) ?? []);
  }
}

export function rememberMetoo(account: string, id: string): void {
  if (!account || !id) return;
  const list = [...metooIds(account)].filter((x) => x !== id);
  list.push(id);
  const kept = list.slice(-MAX);
  memory.set(account, kept);
  try {
    localStorage.setItem(PREFIX + account, JSON.stringify(kept));
  } catch {
    /* memory only */
  }
}
