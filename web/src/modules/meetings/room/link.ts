// One RTCPeerConnection to one other person in the room, negotiated with the "perfect negotiation"
// pattern (W3C WebRTC 1.0, §10.7): both sides run the same code, one of each pair is polite, and an
// offer that collides with our own is either dropped (impolite) or wins by rolling ours back
// (polite), so glare cannot wedge the connection. Every link carries one audio and one video
// transceiver, sending both ways from the start, so camera, microphone and screen changes are
// replaceTrack calls that never renegotiate. Incoming signals are handled one at a time.
import type { SignalData } from '@/modules/meetings/room/protocol';

/** ICE candidates gathered within this long go out in one frame (the server counts frames). */
const CANDIDATE_BATCH_MS = 60;

export interface LinkHooks {
  /** Relay to the other side (a `signal` frame). */
  signal(data: SignalData): void;
  /** The remote stream or the connection state changed. */
  changed(): void;
}

export interface LocalTracks {
  mic: MediaStreamTrack | null;
  videoTrack(): MediaStreamTrack | null;
}

function asDescription(data: SignalData): RTCSessionDescriptionInit | null {
  if (data.description) return data.description;
  // A bare description, as some clients relay it.
  const bare = data as RTCSessionDescriptionInit;
  return (bare.type === 'offer' || bare.type === 'answer') && typeof bare.sdp === 'string' ? bare : null;
}

export class PeerLink {
  readonly pc: RTCPeerConnection;
  /** The other side's tracks; a new object when one arrives, so a tile notices the change. */
  stream: MediaStream = new MediaStream();
  private makingOffer = false;
  private ignoreOffer = false;
  private answerPending = false;
  private inbox: Promise<void> = Promise.resolve();
  private outCandidates: RTCIceCandidateInit[] = [];
  private batchTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  /**
   * `initiator`: we are the newcomer and offer (adding our transceivers starts the negotiation);
   * otherwise the link answers the other side's offer.
   */
  constructor(
    readonly peerId: string,
    private readonly polite: boolean,
    config: RTCConfiguration,
    private readonly local: LocalTracks,
    private readonly hooks: LinkHooks,
    initiator: boolean,
  ) {
    const pc = new RTCPeerConnection(config);
    this.pc = pc;
    pc.onnegotiationneeded = () => void this.offer();
    pc.onicecandidate = (e) => this.queueCandidate(e.candidate);
    pc.ontrack = (e) => {
      const others = this.stream.getTracks().filter((t) => t.kind !== e.track.kind);
      this.stream = new MediaStream([...others, e.track]);
      this.hooks.changed();
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed') pc.restartIce();
      this.hooks.changed();
    };
    if (initiator) {
      pc.addTransceiver(local.mic ?? 'audio', { direction: 'sendrecv' });
      pc.addTransceiver(local.videoTrack() ?? 'video', { direction: 'sendrecv' });
    }
  }

  /** A `signal` from the other side. */
  receive(data: SignalData): void {
    this.inbox = this.inbox.then(() => this.handle(data)).catch((e) => console.warn('room: signal from', this.peerId, 'failed', e));
  }

  /** Sends `track` (or nothing) as our video: the camera, or the screen while sharing. */
  setVideo(track: MediaStreamTrack | null): void {
    const tr = this.transceiver('video');
    if (tr) void tr.sender.replaceTrack(track).catch((e) => console.warn('room: replaceTrack failed', e));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.batchTimer);
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  private async offer(): Promise<void> {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      if (!this.closed && this.pc.localDescription) this.hooks.signal({ description: this.pc.localDescription.toJSON() });
    } catch (e) {
      console.warn('room: offer to', this.peerId, 'failed', e);
    } finally {
      this.makingOffer = false;
    }
  }

  private async handle(data: SignalData): Promise<void> {
    if (this.closed) return;
    const description = asDescription(data);
    if (description) {
      const readyForOffer = !this.makingOffer && (this.pc.signalingState === 'stable' || this.answerPending);
      const collision = description.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      this.answerPending = description.type === 'answer';
      await this.pc.setRemoteDescription(description);
      this.answerPending = false;
      if (description.type === 'offer') {
        this.attachLocal();
        await this.pc.setLocalDescription();
        if (this.pc.localDescription) this.hooks.signal({ description: this.pc.localDescription.toJSON() });
      }
      return;
    }
    const candidates = data.candidates ?? (data.candidate ? [data.candidate] : []);
    for (const c of candidates) {
      try {
        await this.pc.addIceCandidate(c);
      } catch (e) {
        // Candidates of an offer we ignored fail as expected.
        if (!this.ignoreOffer) console.warn('room: candidate from', this.peerId, 'failed', e);
      }
    }
  }

  /** Answering: the transceivers the offer created send our tracks back (no renegotiation later). */
  private attachLocal(): void {
    for (const tr of this.pc.getTransceivers()) {
      if (tr.direction === 'stopped') continue;
      if (tr.direction === 'recvonly') tr.direction = 'sendrecv';
      if (tr.sender.track) continue;
      const track = tr.receiver.track.kind === 'audio' ? this.local.mic : this.local.videoTrack();
      if (track) void tr.sender.replaceTrack(track).catch((e) => console.warn('room: replaceTrack failed', e));
    }
  }

  private transceiver(kind: 'audio' | 'video'): RTCRtpTransceiver | undefined {
    return this.pc.getTransceivers().find((tr) => tr.direction !== 'stopped' && tr.receiver.track.kind === kind);
  }

  private queueCandidate(c: RTCIceCandidate | null): void {
    if (c) this.outCandidates.push(c.toJSON());
    // null: gathering is complete, send what is left now.
    if (!c) this.flushCandidates();
    else if (this.batchTimer === undefined) this.batchTimer = setTimeout(() => this.flushCandidates(), CANDIDATE_BATCH_MS);
  }

  private flushCandidates(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.closed || !this.outCandidates.length) return;
    this.hooks.signal({ candidates: this.outCandidates.splice(0) });
  }
}
