// The room's WebSocket protocol (GET /api/v1/meetings/{id}/room, docs/meetings.md): JSON text
// frames, at most 64 KiB each, at most 50 in any second and 20 per second on average.

/** Someone in the room as the server describes them. */
export interface Peer {
  id: string;
  member_id: string;
  name: string;
  host: boolean;
  audio: boolean;
  video: boolean;
  screen: boolean;
  hand: boolean;
}

export interface ChatMessage {
  from: string;
  name: string;
  text: string;
  at: string;
}

export interface WaitingPerson {
  id: string;
  name: string;
}

/**
 * What one peer relays to another through `signal` (the server passes it on as it is): a session
 * description, or ICE candidates gathered within a few milliseconds sent together.
 */
export interface SignalData {
  description?: RTCSessionDescriptionInit;
  candidates?: RTCIceCandidateInit[];
  candidate?: RTCIceCandidateInit;
}

export type ServerFrame =
  | { type: 'waiting' }
  | { type: 'welcome'; you: string; host: boolean; peers: Peer[]; ice_servers: RTCIceServer[]; chat: ChatMessage[] }
  | { type: 'joined'; peer: Peer }
  | { type: 'left'; peer: string }
  | { type: 'signal'; from: string; data: SignalData }
  | ({ type: 'chat' } & ChatMessage)
  | { type: 'state'; peer: Peer }
  | { type: 'mute' }
  | { type: 'waiting_list'; waiting: WaitingPerson[] }
  | { type: 'error'; code: string; message: string }
  | { type: 'pong' };

/** The state a client announces (camera, microphone, screen, hand). */
export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
  hand: boolean;
}

export type ClientFrame =
  | { type: 'signal'; to: string; data: SignalData }
  | { type: 'chat'; text: string }
  | ({ type: 'state' } & MediaState)
  | { type: 'admit' | 'deny' | 'mute' | 'remove'; peer: string }
  | { type: 'ping' };

/** Close codes the server uses (and 1009 for a frame over 64 KiB). */
export const CLOSE = {
  ENDED: 4000,
  REMOVED: 4001,
  DENIED: 4003,
  ELSEWHERE: 4009,
  BAD_FRAME: 4400,
  TOO_FAST: 4429,
  TOO_BIG: 1009,
} as const;

/** Codes after which joining again would only be refused. */
export const FINAL_CLOSES: number[] = [CLOSE.ENDED, CLOSE.REMOVED, CLOSE.DENIED];
