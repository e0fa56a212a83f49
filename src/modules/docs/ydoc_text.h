// Writes a new Yjs document (one v1 update) holding rich text in the shape y-prosemirror and
// Tiptap's Collaboration extension read: an XmlFragment "default" of block elements
// ("paragraph", "heading" with a numeric "level" attribute), each holding one XmlText. Used for
// the demo county's documents; clients edit them like any other.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sx::yjs {

struct Block {
  std::string type = "paragraph";  // paragraph or heading
  int level = 0;                   // heading level (1–6)
  std::string text;                // UTF-8
};

std::string ProseMirrorUpdate(uint64_t client, const std::vector<Block>& blocks);

}  // namespace sx::yjs
