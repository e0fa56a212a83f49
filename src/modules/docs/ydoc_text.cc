#include "modules/docs/ydoc_text.h"

#include "modules/docs/yprotocol.h"

namespace sx::yjs {

namespace {

uint64_t Utf16Length(const std::string& s) {
  uint64_t n = 0;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t w = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n += w == 4 ? 2 : 1;
    i += w;
  }
  return n;
}

void Str(std::string& out, const std::string& s) {
  WriteVarUint(out, s.size());
  out += s;
}

}  // namespace

std::string ProseMirrorUpdate(uint64_t client, const std::vector<Block>& blocks) {
  // Struct info: low 5 bits content kind (4 string, 7 type, 8 any); 0x80 origin (left
  // neighbour) present; 0x20 parentSub (a map key) present. Without an origin the parent is
  // written: 1 + root name, or 0 + the parent item's id.
  std::string structs;
  uint64_t clock = 0, count = 0;
  uint64_t prev_block = 0;
  bool first = true;
  for (auto& b : blocks) {
    uint64_t block = clock;
    if (first) {
      structs.push_back(7);
      WriteVarUint(structs, 1);
      Str(structs, "default");
    } else {
      structs.push_back(static_cast<char>(7 | 0x80));
      WriteVarUint(structs, client);
      WriteVarUint(structs, prev_block);
    }
    WriteVarUint(structs, 3);  // YXmlElement
    Str(structs, b.type);
    ++clock;
    ++count;
    if (b.type == "heading") {  // attribute level = b.level (lib0 Any varInt)
      structs.push_back(static_cast<char>(8 | 0x20));
      WriteVarUint(structs, 0);
      WriteVarUint(structs, client);
      WriteVarUint(structs, block);
      Str(structs, "level");
      WriteVarUint(structs, 1);
      structs.push_back(static_cast<char>(125));
      structs.push_back(static_cast<char>(b.level & 0x3f));
      ++clock;
      ++count;
    }
    uint64_t text = clock;
    structs.push_back(7);  // YXmlText inside the block
    WriteVarUint(structs, 0);
    WriteVarUint(structs, client);
    WriteVarUint(structs, block);
    WriteVarUint(structs, 6);
    ++clock;
    ++count;
    if (!b.text.empty()) {
      structs.push_back(4);
      WriteVarUint(structs, 0);
      WriteVarUint(structs, client);
      WriteVarUint(structs, text);
      Str(structs, b.text);
      clock += Utf16Length(b.text);
      ++count;
    }
    prev_block = block;
    first = false;
  }
  std::string out;
  if (count == 0) return std::string("\0\0", 2);
  WriteVarUint(out, 1);
  WriteVarUint(out, count);
  WriteVarUint(out, client);
  WriteVarUint(out, 0);
  out += structs;
  WriteVarUint(out, 0);  // empty delete set
  return out;
}

}  // namespace sx::yjs
