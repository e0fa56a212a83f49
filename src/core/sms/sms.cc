#include "core/sms/sms.h"

#include "core/util/random.h"

namespace sx::sms {

int Segments(std::string_view s) {
  int chars = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++chars;
  if (chars <= 70) return 1;
  return (chars + 66) / 67;
}

int64_t DevGateway::Send(const std::vector<Message>& batch, int64_t price, int64_t now_ms) {
  db_.Write([&](db::Conn& c) {
    for (auto& m : batch) {
      int64_t segs = Segments(m.text);
      c.Exec(
          "INSERT INTO sms_messages (county_id, id, person_id, phone_masked, text, segments, "
          "cost_fen, ref_type, ref_id, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
          "$8, $9, 'recorded', $10)",
          {m.county_id, util::NewId(), m.person_id, m.phone_masked, m.text, segs, segs * price,
           m.ref_type, m.ref_id, now_ms});
    }
  });
  return static_cast<int64_t>(batch.size());
}

std::vector<OutboxRow> Outbox(db::Database& db, const std::string& county_id,
                              const std::string& ref_id, int limit) {
  std::vector<OutboxRow> out;
  db.Read([&](db::Conn& c) {
    auto rows =
        ref_id.empty()
            ? c.Query("SELECT id, phone_masked, text, ref_type, ref_id, status, segments, "
                      "cost_fen, created_at FROM sms_messages WHERE county_id = $1 "
                      "ORDER BY created_at DESC, id LIMIT $2",
                      {county_id, int64_t{limit}})
            : c.Query("SELECT id, phone_masked, text, ref_type, ref_id, status, segments, "
                      "cost_fen, created_at FROM sms_messages WHERE county_id = $1 AND "
                      "ref_id = $2 ORDER BY created_at DESC, id LIMIT $3",
                      {county_id, ref_id, int64_t{limit}});
    for (auto& r : rows)
      out.push_back({r.Str(0), r.Str(1), r.Str(2), r.Str(3), r.Str(4), r.Str(5), r.Int(6),
                     r.Int(7), r.Int(8)});
  });
  return out;
}

}  // namespace sx::sms
