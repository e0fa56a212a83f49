// The y-websocket wire protocol (y-protocols 1.0.7: sync, awareness, auth), as bytes. Pure
// functions; no I/O. See docs/docs.md and ../shared/reference/standards-and-clients.md §2.1.
//
// A frame is `varUint messageType` then a payload:
//   0 sync:            varUint syncType (0 step 1: state vector, 1 step 2: update, 2 update),
//                      varUint8Array
//   1 awareness:       varUint8Array (varUint n, n × (varUint client, varUint clock,
//                      varString JSON state; "null" = removed))
//   2 auth:            varUint 0 (permission denied), varString reason
//   3 query awareness: empty
// lib0 varUint: 7-bit little-endian groups, high bit = more. Parsing is strict: a value that
// runs past the end, a varUint wider than 53 bits, unknown types, or bytes after the payload
// throw ProtocolError. Nothing is read outside the input, and nothing is allocated from a length
// field before the bytes it announces are known to be there.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sx::yjs {

class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class MessageType { kSyncStep1, kSyncStep2, kUpdate, kAwareness, kAuth, kQueryAwareness };

struct Message {
  MessageType type;
  std::string_view payload;  // state vector, update, awareness update, or auth reason
};

Message ParseMessage(std::string_view frame);

struct AwarenessEntry {
  uint64_t client = 0, clock = 0;
  std::string_view state;  // JSON text; "null" when the client is gone
};
// The entries of an awareness update (at most max_entries, else ProtocolError).
std::vector<AwarenessEntry> ParseAwareness(std::string_view update, size_t max_entries = 256);

// Frame builders.
std::string SyncStep1(std::string_view state_vector);
std::string SyncStep2(std::string_view update);
std::string UpdateMessage(std::string_view update);
std::string AwarenessMessage(const std::vector<AwarenessEntry>& entries);
std::string PermissionDenied(std::string_view reason);

// lib0 varUint encoding (exposed for tests and the fuzz target).
void WriteVarUint(std::string& out, uint64_t v);

}  // namespace sx::yjs
