// The @ menu of the document editor (Tiptap Mention): the people who may read the document that
// the page knows of (the owner, the accounts it is shared with, the unit's staff, comment authors,
// whoever is here), filtered by what follows the @ (name, pinyin-free: a substring of the name).
// The menu is a small Vue component (MentionList.vue) placed by the suggestion's own Floating UI
// `mount`, keyboard driven (↑ ↓ Enter, Esc closes).
import { VueRenderer } from '@tiptap/vue-3';
import type { MentionOptions } from '@tiptap/extension-mention';
import MentionList from '@/modules/docs/admin/editor/MentionList.vue';

export interface MentionCandidate {
  /** The account id (sent in a comment's `mentions`). */
  id: string;
  name: string;
  /** Shown beside the name: the unit, the village, "owner". */
  detail: string;
}

const LIMIT = 8;

export function filterCandidates(all: MentionCandidate[], query: string): MentionCandidate[] {
  const q = query.trim().toLowerCase();
  const seen = new Set<string>();
  const out: MentionCandidate[] = [];
  for (const c of all) {
    if (!c.id || seen.has(c.id)) continue;
    if (q && !c.name.toLowerCase().includes(q) && !c.detail.toLowerCase().includes(q)) continue;
    seen.add(c.id);
    out.push(c);
    if (out.length >= LIMIT) break;
  }
  return out;
}

interface ListExposed {
  onKeyDown: (e: KeyboardEvent) => boolean;
}

export function mentionSuggestion(candidates: () => MentionCandidate[], noMatchText: string): MentionOptions['suggestion'] {
  return {
    char: '@',
    // Chinese text has no spaces before a name: @ starts the menu after any character.
    allowedPrefixes: null,
    items: ({ query }) => filterCandidates(candidates(), query),
    render: () => {
      let renderer: VueRenderer | null = null;
      let unmount: (() => void) | null = null;
      return {
        onStart: (props) => {
          renderer = new VueRenderer(MentionList, { props: { items: props.items, command: props.command, emptyText: noMatchText }, editor: props.editor });
          const el = renderer.element as HTMLElement | null;
          if (el) unmount = props.mount(el);
        },
        onUpdate: (props) => {
          renderer?.updateProps({ items: props.items, command: props.command, emptyText: noMatchText });
        },
        onKeyDown: ({ event }) => {
          if (event.key === 'Escape') {
            unmount?.();
            unmount = null;
            return true;
          }
          return (renderer?.ref as ListExposed | undefined)?.onKeyDown(event) ?? false;
        },
        onExit: () => {
          unmount?.();
          unmount = null;
          renderer?.destroy();
          renderer = null;
        },
      };
    },
  };
}
