// Serves the built web app (web/dist) from memory: files are read once at start. Hashed assets
// under /assets/ get a one-year immutable Cache-Control; HTML gets no-cache with an ETag.
// Precompressed .br / .gz siblings are served when the client accepts them.
// /m/... and /admin/... fall back to their index.html (history-mode routing); "/" redirects by
// device (phones to /m/, others to /admin/). Thread-safe after construction.
#pragma once
#include <optional>
#include <string>
#include <unordered_map>

#include "core/http/message.h"

namespace sx::http {

class StaticSite {
 public:
  // dir may be empty or missing: then only API routes answer.
  explicit StaticSite(const std::string& dir);
  size_t file_count() const { return files_.size(); }
  // A response for GET/HEAD of a non-API path, or nullopt if nothing matches.
  std::optional<Response> Serve(const Request& req) const;

 private:
  struct File {
    std::string body, gz, br, type, etag;
    bool immutable = false;
  };
  Response Send(const Request& req, const File& f) const;
  std::unordered_map<std::string, File> files_;  // key: URL path, e.g. "/m/index.html"
};

}  // namespace sx::http
