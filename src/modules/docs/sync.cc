#include "modules/docs/sync.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <vector>

#include "core/log/log.h"
#include "modules/docs/repo.h"
#include "modules/docs/yprotocol.h"
#include "modules/docs/yupdate.h"

namespace sx::docs {

namespace {

std::string Key(const std::string& county, const std::string& doc) { return county + "/" + doc; }

bool ValidJson(std::string_view s) {
  boost::system::error_code ec;
  boost::json::parse(s, ec);
  return !ec;
}

constexpr std::string_view kEmptyUpdate("\0\0", 2);

}  // namespace

struct SyncHub::Room {
  DocRef doc;
  std::mutex mu;
  bool loaded = false;
  std::string state;                // stored updates merged
  std::vector<std::string> recent;  // stored since `state` was last merged
  size_t bytes = 0;                 // stored and waiting bytes
  int64_t next_seq = 1, stored_seq = 0, rows = 0;
  struct Pending {
    int64_t seq;
    std::shared_ptr<const std::string> data;
    uint64_t sender;
  };
  std::vector<Pending> pending;
  bool queued = false, compact = false;
  std::vector<Conn*> conns;
  struct Presence {
    uint64_t clock;
    std::string state;
    uint64_t owner;
  };
  std::map<uint64_t, Presence> awareness;

  // Merges what was stored since the last merge (in memory only). Caller holds mu.
  void Fold() {
    if (recent.empty()) return;
    std::vector<std::string_view> parts;
    parts.reserve(recent.size() + 1);
    if (!state.empty()) parts.push_back(state);
    for (auto& r : recent) parts.push_back(r);
    state = yjs::MergeUpdates(parts);
    recent.clear();
  }
  std::string AwarenessFrame() const {
    std::vector<yjs::AwarenessEntry> all;
    for (auto& [id, p] : awareness) all.push_back({id, p.clock, p.state});
    return yjs::AwarenessMessage(all);
  }
};

class SyncHub::Conn : public ws::SocketHandler {
 public:
  Conn(SyncHub& hub, std::shared_ptr<Room> room, Role role)
      : hub_(hub), room_(std::move(room)), role_(role) {
    static std::atomic<uint64_t> next{1};
    serial_ = next++;
  }

  void OnOpen(const std::shared_ptr<ws::Peer>& peer) override {
    peer_ = peer;
    std::string step1, aw;
    {
      std::lock_guard lk(room_->mu);
      room_->conns.push_back(this);
      room_->Fold();
      step1 = yjs::SyncStep1(room_->state.empty() ? std::string(1, '\0')
                                                  : yjs::EncodeStateVectorFromUpdate(room_->state));
      if (!room_->awareness.empty()) aw = room_->AwarenessFrame();
    }
    peer_->Send(std::move(step1));
    if (!aw.empty()) peer_->Send(std::move(aw));
  }

  void OnMessage(std::string_view frame) override {
    if (closed_) return;
    try {
      Handle(yjs::ParseMessage(frame));
    } catch (const yjs::ProtocolError& e) {
      Fail(kCloseSyncBadFrame, e.what());
    } catch (const yjs::UpdateError& e) {
      Fail(kCloseSyncBadFrame, std::string("invalid update: ") + e.what());
    }
  }

  void OnClose() override {
    std::string removal;
    bool compact = false;
    {
      std::lock_guard lk(room_->mu);
      std::erase(room_->conns, this);
      std::vector<yjs::AwarenessEntry> gone;
      std::vector<std::string> keep;  // the entries' storage while encoding
      for (auto it = room_->awareness.begin(); it != room_->awareness.end();) {
        if (it->second.owner == serial_) {
          gone.push_back({it->first, it->second.clock + 1, "null"});
          it = room_->awareness.erase(it);
        } else {
          ++it;
        }
      }
      if (!gone.empty()) {
        auto f = std::make_shared<const std::string>(yjs::AwarenessMessage(gone));
        for (auto* c : room_->conns) c->peer_->Send(f);
      }
      compact = room_->conns.empty() && room_->rows > 1 && !room_->compact;
      if (compact) room_->compact = true;
    }
    if (compact) hub_.Queue(room_);
  }

  void CloseWith(uint16_t code, const std::string& reason) {
    if (peer_) peer_->Close(code, reason);
  }

 private:
  void Fail(uint16_t code, const std::string& why) {
    closed_ = true;
    peer_->Close(code, why.substr(0, 120));
  }

  void Handle(const yjs::Message& m) {
    switch (m.type) {
      case yjs::MessageType::kSyncStep1: {
        yjs::ValidateStateVector(m.payload);
        std::string diff;
        {
          std::lock_guard lk(room_->mu);
          room_->Fold();
          diff = room_->state.empty() ? std::string(kEmptyUpdate)
                                      : yjs::DiffUpdate(room_->state, m.payload);
        }
        peer_->Send(yjs::SyncStep2(diff));
        return;
      }
      case yjs::MessageType::kSyncStep2:
      case yjs::MessageType::kUpdate:
        return Edit(m.payload);
      case yjs::MessageType::kAwareness:
        return Awareness(m.payload);
      case yjs::MessageType::kQueryAwareness: {
        std::string aw;
        {
          std::lock_guard lk(room_->mu);
          aw = room_->AwarenessFrame();
        }
        peer_->Send(std::move(aw));
        return;
      }
      case yjs::MessageType::kAuth:
        return;  // clients have nothing to say here
    }
  }

  void Edit(std::string_view update) {
    if (update == kEmptyUpdate) return;
    if (role_ < Role::kEditor) {
      peer_->Send(yjs::PermissionDenied("read-only"));
      return;
    }
    yjs::ValidateUpdate(update);
    bool queue = false;
    {
      std::lock_guard lk(room_->mu);
      if (room_->bytes + update.size() > hub_.opts_.max_doc_bytes) {
        Fail(kCloseSyncTooLarge, "document too large");
        return;
      }
      room_->bytes += update.size();
      room_->pending.push_back(
          {room_->next_seq++, std::make_shared<const std::string>(update), serial_});
      queue = !room_->queued;
      room_->queued = true;
    }
    if (queue) hub_.Queue(room_);
  }

  void Awareness(std::string_view payload) {
    auto entries = yjs::ParseAwareness(payload);
    for (auto& e : entries)
      if (!ValidJson(e.state)) throw yjs::ProtocolError("awareness state is not JSON");
    auto frame = std::make_shared<const std::string>(yjs::AwarenessMessage(entries));
    std::lock_guard lk(room_->mu);
    for (auto& e : entries) {
      auto it = room_->awareness.find(e.client);
      bool removed = e.state == "null";
      if (it != room_->awareness.end()) {
        if (it->second.owner != serial_) {
          // Another connection's client: only accept what a Yjs client would (newer clocks).
          if (e.clock < it->second.clock || (e.clock == it->second.clock && !removed)) continue;
        }
        if (removed)
          room_->awareness.erase(it);
        else
          it->second = {e.clock, std::string(e.state), serial_};
      } else if (!removed) {
        size_t mine = 0;
        for (auto& [id, p] : room_->awareness) mine += p.owner == serial_;
        if (mine >= hub_.opts_.max_clients_per_conn || room_->awareness.size() >= 1024) {
          Fail(kCloseSyncBadFrame, "too many awareness clients");
          return;
        }
        room_->awareness[e.client] = {e.clock, std::string(e.state), serial_};
      }
    }
    // Everyone hears it, the sender included: a lone client must hear something every 30 s.
    for (auto* c : room_->conns) c->peer_->Send(frame);
  }

  friend class SyncHub;
  SyncHub& hub_;
  std::shared_ptr<Room> room_;
  Role role_;
  uint64_t serial_;
  std::shared_ptr<ws::Peer> peer_;
  bool closed_ = false;
};

namespace {

class Refusal : public ws::SocketHandler {
 public:
  Refusal(uint16_t code, std::string reason) : code_(code), reason_(std::move(reason)) {}
  void OnOpen(const std::shared_ptr<ws::Peer>& peer) override { peer->Close(code_, reason_); }
  void OnMessage(std::string_view) override {}
  void OnClose() override {}

 private:
  uint16_t code_;
  std::string reason_;
};

}  // namespace

SyncHub::SyncHub(db::Database& db, const util::Clock& clock, SyncOptions opts)
    : db_(db), clock_(clock), opts_(opts) {}

SyncHub::~SyncHub() { Stop(); }

std::unique_ptr<ws::SocketHandler> SyncHub::Refuse(uint16_t code, std::string reason) {
  return std::make_unique<Refusal>(code, std::move(reason));
}

std::shared_ptr<SyncHub::Room> SyncHub::Open(const DocRef& doc) {
  std::shared_ptr<Room> room;
  {
    std::lock_guard lk(mu_);
    auto& slot = rooms_[Key(doc.county, doc.id)];
    room = slot.lock();
    if (!room) {
      room = std::make_shared<Room>();
      room->doc = doc;
      slot = room;
    }
    if (rooms_.size() > 64 && rooms_.size() % 64 == 0)
      std::erase_if(rooms_, [](auto& kv) { return kv.second.expired(); });
  }
  std::lock_guard lk(room->mu);
  if (!room->loaded) {
    auto rows =
        db_.ReadValue([&](db::Conn& c) { return repo::LoadUpdates(c, doc.county, doc.id); });
    std::vector<std::string_view> parts;
    for (auto& [seq, data] : rows) {
      parts.push_back(data);
      room->bytes += data.size();
      room->stored_seq = seq;
    }
    room->rows = static_cast<int64_t>(rows.size());
    room->next_seq = room->stored_seq + 1;
    if (!parts.empty()) room->state = yjs::MergeUpdates(parts);
    room->loaded = true;
  }
  return room;
}

std::unique_ptr<ws::SocketHandler> SyncHub::Connect(const DocRef& doc, Role role) {
  return std::make_unique<Conn>(*this, Open(doc), role);
}

std::string SyncHub::State(const std::string& county, const std::string& doc) {
  std::shared_ptr<Room> room;
  {
    std::lock_guard lk(mu_);
    auto it = rooms_.find(Key(county, doc));
    if (it != rooms_.end()) room = it->second.lock();
  }
  if (room) {
    std::lock_guard lk(room->mu);
    if (room->loaded) {
      room->Fold();
      return room->state.empty() ? std::string(kEmptyUpdate) : room->state;
    }
  }
  auto rows = db_.ReadValue([&](db::Conn& c) { return repo::LoadUpdates(c, county, doc); });
  if (rows.empty()) return std::string(kEmptyUpdate);
  std::vector<std::string_view> parts;
  for (auto& r : rows) parts.push_back(r.second);
  return yjs::MergeUpdates(parts);
}

void SyncHub::CloseAll(const std::string& county, const std::string& doc, uint16_t code,
                       const std::string& reason) {
  std::shared_ptr<Room> room;
  {
    std::lock_guard lk(mu_);
    auto it = rooms_.find(Key(county, doc));
    if (it != rooms_.end()) room = it->second.lock();
  }
  if (!room) return;
  std::lock_guard lk(room->mu);
  for (auto* c : room->conns) c->CloseWith(code, reason);
}

SyncStats SyncHub::Stats() {
  SyncStats s;
  std::lock_guard lk(mu_);
  for (auto& [k, w] : rooms_)
    if (auto r = w.lock()) {
      ++s.rooms;
      std::lock_guard rl(r->mu);
      s.connections += r->conns.size();
    }
  return s;
}

void SyncHub::Queue(const std::shared_ptr<Room>& room) {
  {
    std::lock_guard lk(mu_);
    queue_.push_back(room);
  }
  cv_.notify_one();
}

void SyncHub::Start() {
  std::lock_guard lk(mu_);
  if (writer_.joinable()) return;
  stop_ = false;
  writer_ = std::thread([this] { WriterLoop(); });
}

void SyncHub::Stop() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void SyncHub::WriterLoop() {
  for (;;) {
    std::vector<std::shared_ptr<Room>> rooms;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty() && stop_) return;
      rooms.assign(queue_.begin(), queue_.end());
      queue_.clear();
    }
    try {
      WriteBatch(rooms);
    } catch (const std::exception& e) {
      log::Error("docs sync writer: {}", e.what());
    }
  }
}

void SyncHub::WriteBatch(std::vector<std::shared_ptr<Room>>& rooms) {
  struct Job {
    std::shared_ptr<Room> room;
    std::vector<Room::Pending> updates;
    size_t bytes = 0;
    bool new_month = false;
    std::string merged;  // the batch as one update, when it holds several
    // Merging the stored rows: the whole document as one update, stored in place of every row
    // up to `upto`, in the same transaction as the batch (no commit of its own).
    bool compact = false;
    std::string whole;
    int64_t upto = 0;
  };
  std::vector<Job> jobs;
  const int64_t now = clock_.NowMs();
  const std::string month = util::ShanghaiMonth(now);
  for (auto& r : rooms) {
    std::lock_guard lk(r->mu);
    r->queued = false;
    if (r->pending.empty() && !r->compact) continue;
    Job j{r, std::move(r->pending), 0, r->doc.edited_month != month, {}, false, {}, 0};
    r->pending.clear();
    for (auto& u : j.updates) j.bytes += u.data->size();
    // This thread alone stores updates, so what is stored is exactly state + recent.
    j.compact = r->compact || static_cast<size_t>(r->rows) >= opts_.compact_after;
    r->compact = false;
    if (j.compact) {
      r->Fold();
      j.whole = r->state;
      j.upto = j.updates.empty() ? r->stored_seq : j.updates.back().seq;
      if (j.updates.empty() && r->rows <= 1) continue;
    }
    jobs.push_back(std::move(j));
  }
  if (jobs.empty()) return;
  // Merging happens outside the rooms' locks: the updates are immutable once queued.
  for (auto& j : jobs) {
    std::vector<std::string_view> parts;
    for (auto& u : j.updates) parts.push_back(*u.data);
    try {
      // A batch of several updates to one document goes out as one merged update: one frame per
      // connection instead of one per update (relaying costs mostly per frame).
      if (parts.size() > 1) j.merged = yjs::MergeUpdates(parts);
      if (j.compact) {
        std::string_view batch = parts.size() > 1 ? std::string_view(j.merged)
                                 : parts.empty()  ? std::string_view()
                                                  : parts.front();
        if (!batch.empty())
          j.whole = j.whole.empty() ? std::string(batch) : yjs::MergeUpdates({j.whole, batch});
      }
    } catch (const std::exception& e) {
      log::Warn("docs sync: merging failed, storing and relaying update by update: {}", e.what());
      j.merged.clear();
      j.compact = false;
    }
  }
  try {
    db_.Write([&](db::Conn& c) {
      for (auto& j : jobs) {
        const DocRef& d = j.room->doc;
        if (j.compact && !j.whole.empty()) {
          repo::ReplaceUpdates(c, d.county, d.id, j.upto, j.whole);
        } else if (!j.merged.empty()) {  // the batch as one row, numbered as its last update
          repo::AppendUpdate(c, d.county, d.id, j.updates.back().seq, j.merged);
        } else {
          for (auto& u : j.updates) repo::AppendUpdate(c, d.county, d.id, u.seq, *u.data);
        }
        bool replaced = j.compact && !j.whole.empty();  // the size was recounted
        if (!j.updates.empty())
          repo::NoteEdit(c, d, replaced ? 0 : static_cast<int64_t>(j.bytes), now, month,
                         j.new_month);
      }
    });
  } catch (const std::exception& e) {
    log::Error("docs sync: storing updates failed: {}", e.what());
    for (auto& j : jobs) {
      std::lock_guard lk(j.room->mu);
      j.room->bytes -= std::min(j.room->bytes, j.bytes);
      for (auto* c : j.room->conns) c->CloseWith(kCloseSyncServerError, "could not store");
    }
    return;
  }
  for (auto& j : jobs) {
    std::lock_guard lk(j.room->mu);
    Room& r = *j.room;
    if (!j.updates.empty() && j.new_month) r.doc.edited_month = month;
    if (j.compact && !j.whole.empty()) {
      r.state = std::move(j.whole);
      r.recent.clear();
      r.rows = 1;
      r.stored_seq = j.upto;
      r.bytes = r.state.size();
      for (auto& p : r.pending) r.bytes += p.data->size();
    } else if (!j.updates.empty()) {
      r.stored_seq = j.updates.back().seq;
      if (j.merged.empty()) {
        r.rows += static_cast<int64_t>(j.updates.size());
        for (auto& u : j.updates) r.recent.push_back(*u.data);
      } else {
        ++r.rows;
        r.recent.push_back(j.merged);
      }
    }
    if (j.merged.empty()) {  // a lone update (or merging failed): each to all but its sender
      for (auto& u : j.updates) {
        auto frame = std::make_shared<const std::string>(yjs::UpdateMessage(*u.data));
        for (auto* c : r.conns)
          if (c->serial_ != u.sender) c->peer_->Send(frame);
      }
    } else {  // the batch as one frame for everyone (Yjs ignores what a client has)
      auto frame = std::make_shared<const std::string>(yjs::UpdateMessage(j.merged));
      for (auto* c : r.conns) c->peer_->Send(frame);
    }
  }
}

}  // namespace sx::docs
