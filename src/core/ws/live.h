// What the HTTP server needs to know to accept live-event WebSockets at one path: who may
// connect (authorize) and where their events come from (the hub). Beast-free; the session itself
// is in session.h, which only server.cc includes.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/events/hub.h"
#include "core/http/message.h"

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

}  // namespace sx::ws
