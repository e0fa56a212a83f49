// Text messages. A Gateway hands messages to an operator; the development gateway records them
// in the sms_messages table (and nothing leaves the machine), which is also what the outbox API
// reads. Cost: a message is billed per segment — 70 characters, or 67 per segment when longer
// (GSM 03.38 UCS-2 concatenation) — at a price per segment in fen.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/db.h"

namespace sx::sms {

struct Message {
  std::string county_id, person_id, phone, phone_masked, text, ref_type, ref_id;
};

// Characters (Unicode code points) of UTF-8 text → billable segments.
int Segments(std::string_view utf8);

class Gateway {
 public:
  virtual ~Gateway() = default;
  virtual std::string_view name() const = 0;
  // Sends a batch; returns how many were accepted. Must be safe to call from any thread.
  virtual int64_t Send(const std::vector<Message>& batch, int64_t price_fen_per_segment,
                       int64_t now_ms) = 0;
};

// Records each message (masked phone, text, segments, cost) in the database; sends nothing.
class DevGateway final : public Gateway {
 public:
  explicit DevGateway(db::Database& db) : db_(db) {}
  std::string_view name() const override { return "dev"; }
  int64_t Send(const std::vector<Message>& batch, int64_t price_fen_per_segment,
               int64_t now_ms) override;

 private:
  db::Database& db_;
};

struct OutboxRow {
  std::string id, phone_masked, text, ref_type, ref_id, status;
  int64_t segments = 0, cost_fen = 0, created_at = 0;
};
std::vector<OutboxRow> Outbox(db::Database& db, const std::string& county_id,
                              const std::string& ref_id, int limit);

}  // namespace sx::sms
