// The documents and forms API's JSON shapes (see docs/docs.md: /api/v1/docs, /forms/mine, the
// sync endpoint /yjs/{id}).

export type DocKind = 'doc' | 'form';
export const DOC_KINDS: DocKind[] = ['doc', 'form'];

/** The caller's role on a document ('' when the server says nothing, treated as viewer). */
export type DocRole = 'owner' | 'editor' | 'commenter' | 'viewer';
export const SHARE_ROLES: Exclude<DocRole, 'owner'>[] = ['viewer', 'commenter', 'editor'];

export type ShareKind = 'region' | 'unit' | 'account';
export const SHARE_KINDS: ShareKind[] = ['region', 'unit', 'account'];

export interface Share {
  kind: ShareKind;
  target: string;
  label: string;
  role: Exclude<DocRole, 'owner'>;
}

export type FieldType = 'text' | 'textarea' | 'number' | 'single' | 'multiple' | 'date' | 'phone' | 'id_number' | 'region' | 'photo';
export const FIELD_TYPES: FieldType[] = ['text', 'textarea', 'number', 'single', 'multiple', 'date', 'phone', 'id_number', 'region', 'photo'];

export interface Field {
  id: string;
  type: FieldType;
  label: string;
  required: boolean;
  hint?: string;
  options?: string[];
  min?: number | null;
  max?: number | null;
}

export type FormPer = 'person' | 'household';
export const FORM_PERS: FormPer[] = ['person', 'household'];

export type FormStatus = 'draft' | 'open' | 'closed';

/** What POST /docs and PATCH /docs/{id} take as `form`. */
export interface FormSpec {
  description: string;
  per: FormPer;
  fields: Field[];
}

export interface FormInfo extends FormSpec {
  status: FormStatus;
  deadline: string | null;
  sent_at: string | null;
  notice_id: string | null;
  audience_size: number;
  responses: number;
}

export interface Doc {
  id: string;
  kind: DocKind;
  title: string;
  region_code: string;
  region_name: string;
  unit_id: string | null;
  unit_name: string | null;
  owner_id: string;
  owner_name: string;
  my_role: DocRole;
  created_at: string;
  updated_at: string;
  edited_at: string | null;
  size_bytes: number;
  sync_path: string;
  shares: Share[];
  form?: FormInfo | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface DocVersion {
  id: string;
  name: string;
  size_bytes: number;
  created_by_name: string;
  created_at: string;
}

export interface DocComment {
  id: string;
  quote: string;
  body: string;
  author_id: string;
  author_name: string;
  created_at: string;
  resolved: boolean;
  mentions: { id: string; name: string }[];
}

export interface DocFile {
  id: string;
  name: string;
  size: number;
}

/** One answer: text, a number, a choice or choices, a date, a region code, a photo's file id. */
export type Answer = string | number | string[] | null;
export type Answers = Record<string, Answer>;

export interface FormResponse {
  id: string;
  person_id: string | null;
  person_name: string;
  household_id: string | null;
  village_code: string;
  village_name: string;
  answers: Answers;
  submitted_at: string;
  updated_at: string;
}

/** GET /docs/{id}/response: the form and the caller's (or household's) answers. */
export interface MyResponse {
  form: Doc;
  response: FormResponse | null;
}

export interface ResponsesPage extends Page<FormResponse> {
  fields: Field[];
  total: number;
}

export interface FormStats {
  audience: number;
  responses: number;
  by_day: { day: string; count: number }[];
  by_village: { code: string; name: string; audience: number; responses: number }[];
  choices: Record<string, Record<string, number>>;
}

export interface MissingPerson {
  person_id: string;
  name: string;
  village_name: string;
  phone_masked: string;
}

export interface Missing {
  total: number;
  items: MissingPerson[];
}

/** A row of GET /forms/mine. */
export interface MyForm {
  id: string;
  title: string;
  deadline: string | null;
  status: FormStatus;
  per: FormPer;
  submitted_at: string | null;
}

/** One bar of a results chart: a village (responses of its audience) or a day. */
export interface BarRow {
  key: string;
  label: string;
  value: number;
  /** Out of (the grey track behind the bar), for by-village. */
  total?: number;
}

/** Limits the server checks too. */
export const TITLE_MAX = 200;
export const FIELDS_MAX = 100;
export const OPTIONS_MIN = 2;
export const OPTIONS_MAX = 50;
export const LABEL_MAX = 200;
export const HINT_MAX = 500;
export const DESCRIPTION_MAX = 2000;
export const VERSION_NAME_MAX = 100;
export const COMMENT_MAX = 2000;
export const SHARES_MAX = 200;
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const FIELD_ID_RE = /^[a-z0-9_]{1,32}$/;
