// The live room for a page (call in setup): the local camera and microphone, the room's WebSocket
// (docs/meetings.md) and one PeerLink per other person — a full mesh for up to eight. The newcomer
// offers to everyone listed in `welcome`; the others answer when the offer arrives. State the page
// shows is reactive; the connections and tracks are not (see media.ts). Everything is released when
// the page goes away.
import { onScopeDispose, reactive, ref, shallowRef } from 'vue';
import { t } from '@/shared/i18n';
import { session } from '@/shared/session';
import { LocalMedia, type MediaProblem } from '@/modules/meetings/room/media';
import { PeerLink } from '@/modules/meetings/room/link';
import { sampleLink, type LinkStats, type StatsMark } from '@/modules/meetings/room/stats';
import { RoomSocket, roomUrl } from '@/modules/meetings/room/signaling';
import type { ChatMessage, MediaState, Peer, ServerFrame, WaitingPerson } from '@/modules/meetings/room/protocol';
import { CHAT_MAX } from '@/modules/meetings/types';

/**
 * media: asking for the camera; connecting: the socket is opening; waiting: in the waiting room;
 * connected: in the room; closed: out of it (closeCode says why).
 */
export type Phase = 'media' | 'connecting' | 'waiting' | 'connected' | 'closed';

export interface ChatLine extends ChatMessage {
  key: number;
  mine: boolean;
  /** Sent, the server's copy not back yet. */
  pending: boolean;
}

const STATS_MS = 2000;
const NOTICE_MS = 6000;
/** A chat line of ours that the server did not echo within this long is shown as sent anyway. */
const ECHO_WAIT_MS = 5000;
const CHAT_KEEP = 500;
/** The close code recorded when this person left by themselves (no socket code is negative). */
export const LEFT = -1;

export function useRoom(meetingId: string) {
  const phase = ref<Phase>('media');
  const closeCode = ref(0);
  /** Whether the socket had opened before it closed (a refused upgrade never opens). */
  const closeOpened = ref(false);
  const mediaProblem = ref<MediaProblem>('');
  const me = reactive({ id: '', host: false });
  const local = reactive<MediaState>({ audio: false, video: false, screen: false, hand: false });
  const peers = ref<Peer[]>([]);
  const chat = ref<ChatLine[]>([]);
  const waiting = ref<WaitingPerson[]>([]);
  /** The other people's streams by peer id (replaced as a whole when one changes). */
  const streams = shallowRef<Record<string, MediaStream>>({});
  const preview = shallowRef<MediaStream | null>(null);
  const net = ref<Record<string, LinkStats>>({});
  /** A passing message (muted by the host, a refused command). */
  const notice = ref('');

  const media = new LocalMedia();
  const links = new Map<string, PeerLink>();
  const marks = new Map<string, StatsMark>();
  let socket: RoomSocket | null = null;
  let iceServers: RTCIceServer[] = [];
  let chatKey = 0;
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  let statsTimer: ReturnType<typeof setInterval> | undefined;
  let disposed = false;

  function say(text: string): void {
    notice.value = text;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => {
      notice.value = '';
    }, NOTICE_MS);
  }

  function refreshStreams(): void {
    const next: Record<string, MediaStream> = {};
    for (const [id, l] of links) next[id] = l.stream;
    streams.value = next;
  }

  // ---- links
  function linkTo(peerId: string, initiator: boolean): PeerLink {
    let l = links.get(peerId);
    if (l) return l;
    l = new PeerLink(
      peerId,
      me.id > peerId,
      { iceServers },
      media,
      {
        signal: (data) => socket?.send({ type: 'signal', to: peerId, data }),
        changed: refreshStreams,
      },
      initiator,
    );
    links.set(peerId, l);
    return l;
  }

  function dropLink(peerId: string): void {
    links.get(peerId)?.close();
    links.delete(peerId);
    marks.delete(peerId);
    const rest = { ...net.value };
    delete rest[peerId];
    net.value = rest;
    refreshStreams();
  }

  function dropLinks(): void {
    for (const id of [...links.keys()]) dropLink(id);
  }

  async function sampleStats(): Promise<void> {
    const next: Record<string, LinkStats> = {};
    await Promise.all(
      [...links].map(async ([id, l]) => {
        try {
          const { stats, mark } = await sampleLink(l.pc, marks.get(id));
          marks.set(id, mark);
          next[id] = stats;
        } catch {
          /* a link closing meanwhile */
        }
      }),
    );
    if (links.size || Object.keys(net.value).length) net.value = next;
  }

  // ---- the roster
  function upsert(p: Peer): void {
    const i = peers.value.findIndex((x) => x.id === p.id);
    if (i >= 0) peers.value[i] = p;
    else peers.value.push(p);
  }

  function addChat(m: ChatMessage): void {
    const mine = m.from === me.id;
    if (mine) {
      const i = chat.value.findIndex((x) => x.pending && x.text === m.text);
      if (i >= 0) {
        chat.value[i] = { ...chat.value[i], ...m, pending: false };
        return;
      }
    }
    chat.value.push({ ...m, key: ++chatKey, mine, pending: false });
    if (chat.value.length > CHAT_KEEP) chat.value.splice(0, chat.value.length - CHAT_KEEP);
  }

  function sendState(): void {
    socket?.send({ type: 'state', audio: local.audio, video: local.video, screen: local.screen, hand: local.hand });
  }

  // ---- frames
  function onFrame(f: ServerFrame): void {
    switch (f.type) {
      case 'waiting':
        phase.value = 'waiting';
        break;
      case 'welcome':
        me.id = f.you;
        me.host = !!f.host;
        iceServers = Array.isArray(f.ice_servers) ? f.ice_servers : [];
        dropLinks();
        peers.value = (f.peers ?? []).filter((p) => p.id !== f.you);
        chat.value = [];
        for (const m of f.chat ?? []) addChat(m);
        phase.value = 'connected';
        // The newcomer offers to everyone already here.
        for (const p of peers.value) linkTo(p.id, true);
        sendState();
        break;
      case 'joined':
        if (f.peer.id !== me.id) upsert(f.peer);
        break;
      case 'left':
        peers.value = peers.value.filter((p) => p.id !== f.peer);
        dropLink(f.peer);
        break;
      case 'signal':
        if (phase.value === 'connected' && f.from && f.data) linkTo(f.from, false).receive(f.data);
        break;
      case 'chat':
        addChat({ from: f.from, name: f.name, text: f.text, at: f.at });
        break;
      case 'state':
        if (f.peer.id === me.id) me.host = f.peer.host;
        else upsert(f.peer);
        break;
      case 'mute':
        if (local.audio) {
          setAudio(false);
          say(t('meetings.room.mutedByHost'));
        }
        break;
      case 'waiting_list':
        waiting.value = f.waiting ?? [];
        break;
      case 'error':
        say(f.message || f.code);
        break;
      default:
        break; // pong
    }
  }

  function onClosed(code: number, opened: boolean): void {
    socket = null;
    finish(code, opened);
  }

  function finish(code: number, opened: boolean): void {
    clearInterval(statsTimer);
    statsTimer = undefined;
    dropLinks();
    media.stop();
    preview.value = null;
    local.audio = local.video = local.screen = local.hand = false;
    peers.value = [];
    waiting.value = [];
    closeCode.value = code;
    closeOpened.value = opened;
    phase.value = 'closed';
  }

  // ---- joining and leaving
  async function join(): Promise<void> {
    phase.value = 'media';
    closeCode.value = 0;
    mediaProblem.value = await media.start();
    if (disposed || phase.value !== 'media') {
      // Left (or the page closed) while the browser was asking.
      media.stop();
      return;
    }
    local.audio = !!media.mic;
    local.video = !!media.camera;
    local.screen = false;
    local.hand = false;
    preview.value = media.preview();
    phase.value = 'connecting';
    socket = new RoomSocket(roomUrl(meetingId), { frame: onFrame, closed: onClosed });
    clearInterval(statsTimer);
    statsTimer = setInterval(() => void sampleStats(), STATS_MS);
  }

  function leave(): void {
    socket?.close();
    socket = null;
    finish(LEFT, true);
  }

  // ---- my microphone, camera, screen and hand
  function setAudio(on: boolean): void {
    if (!media.mic) return;
    media.mic.enabled = on;
    local.audio = on;
    sendState();
  }

  function toggleAudio(): void {
    if (!media.mic) say(t('meetings.room.noMic'));
    else setAudio(!local.audio);
  }

  function toggleVideo(): void {
    if (!media.camera) {
      say(t('meetings.room.noCamera'));
      return;
    }
    local.video = !local.video;
    media.camera.enabled = local.video;
    sendState();
  }

  function useVideo(): void {
    const track = media.videoTrack();
    for (const l of links.values()) l.setVideo(track);
    preview.value = media.preview();
    sendState();
  }

  async function toggleScreen(): Promise<void> {
    if (local.screen) {
      stopScreen();
      return;
    }
    const track = await media.shareScreen(stopScreen);
    if (!track) {
      say(t('meetings.room.screenFailed'));
      return;
    }
    if (phase.value !== 'connected') {
      media.stopScreen();
      return;
    }
    local.screen = true;
    useVideo();
  }

  function stopScreen(): void {
    if (!local.screen) return;
    media.stopScreen();
    local.screen = false;
    useVideo();
  }

  function toggleHand(): void {
    local.hand = !local.hand;
    sendState();
  }

  // ---- chat
  function sendChat(raw: string): boolean {
    const text = raw.trim();
    if (!text || [...text].length > CHAT_MAX || !socket) return false;
    const line: ChatLine = {
      key: ++chatKey,
      from: me.id,
      name: session.me?.name ?? '',
      text,
      at: new Date().toISOString(),
      mine: true,
      pending: true,
    };
    chat.value.push(line);
    socket.send({ type: 'chat', text });
    setTimeout(() => {
      const l = chat.value.find((x) => x.key === line.key);
      if (l) l.pending = false;
    }, ECHO_WAIT_MS);
    return true;
  }

  // ---- host
  function command(type: 'admit' | 'deny' | 'mute' | 'remove', peer: string): void {
    socket?.send({ type, peer });
  }

  onScopeDispose(() => {
    disposed = true;
    clearTimeout(noticeTimer);
    socket?.close();
    socket = null;
    clearInterval(statsTimer);
    dropLinks();
    media.stop();
  });

  return {
    phase,
    closeCode,
    closeOpened,
    mediaProblem,
    me,
    local,
    peers,
    chat,
    waiting,
    streams,
    preview,
    net,
    notice,
    join,
    leave,
    toggleAudio,
    toggleVideo,
    toggleScreen,
    toggleHand,
    sendChat,
    command,
  };
}
