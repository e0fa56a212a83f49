#include "modules/docs/form.h"

#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "core/auth/pii.h"
#include "core/util/error.h"
#include "core/util/strings.h"

namespace sx::docs::form {

namespace json = boost::json;

namespace {

constexpr const char* kTypes[] = {"text", "textarea", "number",    "single", "multiple",
                                  "date", "phone",    "id_number", "region", "photo"};

bool KnownType(std::string_view t) {
  for (auto* k : kTypes)
    if (t == k) return true;
  return false;
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

bool Choice(const Field& f) { return f.type == "single" || f.type == "multiple"; }

// Text of at most max characters (trimmed), or nullopt with an error recorded.
std::optional<std::string> Text(const json::value* v, size_t max) {
  if (!v || !v->is_string()) return std::nullopt;
  std::string s = util::Trim(v->as_string());
  long n = util::Utf8Length(s);
  if (n < 0 || static_cast<size_t>(n) > max) return std::nullopt;
  return s;
}

bool ValidDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return false;
  int y = std::stoi(std::string(d.substr(0, 4))), m = std::stoi(std::string(d.substr(5, 2))),
      day = std::stoi(std::string(d.substr(8, 2)));
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return day <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::string Num(double d) {
  if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<int64_t>(d));
  std::string s = json::serialize(json::value(d));
  return s;
}

}  // namespace

bool IsPersonal(const Field& f) { return f.type == "phone" || f.type == "id_number"; }

FormSpec ParseSpec(const json::value& v, const std::string& prefix) {
  if (!v.is_object()) throw Error::Field(prefix, "an object with fields");
  const auto& o = v.as_object();
  FormSpec s;
  std::vector<FieldError> errs;
  auto err = [&](std::string f, std::string m) { errs.push_back({std::move(f), std::move(m)}); };
  if (auto* d = o.if_contains("description"); d && !d->is_null()) {
    auto t = Text(d, 2000);
    if (!t)
      err(prefix + ".description", "text of at most 2000 characters");
    else
      s.description = *t;
  }
  if (auto* p = o.if_contains("per"); p && !p->is_null()) {
    if (!p->is_string() || (p->as_string() != "person" && p->as_string() != "household"))
      err(prefix + ".per", "person or household");
    else
      s.per = std::string(p->as_string());
  }
  auto* fs = o.if_contains("fields");
  if (!fs || !fs->is_array()) {
    err(prefix + ".fields", "a list of fields");
    throw Error::Invalid("The form is not valid", errs);
  }
  if (fs->as_array().size() > kMaxFields)
    throw Error::Field(prefix + ".fields", "at most 100 fields");
  std::set<std::string> ids;
  size_t i = 0;
  for (auto& fv : fs->as_array()) {
    std::string at = prefix + ".fields[" + std::to_string(i++) + "]";
    if (!fv.is_object()) {
      err(at, "an object");
      continue;
    }
    const auto& fo = fv.as_object();
    Field f;
    auto* id = fo.if_contains("id");
    if (!id || !id->is_string() || !ValidId(id->as_string()))
      err(at + ".id", "1–32 of a-z, 0-9 and _");
    else if (!ids.insert(std::string(id->as_string())).second)
      err(at + ".id", "used by another field");
    else
      f.id = std::string(id->as_string());
    auto* type = fo.if_contains("type");
    if (!type || !type->is_string() || !KnownType(type->as_string()))
      err(at + ".type",
          "one of text, textarea, number, single, multiple, date, phone, id_number, region, "
          "photo");
    else
      f.type = std::string(type->as_string());
    auto label = Text(fo.if_contains("label"), 200);
    if (!label || label->empty())
      err(at + ".label", "1–200 characters");
    else
      f.label = *label;
    if (auto* h = fo.if_contains("hint"); h && !h->is_null()) {
      auto t = Text(h, 500);
      if (!t)
        err(at + ".hint", "at most 500 characters");
      else
        f.hint = *t;
    }
    if (auto* r = fo.if_contains("required"); r && !r->is_null()) {
      if (!r->is_bool())
        err(at + ".required", "true or false");
      else
        f.required = r->as_bool();
    }
    if (Choice(f)) {
      auto* opts = fo.if_contains("options");
      std::set<std::string> seen;
      bool ok =
          opts && opts->is_array() && opts->as_array().size() >= 2 && opts->as_array().size() <= 50;
      if (ok)
        for (auto& ov : opts->as_array()) {
          auto t = Text(&ov, 100);
          if (!t || t->empty() || !seen.insert(*t).second) {
            ok = false;
            break;
          }
          f.options.push_back(*t);
        }
      if (!ok) err(at + ".options", "2–50 different options of 1–100 characters");
    }
    if (f.type == "number") {
      for (const char* k : {"min", "max"}) {
        auto* n = fo.if_contains(k);
        if (!n || n->is_null()) continue;
        if (!n->is_number()) {
          err(at + "." + k, "a number");
          continue;
        }
        (std::string_view(k) == "min" ? f.min : f.max) = n->to_number<double>();
      }
      if (f.min && f.max && *f.min > *f.max) err(at + ".max", "not below min");
    }
    s.fields.push_back(std::move(f));
  }
  if (!errs.empty()) throw Error::Invalid("The form is not valid", errs);
  return s;
}

json::object SpecObject(const FormSpec& s) {
  json::array fields;
  for (auto& f : s.fields) {
    json::object o{{"id", f.id}, {"type", f.type}, {"label", f.label}, {"required", f.required}};
    if (!f.hint.empty()) o["hint"] = f.hint;
    if (!f.options.empty()) {
      json::array a;
      for (auto& x : f.options) a.emplace_back(x);
      o["options"] = std::move(a);
    }
    if (f.min) o["min"] = *f.min;
    if (f.max) o["max"] = *f.max;
    fields.push_back(std::move(o));
  }
  return {{"description", s.description}, {"per", s.per}, {"fields", std::move(fields)}};
}

std::string SpecToJson(const FormSpec& s) { return json::serialize(SpecObject(s)); }

FormSpec SpecFromJson(std::string_view text) { return ParseSpec(json::parse(text), "form"); }

json::object CheckAnswers(const FormSpec& spec, const json::value& answers, const Checkers& check) {
  if (!answers.is_object()) throw Error::Field("answers", "an object of field id → answer");
  const auto& in = answers.as_object();
  std::vector<FieldError> errs;
  for (auto& kv : in) {
    bool known = false;
    for (auto& f : spec.fields) known = known || f.id == kv.key();
    if (!known) errs.push_back({"answers." + std::string(kv.key()), "not a field of this form"});
  }
  json::object out;
  for (auto& f : spec.fields) {
    std::string at = "answers." + f.id;
    auto* v = in.if_contains(f.id);
    bool empty = !v || v->is_null() || (v->is_string() && util::Trim(v->as_string()).empty()) ||
                 (v->is_array() && v->as_array().empty());
    if (empty) {
      if (f.required) errs.push_back({at, "required"});
      continue;
    }
    auto bad = [&](std::string m) { errs.push_back({at, std::move(m)}); };
    if (f.type == "text" || f.type == "textarea") {
      size_t max = f.type == "text" ? 200 : 5000;
      auto t = Text(v, max);
      if (!t)
        bad("text of at most " + std::to_string(max) + " characters");
      else
        out[f.id] = *t;
    } else if (f.type == "number") {
      double d = 0;
      if (v->is_number()) {
        d = v->to_number<double>();
      } else if (v->is_string()) {
        try {
          size_t used = 0;
          std::string s = util::Trim(v->as_string());
          d = std::stod(s, &used);
          if (used != s.size()) throw std::invalid_argument("x");
        } catch (...) {
          bad("a number");
          continue;
        }
      } else {
        bad("a number");
        continue;
      }
      if (!std::isfinite(d)) {
        bad("a number");
      } else if ((f.min && d < *f.min) || (f.max && d > *f.max)) {
        bad("between " + (f.min ? Num(*f.min) : "…") + " and " + (f.max ? Num(*f.max) : "…"));
      } else {
        out[f.id] = d;
      }
    } else if (f.type == "single") {
      auto t = Text(v, 100);
      bool ok = t && std::find(f.options.begin(), f.options.end(), *t) != f.options.end();
      if (!ok)
        bad("one of the options");
      else
        out[f.id] = *t;
    } else if (f.type == "multiple") {
      json::array picked;
      bool ok = v->is_array();
      std::set<std::string> seen;
      if (ok)
        for (auto& x : v->as_array()) {
          auto t = Text(&x, 100);
          if (!t || std::find(f.options.begin(), f.options.end(), *t) == f.options.end() ||
              !seen.insert(*t).second) {
            ok = false;
            break;
          }
        }
      if (!ok) {
        bad("some of the options, each once");
        continue;
      }
      for (auto& o : f.options)  // in the form's order
        if (seen.count(o)) picked.emplace_back(o);
      out[f.id] = std::move(picked);
    } else if (f.type == "date") {
      auto t = Text(v, 10);
      if (!t || !ValidDate(*t))
        bad("a date as YYYY-MM-DD");
      else
        out[f.id] = *t;
    } else if (f.type == "phone") {
      auto t = Text(v, 20);
      if (!t || !auth::ValidPhone(*t))
        bad("a mainland mobile number of 11 digits");
      else
        out[f.id] = *t;
    } else if (f.type == "id_number") {
      auto t = Text(v, 18);
      std::string s = t ? *t : "";
      if (!s.empty() && s.back() == 'x') s.back() = 'X';
      if (!t || !auth::ValidIdNumber(s))
        bad("an 18-character resident ID number with a valid check digit");
      else
        out[f.id] = s;
    } else if (f.type == "region") {
      auto t = Text(v, 12);
      if (!t || !check.region || !check.region(*t))
        bad("a region of this county");
      else
        out[f.id] = *t;
    } else if (f.type == "photo") {
      auto t = Text(v, 64);
      if (!t || !check.photo || !check.photo(*t))
        bad("a photo uploaded to this form");
      else
        out[f.id] = *t;
    }
  }
  if (!errs.empty()) throw Error::Invalid("Some answers are not valid", errs);
  return out;
}

std::string Display(const Field& f, const json::value* a) {
  if (!a || a->is_null()) return "";
  if (a->is_string()) return std::string(a->as_string());
  if (a->is_number()) return Num(a->to_number<double>());
  if (a->is_array()) {
    std::string s;
    for (auto& x : a->as_array()) {
      if (!s.empty()) s += "、";
      if (x.is_string()) s += x.as_string();
    }
    return s;
  }
  (void)f;
  return json::serialize(*a);
}

}  // namespace sx::docs::form
