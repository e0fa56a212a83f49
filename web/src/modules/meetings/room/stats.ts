// Connection quality of one link, from RTCPeerConnection.getStats(): the video frames decoded so far,
// the incoming bitrate since the previous sample and the round-trip time of the pair in use.

export interface LinkStats {
  state: RTCPeerConnectionState;
  framesDecoded: number;
  /** Incoming kbit/s over the last interval (audio and video). */
  kbps: number;
  rttMs: number | null;
}

/** What the next sample needs from this one. */
export interface StatsMark {
  bytes: number;
  at: number;
}

// RTCStatsReport's entries are typed loosely by the DOM library; the fields read here are standard.
interface StatsEntry {
  type: string;
  kind?: string;
  mediaType?: string;
  framesDecoded?: number;
  bytesReceived?: number;
  timestamp: number;
  nominated?: boolean;
  state?: string;
  currentRoundTripTime?: number;
}

export async function sampleLink(pc: RTCPeerConnection, prev: StatsMark | undefined): Promise<{ stats: LinkStats; mark: StatsMark }> {
  const report = await pc.getStats();
  let frames = 0;
  let bytes = 0;
  let at = 0;
  let rtt: number | null = null;
  report.forEach((raw: unknown) => {
    const s = raw as StatsEntry;
    if (s.type === 'inbound-rtp') {
      bytes += s.bytesReceived ?? 0;
      at = Math.max(at, s.timestamp);
      if ((s.kind ?? s.mediaType) === 'video') frames += s.framesDecoded ?? 0;
    } else if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && typeof s.currentRoundTripTime === 'number') {
      rtt = Math.round(s.currentRoundTripTime * 1000);
    }
  });
  // bits per millisecond = kbit/s
  const kbps = prev && at > prev.at ? Math.max(0, Math.round(((bytes - prev.bytes) * 8) / (at - prev.at))) : 0;
  return { stats: { state: pc.connectionState, framesDecoded: frames, kbps, rttMs: rtt }, mark: { bytes, at } };
}
