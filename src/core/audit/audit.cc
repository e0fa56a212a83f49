#include "core/audit/audit.h"

#include <fmt/format.h>
#include <sodium.h>

#include "core/util/strings.h"

namespace sx::audit {
namespace {

const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

std::string Hash(const std::string& prev, int64_t seq, const Entry& e) {
  // Length-prefixed fields so that no two different entries serialise alike.
  std::string s = prev;
  auto add = [&](std::string_view v) { s += fmt::format("|{}:{}", v.size(), v); };
  add(std::to_string(seq));
  add(e.county_id);
  add(std::to_string(e.at_ms));
  add(e.actor);
  add(e.action);
  add(e.object_type);
  add(e.object_id);
  add(e.result);
  add(e.source_ip);
  add(e.detail);
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

}  // namespace

void Append(db::Conn& c, const Entry& in) {
  // Details are short and always whole characters (a cut multi-byte character would be invalid
  // UTF-8, which PostgreSQL refuses).
  Entry e = in;
  e.detail = util::Utf8Prefix(e.detail, 200);
  c.Exec("INSERT INTO audit_head (county_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING",
         {e.county_id, std::string(kGenesis)});
  // The UPDATE takes the row lock on PostgreSQL, serialising appends per county.
  auto head = c.One("UPDATE audit_head SET seq = seq + 1 WHERE county_id = $1 RETURNING seq, hash",
                    {e.county_id});
  int64_t seq = head->Int(0);
  std::string prev = head->Str(1);
  std::string hash = Hash(prev, seq, e);
  c.Exec(
      "INSERT INTO audit_log (county_id, seq, at, actor, action, object_type, object_id, result, "
      "source_ip, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
      "$12)",
      {e.county_id, seq, e.at_ms, e.actor, e.action, e.object_type, e.object_id, e.result,
       e.source_ip, e.detail, prev, hash});
  c.Exec("UPDATE audit_head SET hash = $2 WHERE county_id = $1", {e.county_id, hash});
}

void AppendNow(db::Database& db, const Entry& e) {
  db.Write([&](db::Conn& c) { Append(c, e); });
}

void AppendAsync(db::Database& db, Entry e) {
  db.WriteAsync([e = std::move(e)](db::Conn& c) { Append(c, e); });
}

VerifyResult Verify(db::Database& db) {
  VerifyResult r;
  db.Read([&](db::Conn& c) {
    auto heads = c.Query("SELECT county_id, seq, hash FROM audit_head ORDER BY county_id");
    for (auto& h : heads) {
      std::string county = h.Str(0);
      auto rows = c.Query(
          "SELECT seq, at, actor, action, object_type, object_id, result, source_ip, detail, "
          "prev_hash, hash FROM audit_log WHERE county_id = $1 ORDER BY seq",
          {county});
      std::string prev = kGenesis;
      int64_t expect = 1;
      auto problem = [&](std::string p) {
        r.ok = false;
        if (r.problems.size() < 20) r.problems.push_back(county + ": " + std::move(p));
      };
      for (auto& row : rows) {
        Entry e{county,     row.Str(2), row.Str(3), row.Str(4), row.Str(5),
                row.Str(6), row.Str(7), row.Str(8), row.Int(1)};
        int64_t seq = row.Int(0);
        if (seq != expect)
          problem(fmt::format("entry {} missing (next present is {})", expect, seq));
        if (row.Str(9) != prev)
          problem(fmt::format("entry {} does not follow its predecessor", seq));
        std::string want = Hash(row.Str(9), seq, e);
        if (want != row.Str(10)) problem(fmt::format("entry {} was altered (hash mismatch)", seq));
        prev = row.Str(10);
        expect = seq + 1;
        ++r.entries;
      }
      if (h.Int(1) != expect - 1 || h.Str(2) != prev)
        problem(fmt::format("chain head is entry {} but the log ends at {}", h.Int(1), expect - 1));
    }
  });
  return r;
}

std::vector<Row> List(db::Database& db, const std::string& county_id, const std::string& object_id,
                      int limit) {
  std::vector<Row> out;
  db.Read([&](db::Conn& c) {
    auto rows =
        object_id.empty()
            ? c.Query(
                  "SELECT seq, at, actor, action, object_type, object_id, result, source_ip, "
                  "detail FROM audit_log WHERE county_id = $1 ORDER BY seq DESC LIMIT $2",
                  {county_id, int64_t{limit}})
            : c.Query(
                  "SELECT seq, at, actor, action, object_type, object_id, result, source_ip, "
                  "detail FROM audit_log WHERE county_id = $1 AND object_id = $2 ORDER BY seq "
                  "DESC LIMIT $3",
                  {county_id, object_id, int64_t{limit}});
    for (auto& row : rows)
      out.push_back({row.Int(0),
                     {county_id, row.Str(2), row.Str(3), row.Str(4), row.Str(5), row.Str(6),
                      row.Str(7), row.Str(8), row.Int(1)}});
  });
  return out;
}

}  // namespace sx::audit
