// Live events (GET /api/v1/ws), one connection per tab shared by whatever page is open, in both
// apps. The server numbers its events; the client keeps the last number it saw (sessionStorage,
// so a reload resumes) and reconnects with ?since=<seq>, so a dropped connection misses nothing.
// When the client is too far behind the server answers {type:'reset'}: the 'reset' subscribers
// reload their state. Runs only while signed in (bindLiveToSession).
import { getCurrentScope, onScopeDispose, ref, watch } from 'vue';
import { session } from '@/shared/session';

/** The events the server sends (its `event` field); 'reset' is the client-side "reload" signal. */
export type LiveEventName =
  | 'notice.published'
  | 'notice.updated'
  | 'notice.withdrawn'
  | 'notice.remind'
  | 'notice.progress'
  | RequestEventName
  | MeetingEventName
  | DocEventName
  | StatsEventName;
export type LiveTopic = LiveEventName | 'reset';

/**
 * The requests module's events: assigned (to the handling office), updated (to the reporter; to
 * the office after a rating), escalated (to the supervisors), followup (the reporter's 回访).
 */
export type RequestEventName = 'request.assigned' | 'request.updated' | 'request.escalated' | 'request.followup';

/** The `data` of a request event. */
export interface RequestEventData {
  id: string;
  number: string;
  status: string;
  category: string;
  title: string;
}

export interface RequestLiveEvent {
  seq: number;
  event: RequestEventName;
  data: RequestEventData;
}

/**
 * The meetings module's events: invited, updated and cancelled (to the invitees), reminder (to the
 * invitees who did not decline, before the start), action_overdue (to an action item's owner).
 */
export type MeetingEventName =
  | 'meeting.invited'
  | 'meeting.updated'
  | 'meeting.cancelled'
  | 'meeting.reminder'
  | 'meeting.action_overdue';

/** The `data` of a meeting event. */
export interface MeetingEventData {
  id: string;
  title: string;
  start_at: string;
}

export interface MeetingLiveEvent {
  seq: number;
  event: MeetingEventName;
  data: MeetingEventData;
}

/**
 * The documents module's events: form.response (to a form's owner and editors, when a response
 * arrives), doc.mentioned (to an account mentioned in a comment that may read the document).
 */
export type DocEventName = 'form.response' | 'doc.mentioned';

/** The `data` of a documents event (form.response: doc_id and the count; doc.mentioned: more). */
export interface DocEventData {
  doc_id: string;
  responses?: number;
  title?: string;
  by?: string;
  comment_id?: string;
}

export interface DocLiveEvent {
  seq: number;
  event: DocEventName;
  data: DocEventData;
}

/**
 * The county dashboard's (驾驶舱) event: the figures changed (to staff with stats.view, at most
 * every 2 s); data `{region: <county code>, at: <ISO time>}`. The dashboard pages re-fetch.
 */
export type StatsEventName = 'stats.changed';

/** The `data` of a notice event. */
export interface NoticeEventData {
  id: string;
  title: string;
  urgency: 'normal' | 'urgent';
  category: string;
  publisher_label: string;
}

export interface LiveEvent {
  seq: number;
  event: LiveEventName;
  data: NoticeEventData;
}

export type LiveHandler = (ev: LiveEvent) => void;
type AnyHandler = (ev?: LiveEvent) => void;

type ServerFrame =
  | { type: 'hello'; seq: number }
  | { type: 'event'; seq: number; event: LiveEventName; data: NoticeEventData }
  | { type: 'reset' }
  | { type: 'pong' };

const SEQ_KEY = 'sx.live.seq';
const PING_MS = 25_000;
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/** True while the socket is open and the server said hello. */
export const liveConnected = ref(false);

const handlers = new Map<LiveTopic, Set<AnyHandler>>();

let socket: WebSocket | null = null;
let running = false;
let backoff = BACKOFF_MIN_MS;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
let pingTimer: ReturnType<typeof setInterval> | undefined;
/** The server's head when this connection said hello (adopted after a reset). */
let helloSeq = 0;

// Fallback when sessionStorage is unavailable (some in-app browsers).
let memorySeq: number | null = null;

function readSeq(): number | null {
  try {
    const v = sessionStorage.getItem(SEQ_KEY);
    const n = v === null ? NaN : Number(v);
    return Number.isSafeInteger(n) && n >= 0 ? n : null;
  } catch {
    return memorySeq;
  }
}

function writeSeq(n: number | null): void {
  memorySeq = n;
  try {
    if (n === null) sessionStorage.removeItem(SEQ_KEY);
    else sessionStorage.setItem(SEQ_KEY, String(n));
  } catch {
    /* kept in memory only */
  }
}

function advance(seq: number): void {
  const last = readSeq();
  if (last === null || seq > last) writeSeq(seq);
}

/**
 * Calls `fn` for every event named `topic`, or, for 'reset', after the server said this client fell
 * too far behind (reload the state shown). Returns the unsubscribe function. Inside a component's
 * setup (or any effect scope) it also unsubscribes by itself when the scope ends.
 */
export function onLive(topic: 'reset', fn: () => void): () => void;
export function onLive(topic: RequestEventName, fn: (ev: RequestLiveEvent) => void): () => void;
export function onLive(topic: MeetingEventName, fn: (ev: MeetingLiveEvent) => void): () => void;
export function onLive(topic: DocEventName, fn: (ev: DocLiveEvent) => void): () => void;
export function onLive(topic: LiveEventName, fn: LiveHandler): () => void;
export function onLive(
  topic: LiveTopic,
  handler:
    | LiveHandler
    | ((ev: RequestLiveEvent) => void)
    | ((ev: MeetingLiveEvent) => void)
    | ((ev: DocLiveEvent) => void)
    | (() => void),
): () => void {
  // 'reset' handlers take no argument and are called without one.
  const fn = handler as AnyHandler;
  let set = handlers.get(topic);
  if (!set) {
    set = new Set();
    handlers.set(topic, set);
  }
  set.add(fn);
  const off = () => {
    handlers.get(topic)?.delete(fn);
  };
  if (getCurrentScope()) onScopeDispose(off);
  return off;
}

function dispatch(topic: LiveTopic, ev?: LiveEvent): void {
  for (const fn of [...(handlers.get(topic) ?? [])]) {
    try {
      fn(ev);
    } catch (e) {
      // One page's handler must not stop the others.
      console.error('live handler failed', e);
    }
  }
}

function url(): string {
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const since = readSeq();
  return `${proto}://${location.host}/api/v1/ws${since === null ? '' : `?since=${since}`}`;
}

function onFrame(raw: unknown): void {
  if (typeof raw !== 'string') return;
  let msg: ServerFrame;
  try {
    msg = JSON.parse(raw) as ServerFrame;
  } catch {
    return;
  }
  switch (msg.type) {
    case 'hello':
      helloSeq = typeof msg.seq === 'number' ? msg.seq : 0;
      // First connection in this tab: start from the head (what came before is loaded by the
      // pages themselves). Otherwise keep the old number: the replay that follows advances it.
      if (readSeq() === null) writeSeq(helloSeq);
      liveConnected.value = true;
      backoff = BACKOFF_MIN_MS;
      break;
    case 'event': {
      if (typeof msg.seq !== 'number' || !msg.event) return;
      const last = readSeq();
      if (last !== null && msg.seq <= last) return; // already seen (a replay overlapping)
      writeSeq(msg.seq);
      dispatch(msg.event, { seq: msg.seq, event: msg.event, data: msg.data });
      break;
    }
    case 'reset':
      // The pages reload their state; what happened up to the server's head is in it.
      advance(helloSeq);
      dispatch('reset');
      break;
    default:
      break; // pong
  }
}

function clearTimers(): void {
  clearTimeout(reconnectTimer);
  clearInterval(pingTimer);
  reconnectTimer = undefined;
  pingTimer = undefined;
}

function scheduleReconnect(): void {
  if (!running || reconnectTimer !== undefined) return;
  // Full jitter over the upper half, so a restarted server is not hit by every tab at once.
  const delay = Math.round(backoff / 2 + (Math.random() * backoff) / 2);
  backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
  reconnectTimer = setTimeout(() => {
    reconnectTimer = undefined;
    connect();
  }, delay);
}

function connect(): void {
  if (!running || socket) return;
  let ws: WebSocket;
  try {
    ws = new WebSocket(url());
  } catch {
    scheduleReconnect();
    return;
  }
  socket = ws;
  ws.onopen = () => {
    clearInterval(pingTimer);
    pingTimer = setInterval(() => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'ping' }));
    }, PING_MS);
  };
  ws.onmessage = (e: MessageEvent) => onFrame(e.data);
  ws.onclose = () => {
    if (socket === ws) socket = null;
    clearInterval(pingTimer);
    pingTimer = undefined;
    liveConnected.value = false;
    scheduleReconnect();
  };
  ws.onerror = () => {
    // onclose follows and schedules the reconnect.
  };
}

/** Back online, or the tab shown again: reconnect now rather than after the backoff. */
function nudge(): void {
  if (!running || socket) return;
  if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
  clearTimeout(reconnectTimer);
  reconnectTimer = undefined;
  backoff = BACKOFF_MIN_MS;
  connect();
}

export function startLive(): void {
  if (running) return;
  running = true;
  backoff = BACKOFF_MIN_MS;
  window.addEventListener('online', nudge);
  document.addEventListener('visibilitychange', nudge);
  connect();
}

/** Closes the connection. `forget` drops the last seq too (signing out). */
export function stopLive(forget = false): void {
  running = false;
  clearTimers();
  window.removeEventListener('online', nudge);
  document.removeEventListener('visibilitychange', nudge);
  const ws = socket;
  socket = null;
  if (ws) {
    ws.onclose = null;
    ws.onmessage = null;
    ws.close(1000);
  }
  liveConnected.value = false;
  if (forget) writeSeq(null);
}

let bound = false;

/** Keeps the connection open exactly while someone is signed in (call once per app). */
export function bindLiveToSession(): void {
  if (bound) return;
  bound = true;
  watch(
    () => session.me?.id ?? null,
    (id, old) => {
      if (old && id !== old) stopLive(true); // signed out, or another account in this tab
      if (id) startLive();
    },
    { immediate: true },
  );
}
