// A WebSocket test client that collects the frames it receives, decoded by the caller:
// next(pred) waits for a matching frame, closed() for the close code. Used by the suites that
// speak a WebSocket protocol (meeting rooms, Yjs sync). `opened` rejects with {status} when the
// upgrade is refused.
import WebSocket from 'ws';

export function frameSocket(url, { headers = {}, maxPayload, decode = (data) => data, show = (fs) => JSON.stringify(fs).slice(0, 2000) } = {}) {
  const ws = new WebSocket(url, { headers, ...(maxPayload ? { maxPayload } : {}) });
  const frames = [];
  const waiters = [];
  ws.on('message', (data, isBinary) => {
    const f = decode(data, isBinary);
    frames.push(f);
    for (const w of [...waiters]) if (w.pred(f)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(f); }
  });
  ws.on('error', () => {});  // reported through `opened` and `closed`
  const opened = new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('unexpected-response', (_req, r) => {
      r.resume();
      rej(Object.assign(new Error(`HTTP ${r.statusCode}`), { status: r.statusCode }));
    });
    ws.once('error', rej);
  });
  opened.catch(() => {});
  const closed = new Promise((res) => ws.once('close', (code, reason) => res({ code, reason: reason.toString() })));
  return {
    ws, frames, opened,
    // How many frames arrived so far (pass as `from` to next() to skip them).
    mark() { return frames.length; },
    // The first frame matching pred, from frame number `from` on, within ms.
    next(pred, ms = 3000, from = 0) {
      const hit = frames.slice(from).find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          if (!waiters.includes(w)) return;
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching frame in ${ms} ms; got ${show(frames)}`));
        }, ms).unref();
      });
    },
    // The close code and reason, within ms ({code: 'still open'} otherwise).
    closed(ms = 3000) {
      return Promise.race([closed, new Promise((r) => setTimeout(() => r({ code: 'still open' }), ms).unref())]);
    },
  };
}
