#include "core/events/hub.h"

#include <algorithm>

#include "core/log/log.h"

namespace sx::events {

namespace {
std::string MapKey(const std::string& county, const std::string& key) {
  std::string k;
  k.reserve(county.size() + 1 + key.size());
  k += county;
  k += '\n';
  k += key;
  return k;
}
}  // namespace

Hub::Hub(db::Database& db, const util::Clock& clock, HubOptions opts)
    : db_(db), clock_(clock), opts_(opts) {}

Hub::~Hub() { Stop(); }

void Hub::Start() {
  {
    std::lock_guard lk(run_mu_);
    if (started_) return;
    started_ = true;
    stopping_ = false;
  }
  int64_t head = db_.ReadValue([](db::Conn& c) { return Head(c); });
  {
    std::unique_lock lk(subs_mu_);
    dispatched_ = head;
  }
  thread_ = std::thread([this] { Run(); });
}

void Hub::Stop() {
  {
    std::lock_guard lk(run_mu_);
    if (!started_) return;
    stopping_ = true;
    started_ = false;
  }
  run_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Hub::Kick() {
  {
    std::lock_guard lk(run_mu_);
    kicked_ = true;
  }
  run_cv_.notify_one();
}

void Hub::Run() {
  for (;;) {
    {
      std::unique_lock lk(run_mu_);
      run_cv_.wait_for(lk, opts_.poll, [this] { return kicked_ || stopping_; });
      if (stopping_) return;
      kicked_ = false;
    }
    try {
      DispatchOnce();
      int64_t now = clock_.NowMs();
      if (now - last_prune_ms_ > 3600 * 1000) {
        last_prune_ms_ = now;
        int64_t n = 0;
        db_.Write([&](db::Conn& c) { n = Prune(c, now - opts_.retention_ms); });
        if (n > 0) log::Info("events: pruned {} old event(s)", n);
      }
    } catch (const std::exception& e) {
      log::Warn("events: dispatch failed: {}", e.what());
    }
  }
}

void Hub::DispatchOnce() {
  std::lock_guard one(dispatch_mu_);
  for (;;) {
    int64_t after = dispatched_.load();
    auto batch = db_.ReadValue([&](db::Conn& c) { return ReadAfter(c, "", after, 500); });
    for (auto& e : batch) Fanout(std::make_shared<const Event>(std::move(e)));
    if (batch.size() < 500) return;
  }
}

void Hub::Fanout(const std::shared_ptr<const Event>& e) {
  std::shared_lock lk(subs_mu_);
  for (auto& key : e->keys) {
    auto it = by_key_.find(MapKey(e->county_id, key));
    if (it == by_key_.end()) continue;
    for (Subscription* s : it->second) {
      if (s->last_seq_ >= e->seq) continue;  // matched an earlier key of this event
      s->last_seq_ = e->seq;
      s->deliver_(e);
      ++delivered_;
    }
  }
  for (auto& tap : taps_) tap(*e);
  // Publishing the new head under the shared lock is safe: Subscribe reads it under the unique
  // lock, so it sees either the state before this event (and gets it live) or after (and not).
  dispatched_ = e->seq;
}

Hub::Subscribed Hub::Subscribe(const std::string& county_id, std::vector<std::string> keys,
                               Deliver deliver, int64_t after) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  Subscribed out;
  auto sub = std::unique_ptr<Subscription>(new Subscription());
  sub->hub_ = this;
  sub->county_ = county_id;
  sub->keys_ = keys;
  sub->deliver_ = std::move(deliver);
  {
    std::unique_lock lk(subs_mu_);
    out.head = dispatched_.load();
    sub->last_seq_ = out.head;
    for (auto& k : keys) by_key_[MapKey(county_id, k)].push_back(sub.get());
  }
  ++subscriber_count_;
  if (after >= 0 && after < out.head) {
    db_.Read([&](db::Conn& c) {
      // Events after `after` were pruned: the client cannot be caught up.
      if (Pruned(c) > after) {
        out.reset = true;
        return;
      }
      int64_t cursor = after;
      while (cursor < out.head) {
        auto batch = ReadAfter(c, county_id, cursor, 500);
        if (batch.empty()) break;
        for (auto& e : batch) {
          if (e.seq > out.head) {
            cursor = out.head;
            break;
          }
          cursor = e.seq;
          bool match = false;
          for (auto& k : e.keys)
            if (std::binary_search(keys.begin(), keys.end(), k)) {
              match = true;
              break;
            }
          if (match) out.missed.push_back(std::move(e));
        }
        if (static_cast<int>(out.missed.size()) > opts_.max_missed) {
          out.missed.clear();
          out.reset = true;
          return;
        }
      }
    });
  } else if (after > out.head) {
    // A seq from the future: another deployment or a restored database. Start over.
    out.reset = true;
  }
  out.sub = std::move(sub);
  return out;
}

void Hub::Remove(Subscription* s) {
  std::unique_lock lk(subs_mu_);
  for (auto& k : s->keys_) {
    auto it = by_key_.find(MapKey(s->county_, k));
    if (it == by_key_.end()) continue;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), s), v.end());
    if (v.empty()) by_key_.erase(it);
  }
  --subscriber_count_;
}

Hub::Subscription::~Subscription() {
  if (hub_) hub_->Remove(this);
}

}  // namespace sx::events
