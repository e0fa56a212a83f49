// One document open for editing: a Y.Doc synced over y-websocket with the server's /yjs/{id} room
// (the session cookie authenticates the upgrade, same origin), a Tiptap editor bound to the Y.Doc's
// 'default' XmlFragment (Collaboration) with everybody's carets and names (CollaborationCaret, from
// the awareness states), and what the page shows about it: the connection (connecting, connected,
// reconnecting; a refusal by close code, which y-websocket does not retry), whether the first sync
// arrived, who is here, and whether the server answered an edit with "read-only".
// `restore(update)` replaces the live content with a version's (one transaction: an ordinary edit
// that everybody sees and that can be undone).
import { onBeforeUnmount, ref, shallowRef } from 'vue';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { readAuthMessage } from 'y-protocols/auth';
import { Editor, type AnyExtension } from '@tiptap/vue-3';
import { StarterKit } from '@tiptap/starter-kit';
import { Placeholder } from '@tiptap/extensions';
import { TableKit } from '@tiptap/extension-table';
import { Image } from '@tiptap/extension-image';
import { Mention } from '@tiptap/extension-mention';
import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { syncServerUrl } from '@/modules/docs/format';
import { mentionSuggestion, type MentionCandidate } from '@/modules/docs/admin/editor/mention';

export type SyncStatus = 'connecting' | 'connected' | 'reconnecting';

export interface Peer {
  clientId: number;
  id: string;
  name: string;
  color: string;
  self: boolean;
}

export interface SessionUser {
  id: string;
  name: string;
  color: string;
}

export interface SessionOptions {
  docId: string;
  editable: boolean;
  user: SessionUser;
  placeholder: string;
  /** Who the @ menu offers (read each time it opens). */
  candidates: () => MentionCandidate[];
  /** The @ menu's text when nobody matches. */
  noMatchText: string;
}

/** The Yjs field the editor binds to (Collaboration's default), also in stored versions. */
export const FIELD = 'default';

export function useDocSession() {
  const editor = shallowRef<Editor | null>(null);
  const status = ref<SyncStatus>('connecting');
  /** The server's state has arrived at least once. */
  const synced = ref(false);
  /** The close code of a refusal that is not retried (4400–4499), else null. */
  const refused = ref<number | null>(null);
  /** The server answered an edit with "read-only". */
  const denied = ref(false);
  const peers = ref<Peer[]>([]);
  let ydoc: Y.Doc | null = null;
  let provider: WebsocketProvider | null = null;
  let everConnected = false;

  function readPeers(): void {
    if (!provider) return;
    const mine = provider.awareness.clientID;
    const seen = new Set<string>();
    const out: Peer[] = [];
    for (const [clientId, state] of provider.awareness.getStates()) {
      const u = (state as { user?: Partial<SessionUser> }).user;
      if (!u || typeof u.name !== 'string') continue;
      const key = u.id || `c${clientId}`;
      // One avatar per person (several tabs of one account count once).
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ clientId, id: u.id ?? '', name: u.name, color: u.color ?? '#1f6f43', self: clientId === mine });
    }
    out.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
    peers.value = out;
  }

  function start(o: SessionOptions): void {
    stop();
    const doc = new Y.Doc();
    const ws = new WebsocketProvider(syncServerUrl(), o.docId, doc, { disableBc: true });
    ydoc = doc;
    provider = ws;
    status.value = 'connecting';
    synced.value = false;
    refused.value = null;
    denied.value = false;
    everConnected = false;

    ws.on('status', ({ status: s }) => {
      if (s === 'connected') {
        everConnected = true;
        status.value = 'connected';
      } else {
        status.value = everConnected ? 'reconnecting' : 'connecting';
      }
    });
    ws.on('sync', (s: boolean) => {
      if (s) synced.value = true;
    });
    ws.on('closed', (ev: { code: number }) => {
      refused.value = ev.code;
    });
    // messageAuth: the server's "read-only" answer to an edit by a viewer or commenter.
    ws.messageHandlers[2] = (_enc, dec, p) => {
      readAuthMessage(dec, p.doc, () => {
        denied.value = true;
      });
    };
    ws.awareness.on('change', readPeers);

    const extensions: AnyExtension[] = [
      StarterKit.configure({ undoRedo: false, heading: { levels: [1, 2, 3] }, link: { openOnClick: false } }),
      Placeholder.configure({ placeholder: o.placeholder }),
      TableKit.configure({ table: { resizable: false } }),
      Image.configure({ inline: false, allowBase64: false }),
      Mention.configure({
        HTMLAttributes: { class: 'd-mention' },
        suggestion: mentionSuggestion(o.candidates, o.noMatchText),
      }),
      Collaboration.configure({ document: doc, field: FIELD }),
      CollaborationCaret.configure({ provider: ws, user: { id: o.user.id, name: o.user.name, color: o.user.color } }),
    ];
    editor.value = new Editor({
      extensions,
      editable: o.editable,
      editorProps: {
        attributes: {
          class: 'd-prose',
          'data-testid': 'doc-editor',
          role: 'textbox',
          'aria-multiline': 'true',
        },
      },
    });
    readPeers();
  }

  function setEditable(on: boolean): void {
    editor.value?.setEditable(on);
  }

  /** Replaces the content with a stored version's (a Yjs v1 update of the whole document). */
  function restore(update: Uint8Array): void {
    const ed = editor.value;
    if (!ed) return;
    const scratch = new Y.Doc();
    try {
      Y.applyUpdate(scratch, update);
      const node = yXmlFragmentToProseMirrorRootNode(scratch.getXmlFragment(FIELD), ed.schema);
      const { state } = ed.view;
      ed.view.dispatch(state.tr.replaceWith(0, state.doc.content.size, node.content).scrollIntoView());
    } finally {
      scratch.destroy();
    }
  }

  /** Reconnects after a refusal or a long outage (e.g. the user pressed 重新连接). */
  function reconnect(): void {
    if (!provider) return;
    refused.value = null;
    provider.disconnect();
    provider.connect();
  }

  function stop(): void {
    editor.value?.destroy();
    editor.value = null;
    if (provider) {
      provider.awareness.off('change', readPeers);
      provider.destroy();
    }
    ydoc?.destroy();
    provider = null;
    ydoc = null;
    peers.value = [];
  }

  onBeforeUnmount(stop);

  return { editor, status, synced, refused, denied, peers, start, stop, setEditable, restore, reconnect };
}
