#include "core/http/static_files.h"

#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/util/random.h"

namespace sx::http {
namespace fs = std::filesystem;

namespace {
std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string MimeOf(const std::string& ext) {
  static const std::unordered_map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"}};
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string Etag(const std::string& body) { return "\"" + util::DigestHex(body, 16) + "\""; }

bool Accepts(std::string_view accept_encoding, std::string_view coding) {
  return accept_encoding.find(coding) != std::string_view::npos;
}
}  // namespace

StaticSite::StaticSite(const std::string& dir) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return;
  for (auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    if (ext == ".gz" || ext == ".br") continue;
    std::string rel = "/" + fs::relative(e.path(), dir).generic_string();
    File f;
    f.body = ReadFile(e.path());
    f.type = MimeOf(ext);
    f.etag = Etag(f.body);
    f.immutable = rel.rfind("/assets/", 0) == 0;
    fs::path gz = e.path().string() + ".gz", br = e.path().string() + ".br";
    if (fs::exists(gz)) f.gz = ReadFile(gz);
    if (fs::exists(br)) f.br = ReadFile(br);
    files_.emplace(rel, std::move(f));
  }
}

Response StaticSite::Send(const Request& req, const File& f) const {
  Response r;
  r.content_type = f.type;
  r.With("ETag", f.etag);
  r.With("Cache-Control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.With("Vary", "Accept-Encoding");
  r.With("X-Content-Type-Options", "nosniff");
  if (f.type.rfind("text/html", 0) == 0) {
    r.With("Content-Security-Policy",
           "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
           "connect-src 'self' ws: wss:; frame-ancestors 'none'");
    r.With("Referrer-Policy", "same-origin");
  }
  if (req.Header("if-none-match") == f.etag) {
    r.status = 304;
    return r;
  }
  std::string_view ae = req.Header("accept-encoding");
  if (!f.br.empty() && Accepts(ae, "br")) {
    r.body = f.br;
    r.With("Content-Encoding", "br");
  } else if (!f.gz.empty() && Accepts(ae, "gzip")) {
    r.body = f.gz;
    r.With("Content-Encoding", "gzip");
  } else {
    r.body = f.body;
  }
  return r;
}

std::optional<Response> StaticSite::Serve(const Request& req) const {
  const std::string& p = req.path;
  if (p == "/") {
    std::string_view ua = req.Header("user-agent");
    bool phone = ua.find("Mobile") != std::string_view::npos ||
                 ua.find("Android") != std::string_view::npos ||
                 ua.find("MicroMessenger") != std::string_view::npos;
    Response r = Response::Empty(302);
    r.With("Location", phone ? "/m/" : "/admin/");
    r.With("Vary", "User-Agent");
    return r;
  }
  if (p.find("..") != std::string::npos) return std::nullopt;
  auto it = files_.find(p);
  if (it != files_.end()) return Send(req, it->second);
  for (std::string_view app : {"/m", "/admin"}) {
    if (p == app) {
      Response r = Response::Empty(301);
      r.With("Location", std::string(app) + "/");
      return r;
    }
    if (p.rfind(std::string(app) + "/", 0) == 0) {
      // History-mode fallback, but not for missing files that look like assets.
      auto dot = p.rfind('.');
      auto slash = p.rfind('/');
      if (dot != std::string::npos && dot > slash) return std::nullopt;
      auto idx = files_.find(std::string(app) + "/index.html");
      if (idx != files_.end()) return Send(req, idx->second);
    }
  }
  return std::nullopt;
}

}  // namespace sx::http
