// The audit log: append-only and hash-chained per county. Each entry's hash covers the previous
// entry's hash and every field of the entry, so editing or deleting any row (or the tail) breaks
// the chain; Verify finds the first broken link. Append runs inside the caller's write
// transaction so a state change and its audit entry commit together.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/db/db.h"

namespace sx::audit {

struct Entry {
  std::string county_id;
  std::string actor;        // account id, or "anonymous"
  std::string action;       // e.g. "auth.login", "person.reveal", "unit.create", "access.deny"
  std::string object_type;  // e.g. "person"
  std::string object_id;
  std::string result;  // "ok", "denied", "failed"
  std::string source_ip;
  std::string detail;  // short, no personal data in clear
  int64_t at_ms = 0;
};

// Appends e in the current transaction. Thread-safe through the database's write serialisation.
void Append(db::Conn& c, const Entry& e);
// Convenience: a write transaction of its own (denials, failed logins).
void AppendNow(db::Database& db, const Entry& e);
// Queued, not awaited: for denials, which may happen on a read served from an I/O thread and
// must not make that thread wait for a commit.
void AppendAsync(db::Database& db, Entry e);

struct VerifyResult {
  bool ok = true;
  int64_t entries = 0;
  std::vector<std::string> problems;  // human-readable, first problems found
};
VerifyResult Verify(db::Database& db);

struct Row {
  int64_t seq;
  Entry e;
};
// Newest first, for the audit viewer; at most limit rows, optionally for one object.
std::vector<Row> List(db::Database& db, const std::string& county_id, const std::string& object_id,
                      int limit);

}  // namespace sx::audit
