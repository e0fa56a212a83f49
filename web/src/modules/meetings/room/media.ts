// This device's camera, microphone and shared screen. The camera is asked for at a modest size (a
// full mesh sends one copy to every other person). When the browser refuses both, the microphone
// alone is tried; when that fails too, the person joins to watch, listen and chat, and is told why.
// The tracks stay outside Vue's reactivity (a proxied MediaStream cannot be played).

export type MediaProblem = '' | 'insecure' | 'unsupported' | 'denied' | 'notFound' | 'busy' | 'failed' | 'audioOnly';

const AUDIO: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
const VIDEO: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 15, max: 24 },
  facingMode: 'user',
};

function problemOf(e: unknown): MediaProblem {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'notFound';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'failed';
}

export function canShareScreen(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
}

export class LocalMedia {
  mic: MediaStreamTrack | null = null;
  camera: MediaStreamTrack | null = null;
  screen: MediaStreamTrack | null = null;

  /** Asks for the camera and microphone; '' when both came, else what went wrong. */
  async start(): Promise<MediaProblem> {
    this.stop();
    const devices = navigator.mediaDevices;
    if (!devices?.getUserMedia) return window.isSecureContext ? 'unsupported' : 'insecure';
    try {
      this.take(await devices.getUserMedia({ audio: AUDIO, video: VIDEO }));
      return '';
    } catch (first) {
      try {
        this.take(await devices.getUserMedia({ audio: AUDIO }));
        return 'audioOnly';
      } catch {
        return problemOf(first);
      }
    }
  }

  /** What the others see: the shared screen, else the camera (null: nothing). */
  videoTrack(): MediaStreamTrack | null {
    return this.screen ?? this.camera;
  }

  /** A stream for this device's own tile (a new object whenever the video track changes). */
  preview(): MediaStream | null {
    const v = this.videoTrack();
    return v ? new MediaStream([v]) : null;
  }

  /** Picks a screen or window to share; null when the person cancelled or it failed. */
  async shareScreen(onEnded: () => void): Promise<MediaStreamTrack | null> {
    if (!canShareScreen()) return null;
    try {
      const s = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 10, max: 15 } }, audio: false });
      const track = s.getVideoTracks()[0] ?? null;
      if (!track) return null;
      track.contentHint = 'detail';
      // The browser's own "stop sharing" button ends the track.
      track.addEventListener('ended', onEnded, { once: true });
      this.stopScreen();
      this.screen = track;
      return track;
    } catch {
      return null;
    }
  }

  stopScreen(): void {
    this.screen?.stop();
    this.screen = null;
  }

  /** Releases everything (the camera light goes off). */
  stop(): void {
    this.stopScreen();
    this.mic?.stop();
    this.camera?.stop();
    this.mic = null;
    this.camera = null;
  }

  private take(s: MediaStream): void {
    this.mic = s.getAudioTracks()[0] ?? null;
    this.camera = s.getVideoTracks()[0] ?? null;
  }
}
