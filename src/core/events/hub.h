// The live-event hub of one instance. A dispatcher thread reads the event log (log.h) in seq
// order — woken at once by Kick() after a local commit, and every poll interval for events other
// instances appended — and hands each event to every subscriber whose keys intersect the event's.
// Subscribers are WebSocket sessions (core/ws); delivery callbacks must not block (they post to
// the session's strand).
//
// Resume: a subscriber that knows the last seq it saw calls Subscribe with it; Subscribe returns
// the events it missed (read from the log) and live delivery continues after them without a gap
// or a duplicate. When the log no longer holds what it missed, Subscribe says so (reset), and the
// client reloads its state instead.
//
// Thread-safe.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/db/db.h"
#include "core/events/log.h"
#include "core/util/clock.h"

namespace sx::events {

struct HubOptions {
  std::chrono::milliseconds poll{250};
  int64_t retention_ms = 7LL * 24 * 3600 * 1000;
  int max_missed = 2000;  // more missed events than this: the client resets instead
};

class Hub {
 public:
  using Deliver = std::function<void(const std::shared_ptr<const Event>&)>;

  Hub(db::Database& db, const util::Clock& clock, HubOptions opts = {});
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Starts the dispatcher from the log's current head. Idempotent.
  void Start();
  // Stops the dispatcher thread. Idempotent.
  void Stop();
  // Wakes the dispatcher (call after committing a transaction that appended events).
  void Kick();

  class Subscription {
   public:
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

   private:
    friend class Hub;
    Subscription() = default;
    Hub* hub_ = nullptr;
    std::string county_;
    std::vector<std::string> keys_;
    Deliver deliver_;
    int64_t last_seq_ = 0;  // dispatcher only: de-duplicates events matching several keys
  };

  struct Subscribed {
    std::unique_ptr<Subscription> sub;
    int64_t head = 0;           // the last seq covered (missed + live continue after it)
    std::vector<Event> missed;  // matching events in (after, head], oldest first
    bool reset = false;         // `after` is older than the log retains: reload state
  };
  // Registers deliver for events addressed to any of keys in county. With after >= 0, also
  // returns the matching events after that seq which were already dispatched.
  Subscribed Subscribe(const std::string& county_id, std::vector<std::string> keys, Deliver deliver,
                       int64_t after = -1);

  // Registers fn to see every dispatched event of every county (on the dispatcher thread, in seq
  // order; fn must not block). Register before Start(); taps live as long as the hub.
  void Tap(std::function<void(const Event&)> fn) {
    std::unique_lock lk(subs_mu_);
    taps_.push_back(std::move(fn));
  }

  int64_t dispatched() const { return dispatched_.load(); }
  int64_t subscribers() const { return subscriber_count_.load(); }
  int64_t events_delivered() const { return delivered_.load(); }

  // One dispatch pass (the dispatcher thread calls this; tests may call it directly).
  void DispatchOnce();

 private:
  void Run();
  void Remove(Subscription* s);
  void Fanout(const std::shared_ptr<const Event>& e);

  db::Database& db_;
  const util::Clock& clock_;
  HubOptions opts_;

  mutable std::shared_mutex subs_mu_;
  // county + '\n' + key → subscriptions holding that key. Guarded by subs_mu_.
  std::unordered_map<std::string, std::vector<Subscription*>> by_key_;
  std::vector<std::function<void(const Event&)>> taps_;  // guarded by subs_mu_
  std::atomic<int64_t> dispatched_{0};  // last seq handed out; written under subs_mu_ (unique)
  std::atomic<int64_t> subscriber_count_{0};
  std::atomic<int64_t> delivered_{0};

  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool kicked_ = false;     // guarded by run_mu_
  bool stopping_ = false;   // guarded by run_mu_
  bool started_ = false;    // guarded by run_mu_
  std::mutex dispatch_mu_;  // one DispatchOnce at a time
  int64_t last_prune_ms_ = 0;
  std::thread thread_;
};

}  // namespace sx::events
