// Driver for differential tests of yupdate against npm yjs. Reads one request per line on stdin
// and answers each with one line on stdout:
//
//   merge HEX...      Y.mergeUpdates([...])
//   diff HEX HEX      Y.diffUpdate(update, stateVector)
//   sv HEX            Y.encodeStateVectorFromUpdate(update)
//   sort K:G K:G ...  sorts indices with mergeUpdates' comparator as V8 does (key ascending;
//                     at equal keys, 0 if G is equal, else -1), printing the sorted indices
//
// HEX is lowercase or uppercase hex; "-" is the empty byte string. Answers are "ok HEX" or
// "error KIND message", KIND being truncated, out_of_range, invalid or too_deep. A malformed
// request line ends the program with status 2.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "modules/docs/v8sort.h"
#include "modules/docs/yupdate.h"

namespace {

[[noreturn]] void BadRequest(const std::string& why) {
  std::cerr << "bad request: " << why << "\n";
  std::exit(2);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  BadRequest("not hex");
}

std::string FromHex(std::string_view hex) {
  if (hex == "-") return {};
  if (hex.size() % 2 != 0) BadRequest("odd hex length");
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(HexValue(hex[i]) * 16 + HexValue(hex[i + 1])));
  }
  return bytes;
}

std::string ToHex(std::string_view bytes) {
  if (bytes.empty()) return "-";
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (const char c : bytes) {
    hex.push_back(kDigits[static_cast<uint8_t>(c) >> 4]);
    hex.push_back(kDigits[static_cast<uint8_t>(c) & 0xF]);
  }
  return hex;
}

const char* KindName(sx::yjs::UpdateError::Kind kind) {
  switch (kind) {
    case sx::yjs::UpdateError::Kind::kTruncated:
      return "truncated";
    case sx::yjs::UpdateError::Kind::kOutOfRange:
      return "out_of_range";
    case sx::yjs::UpdateError::Kind::kInvalid:
      return "invalid";
    case sx::yjs::UpdateError::Kind::kTooDeep:
      return "too_deep";
  }
  return "?";
}

// "K:G" tokens; answers the indices in V8's sorted order.
std::string SortIndices(const std::vector<std::string>& args) {
  struct Element {
    long key;
    long group;
    size_t index;
  };
  std::vector<Element> elements;
  for (const std::string& arg : args) {
    const size_t colon = arg.find(':');
    if (colon == std::string::npos) BadRequest("sort element without ':'");
    elements.push_back(
        {std::stol(arg.substr(0, colon)), std::stol(arg.substr(colon + 1)), elements.size()});
  }
  sx::yjs::SortLikeV8(elements, [](const Element& a, const Element& b) {
    if (a.key != b.key) return a.key < b.key ? -1 : 1;
    return a.group == b.group ? 0 : -1;
  });
  std::string answer;
  for (const Element& e : elements) answer += (answer.empty() ? "" : ",") + std::to_string(e.index);
  return answer;
}

std::string Answer(const std::string& command, const std::vector<std::string>& args) {
  if (command == "sort") return SortIndices(args);
  std::vector<std::string> inputs;
  for (const std::string& arg : args) inputs.push_back(FromHex(arg));
  if (command == "merge") {
    return ToHex(
        sx::yjs::MergeUpdates(std::vector<std::string_view>(inputs.begin(), inputs.end())));
  }
  if (command == "diff" && inputs.size() == 2) {
    return ToHex(sx::yjs::DiffUpdate(inputs[0], inputs[1]));
  }
  if (command == "sv" && inputs.size() == 1) {
    return ToHex(sx::yjs::EncodeStateVectorFromUpdate(inputs[0]));
  }
  BadRequest("unknown command or wrong number of arguments: " + command);
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string command;
    if (!(words >> command)) continue;
    std::vector<std::string> args;
    for (std::string arg; words >> arg;) args.push_back(arg);
    try {
      const std::string answer = Answer(command, args);
      std::cout << "ok " << answer << "\n";
    } catch (const sx::yjs::UpdateError& e) {
      std::cout << "error " << KindName(e.kind()) << " " << e.what() << "\n";
    }
  }
  return 0;
}
