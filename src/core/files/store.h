// Uploaded files (attachments): bytes on disk, content-addressed by SHA-256 under
// <dir>/<first 2 hex>/<sha256>, written to a temporary file, fsynced and renamed into place so a
// crash never leaves a half file under a real name; metadata in the `files` table. Only types
// that are sniffed from the bytes (never trusted from the client) are accepted: PNG, JPEG, GIF,
// WebP and PDF. A file belongs to its uploader until it is attached to an object (ref_type/ref_id);
// who may then read it is that object's business.
// Thread-safe.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/db.h"
#include "core/util/clock.h"

namespace sx::files {

struct File {
  std::string id, sha256, content_type, name, owner_account, ref_type, ref_id;
  int64_t size = 0, created_at = 0;
};

// The content type the bytes really are, or "" when not an accepted type.
std::string Sniff(std::string_view bytes);
// A safe display name: no path, no control characters, at most 120 bytes of UTF-8.
std::string CleanName(std::string_view name);

class Store {
 public:
  static constexpr int64_t kMaxBytes = 20 * 1024 * 1024;
  Store(db::Database& db, std::string dir, const util::Clock& clock);
  const std::string& dir() const { return dir_; }

  // Stores bytes uploaded by an account. Throws kUnsupportedType (415) for other types,
  // kTooLarge (413) above kMaxBytes, kInvalidArgument for an empty body. The bytes and the row
  // are durable when it returns — unless staged: then the bytes are written but not yet synced
  // and the row is queued rather than awaited. A staged upload becomes durable when the object
  // that uses it is saved: the caller attaches it and calls Sync before acknowledging (the row
  // commits with or before the attaching write, as the writer keeps order). A crash before that
  // loses only an unattached upload, which the client learns (unknown file) when it files.
  File Put(const std::string& county_id, const std::string& owner_account, std::string_view name,
           std::string_view bytes, bool staged = false);
  std::optional<File> Get(const std::string& county_id, const std::string& id);
  // The bytes, checked against the stored checksum (throws kInternal on a mismatch).
  std::string Read(const File& f) const;

  // In the caller's transaction: attaches files to (ref_type, ref_id). Each must exist and be the
  // caller's own unattached upload, or already attached to this object; the object's other
  // files are released. Returns them in order.
  // Unknown ids are reported as field errors "<field>[i]".
  std::vector<File> Attach(db::Conn& c, const std::string& county_id,
                           const std::vector<std::string>& ids, const std::string& owner_account,
                           const std::string& ref_type, const std::string& ref_id,
                           const std::string& field);
  // Makes files durable (fdatasync of each, and of their directories), in parallel. Throws
  // kInternal when a file cannot be synced.
  void Sync(const std::vector<File>& files) const;
  std::vector<File> ListFor(db::Conn& c, const std::string& county_id, const std::string& ref_type,
                            const std::string& ref_id);

 private:
  std::string PathFor(const std::string& sha) const;
  db::Database& db_;
  std::string dir_;
  const util::Clock& clock_;
};

}  // namespace sx::files
