// Pinyin for names entered at run time: a character table (seed/hanzi-pinyin.tsv, GB2312) and a
// surname table (seed/surnames.tsv) so that the first character(s) of a person's name read as a
// surname (单 → shan). Pinyin is stored compact ("lixiaoming") with initials ("lxm") and
// searched by prefix. Characters outside the table keep their ASCII letters/digits or are
// skipped. Thread-safe after construction.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>

namespace sx::org {

struct PinyinOf {
  std::string full;      // "lixiaoming"
  std::string initials;  // "lxm"
};

class Pinyin {
 public:
  // Loads the embedded seed tables.
  Pinyin();
  PinyinOf Of(std::string_view text, bool is_person_name) const;
  size_t size() const { return chars_.size(); }

 private:
  std::unordered_map<char32_t, std::string> chars_;
  std::unordered_map<std::string, std::string> surnames_;  // utf-8 surname → "ou yang"
};

// The embedded seed file with this repo-relative path (e.g. "seed/surnames.tsv"), or "".
std::string_view SeedFile(std::string_view path);

}  // namespace sx::org
