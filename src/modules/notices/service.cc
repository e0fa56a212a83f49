#include "modules/notices/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <ctime>
#include <map>
#include <set>

#include "core/audit/audit.h"
#include "core/events/log.h"
#include "core/log/log.h"
#include "core/util/error.h"
#include "core/util/random.h"
#include "core/util/strings.h"
#include "modules/notices/json.h"

namespace sx::notices {

using perm::Perm;

namespace {

constexpr const char* kCategories[] = {"policy",  "meeting", "flood", "epidemic",
                                       "farming", "form",    "other"};
constexpr const char* kTargetRoles[] = {"village_cadre", "party_member", "resident",
                                        "town_official", "unit_staff"};
constexpr size_t kMaxTargets = 500;

bool KnownCategory(const std::string& c) {
  for (auto* k : kCategories)
    if (c == k) return true;
  return false;
}

bool OneOf(const std::string& v, std::initializer_list<const char*> set) {
  for (auto* s : set)
    if (v == s) return true;
  return false;
}

size_t Utf8Chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// Plain text of the first characters of a markdown body.
// Markdown links [text](url) become their text.
std::string Unlinked(const std::string& body) {
  std::string out;
  size_t i = 0;
  while (i < body.size()) {
    size_t open = body.find('[', i);
    if (open == std::string::npos) break;
    size_t mid = body.find("](", open);
    size_t close = mid == std::string::npos ? mid : body.find(')', mid);
    if (close == std::string::npos || body.find('\n', open) < mid) {
      out.append(body, i, open + 1 - i);
      i = open + 1;
      continue;
    }
    out.append(body, i, open - i);
    out.append(body, open + 1, mid - open - 1);
    i = close + 1;
  }
  out.append(body, i, std::string::npos);
  return out;
}

std::string Excerpt(const std::string& markdown) {
  std::string body = Unlinked(markdown);
  std::string plain;
  bool space = false;
  for (char ch : body) {
    if (ch == '#' || ch == '*' || ch == '`' || ch == '>') continue;
    if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
      space = !plain.empty();
      continue;
    }
    if (space) plain += ' ';
    space = false;
    plain += ch;
  }
  std::string cut = util::Utf8Prefix(plain, 80);
  return cut.size() < plain.size() ? cut + "…" : plain;
}

bool ValidText(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
  return true;
}

int LevelRank(perm::Level l) { return static_cast<int>(l); }

audit::Entry Audit(const Caller& c, const std::string& action, const std::string& id,
                   const std::string& detail, int64_t now) {
  return audit::Entry{
      c.who.county_id, c.who.account_id, action, "notice", id, "ok", c.ip, detail, now};
}

}  // namespace

NoticesService::NoticesService(db::Database& db, const auth::Protector& pii, files::Store& files,
                               events::Hub* hub, sms::Gateway& sms, const util::Clock& clock,
                               ServiceOptions opts)
    : db_(db), pii_(pii), files_(files), hub_(hub), sms_(sms), clock_(clock), opts_(opts) {}

std::vector<std::string> NoticesService::KeysFor(const perm::Principal& who) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lk(keys_mu_);
    auto it = keys_.find(who.account_id);
    if (it != keys_.end() && it->second.expires > now) return it->second.keys;
  }
  std::vector<std::string> keys{"a:" + who.account_id};
  if (!who.person_id.empty()) {
    auto place =
        db_.ReadValue([&](db::Conn& c) { return repo::PlaceOf(c, who.county_id, who.person_id); });
    keys.push_back("p:" + who.person_id);
    if (!place.household_id.empty()) keys.push_back("h:" + place.household_id);
    if (perm::LevelOf(place.village_code) == perm::Level::kVillage)
      for (auto l : {perm::Level::kCounty, perm::Level::kTown, perm::Level::kVillage})
        keys.push_back("r:" + perm::AncestorAt(place.village_code, l));
  }
  for (auto& g : who.grants) {
    std::string role(perm::RoleName(g.role));
    if (g.role == perm::Role::kUnitStaff && !g.unit_id.empty()) keys.push_back("u:" + g.unit_id);
    auto level = perm::LevelOf(g.region_code);
    for (auto l : {perm::Level::kCounty, perm::Level::kTown, perm::Level::kVillage})
      if (LevelRank(l) <= LevelRank(level) && level != perm::Level::kInvalid)
        keys.push_back("g:" + role + ":" + perm::AncestorAt(g.region_code, l));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::lock_guard lk(keys_mu_);
  if (keys_.size() > 100000) keys_.clear();
  keys_[who.account_id] = {keys, now + std::chrono::seconds(2)};
  return keys;
}

void NoticesService::ForgetKeys(const std::string& account_id) {
  std::lock_guard lk(keys_mu_);
  keys_.erase(account_id);
}

NoticesService::Publisher NoticesService::PublisherFor(const perm::Principal& who,
                                                       const std::string& unit_id) {
  if (!unit_id.empty()) {
    for (auto& g : who.grants)
      if (g.role == perm::Role::kUnitStaff && g.unit_id == unit_id)
        return {g.region_code, g.unit_name, g.unit_id};
    throw Error::Field("unit_id", "you are not staff of this unit");
  }
  const perm::Grant* best = nullptr;
  for (auto& g : who.grants) {
    if (g.role == perm::Role::kUnitStaff || !perm::RoleHas(g.role, Perm::kNoticePublish)) continue;
    if (!best || perm::SignificantPrefix(g.region_code).size() <
                     perm::SignificantPrefix(best->region_code).size())
      best = &g;
  }
  if (best) return {best->region_code, best->region_name, ""};
  for (auto& g : who.grants)
    if (g.role == perm::Role::kUnitStaff) return {g.region_code, g.unit_name, g.unit_id};
  throw Error::NotFound();
}

Audience NoticesService::ResolveAudience(db::Conn& c, const perm::Principal& who,
                                         const Publisher& pub, const AudienceInput& in) {
  const std::string& county = who.county_id;
  Audience a;
  std::vector<FieldError> errors;
  auto bad = [&](const std::string& field, size_t i, const std::string& v) {
    errors.push_back({"audience." + field + "[" + std::to_string(i) + "]",
                      "unknown or outside your scope: " + v});
  };
  size_t total = in.regions.size() + in.units.size() + in.roles.size() + in.households.size() +
                 in.people.size();
  if (total == 0)
    throw Error::Field("audience",
                       "choose at least one region, unit, role, "
                       "household or person");
  if (total > kMaxTargets)
    throw Error::Field("audience", "at most " + std::to_string(kMaxTargets) + " entries");
  std::set<std::string> seen;
  for (size_t i = 0; i < in.regions.size(); ++i) {
    auto& code = in.regions[i];
    auto r =
        perm::LevelOf(code) == perm::Level::kInvalid ? std::nullopt : repo::Region(c, county, code);
    if (!r || !perm::Within(pub.scope, code)) {
      bad("regions", i, code);
      continue;
    }
    if (seen.insert("r" + code).second) a.regions.push_back({code, r->name});
  }
  for (size_t i = 0; i < in.units.size(); ++i) {
    auto& id = in.units[i];
    auto u = util::LooksLikeId(id) ? repo::Unit(c, county, id) : std::nullopt;
    if (!u || !u->active || !(perm::Within(pub.scope, u->region_code) || id == pub.unit_id)) {
      bad("units", i, id);
      continue;
    }
    if (seen.insert("u" + id).second) a.units.push_back({id, u->name});
  }
  for (size_t i = 0; i < in.roles.size(); ++i) {
    auto& [role, region] = in.roles[i];
    bool known_role = false;
    for (auto* r : kTargetRoles) known_role = known_role || role == r;
    auto r = perm::LevelOf(region) == perm::Level::kInvalid ? std::nullopt
                                                            : repo::Region(c, county, region);
    if (!known_role || !r || !perm::Within(pub.scope, region)) {
      bad("roles", i, role + "@" + region);
      continue;
    }
    if (role == "resident") {  // residents of a region are the region itself
      if (seen.insert("r" + region).second) a.regions.push_back({region, r->name});
      continue;
    }
    if (seen.insert("g" + role + region).second) a.roles.push_back({role, region, r->name});
  }
  for (size_t i = 0; i < in.households.size(); ++i) {
    auto& id = in.households[i];
    auto h = util::LooksLikeId(id) ? repo::Household(c, county, id) : std::nullopt;
    if (!h || !perm::Within(pub.scope, h->village_code)) {
      bad("households", i, id);
      continue;
    }
    std::string label =
        (h->head_name.empty() ? std::string("?") : h->head_name) + "户 · " + h->village_name;
    if (seen.insert("h" + id).second) a.households.push_back({id, label, h->village_code});
  }
  for (size_t i = 0; i < in.people.size(); ++i) {
    auto& id = in.people[i];
    auto p = util::LooksLikeId(id) ? repo::Person(c, county, id) : std::nullopt;
    if (!p || !p->active || !perm::Within(pub.scope, p->village_code)) {
      bad("people", i, id);
      continue;
    }
    if (seen.insert("p" + id).second) a.people.push_back({id, p->name, p->village_code});
  }
  if (!errors.empty())
    throw Error::Invalid("Some audience entries are unknown or outside your scope",
                         std::move(errors));
  return a;
}

std::vector<std::string> NoticesService::TargetKeys(const Audience& a) {
  std::vector<std::string> keys;
  for (auto& r : a.regions) keys.push_back("r:" + r.code);
  for (auto& u : a.units) keys.push_back("u:" + u.id);
  for (auto& r : a.roles) keys.push_back("g:" + r.role + ":" + r.region);
  for (auto& h : a.households) keys.push_back("h:" + h.id);
  for (auto& p : a.people) keys.push_back("p:" + p.id);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

bool NoticesService::CanManage(const perm::Principal& who, const Notice& n) const {
  if (who.account_id == n.publisher_account) return true;
  for (auto& g : who.grants) {
    if (g.role == perm::Role::kUnitStaff) {
      if (!n.publisher_unit.empty() && g.unit_id == n.publisher_unit) return true;
      continue;
    }
    if (perm::RoleHas(g.role, Perm::kNoticePublish) &&
        perm::Within(g.region_code, n.publisher_region))
      return true;
  }
  return false;
}

std::string NoticesService::ReaderId(const perm::Principal& who) const {
  return who.person_id.empty() ? who.account_id : who.person_id;
}

void NoticesService::Announce(db::Conn& c, const std::string& county, const Notice& n,
                              const std::string& type, const std::vector<std::string>& keys) {
  events::Append(c, county, type, keys, json::EventPayload(n), clock_.NowMs());
}

Notice NoticesService::Publish(const Caller& cl, const NoticeInput& in, const InTransaction& also) {
  const auto& who = cl.who;
  int64_t now = clock_.NowMs();
  std::vector<FieldError> errors;
  if (in.title.empty() || Utf8Chars(in.title) > 120 || !ValidText(in.title))
    errors.push_back({"title", "1 to 120 characters"});
  if (in.body.empty() || in.body.size() > 20000 || !ValidText(in.body))
    errors.push_back({"body", "1 to 20000 bytes of text"});
  if (!KnownCategory(in.category))
    errors.push_back({"category", "one of policy, meeting, flood, epidemic, farming, other"});
  if (!OneOf(in.urgency, {"normal", "urgent"})) errors.push_back({"urgency", "normal or urgent"});
  int64_t publish_at = in.publish_at ? std::max(*in.publish_at, now) : now;
  if (in.publish_at && *in.publish_at > now + 366LL * 24 * 3600 * 1000)
    errors.push_back({"publish_at", "at most a year ahead"});
  if (in.expires_at && *in.expires_at <= publish_at)
    errors.push_back({"expires_at", "must be after publishing"});
  if (in.receipt_deadline && !in.receipt_required)
    errors.push_back({"receipt_deadline", "only with receipt_required"});
  if (in.receipt_deadline && *in.receipt_deadline <= publish_at)
    errors.push_back({"receipt_deadline", "must be after publishing"});
  if (in.attachments.size() > 20) errors.push_back({"attachments", "at most 20 files"});
  if (!errors.empty()) throw Error::Invalid("The notice is not valid", std::move(errors));

  Publisher pub = PublisherFor(who, in.unit_id);
  Notice n;
  n.id = util::NewId();
  n.title = in.title;
  n.body = in.body;
  n.excerpt = Excerpt(in.body);
  n.category = in.category;
  n.urgency = in.urgency;
  bool now_live = publish_at <= now;
  n.status = now_live ? "published" : "scheduled";
  n.publisher_account = who.account_id;
  n.publisher_name = who.name;
  n.publisher_label = pub.label;
  n.publisher_unit = pub.unit_id;
  n.publisher_region = pub.scope;
  n.receipt_required = in.receipt_required;
  n.receipt_deadline = in.receipt_deadline;
  n.publish_at = publish_at;
  if (now_live) n.published_at = now;
  n.expires_at = in.expires_at;
  n.sms = in.sms;
  n.sms_status = in.sms ? "pending" : "";
  n.created_at = n.updated_at = now;
  db_.Write([&](db::Conn& c) {
    n.audience = ResolveAudience(c, who, pub, in.audience);
    n.audience_size = repo::CountAudience(c, who.county_id, n.audience);
    auto keys = TargetKeys(n.audience);
    n.attachment_count = static_cast<int64_t>(in.attachments.size());
    repo::Insert(c, who.county_id, n, keys);
    n.attachments = files_.Attach(c, who.county_id, in.attachments, who.account_id, "notice", n.id,
                                  "attachments");
    audit::Append(c, Audit(cl, "notice.publish", n.id,
                           n.status + " audience=" + std::to_string(n.audience_size), now));
    if (now_live) {
      repo::CountPublished(c, who.county_id, n);
      Announce(c, who.county_id, n, "notice.published", keys);
    }
    if (also) also(c, n, keys);
  });
  if (hub_) hub_->Kick();
  n.can_manage = true;
  return n;
}

Preview NoticesService::PreviewAudience(const perm::Principal& who, const AudienceInput& in,
                                        bool sms, const std::string& unit_id) {
  Publisher pub = PublisherFor(who, unit_id);
  Preview p;
  db_.Read([&](db::Conn& c) {
    Audience a = ResolveAudience(c, who, pub, in);
    p.audience_size = repo::CountAudience(c, who.county_id, a);
    if (sms) {
      p.sms_recipients = repo::CountSmsRecipients(c, who.county_id, a);
      p.sms_cost_fen = p.sms_recipients * opts_.sms_price_fen;
    }
  });
  return p;
}

std::vector<Notice> NoticesService::ListManaged(const perm::Principal& who,
                                                const std::string& status, const std::string& q,
                                                int64_t offset, int limit) {
  repo::ManagedFilter f;
  for (auto& g : who.grants) {
    if (g.role == perm::Role::kUnitStaff) {
      if (!g.unit_id.empty()) f.units.push_back(g.unit_id);
      continue;
    }
    if (!perm::RoleHas(g.role, Perm::kNoticePublish)) continue;
    f.ranges.push_back(perm::CodeRange(g.region_code));
  }
  f.account = who.account_id;
  if (!status.empty() && !OneOf(status, {"scheduled", "published", "withdrawn"}))
    throw Error::Field("status", "scheduled, published or withdrawn");
  f.status = status;
  f.q = q;
  f.offset = offset;
  f.limit = limit;
  std::vector<Notice> out;
  db_.Read([&](db::Conn& c) {
    out = repo::ListManaged(c, who.county_id, f);
    for (auto& n : out) {
      std::tie(n.read_count, n.confirm_count) = repo::ReadTotals(c, who.county_id, n.id);
      n.can_manage = true;
    }
  });
  return out;
}

Notice NoticesService::Get(const perm::Principal& who, const std::string& id) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  std::optional<Notice> n;
  bool recipient = false;
  auto keys = KeysFor(who);
  std::string reader = ReaderId(who);
  db_.Read([&](db::Conn& c) {
    n = repo::Get(c, who.county_id, id);
    if (!n) return;
    n->can_manage = CanManage(who, *n);
    recipient = n->published_at.has_value() && repo::IsRecipient(c, who.county_id, id, keys);
    if (!n->can_manage && !recipient) return;
    n->attachments = files_.ListFor(c, who.county_id, "notice", id);
    if (auto r = repo::GetRead(c, who.county_id, id, reader)) {
      n->read_at = r->first;
      n->confirmed_at = r->second;
    }
    if (n->can_manage)
      std::tie(n->read_count, n->confirm_count) = repo::ReadTotals(c, who.county_id, id);
  });
  if (!n || (!n->can_manage && !recipient)) throw Error::NotFound();
  return *n;
}

Notice NoticesService::Managed(const perm::Principal& who, const std::string& id) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  auto n = db_.ReadValue([&](db::Conn& c) { return repo::Get(c, who.county_id, id); });
  if (!n) throw Error::NotFound();
  if (!CanManage(who, *n)) {
    audit::AppendAsync(
        db_, audit::Entry{who.county_id, who.account_id, "access.deny", "notice", id, "denied", "",
                          "not a manager of this notice", clock_.NowMs()});
    throw Error::NotFound();
  }
  n->can_manage = true;
  return *n;
}

Notice NoticesService::Update(const Caller& cl, const std::string& id, const NoticePatch& p,
                              const InTransaction& also) {
  Notice n = Managed(cl.who, id);
  if (n.status == "withdrawn") throw Error::Conflict("A withdrawn notice cannot be edited");
  std::vector<FieldError> errors;
  if (p.revision_note.empty() || Utf8Chars(p.revision_note) > 200 || !ValidText(p.revision_note))
    errors.push_back({"revision_note", "say what changed (1 to 200 characters)"});
  if (p.title && (p.title->empty() || Utf8Chars(*p.title) > 120 || !ValidText(*p.title)))
    errors.push_back({"title", "1 to 120 characters"});
  if (p.body && (p.body->empty() || p.body->size() > 20000 || !ValidText(*p.body)))
    errors.push_back({"body", "1 to 20000 bytes of text"});
  if (p.receipt_deadline && *p.receipt_deadline && !n.receipt_required)
    errors.push_back({"receipt_deadline", "this notice asks no receipt"});
  if (p.expires_at && *p.expires_at && **p.expires_at <= n.publish_at)
    errors.push_back({"expires_at", "must be after publishing"});
  if (!errors.empty()) throw Error::Invalid("The change is not valid", std::move(errors));
  int64_t now = clock_.NowMs();
  if (p.title) n.title = *p.title;
  if (p.body) {
    n.body = *p.body;
    n.excerpt = Excerpt(n.body);
  }
  if (p.receipt_deadline) n.receipt_deadline = *p.receipt_deadline;
  if (p.expires_at) n.expires_at = *p.expires_at;
  n.revision += 1;
  n.revisions.push_back({n.revision, p.revision_note, cl.who.name, now});
  n.updated_at = now;
  db_.Write([&](db::Conn& c) {
    if (p.attachments) {
      n.attachments = files_.Attach(c, cl.who.county_id, *p.attachments, cl.who.account_id,
                                    "notice", n.id, "attachments");
      n.attachment_count = static_cast<int64_t>(n.attachments.size());
    } else {
      n.attachments = files_.ListFor(c, cl.who.county_id, "notice", n.id);
    }
    repo::UpdateContent(c, cl.who.county_id, n);
    audit::Append(c,
                  Audit(cl, "notice.update", n.id, "revision " + std::to_string(n.revision), now));
    auto keys = repo::TargetKeys(c, cl.who.county_id, n.id);
    if (n.status == "published") Announce(c, cl.who.county_id, n, "notice.updated", keys);
    if (also) also(c, n, keys);
  });
  if (hub_) hub_->Kick();
  return Get(cl.who, id);
}

Notice NoticesService::Withdraw(const Caller& cl, const std::string& id, const std::string& reason,
                                const InTransaction& also) {
  Notice n = Managed(cl.who, id);
  if (reason.empty() || Utf8Chars(reason) > 200 || !ValidText(reason))
    throw Error::Field("reason", "say why (1 to 200 characters)");
  if (n.status == "withdrawn") throw Error::Conflict("The notice is already withdrawn");
  int64_t now = clock_.NowMs();
  bool was_published = n.status == "published";
  db_.Write([&](db::Conn& c) {
    repo::SetWithdrawn(c, cl.who.county_id, n.id, now, reason);
    audit::Append(c, Audit(cl, "notice.withdraw", n.id, reason, now));
    auto keys = repo::TargetKeys(c, cl.who.county_id, n.id);
    if (was_published) Announce(c, cl.who.county_id, n, "notice.withdrawn", keys);
    if (also) also(c, n, keys);
  });
  if (hub_) hub_->Kick();
  return Get(cl.who, id);
}

std::shared_ptr<const NoticesService::InboxIndex> NoticesService::IndexFor(
    const std::string& county, int64_t version) {
  {
    std::lock_guard lk(index_mu_);
    auto it = index_.find(county);
    if (it != index_.end() && it->second->version >= version) return it->second;
  }
  std::lock_guard rebuild(rebuild_mu_);
  {
    std::lock_guard lk(index_mu_);
    auto it = index_.find(county);
    if (it != index_.end() && it->second->version >= version) return it->second;
  }
  auto idx = std::make_shared<InboxIndex>();
  int64_t now = clock_.NowMs();
  db_.Read([&](db::Conn& c) { idx->headers = repo::LiveHeaders(c, county, now, &idx->version); });
  for (uint32_t i = 0; i < idx->headers.size(); ++i)
    for (auto& k : idx->headers[i].keys) idx->by_key[k].push_back(i);
  std::lock_guard lk(index_mu_);
  index_[county] = idx;
  return idx;
}

InboxPage NoticesService::Inbox(const perm::Principal& who, const std::string& category,
                                const std::string& q, int64_t offset, int limit) {
  if (!category.empty() && !KnownCategory(category))
    throw Error::Field("category", "one of policy, meeting, flood, epidemic, farming, other");
  std::string reader = ReaderId(who);
  auto keys = KeysFor(who);
  int64_t now = clock_.NowMs();
  InboxPage page;
  if (!q.empty()) {
    // Text search runs in the database.
    repo::InboxQuery iq{reader, keys, category, q, now, offset, limit + 1};
    db_.Read([&](db::Conn& c) {
      page.items = repo::Inbox(c, who.county_id, iq);
      page.unread_count = repo::UnreadCount(c, who.county_id, iq);
    });
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.pop_back();
      page.next_cursor = std::to_string(offset + limit);
    }
    return page;
  }
  // The common case: one single-statement read (the version and this reader's reads), then the
  // county's live headers from memory.
  auto st = db_.ReadValue([&](db::Conn& c) { return repo::StateOf(c, who.county_id, reader); });
  uint64_t sig = 0;
  return InboxFromIndex(who, keys, st, category, offset, limit, &sig);
}

namespace {
uint64_t Fnv(std::string_view s, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}
uint64_t Mix(uint64_t h, uint64_t v) { return (h ^ v) * 1099511628211ULL + (v >> 7); }
// What an inbox page depends on: the headers (version), the query, the keys and the reads
// (an order-free sum, since the reads come from a hash map).
uint64_t PageSignature(int64_t version, const std::string& category, int64_t offset, int limit,
                       const std::vector<std::string>& keys, const repo::ReaderState& st) {
  uint64_t sig = Mix(Fnv(category), static_cast<uint64_t>(version));
  sig = Mix(sig, static_cast<uint64_t>(offset) * 1000003ULL + static_cast<uint64_t>(limit));
  for (auto& k : keys) sig = Mix(sig, Fnv(k));
  uint64_t reads = 0;
  for (auto& [id, r] : st.reads)
    reads +=
        Fnv(id, static_cast<uint64_t>(r.first) * 31 + static_cast<uint64_t>(r.second.value_or(0)));
  return Mix(sig, reads);
}
}  // namespace

InboxPage NoticesService::InboxFromIndex(const perm::Principal& who,
                                         const std::vector<std::string>& keys,
                                         const repo::ReaderState& st, const std::string& category,
                                         int64_t offset, int limit, uint64_t* signature) {
  int64_t now = clock_.NowMs();
  InboxPage page;
  auto idx = IndexFor(who.county_id, st.version);
  *signature = PageSignature(idx->version, category, offset, limit, keys, st);
  std::vector<uint32_t> hits;
  for (auto& k : keys) {
    auto it = idx->by_key.find(k);
    if (it != idx->by_key.end()) hits.insert(hits.end(), it->second.begin(), it->second.end());
  }
  std::sort(hits.begin(), hits.end());
  hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
  struct Row {
    const InboxItem* item;
    const std::pair<int64_t, std::optional<int64_t>>* read;
    bool unread, urgent;
  };
  std::vector<Row> rows;
  rows.reserve(hits.size());
  for (uint32_t i : hits) {
    const auto& h = idx->headers[i];
    if (h.expires_at && *h.expires_at <= now) continue;
    auto r = st.reads.find(h.item.id);
    const auto* read = r == st.reads.end() ? nullptr : &r->second;
    bool unread = !read && !h.item.withdrawn;
    if (unread) ++page.unread_count;
    if (!category.empty() && h.item.category != category) continue;
    rows.push_back({&h.item, read, unread, h.item.urgency == "urgent"});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.unread != b.unread) return a.unread;
    if (a.urgent != b.urgent) return a.urgent;
    if (a.item->published_at != b.item->published_at)
      return a.item->published_at > b.item->published_at;
    return a.item->id > b.item->id;
  });
  size_t from = std::min<size_t>(static_cast<size_t>(offset), rows.size());
  size_t to = std::min<size_t>(from + static_cast<size_t>(limit), rows.size());
  for (size_t i = from; i < to; ++i) {
    InboxItem item = *rows[i].item;
    if (rows[i].read) {
      item.read_at = rows[i].read->first;
      item.confirmed_at = rows[i].read->second;
    }
    page.items.push_back(std::move(item));
  }
  if (to < rows.size()) page.next_cursor = std::to_string(to);
  return page;
}

std::shared_ptr<const std::string> NoticesService::InboxRendered(
    const perm::Principal& who, const std::string& category, const std::string& q, int64_t offset,
    int limit, const std::function<std::string(const InboxPage&)>& render) {
  if (!q.empty())
    return std::make_shared<const std::string>(render(Inbox(who, category, q, offset, limit)));
  if (!category.empty() && !KnownCategory(category))
    throw Error::Field("category", "one of policy, meeting, flood, epidemic, farming, other");
  std::string reader = ReaderId(who);
  auto keys = KeysFor(who);
  auto st = db_.ReadValue([&](db::Conn& c) { return repo::StateOf(c, who.county_id, reader); });
  uint64_t sig = 0;
  std::string cache_key =
      who.account_id + "|" + category + "|" + std::to_string(offset) + "|" + std::to_string(limit);
  auto now = std::chrono::steady_clock::now();
  // Build the page only when the cached one no longer matches.
  auto idx = IndexFor(who.county_id, st.version);
  {
    uint64_t probe = PageSignature(idx->version, category, offset, limit, keys, st);
    std::lock_guard lk(rendered_mu_);
    auto it = rendered_.find(cache_key);
    if (it != rendered_.end() && it->second.signature == probe && it->second.expires > now)
      return it->second.body;
  }
  InboxPage page = InboxFromIndex(who, keys, st, category, offset, limit, &sig);
  auto body = std::make_shared<const std::string>(render(page));
  std::lock_guard lk(rendered_mu_);
  if (rendered_.size() > 50000) rendered_.clear();
  rendered_[cache_key] = {sig, now + std::chrono::seconds(5), body};
  return body;
}

int64_t NoticesService::MarkRead(const perm::Principal& who, const std::string& id) {
  Notice n = Get(who, id);  // NotFound unless recipient or manager
  std::string reader = ReaderId(who);
  if (n.read_at) return *n.read_at;
  auto keys = KeysFor(who);
  int64_t now = clock_.NowMs();
  int64_t at = now;
  db_.Write([&](db::Conn& c) {
    // Managers who are not recipients may open a notice without counting as readers.
    if (!repo::IsRecipient(c, who.county_id, id, keys)) return;
    auto place = repo::PlaceOf(c, who.county_id, who.person_id);
    at = repo::MarkRead(c, who.county_id, id, reader, who.account_id, place, now, &n);
    if (at == now && ProgressDue(id, now)) AnnounceProgress(c, who.county_id, n);
  });
  if (at == now && hub_) hub_->Kick();
  return at;
}

bool NoticesService::ProgressDue(const std::string& notice_id, int64_t now) {
  std::lock_guard lk(progress_mu_);
  if (progress_at_.size() > 10000) progress_at_.clear();
  auto& last = progress_at_[notice_id];
  if (now - last < 3000) return false;
  last = now;
  return true;
}

void NoticesService::AnnounceProgress(db::Conn& c, const std::string& county, const Notice& n) {
  std::vector<std::string> keys{"a:" + n.publisher_account};
  if (!n.publisher_unit.empty()) keys.push_back("u:" + n.publisher_unit);
  Announce(c, county, n, "notice.progress", keys);
}

std::pair<int64_t, int64_t> NoticesService::Confirm(const Caller& cl, const std::string& id) {
  const auto& who = cl.who;
  Notice n = Get(who, id);
  auto keys = KeysFor(who);
  std::string reader = ReaderId(who);
  int64_t now = clock_.NowMs();
  std::pair<int64_t, int64_t> out;
  db_.Write([&](db::Conn& c) {
    // Only recipients confirm; a manager who is not one sees NotFound, like anyone else.
    if (!repo::IsRecipient(c, who.county_id, id, keys)) throw Error::NotFound();
    if (!n.receipt_required) throw Error::Field("receipt", "this notice asks no receipt");
    if (n.status != "published") throw Error::Conflict("The notice is withdrawn");
    auto place = repo::PlaceOf(c, who.county_id, who.person_id);
    out.first = repo::MarkRead(c, who.county_id, id, reader, who.account_id, place, now, &n);
    out.second = repo::Confirm(c, who.county_id, id, reader, now, n);
    if (out.second == now) {
      bool late = n.receipt_deadline && now > *n.receipt_deadline;
      audit::Append(c, Audit(cl, "notice.confirm", id, late ? "late" : "", now));
      if (ProgressDue(id, now)) AnnounceProgress(c, who.county_id, n);
    }
  });
  if (hub_) hub_->Kick();
  return out;
}

Stats NoticesService::GetStats(const perm::Principal& who, const std::string& id) {
  Notice n = Managed(who, id);
  Stats s;
  db_.Read([&](db::Conn& c) { repo::FillStats(c, who.county_id, n, &s); });
  return s;
}

namespace {
std::string EncodeCursor(const repo::UnreadCursor& c) {
  if (c.phase >= 2) return "";
  return std::to_string(c.phase) + "\x1f" + c.village + "\x1f" + c.pinyin + "\x1f" + c.id;
}
repo::UnreadCursor DecodeCursor(const std::string& s) {
  repo::UnreadCursor c;
  if (s.empty()) return c;
  std::vector<std::string> parts;
  size_t i = 0;
  while (true) {
    size_t j = s.find('\x1f', i);
    parts.push_back(s.substr(i, j == std::string::npos ? std::string::npos : j - i));
    if (j == std::string::npos) break;
    i = j + 1;
  }
  if (parts.size() != 4 || (parts[0] != "0" && parts[0] != "1"))
    throw Error::Field("cursor", "not a cursor from this list");
  c.phase = parts[0][0] - '0';
  c.village = parts[1];
  c.pinyin = parts[2];
  c.id = parts[3];
  return c;
}
}  // namespace

UnreadPage NoticesService::Unread(const perm::Principal& who, const std::string& id,
                                  const std::string& village, const std::string& cursor,
                                  int limit) {
  Notice n = Managed(who, id);
  std::string raw;
  if (!cursor.empty()) {
    // Cursors travel hex-encoded (they hold pinyin and control separators).
    if (cursor.size() % 2 || cursor.size() > 600) throw Error::Field("cursor", "not a cursor");
    for (size_t i = 0; i < cursor.size(); i += 2) {
      char* end = nullptr;
      std::string byte = cursor.substr(i, 2);
      long v = std::strtol(byte.c_str(), &end, 16);
      if (*end) throw Error::Field("cursor", "not a cursor");
      raw += static_cast<char>(v);
    }
  }
  auto cur = DecodeCursor(raw);
  UnreadPage page;
  db_.Read(
      [&](db::Conn& c) { page.items = repo::Unread(c, who.county_id, n, village, &cur, limit); });
  if (static_cast<int>(page.items.size()) == limit || cur.phase == 1) {
    page.next_cursor = util::ToHex(EncodeCursor(cur));
  }
  return page;
}

std::vector<UnreadPerson> NoticesService::AllUnread(const Caller& cl, const std::string& id,
                                                    size_t max_rows, Notice* notice) {
  Notice n = Managed(cl.who, id);
  std::vector<UnreadPerson> out;
  repo::UnreadCursor cur;
  db_.Read([&](db::Conn& c) {
    while (cur.phase < 2 && out.size() < max_rows) {
      auto batch = repo::Unread(c, cl.who.county_id, n, "", &cur, 2000);
      for (auto& u : batch) out.push_back(std::move(u));
      if (batch.empty() && cur.phase == 0) break;
    }
  });
  audit::AppendAsync(db_, Audit(cl, "notice.export_unread", id,
                                std::to_string(out.size()) + " rows", clock_.NowMs()));
  if (notice) *notice = n;
  return out;
}

std::vector<UnreadPerson> NoticesService::Members(db::Conn& c, const std::string& county,
                                                  const Notice& n, size_t max_rows) {
  std::vector<UnreadPerson> out;
  repo::UnreadCursor cur;
  while (cur.phase < 2 && out.size() < max_rows) {
    auto batch = repo::Unread(c, county, n, "", &cur, 2000, /*unread_only=*/false);
    for (auto& u : batch) out.push_back(std::move(u));
    if (batch.empty() && cur.phase == 0) break;
  }
  if (out.size() > max_rows) out.resize(max_rows);
  return out;
}

std::vector<HouseholdRow> NoticesService::Households(const perm::Principal& who,
                                                     const std::string& id,
                                                     const std::string& village,
                                                     bool none_read_only) {
  Notice n = Managed(who, id);
  if (!village.empty() && perm::LevelOf(village) != perm::Level::kVillage)
    throw Error::Field("village", "a 12-digit village code");
  std::vector<HouseholdRow> out;
  db_.Read([&](db::Conn& c) {
    out = repo::Households(c, who.county_id, n, village, none_read_only, 500);
  });
  return out;
}

int64_t NoticesService::Remind(const Caller& cl, const std::string& id,
                               const std::vector<std::string>& person_ids, int64_t* at) {
  Notice n = Managed(cl.who, id);
  if (n.status != "published") throw Error::Conflict("Only a published notice can be reminded");
  int64_t now = clock_.NowMs();
  if (n.reminded_at && now - *n.reminded_at < opts_.remind_interval_ms)
    throw Error(ErrorCode::kRateLimited,
                "A reminder was sent less than 10 minutes ago; please wait before reminding again");
  if (person_ids.size() > 500) throw Error::Field("person_ids", "at most 500 people");
  int64_t addressed = 0;
  db_.Write([&](db::Conn& c) {
    std::vector<std::string> keys;
    if (person_ids.empty()) {
      keys = repo::TargetKeys(c, cl.who.county_id, n.id);
      Stats s;
      auto [read, confirmed] = repo::ReadTotals(c, cl.who.county_id, n.id);
      addressed = std::max<int64_t>(0, repo::CountAudience(c, cl.who.county_id, n.audience) - read);
    } else {
      std::vector<FieldError> errors;
      for (size_t i = 0; i < person_ids.size(); ++i) {
        auto p = util::LooksLikeId(person_ids[i]) ? repo::Person(c, cl.who.county_id, person_ids[i])
                                                  : std::nullopt;
        if (!p) {
          errors.push_back({"person_ids[" + std::to_string(i) + "]", "unknown person"});
          continue;
        }
        keys.push_back("p:" + p->id);
      }
      if (!errors.empty()) throw Error::Invalid("Unknown people", std::move(errors));
      addressed = static_cast<int64_t>(keys.size());
    }
    repo::SetReminded(c, cl.who.county_id, n.id, now);
    audit::Append(c, Audit(cl, "notice.remind", n.id, std::to_string(addressed), now));
    Announce(c, cl.who.county_id, n, "notice.remind", keys);
  });
  if (hub_) hub_->Kick();
  *at = now;
  return addressed;
}

files::File NoticesService::Upload(const Caller& cl, const std::string& name,
                                   std::string_view bytes) {
  auto f = files_.Put(cl.who.county_id, cl.who.account_id, name, bytes);
  audit::AppendAsync(
      db_, audit::Entry{cl.who.county_id, cl.who.account_id, "file.upload", "file", f.id, "ok",
                        cl.ip, f.content_type + " " + std::to_string(f.size), clock_.NowMs()});
  return f;
}

std::pair<files::File, std::string> NoticesService::Download(const perm::Principal& who,
                                                             const std::string& id) {
  auto f = files_.Get(who.county_id, id);
  if (!f) throw Error::NotFound();
  if (f->ref_type == "notice") {
    Get(who, f->ref_id);  // NotFound unless the caller may see the notice
  } else if (f->owner_account != who.account_id) {
    throw Error::NotFound();
  }
  return {*f, files_.Read(*f)};
}

std::vector<Figure> NoticesService::Figures(const perm::Principal& who, const std::string& from,
                                            const std::string& to, const std::string& group) {
  if (!OneOf(group, {"town", "village", "unit"}))
    throw Error::Field("group", "town, village or unit");
  auto [lo, hi] = util::MonthWindow(from, to);
  std::vector<repo::FigureRow> rows;
  std::map<std::string, std::string> names;
  db_.Read([&](db::Conn& c) { rows = repo::FigureRows(c, who.county_id, lo, hi); });
  std::map<std::pair<std::string, std::string>, Figure> agg;
  std::vector<std::string> region_ids, unit_ids;
  for (auto& r : rows) {
    Notice probe;
    probe.publisher_region = r.publisher_region;
    probe.publisher_unit = r.publisher_unit;
    probe.publisher_account = "";
    if (!CanManage(who, probe)) continue;
    std::string month = util::ShanghaiMonth(r.published_at);
    std::string gid;
    if (group == "unit") {
      gid = r.publisher_unit;
      if (gid.empty()) continue;
      unit_ids.push_back(gid);
    } else if (group == "town") {
      auto level = perm::LevelOf(r.publisher_region);
      gid = level == perm::Level::kTown || level == perm::Level::kVillage
                ? perm::AncestorAt(r.publisher_region, perm::Level::kTown)
                : r.publisher_region;
      region_ids.push_back(gid);
    } else {
      if (perm::LevelOf(r.publisher_region) != perm::Level::kVillage) continue;
      gid = r.publisher_region;
      region_ids.push_back(gid);
    }
    auto& f = agg[{month, gid}];
    f.month = month;
    f.group_id = gid;
    f.published += 1;
    f.audience += r.audience;
    f.read += r.read;
    f.confirmed += r.confirmed;
  }
  db_.Read([&](db::Conn& c) {
    auto rn = repo::RegionNames(c, who.county_id, region_ids);
    auto un = repo::UnitNames(c, who.county_id, unit_ids);
    names.insert(rn.begin(), rn.end());
    names.insert(un.begin(), un.end());
  });
  std::vector<Figure> out;
  for (auto& [k, f] : agg) {
    f.group_name = names[f.group_id];
    out.push_back(f);
  }
  return out;
}

int NoticesService::PublishDue() {
  int64_t now = clock_.NowMs();
  auto due = db_.ReadValue([&](db::Conn& c) { return repo::Due(c, now, 100); });
  for (auto& [county, id] : due) {
    db_.Write([&](db::Conn& c) {
      auto n = repo::Get(c, county, id);
      if (!n || n->status != "scheduled") return;
      repo::SetPublished(c, county, id, now);
      n->published_at = now;
      repo::CountPublished(c, county, *n);
      audit::Append(
          c, audit::Entry{county, "system", "notice.publish_due", "notice", id, "ok", "", "", now});
      Announce(c, county, *n, "notice.published", repo::TargetKeys(c, county, id));
    });
  }
  if (!due.empty() && hub_) hub_->Kick();
  return static_cast<int>(due.size());
}

int NoticesService::SendPendingSms() {
  auto pending = db_.ReadValue([&](db::Conn& c) { return repo::SmsPending(c, 10); });
  for (auto& [county, id] : pending) {
    auto n = db_.ReadValue([&](db::Conn& c) { return repo::Get(c, county, id); });
    if (!n) continue;
    std::string text = opts_.sms_signature + n->publisher_label + "：" + n->title +
                       "。详情请登录数乡或咨询村委会。";
    int64_t segs = sms::Segments(text);
    std::string after;
    int64_t sent = 0;
    for (;;) {
      auto batch = db_.ReadValue(
          [&](db::Conn& c) { return repo::SmsRecipients(c, county, n->audience, after, 500); });
      if (batch.empty()) break;
      std::vector<sms::Message> msgs;
      for (auto& r : batch) {
        std::string phone;
        try {
          phone = pii_.Open(r.phone_sealed);
        } catch (const std::exception&) {
          continue;  // sealed with another key: skip, never send to a wrong number
        }
        msgs.push_back({county, r.person_id, phone, r.phone_masked, text, "notice", id});
        after = r.person_id;
      }
      after = batch.back().person_id;
      sent += sms_.Send(msgs, opts_.sms_price_fen, clock_.NowMs());
    }
    db_.Write([&](db::Conn& c) {
      repo::SetSms(c, county, id, "done", sent, sent * segs * opts_.sms_price_fen);
    });
    log::Info("notices: {} SMS for notice {} via {}", sent, id, sms_.name());
  }
  return static_cast<int>(pending.size());
}

}  // namespace sx::notices
