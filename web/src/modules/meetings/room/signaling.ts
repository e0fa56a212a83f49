// The room's WebSocket (same origin, signed in by the session cookie). Outgoing frames go through a
// token bucket well inside the server's limits (20 per second on average, 50 in any second; over
// that it closes with 4429), so a burst — offers to seven peers with their ICE candidates, a flurry
// of chat — waits its turn instead of getting the client thrown out. A ping keeps idle proxies from
// dropping the connection.
import type { ClientFrame, ServerFrame } from '@/modules/meetings/room/protocol';

/** Tokens per second and the most that can pile up: any one second carries at most 15 + 20. */
const RATE = 15;
const BURST = 20;
const PING_MS = 25_000;

export interface RoomSocketHandlers {
  frame(f: ServerFrame): void;
  /** `opened`: whether the upgrade succeeded at all (a refused one closes without opening). */
  closed(code: number, opened: boolean): void;
}

export function roomUrl(meetingId: string): string {
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${proto}://${location.host}/api/v1/meetings/${encodeURIComponent(meetingId)}/room`;
}

export class RoomSocket {
  private readonly ws: WebSocket;
  private readonly queue: string[] = [];
  private tokens = BURST;
  private refilledAt = performance.now();
  private pumpTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private opened = false;
  private done = false;

  constructor(
    url: string,
    private readonly on: RoomSocketHandlers,
  ) {
    this.ws = new WebSocket(url);
    this.ws.onopen = () => {
      this.opened = true;
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), PING_MS);
      this.pump();
    };
    this.ws.onmessage = (e: MessageEvent) => {
      if (typeof e.data !== 'string') return;
      let f: ServerFrame;
      try {
        f = JSON.parse(e.data) as ServerFrame;
      } catch {
        return;
      }
      if (f && typeof f === 'object' && typeof f.type === 'string') this.on.frame(f);
    };
    this.ws.onclose = (e: CloseEvent) => this.finish(e.code);
    this.ws.onerror = () => {
      // onclose follows with the code.
    };
  }

  send(frame: ClientFrame): void {
    if (this.done) return;
    this.queue.push(JSON.stringify(frame));
    this.pump();
  }

  /** Leaves (normal closure); no `closed` callback follows. */
  close(): void {
    if (this.done) return;
    this.done = true;
    this.stopTimers();
    this.ws.onclose = null;
    this.ws.onmessage = null;
    this.ws.close(1000);
  }

  private finish(code: number): void {
    if (this.done) return;
    this.done = true;
    this.stopTimers();
    this.on.closed(code, this.opened);
  }

  private stopTimers(): void {
    clearTimeout(this.pumpTimer);
    clearInterval(this.pingTimer);
    this.pumpTimer = undefined;
    this.pingTimer = undefined;
    this.queue.length = 0;
  }

  private pump(): void {
    if (this.done || this.ws.readyState !== WebSocket.OPEN || this.pumpTimer !== undefined) return;
    const now = performance.now();
    this.tokens = Math.min(BURST, this.tokens + ((now - this.refilledAt) / 1000) * RATE);
    this.refilledAt = now;
    while (this.queue.length && this.tokens >= 1) {
      this.ws.send(this.queue.shift()!);
      this.tokens -= 1;
    }
    if (this.queue.length) {
      const wait = Math.ceil(((1 - this.tokens) / RATE) * 1000);
      this.pumpTimer = setTimeout(() => {
        this.pumpTimer = undefined;
        this.pump();
      }, wait);
    }
  }
}
