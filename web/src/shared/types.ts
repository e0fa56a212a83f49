// The API's JSON shapes (see docs/openapi.yaml).

export type Role = 'county_admin' | 'unit_staff' | 'town_official' | 'village_cadre' | 'party_member' | 'resident';
export const ROLES: Role[] = ['county_admin', 'unit_staff', 'town_official', 'village_cadre', 'party_member', 'resident'];

export interface RoleGrant {
  role: Role;
  region_code: string;
  region_name: string;
  unit_id: string | null;
  unit_name: string | null;
}

export interface MyVillage {
  code: string;
  name: string;
  town_name: string;
}

export interface Me {
  id: string;
  county: { code: string; name: string };
  name: string;
  phone_masked: string;
  roles: RoleGrant[];
  village: MyVillage | null;
  csrf_token: string;
}

export interface SignedIn {
  token: string;
  csrf_token: string;
  expires_at?: string;
  user: Me;
}

export type RegionLevel = 'province' | 'city' | 'county' | 'town' | 'village';

export interface Region {
  code: string;
  name: string;
  short_name: string;
  level: RegionLevel;
  parent_code: string;
  pinyin: string;
  initials: string;
  child_count?: number;
  people_count?: number;
  path?: { code: string; short_name: string }[];
}

export interface ListOf<T> {
  items: T[];
}

export type JoinStatus = 'pending' | 'approved' | 'rejected';
export const JOIN_STATUSES: JoinStatus[] = ['pending', 'approved', 'rejected'];

export interface JoinRequest {
  id: string;
  village_code: string;
  village_name: string;
  town_name: string;
  name: string;
  phone_masked: string;
  id_number_masked: string;
  status: JoinStatus;
  reason: string | null;
  created_at: string;
  decided_at: string | null;
}

export type UnitKind = 'party' | 'government' | 'public_institution' | 'enterprise' | 'town_office';
export const UNIT_KINDS: UnitKind[] = ['party', 'government', 'public_institution', 'enterprise', 'town_office'];

export interface Unit {
  id: string;
  name: string;
  kind: UnitKind;
  region_code: string;
  region_name: string;
  active: boolean;
}

export interface Person {
  id: string;
  name: string;
  pinyin?: string;
  initials?: string;
  gender: 'm' | 'f';
  birth_year: number;
  phone_masked: string;
  id_number_masked: string;
  village_code: string;
  village_name: string;
  household_id: string;
  relation: string;
  active: boolean;
}

export interface PeoplePage {
  items: Person[];
  next_cursor: string | null;
}

export type RevealField = 'phone' | 'id_number';

export interface Revealed {
  field: RevealField;
  value: string;
}
