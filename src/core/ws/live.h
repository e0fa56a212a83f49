// Live-event WebSockets at one path: who may connect (authorize) and where their events come from
// (the hub), turned into a message endpoint (socket.h) by Socket().
//
// Protocol (JSON text frames). Server → client: {"type":"hello","seq":N} once, then
// {"type":"event",...} frames (EventFrame), {"type":"reset"} when the client asked to resume from
// a seq the log no longer holds, {"type":"pong"} for a ping. Client → server: {"type":"ping"}.
// The client resumes with ?since=<last seq seen>. Missed events come first, then live ones, with
// no gap and no duplicate (see events::Hub::Subscribe). Client frames ≤ 4 KiB; a client that
// falls 512 frames behind is disconnected (it resumes later).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/events/hub.h"
#include "core/http/message.h"
#include "core/ws/socket.h"

namespace sx::ws {

struct LiveTarget {
  std::string county_id;
  std::vector<std::string> keys;  // audience keys (see core/events/log.h)
};

struct LiveEndpoint {
  std::string path = "/api/v1/ws";
  // Runs on the worker pool for each upgrade request. Returns the caller's subscription or throws
  // sx::Error (401 when not signed in, 403 for a cross-site cookie request).
  std::function<LiveTarget(const http::Request&)> authorize;
  events::Hub* hub = nullptr;
};

// The text frame for an event: {"type":"event","seq":N,"event":"<type>","data":<payload>}.
std::string EventFrame(const events::Event& e);

// The message endpoint serving ep.
SocketEndpoint Socket(LiveEndpoint ep);

}  // namespace sx::ws
