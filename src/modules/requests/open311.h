// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the requests module, at
// /open311/v2/ with jurisdiction_id = the county code (e.g. 500238): discovery, services,
// service definitions, POST requests (form-encoded, api_key), GET requests with its filters,
// single requests, tokens, and mySociety's servicerequestupdates extension. XML (required by the
// spec and by FixMyStreet) and JSON; ids are strings; errors use the spec's <errors> format and
// codes (404 unknown, 403 bad api_key, 400 otherwise). Only public requests are ever listed.
// Keys are issued per partner by a county admin (/api/v1/open311/keys) and stored hashed.
#pragma once
#include <string>

#include "core/db/db.h"
#include "core/http/router.h"
#include "modules/requests/service.h"

namespace sx::requests {

class Open311 {
 public:
  Open311(db::Database& db, RequestsService& svc, const util::Clock& clock)
      : db_(db), svc_(svc), clock_(clock) {}
  void RegisterRoutes(http::Router& r);

 private:
  db::Database& db_;
  RequestsService& svc_;
  const util::Clock& clock_;
};

}  // namespace sx::requests
