// gzip (RFC 1952) for responses that are cached and sent often (the dashboard): compress once,
// send the compressed bytes to clients that accept them.
#pragma once
#include <string>
#include <string_view>

namespace sx::http {

// The gzip encoding of `data` (zlib, default level). Throws sx::Error (500) if zlib fails.
std::string Gzip(std::string_view data);
// Whether an Accept-Encoding header value accepts gzip (a "gzip" coding without q=0).
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace sx::http
