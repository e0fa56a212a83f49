// The documents module's pages in the admin console (文档): the list of documents and collection
// forms, the editor of a document (its route is a chunk of its own: Tiptap, Yjs and y-websocket
// load only there), a form's builder and its results. Composed by src/admin/router.ts.
import type { RouteRecordRaw } from 'vue-router';

export const docsAdminRoutes: RouteRecordRaw[] = [
  { path: 'docs', name: 'docs', component: () => import('./List.vue'), meta: { title: 'admin.menu.docs' } },
  { path: 'docs/:id', name: 'doc', component: () => import('./Editor.vue'), meta: { title: 'docs.editor.title' } },
  { path: 'forms/:id', name: 'form', component: () => import('./FormBuilder.vue'), meta: { title: 'docs.builder.title' } },
  { path: 'forms/:id/results', name: 'form-results', component: () => import('./FormResults.vue'), meta: { title: 'docs.results.title' } },
];
