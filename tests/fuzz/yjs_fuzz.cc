// libFuzzer target for what the sync server decodes from clients: y-websocket frames
// (yprotocol.h) and Yjs v1 updates and state vectors (yupdate.h). Built with clang under
// AddressSanitizer and UndefinedBehaviorSanitizer by scripts/fuzz.sh and run for a bounded time by
// tests/modules/docs/fuzz.test.mjs. The first input byte picks the entry point; the rest is the
// data. Besides memory errors and undefined behaviour, it traps when an update that validates
// cannot then be merged, diffed or summarised (the server stores only validated updates and
// must be able to serve them).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "modules/docs/yprotocol.h"
#include "modules/docs/yupdate.h"

using namespace sx::yjs;

namespace {

// Client 7 inserting "你好" into the root text "t".
const std::string kNiHao("\x01\x01\x07\x00\x04\x01\x01\x74\x06\xe4\xbd\xa0\xe5\xa5\xbd\x00", 16);

// What the functions write must read back (a full read, as DiffUpdate against an empty state
// vector does; the stricter ValidateUpdate is for clients' updates only: Yjs's own merge may
// list a client twice).
void Readable(std::string_view update) { DiffUpdate(update, std::string_view("\0", 1)); }

// An update that validated must be usable.
void Serve(std::string_view update) {
  std::string sv = EncodeStateVectorFromUpdate(update);
  ValidateStateVector(sv);
  Readable(DiffUpdate(update, sv));
  Readable(DiffUpdate(update, std::string_view("\0", 1)));
  std::string merged = MergeUpdates({update, kNiHao});
  Readable(merged);
  EncodeStateVectorFromUpdate(merged);
  Readable(DiffUpdate(merged, sv));
}

void Frame(std::string_view in) {
  Message m = ParseMessage(in);
  switch (m.type) {
    case MessageType::kSyncStep1:
      ValidateStateVector(m.payload);
      DiffUpdate(kNiHao, m.payload);
      break;
    case MessageType::kSyncStep2:
    case MessageType::kUpdate:
      ValidateUpdate(m.payload);
      try {
        Serve(m.payload);
      } catch (const UpdateError&) {
        __builtin_trap();
      }
      break;
    case MessageType::kAwareness:
      for (auto& e : ParseAwareness(m.payload)) (void)e;
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 4) {
      case 0:
        Frame(in);
        break;
      case 1:
        ValidateUpdate(in);
        try {
          Serve(in);
        } catch (const UpdateError&) {
          __builtin_trap();
        }
        break;
      case 2: {  // two updates: split at the position the next byte names
        if (in.empty()) break;
        size_t cut = static_cast<uint8_t>(in[0]) % in.size();
        MergeUpdates({in.substr(1, cut), in.substr(1 + cut)});
        break;
      }
      case 3: {
        if (in.empty()) break;
        size_t cut = static_cast<uint8_t>(in[0]) % in.size();
        DiffUpdate(in.substr(1 + cut), in.substr(1, cut));
        break;
      }
    }
  } catch (const ProtocolError&) {
  } catch (const UpdateError&) {
  }
  return 0;
}
