// Live meeting rooms: WebRTC signalling, chat, hands and host controls among the admitted
// participants of one meeting, on message WebSockets (core/ws/socket.h). The protocol is in
// docs/meetings.md. A room exists on this instance while someone is connected to it; several
// instances need the room path routed by meeting id (docs/decisions/0006).
//
// Rules: a signal is relayed only to an admitted peer of the same room, anything else is dropped;
// only hosts admit, deny, mute and remove; a removed account waits for the host next time; the
// same account joining again replaces its older connection (closed with 4009). Joins and leaves
// of admitted peers are reported to `on_presence` (the service records them as attendance).
// Thread-safe: handlers run on the sessions' threads, each room has its own lock.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/util/clock.h"
#include "core/ws/socket.h"

namespace sx::meetings {

inline constexpr uint16_t kCloseEnded = 4000;
inline constexpr uint16_t kCloseRemoved = 4001;
inline constexpr uint16_t kCloseDenied = 4003;
inline constexpr uint16_t kCloseReplaced = 4009;

struct Admission {
  std::string county_id, meeting_id, member_id, account_id, name;
  bool host = false;     // may admit, deny, mute, remove
  bool invited = false;  // enters at once; otherwise waits for a host
};

class Rooms {
 public:
  // (admission, joined: true / left: false, at ms)
  using PresenceFn = std::function<void(const Admission&, bool, int64_t)>;
  Rooms(const util::Clock& clock, std::string ice_servers_json, PresenceFn on_presence);
  ~Rooms();

  // The handler of a new connection (already authorised as `a`).
  std::unique_ptr<ws::SocketHandler> Connect(Admission a);
  // Closes every connection of a meeting's room (it ended or was cancelled).
  void CloseRoom(const std::string& county, const std::string& meeting_id, uint16_t code,
                 const std::string& reason);
  // Who is in a meeting's room now (member ids of admitted peers).
  std::vector<std::string> Present(const std::string& county, const std::string& meeting_id);
  size_t rooms() const;
  size_t peers() const { return peers_.load(); }

  struct Room;

 private:
  friend class RoomHandler;
  std::shared_ptr<Room> Enter(const std::string& key);
  void Leave(const std::string& key, const std::shared_ptr<Room>& room);

  const util::Clock& clock_;
  std::string ice_json_;
  PresenceFn on_presence_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Room>> rooms_;  // by county/meeting; mu_
  std::atomic<size_t> peers_{0};
};

}  // namespace sx::meetings
