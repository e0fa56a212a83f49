#include "core/http/gzip.h"

#include <zlib.h>

#include "core/util/error.h"

namespace sx::http {

std::string Gzip(std::string_view data) {
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error(ErrorCode::kInternal, "gzip: deflateInit2 failed");
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  size_t n = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw Error(ErrorCode::kInternal, "gzip: deflate failed");
  out.resize(n);
  return out;
}

bool AcceptsGzip(std::string_view v) {
  size_t pos = 0;
  while (pos < v.size()) {
    size_t comma = v.find(',', pos);
    std::string_view part =
        v.substr(pos, comma == std::string_view::npos ? v.size() - pos : comma - pos);
    pos = comma == std::string_view::npos ? v.size() : comma + 1;
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    std::string_view coding = part.substr(0, part.find(';'));
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding != "gzip" && coding != "*") continue;
    auto q = part.find("q=");
    if (q != std::string_view::npos) {
      std::string_view qv = part.substr(q + 2);
      if (qv.starts_with("0") && qv.find_first_not_of("0.", 0) == std::string_view::npos)
        return false;  // q=0, q=0.0, q=0.000: refused
    }
    return true;
  }
  return false;
}

}  // namespace sx::http
