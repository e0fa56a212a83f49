#include "core/events/log.h"

namespace sx::events {

std::string JoinKeys(const std::vector<std::string>& keys) {
  std::string out;
  for (auto& k : keys) {
    if (!out.empty()) out += ' ';
    out += k;
  }
  return out;
}

std::vector<std::string> SplitKeys(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

int64_t Append(db::Conn& c, const std::string& county_id, const std::string& type,
               const std::vector<std::string>& keys, const std::string& payload, int64_t now_ms) {
  auto head = c.One("UPDATE event_head SET seq = seq + 1 WHERE id = 1 RETURNING seq");
  int64_t seq = head->Int(0);
  c.Exec(
      "INSERT INTO events (county_id, seq, type, keys, payload, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {county_id, seq, type, JoinKeys(keys), payload, now_ms});
  return seq;
}

static Event FromRow(const db::Row& r) {
  Event e;
  e.county_id = r.Str(0);
  e.seq = r.Int(1);
  e.type = r.Str(2);
  e.keys = SplitKeys(r.Str(3));
  e.payload = r.Str(4);
  e.created_at = r.Int(5);
  return e;
}

std::vector<Event> ReadAfter(db::Conn& c, const std::string& county_id, int64_t after, int limit) {
  db::Rows rows =
      county_id.empty()
          ? c.Query("SELECT county_id, seq, type, keys, payload, created_at FROM events "
                    "WHERE seq > $1 ORDER BY seq LIMIT $2",
                    {after, int64_t{limit}})
          : c.Query("SELECT county_id, seq, type, keys, payload, created_at FROM events "
                    "WHERE county_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                    {county_id, after, int64_t{limit}});
  std::vector<Event> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(FromRow(r));
  return out;
}

int64_t Head(db::Conn& c) {
  auto r = c.One("SELECT seq FROM event_head WHERE id = 1");
  return r ? r->Int(0) : 0;
}

int64_t Pruned(db::Conn& c) {
  auto r = c.One("SELECT pruned FROM event_head WHERE id = 1");
  return r ? r->Int(0) : 0;
}

int64_t Prune(db::Conn& c, int64_t before_ms) {
  auto r = c.One("SELECT MAX(seq) FROM events WHERE created_at < $1", {before_ms});
  if (!r || r->IsNull(0)) return 0;
  int64_t upto = r->Int(0);
  c.Exec("UPDATE event_head SET pruned = $1 WHERE id = 1 AND pruned < $1", {upto});
  return c.Exec("DELETE FROM events WHERE seq <= $1", {upto});
}

}  // namespace sx::events
