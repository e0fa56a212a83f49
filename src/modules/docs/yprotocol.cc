#include "modules/docs/yprotocol.h"

namespace sx::yjs {

namespace {

constexpr uint64_t kMaxSafe = (uint64_t{1} << 53) - 1;

class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  bool done() const { return pos_ == b_.size(); }

  uint64_t VarUint() {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      if (pos_ >= b_.size()) throw ProtocolError("truncated varUint");
      if (shift > 49) throw ProtocolError("varUint wider than 53 bits");
      auto byte = static_cast<uint8_t>(b_[pos_++]);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
    }
    if (v > kMaxSafe) throw ProtocolError("varUint wider than 53 bits");
    return v;
  }

  std::string_view VarBytes() {
    uint64_t n = VarUint();
    if (n > b_.size() - pos_) throw ProtocolError("length past the end of the frame");
    auto out = b_.substr(pos_, n);
    pos_ += n;
    return out;
  }

 private:
  std::string_view b_;
  size_t pos_ = 0;
};

std::string Frame(uint64_t type, int64_t sub, std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + 8);
  WriteVarUint(out, type);
  if (sub >= 0) WriteVarUint(out, static_cast<uint64_t>(sub));
  WriteVarUint(out, bytes.size());
  out.append(bytes);
  return out;
}

}  // namespace

void WriteVarUint(std::string& out, uint64_t v) {
  while (v > 0x7f) {
    out.push_back(static_cast<char>(0x80 | (v & 0x7f)));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

Message ParseMessage(std::string_view frame) {
  Reader r(frame);
  Message m{};
  switch (r.VarUint()) {
    case 0:
      switch (r.VarUint()) {
        case 0:
          m.type = MessageType::kSyncStep1;
          break;
        case 1:
          m.type = MessageType::kSyncStep2;
          break;
        case 2:
          m.type = MessageType::kUpdate;
          break;
        default:
          throw ProtocolError("unknown sync message type");
      }
      m.payload = r.VarBytes();
      break;
    case 1:
      m.type = MessageType::kAwareness;
      m.payload = r.VarBytes();
      break;
    case 2:
      m.type = MessageType::kAuth;
      if (r.VarUint() != 0) throw ProtocolError("unknown auth message type");
      m.payload = r.VarBytes();
      break;
    case 3:
      m.type = MessageType::kQueryAwareness;
      break;
    default:
      throw ProtocolError("unknown message type");
  }
  if (!r.done()) throw ProtocolError("bytes after the message");
  return m;
}

std::vector<AwarenessEntry> ParseAwareness(std::string_view update, size_t max_entries) {
  Reader r(update);
  uint64_t n = r.VarUint();
  if (n > max_entries) throw ProtocolError("too many awareness entries");
  std::vector<AwarenessEntry> out;
  out.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    AwarenessEntry e;
    e.client = r.VarUint();
    e.clock = r.VarUint();
    e.state = r.VarBytes();
    out.push_back(e);
  }
  if (!r.done()) throw ProtocolError("bytes after the awareness update");
  return out;
}

std::string SyncStep1(std::string_view sv) { return Frame(0, 0, sv); }
std::string SyncStep2(std::string_view update) { return Frame(0, 1, update); }
std::string UpdateMessage(std::string_view update) { return Frame(0, 2, update); }
std::string PermissionDenied(std::string_view reason) { return Frame(2, 0, reason); }

std::string AwarenessMessage(const std::vector<AwarenessEntry>& entries) {
  std::string inner;
  WriteVarUint(inner, entries.size());
  for (auto& e : entries) {
    WriteVarUint(inner, e.client);
    WriteVarUint(inner, e.clock);
    WriteVarUint(inner, e.state.size());
    inner.append(e.state);
  }
  return Frame(1, -1, inner);
}

}  // namespace sx::yjs
