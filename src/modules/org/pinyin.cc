#include "modules/org/pinyin.h"

#include <span>
#include <utility>

#include "core/util/strings.h"

namespace sx::embedded {
std::span<const std::pair<std::string_view, std::string_view>> seeds();
}

namespace sx::org {

std::string_view SeedFile(std::string_view path) {
  for (auto& [k, v] : embedded::seeds())
    if (k == path) return v;
  return {};
}

Pinyin::Pinyin() {
  for (auto line : util::Split(SeedFile("seed/hanzi-pinyin.tsv"), '\n')) {
    auto cols = util::Split(line, '\t');
    if (cols.size() < 2) continue;
    auto cps = util::CodePoints(cols[0]);
    if (cps.size() == 1) chars_.emplace(cps[0], std::string(cols[1]));
  }
  for (auto line : util::Split(SeedFile("seed/surnames.tsv"), '\n')) {
    auto cols = util::Split(line, '\t');
    if (cols.size() < 2 || cols[0].empty() || cols[0][0] == '#') continue;
    surnames_.emplace(std::string(cols[0]), std::string(cols[1]));
  }
}

PinyinOf Pinyin::Of(std::string_view text, bool is_person_name) const {
  PinyinOf out;
  auto add_syllables = [&](std::string_view syl) {
    for (auto s : util::Split(syl, ' ')) {
      if (s.empty()) continue;
      out.full += s;
      out.initials += s[0];
    }
  };
  auto cps = util::CodePoints(text);
  size_t i = 0;
  if (is_person_name && !cps.empty()) {
    // Longest surname match first (two-character surnames such as 欧阳).
    for (size_t len : {size_t{2}, size_t{1}}) {
      if (cps.size() <= len) continue;
      std::string s;
      for (size_t k = 0; k < len; ++k) s += util::EncodeUtf8(cps[k]);
      auto it = surnames_.find(s);
      if (it != surnames_.end()) {
        add_syllables(it->second);
        i = len;
        break;
      }
    }
  }
  for (; i < cps.size(); ++i) {
    char32_t c = cps[i];
    if (c < 0x80) {
      char a = static_cast<char>(c);
      if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
      if ((a >= 'a' && a <= 'z') || (a >= '0' && a <= '9')) {
        out.full += a;
        if (out.initials.empty() || (i > 0 && cps[i - 1] >= 0x80)) out.initials += a;
      }
      continue;
    }
    auto it = chars_.find(c);
    if (it != chars_.end()) add_syllables(it->second);
  }
  return out;
}

}  // namespace sx::org
