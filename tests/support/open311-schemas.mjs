// JSON Schemas for Open311 GeoReport v2 responses, written from the spec (wiki.open311.org
// GeoReport_v2 and Service_Discovery, the field tables summarised in
// /work/shared/reference/standards-and-clients.md §1) and cross-checked against
// open311/schema-validation:schema/georeport-v2/*.json — never from our server's output.
//
// Conventions:
// - The JSON form is the mechanical ("Spark") mapping of the XML: list roots are arrays,
//   containers (endpoints, formats, attributes, values) are arrays.
// - Every id is a string (service_code, service_request_id, token, address_id, zipcode,
//   account_id, attribute value keys).
// - Datetimes are W3C/ISO 8601 with a timezone: ajv-formats' `date-time` requires one.
// - "Do not include foreign tags": objects are closed (additionalProperties: false), so a field
//   outside the spec's tables fails in JSON and, through the same schema, in XML.
// - Optional fields are nullable (an empty XML element maps to null).
// - Only `type` arrays are used for nullability (no anyOf) so the tests can also read the XML
//   form through these schemas.

const str = { type: 'string' };
const id = { type: 'string', minLength: 1 };
const nstr = { type: ['string', 'null'] };
const nid = { type: ['string', 'null'] };
const dateTime = { type: 'string', format: 'date-time' };
const nDateTime = { type: ['string', 'null'], format: 'date-time' };
const nUri = { type: ['string', 'null'], format: 'uri' };
const mime = { type: 'string', pattern: '^[a-z]+/[a-z0-9.+-]+$' };

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

// ---- Service discovery (Service_Discovery.md): all fields required -----------------------------
export const endpoint = {
  type: 'object',
  additionalProperties: false,
  required: ['specification', 'url', 'changeset', 'type', 'formats'],
  properties: {
    specification: { type: 'string', format: 'uri' },
    url: { type: 'string', format: 'uri' },
    changeset: { type: 'string', minLength: 1 },
    type: { type: 'string', enum: ['production', 'test'] },
    formats: { type: 'array', minItems: 1, items: mime },
  },
};
export const discovery = {
  type: 'object',
  additionalProperties: false,
  required: ['changeset', 'contact', 'key_service', 'endpoints'],
  properties: {
    changeset: { type: 'string', minLength: 1 },
    contact: { type: 'string', minLength: 1 },
    key_service: { type: 'string', minLength: 1 },
    endpoints: { type: 'array', minItems: 1, items: endpoint },
  },
};

// ---- GET services.{fmt} → services/service* ---------------------------------------------------
export const service = {
  type: 'object',
  additionalProperties: false,
  required: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
  properties: {
    service_code: id,
    service_name: str,
    description: nstr,
    metadata: { type: 'boolean' },
    type: { type: 'string', enum: ['realtime', 'batch', 'blackbox'] },
    keywords: nstr, // comma-separated
    group: nstr,
  },
};
export const services = { type: 'array', items: service };

// ---- GET services/{service_code}.{fmt} → service_definition -----------------------------------
export const attributeValue = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'name'],
  properties: { key: str, name: str },
};
export const attribute = {
  type: 'object',
  additionalProperties: false,
  required: ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description'],
  properties: {
    variable: { type: 'boolean' },
    code: id,
    datatype: { type: 'string', enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
    required: { type: 'boolean' },
    datatype_description: nstr,
    order: { type: 'integer', minimum: 1 },
    description: str,
    values: { type: 'array', items: attributeValue },
  },
  // A list datatype carries its values.
  if: { type: 'object', properties: { datatype: { type: 'string', enum: ['singlevaluelist', 'multivaluelist'] } } },
  then: { type: 'object', required: ['values'], properties: { values: { type: 'array', minItems: 1 } } },
};
export const serviceDefinition = {
  type: 'object',
  additionalProperties: false,
  required: ['service_code', 'attributes'],
  properties: {
    service_code: id,
    attributes: { type: 'array', items: attribute },
  },
};

// ---- GET requests.{fmt} / requests/{id}.{fmt} → service_requests/request* ----------------------
// Required as in open311/schema-validation request.json; everything else nullable.
export const request = {
  type: 'object',
  additionalProperties: false,
  required: ['service_request_id', 'status', 'service_code', 'requested_datetime'],
  properties: {
    service_request_id: id,
    status: { type: 'string', enum: ['open', 'closed'] },
    status_notes: nstr,
    service_name: nstr,
    service_code: id,
    description: { type: ['string', 'null'], maxLength: 4000 },
    agency_responsible: nstr,
    service_notice: nstr,
    requested_datetime: dateTime,
    updated_datetime: nDateTime,
    expected_datetime: nDateTime,
    address: nstr,
    address_id: nid,
    zipcode: nid,
    lat: { type: ['number', 'null'], minimum: -90, maximum: 90 },
    long: { type: ['number', 'null'], minimum: -180, maximum: 180 },
    media_url: nUri,
  },
};
export const requests = { type: 'array', items: request };

// ---- POST requests.{fmt} → service_requests/request: service_request_id XOR token --------------
export const postResult = {
  type: 'object',
  additionalProperties: false,
  properties: {
    service_request_id: nid,
    token: nid,
    service_notice: nstr,
    account_id: nid,
  },
  oneOf: [
    {
      type: 'object',
      required: ['service_request_id'],
      properties: { service_request_id: id, token: { type: 'null' } },
    },
    {
      type: 'object',
      required: ['token'],
      properties: { token: id, service_request_id: { type: 'null' } },
    },
  ],
};
export const postResponse = { type: 'array', minItems: 1, maxItems: 1, items: postResult };

// ---- GET tokens/{token}.{fmt} → service_requests/request{service_request_id, token} ------------
export const tokenResult = {
  type: 'object',
  additionalProperties: false,
  required: ['service_request_id', 'token'],
  properties: { service_request_id: id, token: id },
};
export const tokenResponse = { type: 'array', minItems: 1, items: tokenResult };

// ---- errors/error*: [{code, description}] ----------------------------------------------------
export const error = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'description'],
  properties: { code: { type: 'integer' }, description: { type: 'string', minLength: 1 } },
};
export const errors = { type: 'array', minItems: 1, items: error };

// ---- mySociety servicerequestupdates → service_request_updates/request_update* ----------------
// status: open/closed, or (extended_statuses) the mySociety states; FixMyStreet lower-cases them.
const UPDATE_STATES = ['open', 'closed', 'fixed', 'in_progress', 'action_scheduled', 'investigating',
  'duplicate', 'not_councils_responsibility', 'no_further_action', 'internal_referral', 'reopen'];
export const requestUpdate = {
  type: 'object',
  additionalProperties: false,
  required: ['update_id', 'service_request_id', 'status', 'updated_datetime', 'description'],
  properties: {
    update_id: id,
    service_request_id: id,
    status: { type: 'string', enum: [...UPDATE_STATES, ...UPDATE_STATES.map((s) => s.toUpperCase())] },
    updated_datetime: dateTime,
    description: nstr,
    media_url: nUri,
  },
};
export const requestUpdates = { type: 'array', items: requestUpdate };

// What each response is: its schema and, for XML, its root element. List roots hold one kind of
// item element; containers inside records hold one kind of child element.
export const KINDS = {
  discovery: { schema: discovery, root: 'discovery' },
  services: { schema: services, root: 'services' },
  serviceDefinition: { schema: serviceDefinition, root: 'service_definition' },
  requests: { schema: requests, root: 'service_requests' },
  postResponse: { schema: postResponse, root: 'service_requests' },
  tokenResponse: { schema: tokenResponse, root: 'service_requests' },
  errors: { schema: errors, root: 'errors' },
  requestUpdates: { schema: requestUpdates, root: 'service_request_updates' },
};
export const XML_ITEMS = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  service_request_updates: 'request_update',
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
};
