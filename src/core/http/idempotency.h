// Idempotency-Key storage in the database (table idempotency_keys): the first request with a key
// claims it; its response (status < 500) is stored and replayed to later requests with the same
// key and the same method, path and body. Keys expire after 24 hours; a claim left unfinished for a
// minute (the process died mid-request) may be taken again by a retry.
#pragma once
#include "core/db/db.h"
#include "core/http/router.h"
#include "core/util/clock.h"

namespace sx::http {

class DbIdempotencyStore final : public IdempotencyStore {
 public:
  DbIdempotencyStore(db::Database& db, const util::Clock& clock) : db_(db), clock_(clock) {}
  std::optional<Response> Begin(const std::string& scope, const std::string& key,
                                const std::string& fingerprint) override;
  void Finish(const std::string& scope, const std::string& key, const Response& r) override;
  void Abandon(const std::string& scope, const std::string& key) override;

 private:
  db::Database& db_;
  const util::Clock& clock_;
};

}  // namespace sx::http
