// The Yjs sync server behind /yjs/{docId}: one room per open document, holding the document's
// stored updates merged into one (yupdate.h), its connections and their awareness states. See
// docs/docs.md for the protocol as clients see it.
//
// Durability: an update from an editor is validated, given the room's next sequence number and
// handed to one writer thread, which stores every waiting update of every room in one
// transaction (group commit; several waiting updates of one room merged into one row numbered as
// the last of them) and only then broadcasts them (merged, as one frame); a
// failed write closes those rooms' connections (1011) without broadcasting, so clients resend
// on reconnect. A document's stored rows are merged into one when more than `compact_after` have
// accumulated and when its last connection leaves, in the transaction of a batch. Rooms live while
// connections (or writes) hold them.
//
// Thread-safe: handlers run on the I/O threads (one at a time per connection); a room's state is
// guarded by its mutex.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/db/db.h"
#include "core/util/clock.h"
#include "core/ws/socket.h"
#include "modules/docs/model.h"

namespace sx::docs {

// Close codes of the sync endpoint (y-websocket does not reconnect after 4400–4499).
inline constexpr uint16_t kCloseSyncBadFrame = 4400;
inline constexpr uint16_t kCloseSyncUnauthenticated = 4401;
inline constexpr uint16_t kCloseSyncForbidden = 4403;  // a cross-site cookie; a form's id
inline constexpr uint16_t kCloseSyncNotFound = 4404;
inline constexpr uint16_t kCloseSyncTooLarge = 4413;
inline constexpr uint16_t kCloseSyncReconnect = 1012;  // access changed: reconnect and re-check
inline constexpr uint16_t kCloseSyncServerError = 1011;

struct SyncOptions {
  size_t max_doc_bytes = 16 * 1024 * 1024;  // stored bytes of one document
  size_t compact_after = 100;               // stored rows before they are merged into one
  size_t max_clients_per_conn = 8;          // awareness client ids one connection may announce
};

// The document a connection is for.
struct DocRef {
  std::string county, id, region_code, unit_id, edited_month;
};

struct SyncStats {
  size_t rooms = 0, connections = 0;
};

class SyncHub {
 public:
  SyncHub(db::Database& db, const util::Clock& clock, SyncOptions opts = {});
  ~SyncHub();

  // A handler for a connection with `role` (viewers and commenters may not edit).
  std::unique_ptr<ws::SocketHandler> Connect(const DocRef& doc, Role role);
  // A handler that closes the connection at once with `code`.
  static std::unique_ptr<ws::SocketHandler> Refuse(uint16_t code, std::string reason);

  // The document's stored content as one update (from its room if open, else from the database).
  std::string State(const std::string& county, const std::string& doc);
  // Closes every connection to a document.
  void CloseAll(const std::string& county, const std::string& doc, uint16_t code,
                const std::string& reason);
  SyncStats Stats();

  void Start();
  // Stores what is waiting and stops the writer.
  void Stop();

  struct Room;
  class Conn;

 private:
  friend class Conn;
  std::shared_ptr<Room> Open(const DocRef& doc);
  void Queue(const std::shared_ptr<Room>& room);  // room->mu must not be held
  void WriterLoop();
  void WriteBatch(std::vector<std::shared_ptr<Room>>& rooms);

  db::Database& db_;
  const util::Clock& clock_;
  SyncOptions opts_;
  std::mutex mu_;  // rooms_ and queue_
  std::map<std::string, std::weak_ptr<Room>> rooms_;
  std::deque<std::shared_ptr<Room>> queue_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread writer_;
};

}  // namespace sx::docs
