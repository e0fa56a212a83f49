// Protocol-agnostic errors raised by services and mapped to HTTP (problem+json) in one place,
// core/http/problem.cc. Services throw sx::Error; nothing below the HTTP layer knows status codes.
#pragma once
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sx {

enum class ErrorCode {
  kInvalidArgument,  // 400/422: the input is malformed or fails validation
  kUnauthenticated,  // 401: no valid session
  kForbidden,        // 403: signed in, known object, action not allowed (rare: see kNotFound)
  kNotFound,         // 404: missing, or outside the caller's scope (never distinguishable)
  kConflict,         // 409: duplicate or state conflict
  kTooLarge,         // 413
  kUnsupportedType,  // 415: a file of a type that is not accepted
  kRateLimited,      // 429
  kUnavailable,      // 503: overloaded or shutting down
  kInternal,         // 500
};

struct FieldError {
  std::string field;
  std::string message;
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string detail, std::vector<FieldError> fields = {})
      : std::runtime_error(detail), code_(code), fields_(std::move(fields)) {}
  ErrorCode code() const { return code_; }
  const std::vector<FieldError>& fields() const { return fields_; }

  static Error NotFound(std::string what = "Not found") { return {ErrorCode::kNotFound, what}; }
  static Error Invalid(std::string detail, std::vector<FieldError> f = {}) {
    return {ErrorCode::kInvalidArgument, std::move(detail), std::move(f)};
  }
  static Error Field(std::string field, std::string message) {
    return {ErrorCode::kInvalidArgument,
            "Validation failed: " + field + ": " + message,
            {{field, message}}};
  }
  static Error Conflict(std::string detail) { return {ErrorCode::kConflict, std::move(detail)}; }

 private:
  ErrorCode code_;
  std::vector<FieldError> fields_;
};

}  // namespace sx
