// Collection forms (收集表): the field spec and the answers, as pure functions.
//
// A spec has at most 100 fields with unique ids ([a-z0-9_]{1,32}) of the types in docs/docs.md.
// Answers are checked against it: required fields present, values of the field's type (choices
// from its options, numbers within min/max, dates as real YYYY-MM-DD, phones as mainland mobile
// numbers, ID numbers with a valid GB 11643 check digit, regions and photos known to the
// caller's checkers). Unknown answer keys are refused. Errors name the field as "answers.<id>".
#pragma once
#include <boost/json/fwd.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "modules/docs/model.h"

namespace sx::docs::form {

inline constexpr size_t kMaxFields = 100;

// Parses a spec given by a client ({description?, per?, fields}); field errors are reported as
// "<prefix>.fields[i].<key>". Throws sx::Error (kInvalidArgument).
FormSpec ParseSpec(const boost::json::value& v, const std::string& prefix = "form");
// The stored form of a spec, and back.
std::string SpecToJson(const FormSpec& s);
FormSpec SpecFromJson(std::string_view json);
boost::json::object SpecObject(const FormSpec& s);

// Phone and ID-number answers are personal: stored sealed and shown masked.
bool IsPersonal(const Field& f);

struct Checkers {
  std::function<bool(std::string_view code)> region;  // a region of the county
  std::function<bool(std::string_view id)> photo;     // an image uploaded to this form
};

// The answers normalised (trimmed text, numbers as numbers, choices as given); throws
// sx::Error (kInvalidArgument) listing every invalid field.
boost::json::object CheckAnswers(const FormSpec& spec, const boost::json::value& answers,
                                 const Checkers& check);

// An answer as one line of text for tables and exports (choices joined with "、").
std::string Display(const Field& f, const boost::json::value* answer);

}  // namespace sx::docs::form
