// Meeting rooms benchmark for bench/run.sh (loopback, bounded, stops by itself):
//   rooms BASE SERVER_PID ROOMS SECONDS TOKEN...   ROOMS meetings scheduled by the first token's
//     account for its village, each joined by every token's account (one WebSocket each); for
//     SECONDS every participant sends one frame a second, alternately a chat message (relayed to
//     the room) and a signal to one other peer, each stamped with its send time. Reports the
//     relay latency (send → receipt at each recipient) and, as this machine's ceiling for one
//     hop through the server, the round trip of a ping answered by the server itself, plus the
//     server's memory per room (RSS growth while the rooms are open, divided by ROOMS).
// Prints one JSON object on stdout.
import { readFileSync } from 'node:fs';
import { apiCall } from './lib.mjs';
import WebSocket from '../tests/node_modules/ws/wrapper.mjs';

const [cmd, base, pid, roomsArg, secondsArg, ...tokens] = process.argv.slice(2);
if (cmd !== 'rooms' || tokens.length < 2) {
  console.error('usage: meetings.mjs rooms BASE SERVER_PID ROOMS SECONDS TOKEN TOKEN...');
  process.exit(2);
}
const rooms = Number(roomsArg), seconds = Number(secondsArg);
const rssKb = () => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);

const call = (method, path, token, body) => apiCall(base, method, path, token, body);

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const me = await call('GET', '/api/v1/me', tokens[0]);
const village = (me.roles || []).find((g) => g.role === 'village_cadre')?.region_code;
if (!village) throw new Error('the first account must be a village cadre');
const ids = [];
const start = new Date(Date.now() + 60_000).toISOString();
for (let i = 0; i < rooms; i++) {
  const m = await call('POST', '/api/v1/meetings', tokens[0], {
    title: `基准会议 ${i + 1}`, mode: 'online', start_at: start, planned_minutes: 60,
    remind_minutes: 0, audience: { regions: [village] },
  });
  ids.push(m.id);
}

const rssBefore = rssKb();
const url = base.replace('http', 'ws');
const relay = [], ping = [];
const clients = [];
let waiting = 0;
// Open every participant of every room, all rooms in parallel, participants in order.
await Promise.all(ids.map(async (id) => {
  for (const token of tokens) {
    await new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url}/api/v1/meetings/${id}/room`, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
      const c = { ws, room: id, you: null, peers: new Set(), pings: new Map() };
      ws.on('error', reject);
      ws.on('message', (raw) => {
        const now = performance.now();
        const f = JSON.parse(raw);
        if (f.type === 'welcome') {
          c.you = f.you;
          for (const p of f.peers) c.peers.add(p.id);
          resolve();
        } else if (f.type === 'waiting') {
          waiting++;
          resolve();
        } else if (f.type === 'joined') c.peers.add(f.peer.id);
        else if (f.type === 'left') c.peers.delete(f.peer);
        else if (f.type === 'chat') { if (f.from !== c.you) relay.push(now - JSON.parse(f.text).t); }
        else if (f.type === 'signal') relay.push(now - f.data.t);
        else if (f.type === 'pong' && c.pingAt !== undefined) { ping.push(now - c.pingAt); c.pingAt = undefined; }
      });
      clients.push(c);
    });
  }
}));
if (waiting) throw new Error(`${waiting} participants were left in the waiting room`);
await new Promise((r) => setTimeout(r, 500));
const rssRooms = rssKb();

// Traffic: one frame a second per participant, phases spread over the second.
let sent = 0, n = 0;
const timers = clients.map((c, i) => setTimeout(function tick() {
  const t = performance.now();
  if (n++ % 2 === 0 || c.peers.size === 0) {
    c.ws.send(JSON.stringify({ type: 'chat', text: JSON.stringify({ t }) }));
  } else {
    const peers = [...c.peers];
    c.ws.send(JSON.stringify({ type: 'signal', to: peers[Math.floor(Math.random() * peers.length)], data: { t } }));
  }
  sent++;
  // A ping beside each frame: answered by the server itself, the floor of a trip through it.
  if (c.pingAt === undefined) {
    c.pingAt = performance.now();
    c.ws.send('{"type":"ping"}');
  }
  c.timer = setTimeout(tick, 1000);
}, (i * 997) % 1000));
await new Promise((r) => setTimeout(r, seconds * 1000));
for (const t of timers) clearTimeout(t);
for (const c of clients) clearTimeout(c.timer);
await new Promise((r) => setTimeout(r, 300));
for (const c of clients) c.ws.terminate();
// Close the meetings so the database does not keep them live.
for (const id of ids) await call('POST', `/api/v1/meetings/${id}/end`, tokens[0], {}).catch(() => {});

console.log(JSON.stringify({
  rooms, participants: clients.length, seconds, sent, relayed: relay.length,
  relay_p50_ms: pct(relay, 50), relay_p99_ms: pct(relay, 99),
  ping_p50_ms: pct(ping, 50), ping_p99_ms: pct(ping, 99), pings: ping.length,
  kb_per_room: (rssRooms - rssBefore) / rooms,
}));
