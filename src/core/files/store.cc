#include "core/files/store.h"

#include <fcntl.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "core/util/error.h"
#include "core/util/random.h"
#include "core/util/strings.h"

namespace sx::files {

namespace fs = std::filesystem;

std::string Sniff(std::string_view b) {
  auto starts = [&](std::string_view sig, size_t at = 0) {
    return b.size() >= at + sig.size() && b.substr(at, sig.size()) == sig;
  };
  if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts("\xff\xd8\xff")) return "image/jpeg";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (starts("RIFF") && starts("WEBP", 8)) return "image/webp";
  if (starts("%PDF-")) return "application/pdf";
  return "";
}

std::string CleanName(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7f || ch == '"') continue;
    out += static_cast<char>(ch);
  }
  if (out.size() > 120) {
    size_t cut = 120;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
  return out.empty() ? "file" : out;
}

Store::Store(db::Database& db, std::string dir, const util::Clock& clock)
    : db_(db), dir_(std::move(dir)), clock_(clock) {}

std::string Store::PathFor(const std::string& sha) const {
  return (fs::path(dir_) / sha.substr(0, 2) / sha).string();
}

namespace {
// OpenSSL's SHA-256 uses the CPU's SHA extensions: 2 MB in about a millisecond, several times
// faster than libsodium's portable one (measured here), which matters for photo uploads.
std::string Sha256Hex(std::string_view bytes) {
  unsigned char h[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), h);
  return util::ToHex(std::string_view(reinterpret_cast<const char*>(h), sizeof h));
}

void WriteFile(const std::string& path, std::string_view bytes, bool sync) {
  fs::create_directories(fs::path(path).parent_path());
  std::string tmp = path + ".tmp." + util::NewToken().substr(0, 8);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) throw Error(ErrorCode::kInternal, "cannot write file store: " + tmp);
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      throw Error(ErrorCode::kInternal, "short write to the file store");
    }
    off += static_cast<size_t>(n);
  }
  if (sync) ::fsync(fd);
  ::close(fd);
  fs::rename(tmp, path);
  if (!sync) return;
  int dfd = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

bool SyncPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fdatasync(fd) == 0;
  ::close(fd);
  int dfd = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return ok;
}

File FromRow(const db::Row& r) {
  File f;
  f.id = r.Str(0);
  f.sha256 = r.Str(1);
  f.size = r.Int(2);
  f.content_type = r.Str(3);
  f.name = r.Str(4);
  f.owner_account = r.Str(5);
  f.ref_type = r.Str(6);
  f.ref_id = r.Str(7);
  f.created_at = r.Int(8);
  return f;
}
constexpr const char* kCols =
    "id, sha256, size, content_type, name, owner_account, ref_type, ref_id, created_at";
}  // namespace

File Store::Put(const std::string& county_id, const std::string& owner_account,
                std::string_view name, std::string_view bytes, bool staged) {
  if (bytes.empty()) throw Error::Invalid("The file is empty");
  if (static_cast<int64_t>(bytes.size()) > kMaxBytes)
    throw Error(ErrorCode::kTooLarge, "Files may be at most 20 MB");
  std::string type = Sniff(bytes);
  if (type.empty())
    throw Error(ErrorCode::kUnsupportedType,
                "Only images (PNG, JPEG, GIF, WebP) and PDF files can be attached");
  File f;
  f.id = util::NewId();
  f.sha256 = Sha256Hex(bytes);
  f.size = static_cast<int64_t>(bytes.size());
  f.content_type = type;
  f.name = CleanName(name);
  f.owner_account = owner_account;
  f.created_at = clock_.NowMs();
  std::string path = PathFor(f.sha256);
  std::error_code ec;
  // Staged bytes were never synced, so an existing file of that name proves nothing: rewrite it.
  bool write = staged || !fs::exists(path, ec) || fs::file_size(path, ec) != bytes.size();
  // The bytes' fsync and the row's commit overlap (two waits on the disk at once); the upload
  // answers only when both are durable, and a failed file write takes its row back.
  auto durable = std::async(std::launch::async, [&] {
    if (write) WriteFile(path, bytes, /*sync=*/!staged);
  });
  auto insert = [county_id, f](db::Conn& c) {
    c.Exec(
        "INSERT INTO files (county_id, id, sha256, size, content_type, name, owner_account, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {county_id, f.id, f.sha256, f.size, f.content_type, f.name, f.owner_account, f.created_at});
  };
  try {
    if (staged) {
      durable.get();  // the bytes first: a queued row must never point at a missing file
      db_.WriteAsync(insert);
      return f;
    }
    db_.Write(insert);
  } catch (...) {
    durable.wait();
    throw;
  }
  try {
    durable.get();
  } catch (...) {
    db_.Write([&](db::Conn& c) {
      c.Exec("DELETE FROM files WHERE county_id = $1 AND id = $2", {county_id, f.id});
    });
    throw;
  }
  return f;
}

std::optional<File> Store::Get(const std::string& county_id, const std::string& id) {
  if (!util::LooksLikeId(id)) return std::nullopt;
  auto row = db_.ReadValue([&](db::Conn& c) {
    return c.One(std::string("SELECT ") + kCols + " FROM files WHERE county_id = $1 AND id = $2",
                 {county_id, id});
  });
  if (!row) return std::nullopt;
  return FromRow(*row);
}

std::string Store::Read(const File& f) const {
  std::ifstream in(PathFor(f.sha256), std::ios::binary);
  if (!in) throw Error(ErrorCode::kInternal, "stored file missing: " + f.sha256);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (Sha256Hex(bytes) != f.sha256)
    throw Error(ErrorCode::kInternal, "stored file damaged (checksum mismatch): " + f.sha256);
  return bytes;
}

std::vector<File> Store::Attach(db::Conn& c, const std::string& county_id,
                                const std::vector<std::string>& ids,
                                const std::string& owner_account, const std::string& ref_type,
                                const std::string& ref_id, const std::string& field) {
  std::vector<File> out;
  std::vector<FieldError> errors;
  for (size_t i = 0; i < ids.size(); ++i) {
    std::optional<db::Row> row;
    if (util::LooksLikeId(ids[i]))
      row = c.One(std::string("SELECT ") + kCols + " FROM files WHERE county_id = $1 AND id = $2",
                  {county_id, ids[i]});
    bool ok = row.has_value();
    File f;
    if (ok) {
      f = FromRow(*row);
      ok = (f.ref_type.empty() && f.owner_account == owner_account) ||
           (f.ref_type == ref_type && f.ref_id == ref_id);
    }
    if (!ok) {
      errors.push_back({field + "[" + std::to_string(i) + "]", "unknown file: " + ids[i]});
      continue;
    }
    out.push_back(f);
  }
  if (!errors.empty()) throw Error::Invalid("Unknown attachments", std::move(errors));
  // The object's attachments become exactly these: release the others.
  for (auto& old : ListFor(c, county_id, ref_type, ref_id)) {
    bool keep = false;
    for (auto& f : out) keep = keep || f.id == old.id;
    if (!keep)
      c.Exec("UPDATE files SET ref_type = '', ref_id = '' WHERE county_id = $1 AND id = $2",
             {county_id, old.id});
  }
  for (auto& f : out) {
    c.Exec("UPDATE files SET ref_type = $3, ref_id = $4 WHERE county_id = $1 AND id = $2",
           {county_id, f.id, ref_type, ref_id});
    f.ref_type = ref_type;
    f.ref_id = ref_id;
  }
  return out;
}

void Store::Sync(const std::vector<File>& files) const {
  std::vector<std::future<bool>> jobs;
  for (auto& f : files) {
    std::string path = PathFor(f.sha256);
    jobs.push_back(std::async(std::launch::async, [path] { return SyncPath(path); }));
  }
  bool ok = true;
  for (auto& j : jobs) ok = j.get() && ok;
  if (!ok) throw Error(ErrorCode::kInternal, "could not make an attached file durable");
}

std::vector<File> Store::ListFor(db::Conn& c, const std::string& county_id,
                                 const std::string& ref_type, const std::string& ref_id) {
  std::vector<File> out;
  for (auto& r : c.Query(std::string("SELECT ") + kCols +
                             " FROM files WHERE county_id = $1 AND ref_type = $2 AND ref_id = $3 "
                             "ORDER BY created_at, id",
                         {county_id, ref_type, ref_id}))
    out.push_back(FromRow(r));
  return out;
}

}  // namespace sx::files
