// Yjs document updates without a document: a C++ port of the "lazy" update functions of
// yjs 13.6.33 (src/utils/updates.js), for the v1 update format that y-protocols uses.
//
// Byte-for-byte contract: for updates that Yjs itself wrote (any mix of Y.Doc updates,
// encodeStateAsUpdate results and outputs of these functions), each function returns exactly the
// bytes its Yjs counterpart returns under Node 20, except for the value forms listed next.
//
// Content values are carried as their encoded bytes. Yjs instead decodes them and encodes them
// again: JSON.parse/JSON.stringify for JSON, embed and format values, lib0 readAny/writeAny for
// Any values, and subdocument options rebuilt from gc: false, autoLoad: true and a non-null meta.
// Both give the same bytes for values Yjs wrote. Values in another form (a float64 that fits a
// varInt, a NaN with a payload, JSON with spaces or "-0", other subdocument options, an object
// key "__proto__", which readAny drops) are copied as they are where Yjs would rewrite them; a
// Yjs client that reads either form gets the same values.
//
// Validation: every function rejects, by throwing UpdateError, what Yjs's decoder rejects on the
// same call (truncated data, unknown struct or content kinds, type refs above 6, invalid UTF-8,
// invalid JSON, unknown Any tags, null or undefined subdocument options), plus three things Yjs
// accepts but cannot represent exactly: integers above 2^53 - 1 (Yjs rounds them), clock ranges
// ending above 2^53 - 1, and Any or JSON values nested deeper than 1000 levels (Yjs goes on
// until the JavaScript stack runs out). Yjs reads a varInt at the very end of the data as 0;
// the port reports it as truncated. Nothing is read outside the input, and memory grows with the
// input's size, never with a count or length field read from it. Bytes after the delete set are
// ignored, as Yjs ignores them.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sx::yjs {

// Thrown for input that is not a well-formed v1 update or state vector.
class UpdateError : public std::runtime_error {
 public:
  enum class Kind {
    kTruncated,   // the data ends inside a value, or a length runs past its end
    kOutOfRange,  // an integer or a clock range beyond 2^53 - 1
    kInvalid,     // an unknown kind, invalid UTF-8, JSON or Any, null subdocument options
    kTooDeep,     // Any or JSON nested deeper than 1000 levels
  };
  UpdateError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

// Y.mergeUpdates: one update holding everything in `updates`. Overlapping structs are written
// once, gaps between structs of one client are filled with Skip structs, and the delete sets are
// merged. As in Yjs, a single update is returned unchanged without being read, and no updates
// give the empty update (00 00).
std::string MergeUpdates(const std::vector<std::string_view>& updates);

// Y.diffUpdate: the part of `update` that a peer with `state_vector` lacks: the structs from
// each client's clock in the state vector on (sliced where needed), and the whole delete set.
std::string DiffUpdate(std::string_view update, std::string_view state_vector);

// Y.encodeStateVectorFromUpdate: for each client's run of structs in `update` that starts at
// clock 0, the clock after its last struct before the first Skip (as in Yjs, gaps are not
// checked otherwise, and a client appearing in two runs gets two entries). Reads the structs
// only, not the delete set.
std::string EncodeStateVectorFromUpdate(std::string_view update);

// Reads a whole update (structs and delete set) as the functions above do, throwing
// UpdateError where they would, and also (kInvalid) for a client listed twice or a client's
// structs with a gap, which Yjs never writes: what a server checks before it stores an update
// from a client.
void ValidateUpdate(std::string_view update);
// Reads a state vector, throwing UpdateError if it is malformed.
void ValidateStateVector(std::string_view state_vector);

}  // namespace sx::yjs
