#include "modules/meetings/room.h"

#include <boost/json.hpp>
#include <deque>
#include <unordered_set>

#include "core/util/random.h"

namespace sx::meetings {

namespace json = boost::json;

struct Rooms::Room {
  struct PeerState {
    std::shared_ptr<ws::Peer> peer;
    Admission who;
    bool admitted = false;
    bool audio = true, video = true, screen = false, hand = false;
  };
  std::mutex mu;
  std::unordered_map<std::string, PeerState> peers;  // by peer id, waiting ones included
  std::deque<json::object> chat;                     // the last 100 messages
  std::unordered_set<std::string> removed;           // accounts a host removed
  int users = 0;                                     // handlers attached; guarded by Rooms::mu_
};

namespace {

constexpr size_t kChatKept = 100;

json::object PeerJson(const std::string& id, const Rooms::Room::PeerState& p) {
  return {{"id", id},           {"member_id", p.who.member_id},
          {"name", p.who.name}, {"host", p.who.host},
          {"audio", p.audio},   {"video", p.video},
          {"screen", p.screen}, {"hand", p.hand}};
}

std::string Frame(json::object o) { return json::serialize(o); }

}  // namespace

class RoomHandler : public ws::SocketHandler {
 public:
  RoomHandler(Rooms& rooms, Admission a)
      : rooms_(rooms),
        a_(std::move(a)),
        key_(a_.county_id + "/" + a_.meeting_id),
        id_(util::RandomHex(8)) {}

  void OnOpen(const std::shared_ptr<ws::Peer>& peer) override {
    room_ = rooms_.Enter(key_);
    std::lock_guard lk(room_->mu);
    auto& ps = room_->peers[id_];
    ps.peer = peer;
    ps.who = a_;
    if ((a_.invited || a_.host) && !room_->removed.count(a_.account_id)) {
      AdmitLocked(id_);
    } else {
      peer->Send(std::string(R"({"type":"waiting"})"));
      WaitingListLocked();
    }
  }

  void OnMessage(std::string_view text) override {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    const json::object* o = !ec && v.is_object() ? &v.as_object() : nullptr;
    const json::string* type = nullptr;
    if (o)
      if (auto* t = o->if_contains("type"); t && t->is_string()) type = &t->as_string();
    std::lock_guard lk(room_->mu);
    auto self = room_->peers.find(id_);
    if (self == room_->peers.end()) return;  // replaced or closing
    auto& me = self->second;
    if (!type) return Bad(me, "a JSON object with a type");
    if (*type == "ping") return me.peer->Send(std::string(R"({"type":"pong"})"));
    if (!me.admitted) return;  // the waiting room only waits
    if (*type == "signal") {
      auto to = Str(*o, "to");
      auto it = room_->peers.find(to);
      if (it == room_->peers.end() || !it->second.admitted || to == id_) return;  // dropped
      json::object f{{"type", "signal"}, {"from", id_}};
      if (auto* d = o->if_contains("data")) f["data"] = *d;
      it->second.peer->Send(Frame(std::move(f)));
    } else if (*type == "chat") {
      std::string t = Str(*o, "text");
      if (t.empty() || Chars(t) > 1000) return Refuse(me, "chat", "消息需为 1–1000 个字");
      json::object f{{"type", "chat"},
                     {"from", id_},
                     {"name", me.who.name},
                     {"text", t},
                     {"at", util::IsoUtc(rooms_.clock_.NowMs())}};
      room_->chat.push_back(f);
      if (room_->chat.size() > kChatKept) room_->chat.pop_front();
      BroadcastLocked(Frame(std::move(f)), "");
    } else if (*type == "state") {
      for (auto [k, field] : {std::pair{"audio", &me.audio}, std::pair{"video", &me.video},
                              std::pair{"screen", &me.screen}, std::pair{"hand", &me.hand}})
        if (auto* b = o->if_contains(k); b && b->is_bool()) *field = b->as_bool();
      BroadcastLocked(Frame({{"type", "state"}, {"peer", PeerJson(id_, me)}}), "");
    } else if (*type == "admit" || *type == "deny" || *type == "mute" || *type == "remove") {
      if (!me.who.host) return Refuse(me, "forbidden", "只有主持人可以这样做");
      auto target = Str(*o, "peer");
      auto it = room_->peers.find(target);
      if (it == room_->peers.end() || target == id_) return Refuse(me, "peer", "没有这位参会人");
      auto& t = it->second;
      if (*type == "admit") {
        if (!t.admitted) {
          room_->removed.erase(t.who.account_id);
          AdmitLocked(target);
        }
      } else if (*type == "deny") {
        if (!t.admitted) t.peer->Close(kCloseDenied, "admission denied");
      } else if (*type == "mute") {
        t.peer->Send(std::string(R"({"type":"mute"})"));
      } else {
        room_->removed.insert(t.who.account_id);
        t.peer->Close(kCloseRemoved, "removed by the host");
      }
    } else {
      Bad(me, "a known type");
    }
  }

  void OnClose() override {
    if (!room_) return;
    {
      std::lock_guard lk(room_->mu);
      auto it = room_->peers.find(id_);
      if (it != room_->peers.end()) {
        bool admitted = it->second.admitted;
        room_->peers.erase(it);
        if (admitted) {
          BroadcastLocked(Frame({{"type", "left"}, {"peer", id_}}), "");
          rooms_.on_presence_(a_, false, rooms_.clock_.NowMs());
        } else {
          WaitingListLocked();
        }
      }
    }
    rooms_.Leave(key_, room_);
    room_.reset();
  }

 private:
  static std::string Str(const json::object& o, const char* k) {
    auto* v = o.if_contains(k);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  static void Bad(Rooms::Room::PeerState& me, const char* what) {
    me.peer->Close(ws::kCloseBadFrame, std::string("expected ") + what);
  }

  static size_t Chars(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }

  static void Refuse(Rooms::Room::PeerState& me, const char* code, const char* message) {
    me.peer->Send(Frame({{"type", "error"}, {"code", code}, {"message", message}}));
  }

  void BroadcastLocked(const std::string& frame, const std::string& except) {
    auto shared = std::make_shared<const std::string>(frame);
    for (auto& [pid, p] : room_->peers)
      if (p.admitted && pid != except) p.peer->Send(shared);
  }

  void WaitingListLocked() {
    json::array waiting;
    for (auto& [pid, p] : room_->peers)
      if (!p.admitted) waiting.push_back(json::object{{"id", pid}, {"name", p.who.name}});
    auto frame = std::make_shared<const std::string>(
        Frame({{"type", "waiting_list"}, {"waiting", std::move(waiting)}}));
    for (auto& [pid, p] : room_->peers)
      if (p.admitted && p.who.host) p.peer->Send(frame);
  }

  void AdmitLocked(const std::string& pid) {
    auto& p = room_->peers.at(pid);
    int64_t now = rooms_.clock_.NowMs();
    // The same account from another device: the newer connection wins.
    for (auto it = room_->peers.begin(); it != room_->peers.end();) {
      if (it->first != pid && it->second.who.account_id == p.who.account_id) {
        bool was_admitted = it->second.admitted;
        it->second.peer->Close(kCloseReplaced, "joined from another device");
        std::string gone = it->first;
        it = room_->peers.erase(it);
        if (was_admitted) {
          BroadcastLocked(Frame({{"type", "left"}, {"peer", gone}}), pid);
          rooms_.on_presence_(p.who, false, now);
        }
      } else {
        ++it;
      }
    }
    json::array peers, chat;
    for (auto& [oid, o] : room_->peers)
      if (o.admitted && oid != pid) peers.push_back(PeerJson(oid, o));
    for (auto& c : room_->chat) chat.push_back(c);
    json::value ice = json::parse(rooms_.ice_json_);
    p.peer->Send(Frame({{"type", "welcome"},
                        {"you", pid},
                        {"host", p.who.host},
                        {"peers", std::move(peers)},
                        {"ice_servers", std::move(ice)},
                        {"chat", std::move(chat)}}));
    p.admitted = true;
    BroadcastLocked(Frame({{"type", "joined"}, {"peer", PeerJson(pid, p)}}), pid);
    rooms_.on_presence_(p.who, true, now);
    WaitingListLocked();
  }

  Rooms& rooms_;
  Admission a_;
  std::string key_, id_;
  std::shared_ptr<Rooms::Room> room_;
};

Rooms::Rooms(const util::Clock& clock, std::string ice_servers_json, PresenceFn on_presence)
    : clock_(clock), ice_json_(std::move(ice_servers_json)), on_presence_(std::move(on_presence)) {
  if (ice_json_.empty()) ice_json_ = "[]";
}

Rooms::~Rooms() = default;

std::unique_ptr<ws::SocketHandler> Rooms::Connect(Admission a) {
  return std::make_unique<RoomHandler>(*this, std::move(a));
}

std::shared_ptr<Rooms::Room> Rooms::Enter(const std::string& key) {
  std::lock_guard lk(mu_);
  auto& r = rooms_[key];
  if (!r) r = std::make_shared<Room>();
  ++r->users;
  ++peers_;
  return r;
}

void Rooms::Leave(const std::string& key, const std::shared_ptr<Room>& room) {
  std::lock_guard lk(mu_);
  --peers_;
  if (--room->users == 0) {
    auto it = rooms_.find(key);
    if (it != rooms_.end() && it->second == room) rooms_.erase(it);
  }
}

void Rooms::CloseRoom(const std::string& county, const std::string& meeting_id, uint16_t code,
                      const std::string& reason) {
  std::shared_ptr<Room> room;
  {
    std::lock_guard lk(mu_);
    auto it = rooms_.find(county + "/" + meeting_id);
    if (it == rooms_.end()) return;
    room = it->second;
  }
  std::lock_guard lk(room->mu);
  for (auto& [pid, p] : room->peers) p.peer->Close(code, reason);
}

std::vector<std::string> Rooms::Present(const std::string& county, const std::string& meeting_id) {
  std::shared_ptr<Room> room;
  {
    std::lock_guard lk(mu_);
    auto it = rooms_.find(county + "/" + meeting_id);
    if (it == rooms_.end()) return {};
    room = it->second;
  }
  std::vector<std::string> out;
  std::lock_guard lk(room->mu);
  for (auto& [pid, p] : room->peers)
    if (p.admitted) out.push_back(p.who.member_id);
  return out;
}

size_t Rooms::rooms() const {
  std::lock_guard lk(mu_);
  return rooms_.size();
}

}  // namespace sx::meetings
