// Port of yjs 13.6.33 src/utils/updates.js (LazyStructReader, LazyStructWriter, sliceStruct,
// mergeUpdatesV2, diffUpdateV2, encodeStateVectorFromUpdateV2) for the v1 encoding, with the
// parts of UpdateDecoder.js, UpdateEncoder.js, DeleteSet.js, structs/*.js and lib0's
// encoding/decoding they use. Comments name the Yjs functions each piece follows.
#include "modules/docs/yupdate.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "modules/docs/v8sort.h"

namespace sx::yjs {
namespace {

using ErrorKind = UpdateError::Kind;

// Number.MAX_SAFE_INTEGER: the largest integer JavaScript, and so Yjs, holds exactly.
constexpr uint64_t kMaxSafeInteger = (uint64_t{1} << 53) - 1;
// The deepest nesting of Any values and JSON texts accepted.
constexpr int kMaxNesting = 1000;

[[noreturn]] void Fail(ErrorKind kind, const char* what) { throw UpdateError(kind, what); }

// a + b, where both are at most kMaxSafeInteger, failing if the sum is beyond it.
uint64_t SafeAdd(uint64_t a, uint64_t b) {
  if (b > kMaxSafeInteger - a) Fail(ErrorKind::kOutOfRange, "clock beyond 2^53 - 1");
  return a + b;
}

// ---- UTF-8 and UTF-16 ----

// Whether `s` is UTF-8 that lib0's TextDecoder (fatal: true) accepts: no overlong forms,
// surrogates, code points above U+10FFFF or cut sequences.
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t lead = static_cast<uint8_t>(s[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t width = 0;
    uint8_t low = 0x80;  // bounds of the second byte
    uint8_t high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      width = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      width = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      width = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (s.size() - i < width) return false;
    for (size_t k = 1; k < width; ++k) {
      const uint8_t byte = static_cast<uint8_t>(s[i + k]);
      if (byte < (k == 1 ? low : 0x80) || byte > (k == 1 ? high : 0xBF)) return false;
    }
    i += width;
  }
  return true;
}

// Bytes in the valid UTF-8 sequence that starts with `lead`.
size_t Utf8Width(uint8_t lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

// JavaScript's string length of valid UTF-8: UTF-16 code units, two for each 4-byte sequence.
uint64_t Utf16Length(std::string_view s) {
  uint64_t units = 0;
  for (const char c : s) {
    const uint8_t byte = static_cast<uint8_t>(c);
    if ((byte & 0xC0) != 0x80) units += byte >= 0xF0 ? 2 : 1;
  }
  return units;
}

// U+FFFD in UTF-8.
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// ---- lib0 decoding ----

class Decoder {
 public:
  explicit Decoder(std::string_view data) : data_(data) {}

  size_t pos() const { return pos_; }
  std::string_view data() const { return data_; }

  uint8_t ReadUint8() {
    if (pos_ == data_.size()) Fail(ErrorKind::kTruncated, "unexpected end of data");
    return static_cast<uint8_t>(data_[pos_++]);
  }

  // readVarUint: 7 bits per byte, least significant first; the high bit means "more follows".
  uint64_t ReadVarUint() { return ReadVarMagnitude(0, 0); }

  // readVarInt, discarding the value: the first byte holds 6 bits and a sign bit.
  void SkipVarInt() {
    const uint8_t first = ReadUint8();
    if (first & 0x80) ReadVarMagnitude(first & 0x3F, 6);
  }

  std::string_view ReadBytes(uint64_t length) {
    if (length > data_.size() - pos_) Fail(ErrorKind::kTruncated, "length beyond end of data");
    const std::string_view bytes = data_.substr(pos_, length);
    pos_ += length;
    return bytes;
  }

  std::string_view ReadVarUint8Array() { return ReadBytes(ReadVarUint()); }

  // readVarString: UTF-8, validated; the view is returned as it is.
  std::string_view ReadVarString() {
    const std::string_view text = ReadVarUint8Array();
    if (!IsValidUtf8(text)) Fail(ErrorKind::kInvalid, "invalid UTF-8");
    return text;
  }

  // readAny, discarding the value.
  void SkipAny(int depth) {
    if (depth > kMaxNesting) Fail(ErrorKind::kTooDeep, "Any value nested too deeply");
    switch (ReadUint8()) {
      case 127:  // undefined
      case 126:  // null
      case 121:  // false
      case 120:  // true
        return;
      case 125:
        SkipVarInt();
        return;
      case 124:  // float32
        ReadBytes(4);
        return;
      case 123:  // float64
      case 122:  // bigint64
        ReadBytes(8);
        return;
      case 119:
        ReadVarString();
        return;
      case 118:  // object: count, then (key, value) pairs
        for (uint64_t n = ReadVarUint(); n > 0; --n) {
          ReadVarString();
          SkipAny(depth + 1);
        }
        return;
      case 117:  // array
        for (uint64_t n = ReadVarUint(); n > 0; --n) SkipAny(depth + 1);
        return;
      case 116:  // Uint8Array
        ReadVarUint8Array();
        return;
      default:
        Fail(ErrorKind::kInvalid, "unknown Any type");
    }
  }

 private:
  // Continues a little-endian base-128 number whose first `shift` bits are `value`.
  uint64_t ReadVarMagnitude(uint64_t value, unsigned shift) {
    while (true) {
      const uint8_t byte = ReadUint8();
      const uint64_t bits = byte & 0x7F;
      if (bits != 0 && (shift > 52 || bits > (kMaxSafeInteger - value) >> shift)) {
        Fail(ErrorKind::kOutOfRange, "integer beyond 2^53 - 1");
      }
      value += bits << shift;
      if (byte < 0x80) return value;
      shift = std::min(shift + 7, 63u);
    }
  }

  std::string_view data_;
  size_t pos_ = 0;
};

// ---- JSON ----

// Checks JSON.parse's grammar without building values: JSON texts are copied as they are.
class JsonValidator {
 public:
  static void Validate(std::string_view text) {
    JsonValidator v(text);
    v.SkipWhitespace();
    v.Value(0);
    v.SkipWhitespace();
    if (v.pos_ != text.size()) v.Invalid();
  }

 private:
  explicit JsonValidator(std::string_view text) : text_(text) {}

  [[noreturn]] void Invalid() { Fail(ErrorKind::kInvalid, "invalid JSON"); }
  bool AtEnd() const { return pos_ == text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  char Next() {
    if (AtEnd()) Invalid();
    return text_[pos_++];
  }
  void Expect(char c) {
    if (Next() != c) Invalid();
  }
  void SkipWhitespace() {
    while (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r') ++pos_;
  }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
  static bool IsHexDigit(char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  void Value(int depth) {
    if (depth > kMaxNesting) Fail(ErrorKind::kTooDeep, "JSON nested too deeply");
    switch (Peek()) {
      case '{':
        return Object(depth);
      case '[':
        return Array(depth);
      case '"':
        return String();
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return Number();
    }
  }

  void Object(int depth) {
    Expect('{');
    SkipWhitespace();
    if (Peek() == '}') {
      ++pos_;
      return;
    }
    while (true) {
      SkipWhitespace();
      String();
      SkipWhitespace();
      Expect(':');
      SkipWhitespace();
      Value(depth + 1);
      SkipWhitespace();
      if (Next() == '}') return;
      if (text_[pos_ - 1] != ',') Invalid();
    }
  }

  void Array(int depth) {
    Expect('[');
    SkipWhitespace();
    if (Peek() == ']') {
      ++pos_;
      return;
    }
    while (true) {
      SkipWhitespace();
      Value(depth + 1);
      SkipWhitespace();
      if (Next() == ']') return;
      if (text_[pos_ - 1] != ',') Invalid();
    }
  }

  void String() {
    Expect('"');
    while (true) {
      const char c = Next();
      if (c == '"') return;
      if (static_cast<uint8_t>(c) < 0x20) Invalid();
      if (c != '\\') continue;
      const char escape = Next();
      if (escape == 'u') {
        for (int i = 0; i < 4; ++i) {
          if (!IsHexDigit(Next())) Invalid();
        }
      } else if (std::string_view("\"\\/bfnrt").find(escape) == std::string_view::npos) {
        Invalid();
      }
    }
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  void Number() {
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else {
      Digits();
    }
    if (Peek() == '.') {
      ++pos_;
      Digits();
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      Digits();
    }
  }

  void Digits() {
    if (!IsDigit(Peek())) Invalid();
    while (IsDigit(Peek())) ++pos_;
  }

  void Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) Invalid();
    pos_ += word.size();
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// ---- lib0 encoding ----

class Encoder {
 public:
  void WriteUint8(uint8_t byte) { bytes_.push_back(static_cast<char>(byte)); }

  void WriteVarUint(uint64_t n) {
    while (n > 0x7F) {
      WriteUint8(static_cast<uint8_t>(0x80 | (n & 0x7F)));
      n >>= 7;
    }
    WriteUint8(static_cast<uint8_t>(n));
  }

  void WriteBytes(std::string_view bytes) { bytes_.append(bytes); }

  // writeVarUint8Array and writeVarString: the length in bytes, then the bytes.
  void WriteVarBytes(std::string_view bytes) {
    WriteVarUint(bytes.size());
    WriteBytes(bytes);
  }

  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

// ---- Item content (structs/Content*.js) ----
// One struct per Yjs content class, holding views into the update it was read from, with the
// class's read, getLength, splice (its right part: Tail) and write(encoder, 0).

// readJSON: a varString holding JSON.
std::string_view ReadJson(Decoder& decoder) {
  const std::string_view text = decoder.ReadVarString();
  JsonValidator::Validate(text);
  return text;
}

// The encoded elements after the first `n`, each element read by `skip_element`.
template <typename SkipElement>
std::string_view DropElements(std::string_view encoded, uint64_t n, SkipElement skip_element) {
  Decoder decoder(encoded);
  for (uint64_t i = 0; i < n; ++i) skip_element(decoder);
  return encoded.substr(decoder.pos());
}

// ContentDeleted: `length` deleted clocks.
struct ContentDeleted {
  uint64_t length;
};
uint64_t Length(const ContentDeleted& c) { return c.length; }
ContentDeleted Tail(const ContentDeleted& c, uint64_t offset) { return {c.length - offset}; }
void Write(Encoder& encoder, const ContentDeleted& c) { encoder.WriteVarUint(c.length); }

// ContentJSON: `count` varStrings, each JSON or the word "undefined", as encoded.
struct ContentJson {
  uint64_t count;
  std::string_view encoded;
};
ContentJson ReadContentJson(Decoder& decoder) {
  const uint64_t count = decoder.ReadVarUint();
  const size_t start = decoder.pos();
  for (uint64_t i = 0; i < count; ++i) {
    const std::string_view text = decoder.ReadVarString();
    if (text != "undefined") JsonValidator::Validate(text);
  }
  return {count, decoder.data().substr(start, decoder.pos() - start)};
}
uint64_t Length(const ContentJson& c) { return c.count; }
ContentJson Tail(const ContentJson& c, uint64_t offset) {
  return {c.count - offset,
          DropElements(c.encoded, offset, [](Decoder& d) { d.ReadVarUint8Array(); })};
}
void Write(Encoder& encoder, const ContentJson& c) {
  encoder.WriteVarUint(c.count);
  Decoder elements(c.encoded);
  for (uint64_t i = 0; i < c.count; ++i) encoder.WriteVarBytes(elements.ReadVarUint8Array());
}

// ContentBinary
struct ContentBinary {
  std::string_view bytes;
};
void Write(Encoder& encoder, const ContentBinary& c) { encoder.WriteVarBytes(c.bytes); }

// ContentString: the JavaScript string `utf8`, preceded by U+FFFD if `lead_replacement`.
// Splitting a string inside a surrogate pair replaces the pair's low half, which starts the
// right part, with U+FFFD (and the high half, which ends the discarded left part).
struct ContentString {
  std::string_view utf8;
  bool lead_replacement;
  uint64_t length;  // in UTF-16 code units
};
ContentString ReadContentString(Decoder& decoder) {
  const std::string_view text = decoder.ReadVarString();
  return {text, false, Utf16Length(text)};
}
uint64_t Length(const ContentString& c) { return c.length; }
ContentString Tail(const ContentString& string, uint64_t offset) {
  ContentString c = string;
  c.length -= offset;
  if (c.lead_replacement) {
    c.lead_replacement = false;
    --offset;
  }
  size_t i = 0;
  while (offset > 0 && i < c.utf8.size()) {
    const size_t width = Utf8Width(static_cast<uint8_t>(c.utf8[i]));
    const uint64_t units = width == 4 ? 2 : 1;
    c.lead_replacement = units > offset;  // the split falls inside this surrogate pair
    offset -= std::min(units, offset);
    i += width;
  }
  c.utf8.remove_prefix(std::min(i, c.utf8.size()));
  return c;
}
void Write(Encoder& encoder, const ContentString& c) {
  if (c.lead_replacement) {
    encoder.WriteVarUint(kReplacementCharacter.size() + c.utf8.size());
    encoder.WriteBytes(kReplacementCharacter);
    encoder.WriteBytes(c.utf8);
  } else {
    encoder.WriteVarBytes(c.utf8);
  }
}

// ContentEmbed: a JSON text.
struct ContentEmbed {
  std::string_view json;
};
void Write(Encoder& encoder, const ContentEmbed& c) { encoder.WriteVarBytes(c.json); }

// ContentFormat: a formatting attribute's key and JSON value.
struct ContentFormat {
  std::string_view key;
  std::string_view json;
};
ContentFormat ReadContentFormat(Decoder& decoder) {
  const std::string_view key = decoder.ReadVarString();
  return {key, ReadJson(decoder)};
}
void Write(Encoder& encoder, const ContentFormat& c) {
  encoder.WriteVarBytes(c.key);
  encoder.WriteVarBytes(c.json);
}

// ContentType: 0 YArray, 1 YMap, 2 YText, 3 YXmlElement, 4 YXmlFragment, 5 YXmlHook, 6 YXmlText.
constexpr uint64_t kYXmlElementRef = 3;
constexpr uint64_t kYXmlHookRef = 5;
constexpr uint64_t kYXmlTextRef = 6;
struct ContentType {
  uint64_t type_ref;
  std::string_view name;  // nodeName of a YXmlElement, hookName of a YXmlHook
};
bool HasName(const ContentType& c) {
  return c.type_ref == kYXmlElementRef || c.type_ref == kYXmlHookRef;
}
ContentType ReadContentType(Decoder& decoder) {
  ContentType c{decoder.ReadVarUint(), {}};
  if (c.type_ref > kYXmlTextRef) Fail(ErrorKind::kInvalid, "unknown type ref");
  if (HasName(c)) c.name = decoder.ReadVarString();
  return c;
}
void Write(Encoder& encoder, const ContentType& c) {
  encoder.WriteVarUint(c.type_ref);
  if (HasName(c)) encoder.WriteVarBytes(c.name);
}

// ContentAny: `count` lib0 Any values, as encoded.
struct ContentAny {
  uint64_t count;
  std::string_view encoded;
};
ContentAny ReadContentAny(Decoder& decoder) {
  const uint64_t count = decoder.ReadVarUint();
  const size_t start = decoder.pos();
  for (uint64_t i = 0; i < count; ++i) decoder.SkipAny(0);
  return {count, decoder.data().substr(start, decoder.pos() - start)};
}
uint64_t Length(const ContentAny& c) { return c.count; }
ContentAny Tail(const ContentAny& c, uint64_t offset) {
  return {c.count - offset, DropElements(c.encoded, offset, [](Decoder& d) { d.SkipAny(0); })};
}
void Write(Encoder& encoder, const ContentAny& c) {
  encoder.WriteVarUint(c.count);
  encoder.WriteBytes(c.encoded);
}

// ContentDoc: a subdocument's guid and options (an encoded Any).
struct ContentDoc {
  std::string_view guid;
  std::string_view options;
};
ContentDoc ReadContentDoc(Decoder& decoder) {
  const std::string_view guid = decoder.ReadVarString();
  const size_t start = decoder.pos();
  decoder.SkipAny(0);
  const std::string_view options = decoder.data().substr(start, decoder.pos() - start);
  // Yjs reads `opts.shouldLoad`, which throws for null (126) and undefined (127).
  if (options[0] == '\x7E' || options[0] == '\x7F') {
    Fail(ErrorKind::kInvalid, "subdocument options are null or undefined");
  }
  return {guid, options};
}
void Write(Encoder& encoder, const ContentDoc& c) {
  encoder.WriteVarBytes(c.guid);
  encoder.WriteBytes(c.options);
}

// Content of length 1 is never split; Yjs's splice throws methodUnimplemented for it.
template <typename C>
uint64_t Length(const C&) {
  return 1;
}
template <typename C>
C Tail(const C&, uint64_t) {
  throw std::logic_error("splitting content of length 1");
}

// The alternatives are in content ref order, 1 to 9.
using Content = std::variant<ContentDeleted, ContentJson, ContentBinary, ContentString,
                             ContentEmbed, ContentFormat, ContentType, ContentAny, ContentDoc>;

uint8_t ContentRef(const Content& content) { return static_cast<uint8_t>(content.index() + 1); }

// readItemContent
Content ReadContent(Decoder& decoder, uint8_t ref) {
  switch (ref) {
    case 1:
      return ContentDeleted{decoder.ReadVarUint()};
    case 2:
      return ReadContentJson(decoder);
    case 3:
      return ContentBinary{decoder.ReadVarUint8Array()};
    case 4:
      return ReadContentString(decoder);
    case 5:
      return ContentEmbed{ReadJson(decoder)};
    case 6:
      return ReadContentFormat(decoder);
    case 7:
      return ReadContentType(decoder);
    case 8:
      return ReadContentAny(decoder);
    case 9:
      return ReadContentDoc(decoder);
    default:
      Fail(ErrorKind::kInvalid, "unknown content type");
  }
}

uint64_t ContentLength(const Content& content) {
  return std::visit([](const auto& c) { return Length(c); }, content);
}

// content.splice(offset)'s right part, for 0 < offset < length.
Content ContentTail(const Content& content, uint64_t offset) {
  return std::visit([offset](const auto& c) { return Content(Tail(c, offset)); }, content);
}

void WriteContent(Encoder& encoder, const Content& content) {
  std::visit([&encoder](const auto& c) { Write(encoder, c); }, content);
}

// ---- Structs (structs/GC.js, Skip.js, Item.js) ----

struct Id {
  uint64_t client = 0;
  uint64_t clock = 0;
};

enum class StructKind { kGC, kSkip, kItem };

constexpr uint8_t kGCRef = 0;     // structGCRefNumber
constexpr uint8_t kSkipRef = 10;  // structSkipRefNumber
constexpr uint8_t kBit8 = 0x80;   // info: origin present
constexpr uint8_t kBit7 = 0x40;   // info: right origin present
constexpr uint8_t kBit6 = 0x20;   // info: parentSub present
constexpr uint8_t kBits5 = 0x1F;  // info: content ref

struct Struct {
  StructKind kind = StructKind::kGC;
  Id id;
  uint64_t length = 0;
  // Items only.
  std::optional<Id> origin;
  std::optional<Id> right_origin;
  // A root type's name or the parent item's id; read only when neither origin is present.
  std::variant<std::monostate, std::string_view, Id> parent;
  std::optional<std::string_view> parent_sub;
  Content content;
};

uint64_t End(const Struct& s) { return s.id.clock + s.length; }

Id ReadId(Decoder& decoder) {
  const uint64_t client = decoder.ReadVarUint();
  const uint64_t clock = decoder.ReadVarUint();
  return {client, clock};
}

// The Item part of lazyStructReaderGenerator.
void ReadItem(Decoder& decoder, uint8_t info, Struct& item) {
  item.kind = StructKind::kItem;
  if (info & kBit8) item.origin = ReadId(decoder);
  if (info & kBit7) item.right_origin = ReadId(decoder);
  const bool cant_copy_parent_info = (info & (kBit8 | kBit7)) == 0;
  if (cant_copy_parent_info) {
    const bool is_root_key = decoder.ReadVarUint() == 1;  // readParentInfo
    if (is_root_key) {
      item.parent = decoder.ReadVarString();
    } else {
      item.parent = ReadId(decoder);
    }
    if (info & kBit6) item.parent_sub = decoder.ReadVarString();
  }
  item.content = ReadContent(decoder, info & kBits5);
  item.length = ContentLength(item.content);
}

// One struct of lazyStructReaderGenerator, at `id`.
Struct ReadStruct(Decoder& decoder, Id id) {
  Struct s;
  s.id = id;
  const uint8_t info = decoder.ReadUint8();
  if (info == kSkipRef) {
    s.kind = StructKind::kSkip;
    s.length = decoder.ReadVarUint();
  } else if (info & kBits5) {
    ReadItem(decoder, info, s);
  } else {
    s.kind = StructKind::kGC;
    s.length = decoder.ReadVarUint();
  }
  SafeAdd(s.id.clock, s.length);
  return s;
}

void WriteId(Encoder& encoder, Id id) {
  encoder.WriteVarUint(id.client);
  encoder.WriteVarUint(id.clock);
}

// Item.write(encoder, 0)
void WriteItem(Encoder& encoder, const Struct& item) {
  const uint8_t info = ContentRef(item.content) | (item.origin ? kBit8 : 0) |
                       (item.right_origin ? kBit7 : 0) | (item.parent_sub ? kBit6 : 0);
  encoder.WriteUint8(info);
  if (item.origin) WriteId(encoder, *item.origin);
  if (item.right_origin) WriteId(encoder, *item.right_origin);
  if (!item.origin && !item.right_origin) {
    if (const auto* key = std::get_if<std::string_view>(&item.parent)) {
      encoder.WriteVarUint(1);
      encoder.WriteVarBytes(*key);
    } else {
      encoder.WriteVarUint(0);
      WriteId(encoder, std::get<Id>(item.parent));
    }
    if (item.parent_sub) encoder.WriteVarBytes(*item.parent_sub);
  }
  WriteContent(encoder, item.content);
}

// GC.write, Skip.write and Item.write, all with offset 0.
void WriteStruct(Encoder& encoder, const Struct& s) {
  switch (s.kind) {
    case StructKind::kGC:
      encoder.WriteUint8(kGCRef);
      encoder.WriteVarUint(s.length);
      return;
    case StructKind::kSkip:
      encoder.WriteUint8(kSkipRef);
      encoder.WriteVarUint(s.length);
      return;
    case StructKind::kItem:
      WriteItem(encoder, s);
      return;
  }
}

// sliceStruct: the part of `left` after its first `diff` clocks, 0 < diff < left.length. A sliced
// item's origin is the clock before it. Writing a struct with an offset (struct.write(encoder,
// offset) in Yjs) gives the same bytes as writing it sliced by that offset.
Struct SliceStruct(const Struct& left, uint64_t diff) {
  Struct right = left;
  right.id.clock += diff;
  right.length -= diff;
  if (left.kind == StructKind::kItem) {
    right.origin = Id{left.id.client, left.id.clock + diff - 1};
    right.content = ContentTail(left.content, diff);
  }
  return right;
}

// mergeWith: GC with GC and Skip with Skip. Item.mergeWith requires `this.right === right`,
// which never holds for items read from an update (their `right` is null), so items never merge.
bool MergeWith(Struct& left, const Struct& right) {
  if (left.kind != right.kind || left.kind == StructKind::kItem) return false;
  left.length += right.length;
  return true;
}

Struct MakeSkip(Id id, uint64_t length) {
  Struct skip;
  skip.kind = StructKind::kSkip;
  skip.id = id;
  skip.length = length;
  return skip;
}

// ---- LazyStructReader ----

// Reads the structs of an update one at a time (lazyStructReaderGenerator), optionally
// skipping Skip structs. Its decoder is left at the delete set once every struct is read.
class LazyStructReader {
 public:
  LazyStructReader(std::string_view update, bool filter_skips)
      : decoder_(update), filter_skips_(filter_skips) {
    clients_left_ = decoder_.ReadVarUint();
    Next();
  }

  // The current struct; null once all are read. Valid until the next call to Next().
  const Struct* curr() const { return curr_ ? &*curr_ : nullptr; }

  const Struct* Next() {
    do {
      curr_ = ReadNext();
    } while (filter_skips_ && curr_ && curr_->kind == StructKind::kSkip);
    return curr();
  }

  Decoder& decoder() { return decoder_; }

 private:
  std::optional<Struct> ReadNext() {
    while (structs_left_ == 0) {
      if (clients_left_ == 0) return std::nullopt;
      --clients_left_;
      structs_left_ = decoder_.ReadVarUint();
      client_ = decoder_.ReadVarUint();
      clock_ = decoder_.ReadVarUint();
    }
    --structs_left_;
    Struct s = ReadStruct(decoder_, {client_, clock_});
    clock_ = End(s);
    return s;
  }

  Decoder decoder_;
  bool filter_skips_;
  uint64_t clients_left_ = 0;
  uint64_t structs_left_ = 0;
  uint64_t client_ = 0;
  uint64_t clock_ = 0;
  std::optional<Struct> curr_;
};

// ---- LazyStructWriter ----

// Writes structs client by client, counting them, since an update states each client's number
// of structs before the structs.
class LazyStructWriter {
 public:
  // writeStructToLazyStructWriter
  void Write(const Struct& s) {
    if (written_ > 0 && current_client_ != s.id.client) Flush();
    if (written_ == 0) {
      current_client_ = s.id.client;
      rest_.WriteVarUint(s.id.client);
      rest_.WriteVarUint(s.id.clock);
    }
    WriteStruct(rest_, s);
    ++written_;
  }

  // finishLazyStructWriting: the struct section of the update; the delete set follows.
  Encoder Finish() {
    Flush();
    Encoder update;
    update.WriteVarUint(client_structs_.size());
    for (const auto& [written, bytes] : client_structs_) {
      update.WriteVarUint(written);
      update.WriteBytes(bytes);
    }
    return update;
  }

 private:
  // flushLazyStructWriter
  void Flush() {
    if (written_ == 0) return;
    client_structs_.emplace_back(written_, std::move(rest_.bytes()));
    rest_ = Encoder();
    written_ = 0;
  }

  uint64_t current_client_ = 0;
  uint64_t written_ = 0;
  Encoder rest_;
  std::vector<std::pair<uint64_t, std::string>> client_structs_;
};

// ---- Delete sets (DeleteSet.js) ----

struct DeleteItem {
  uint64_t clock;
  uint64_t length;
};

// Deleted ranges per client, in the order read. Yjs keeps a Map; its order never shows, because
// writeDeleteSet sorts clients from high to low.
using DeleteSet = std::map<uint64_t, std::vector<DeleteItem>>;

// readDeleteSet: a client listed twice gets both lists; a client with no ranges is left out.
DeleteSet ReadDeleteSet(Decoder& decoder) {
  DeleteSet ds;
  for (uint64_t clients = decoder.ReadVarUint(); clients > 0; --clients) {
    const uint64_t client = decoder.ReadVarUint();
    const uint64_t count = decoder.ReadVarUint();
    for (uint64_t i = 0; i < count; ++i) {
      const uint64_t clock = decoder.ReadVarUint();
      const uint64_t length = decoder.ReadVarUint();
      SafeAdd(clock, length);
      ds[client].push_back({clock, length});
    }
  }
  return ds;
}

// sortAndMergeDeleteSet: sorts each client's ranges by clock and joins those that touch or
// overlap.
void SortAndMergeDeleteSet(DeleteSet& ds) {
  for (auto& [client, dels] : ds) {
    std::stable_sort(dels.begin(), dels.end(),
                     [](const DeleteItem& a, const DeleteItem& b) { return a.clock < b.clock; });
    size_t j = 1;
    for (size_t i = 1; i < dels.size(); ++i) {
      DeleteItem& left = dels[j - 1];
      const DeleteItem& right = dels[i];
      if (left.clock + left.length >= right.clock) {
        left.length = std::max(left.length, right.clock + right.length - left.clock);
      } else {
        dels[j++] = right;
      }
    }
    dels.resize(j);
  }
}

// mergeDeleteSets: each client's ranges from every set, in the order of the sets.
DeleteSet MergeDeleteSets(const std::vector<DeleteSet>& dss) {
  DeleteSet merged;
  for (const DeleteSet& ds : dss) {
    for (const auto& [client, dels] : ds) {
      auto& into = merged[client];
      into.insert(into.end(), dels.begin(), dels.end());
    }
  }
  SortAndMergeDeleteSet(merged);
  return merged;
}

// writeDeleteSet: clients from high to low, ranges in their order.
void WriteDeleteSet(Encoder& encoder, const DeleteSet& ds) {
  encoder.WriteVarUint(ds.size());
  for (auto it = ds.rbegin(); it != ds.rend(); ++it) {
    encoder.WriteVarUint(it->first);
    encoder.WriteVarUint(it->second.size());
    for (const DeleteItem& item : it->second) {
      encoder.WriteVarUint(item.clock);
      encoder.WriteVarUint(item.length);
    }
  }
}

// ---- mergeUpdatesV2 ----

// mergeUpdatesV2's sort comparator: higher clients first, then lower clocks. Its tie-break was
// meant to put Skips last (readers here filter Skips), but for a GC and an Item at the same id
// it answers -1 both ways, so their order depends on V8's sort, which SortLikeV8 reproduces.
int CompareReaders(const LazyStructReader* a, const LazyStructReader* b) {
  const Struct& x = *a->curr();
  const Struct& y = *b->curr();
  if (x.id.client != y.id.client) return y.id.client > x.id.client ? 1 : -1;
  if (x.id.clock != y.id.clock) return x.id.clock > y.id.clock ? 1 : -1;
  return x.kind == y.kind ? 0 : -1;
}

// The part of mergeUpdatesV2's loop that runs when a struct is pending (`currWrite`): skip what
// was written already, then write `curr_write` and take the next struct, or fill a gap with a
// Skip, or merge. Returns false where Yjs `continue`s to sort the readers again.
//
// Yjs also extends or shortens `currWrite` when it is a Skip. It never is here: the caller's loop
// writes a gap Skip right after it is made, since the struct after the gap is next in line.
bool AdvanceCurrWrite(LazyStructReader& curr_decoder, uint64_t first_client, Struct& curr_write,
                      LazyStructWriter& writer) {
  const Struct* curr = curr_decoder.curr();
  bool iterated = false;
  // Iterate until something not yet written; remember that higher clients are written first.
  while (curr && End(*curr) <= End(curr_write) && curr->id.client >= curr_write.id.client) {
    curr = curr_decoder.Next();
    iterated = true;
  }
  if (!curr || curr->id.client != first_client || (iterated && curr->id.clock > End(curr_write))) {
    return false;  // another reader may hold what comes next
  }
  if (first_client != curr_write.id.client) {
    writer.Write(curr_write);
    curr_write = *curr;
    curr_decoder.Next();
  } else if (End(curr_write) < curr->id.clock) {
    writer.Write(curr_write);
    const uint64_t gap = End(curr_write);
    curr_write = MakeSkip({first_client, gap}, curr->id.clock - gap);
  } else {
    const uint64_t diff = End(curr_write) - curr->id.clock;
    const Struct next = diff > 0 ? SliceStruct(*curr, diff) : *curr;
    if (!MergeWith(curr_write, next)) {
      writer.Write(curr_write);
      curr_write = next;
      curr_decoder.Next();
    }
  }
  return true;
}

// ---- diffUpdateV2 ----

// decodeStateVector: client -> next clock; the last entry for a client wins.
std::map<uint64_t, uint64_t> DecodeStateVector(std::string_view state_vector) {
  Decoder decoder(state_vector);
  std::map<uint64_t, uint64_t> state;
  for (uint64_t n = decoder.ReadVarUint(); n > 0; --n) {
    const uint64_t client = decoder.ReadVarUint();
    const uint64_t clock = decoder.ReadVarUint();
    state[client] = clock;
  }
  return state;
}

}  // namespace

std::string MergeUpdates(const std::vector<std::string_view>& updates) {
  if (updates.size() == 1) return std::string(updates[0]);
  std::vector<LazyStructReader> readers;
  readers.reserve(updates.size());
  for (const std::string_view update : updates) readers.emplace_back(update, true);
  std::vector<LazyStructReader*> decoders;  // lazyStructDecoders
  for (LazyStructReader& reader : readers) decoders.push_back(&reader);

  std::optional<Struct> curr_write;
  LazyStructWriter writer;
  while (true) {
    std::erase_if(decoders, [](const LazyStructReader* d) { return d->curr() == nullptr; });
    SortLikeV8(decoders, CompareReaders);
    if (decoders.empty()) break;
    LazyStructReader& curr_decoder = *decoders.front();
    // Write from curr_decoder until the next struct is another client's or leaves a gap.
    const uint64_t first_client = curr_decoder.curr()->id.client;
    if (curr_write) {
      if (!AdvanceCurrWrite(curr_decoder, first_client, *curr_write, writer)) continue;
    } else {
      curr_write = *curr_decoder.curr();
      curr_decoder.Next();
    }
    for (const Struct* next = curr_decoder.curr();
         next && next->id.client == first_client && next->id.clock == End(*curr_write);
         next = curr_decoder.Next()) {
      writer.Write(*curr_write);
      curr_write = *next;
    }
  }
  if (curr_write) writer.Write(*curr_write);
  Encoder encoder = writer.Finish();

  std::vector<DeleteSet> dss;
  dss.reserve(readers.size());
  for (LazyStructReader& reader : readers) dss.push_back(ReadDeleteSet(reader.decoder()));
  WriteDeleteSet(encoder, MergeDeleteSets(dss));
  return std::move(encoder.bytes());
}

std::string DiffUpdate(std::string_view update, std::string_view state_vector) {
  const std::map<uint64_t, uint64_t> state = DecodeStateVector(state_vector);
  LazyStructWriter writer;
  LazyStructReader reader(update, false);
  while (const Struct* curr = reader.curr()) {
    const uint64_t curr_client = curr->id.client;
    const auto known = state.find(curr_client);
    const uint64_t sv_clock = known == state.end() ? 0 : known->second;
    if (curr->kind == StructKind::kSkip) {
      reader.Next();  // the first written struct shouldn't be a Skip
      continue;
    }
    if (End(*curr) > sv_clock) {
      // Write from sv_clock on, then the rest of this client's run.
      if (sv_clock > curr->id.clock) {
        writer.Write(SliceStruct(*curr, sv_clock - curr->id.clock));
      } else {
        writer.Write(*curr);
      }
      for (curr = reader.Next(); curr && curr->id.client == curr_client; curr = reader.Next()) {
        writer.Write(*curr);
      }
    } else {
      // Read until something new comes up.
      do {
        curr = reader.Next();
      } while (curr && curr->id.client == curr_client && End(*curr) <= sv_clock);
    }
  }
  Encoder encoder = writer.Finish();
  WriteDeleteSet(encoder, ReadDeleteSet(reader.decoder()));
  return std::move(encoder.bytes());
}

std::string EncodeStateVectorFromUpdate(std::string_view update) {
  LazyStructReader reader(update, false);
  const Struct* curr = reader.curr();
  Encoder entries;
  uint64_t size = 0;
  if (curr) {
    uint64_t curr_client = curr->id.client;
    bool stop_counting = curr->id.clock != 0;  // must start at 0
    uint64_t curr_clock = stop_counting ? 0 : End(*curr);
    for (; curr; curr = reader.Next()) {
      if (curr_client != curr->id.client) {
        if (curr_clock != 0) {
          ++size;
          entries.WriteVarUint(curr_client);
          entries.WriteVarUint(curr_clock);
        }
        curr_client = curr->id.client;
        curr_clock = 0;
        stop_counting = curr->id.clock != 0;
      }
      if (curr->kind == StructKind::kSkip) stop_counting = true;  // Skips end the known range
      if (!stop_counting) curr_clock = End(*curr);
    }
    if (curr_clock != 0) {
      ++size;
      entries.WriteVarUint(curr_client);
      entries.WriteVarUint(curr_clock);
    }
  }
  Encoder state_vector;
  state_vector.WriteVarUint(size);
  state_vector.WriteBytes(entries.bytes());
  return std::move(state_vector.bytes());
}

void ValidateUpdate(std::string_view update) {
  // Beyond what the decoder checks: Yjs writes each client's structs once, as one contiguous run.
  // A client listed twice, or a run with a gap, can be merged or diffed into runs whose clocks
  // no longer add up, so a server that must serve what it stores refuses them here.
  LazyStructReader reader(update, false);
  std::set<uint64_t> done;
  std::optional<Id> prev;
  uint64_t prev_end = 0;
  for (const Struct* s = reader.curr(); s; s = reader.Next()) {
    if (prev && s->id.client == prev->client) {
      if (s->id.clock != prev_end)
        Fail(ErrorKind::kInvalid, "a client's structs are not contiguous");
    } else {
      if (!done.insert(s->id.client).second) Fail(ErrorKind::kInvalid, "a client listed twice");
    }
    prev = s->id;
    prev_end = End(*s);
  }
  ReadDeleteSet(reader.decoder());
}

void ValidateStateVector(std::string_view state_vector) { DecodeStateVector(state_vector); }

}  // namespace sx::yjs
