#include "modules/docs/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "core/audit/audit.h"
#include "core/auth/pii.h"
#include "core/events/log.h"
#include "core/files/strip.h"
#include "core/util/error.h"
#include "core/util/random.h"
#include "core/util/strings.h"
#include "modules/docs/form.h"
#include "modules/docs/repo.h"
#include "modules/docs/ydoc_text.h"
#include "modules/notices/repo.h"

namespace sx::docs {

namespace json = boost::json;
using perm::Perm;

namespace {

audit::Entry Audit(const Caller& c, const std::string& action, const std::string& id,
                   const std::string& detail, int64_t now) {
  return audit::Entry{
      c.who.county_id, c.who.account_id, action, "doc", id, "ok", c.ip, detail, now};
}

std::string Title(const std::string& t) {
  std::string s = util::Trim(t);
  long n = util::Utf8Length(s);
  if (n < 1 || n > 200) throw Error::Field("title", "1–200 characters");
  return s;
}

bool ParseRoleName(const std::string& s, Role* r) {
  if (s == "viewer")
    *r = Role::kViewer;
  else if (s == "commenter")
    *r = Role::kCommenter;
  else if (s == "editor")
    *r = Role::kEditor;
  else
    return false;
  return true;
}

std::optional<std::pair<int64_t, std::string>> Cursor(const std::string& c) {
  if (c.empty()) return std::nullopt;
  auto dot = c.find('.');
  if (dot == std::string::npos || dot == 0) throw Error::Field("cursor", "a cursor from a page");
  try {
    size_t used = 0;
    int64_t t = std::stoll(c.substr(0, dot), &used);
    if (used != dot) throw std::invalid_argument("cursor");
    return std::make_pair(t, c.substr(dot + 1));
  } catch (const std::exception&) {
    throw Error::Field("cursor", "a cursor from a page");
  }
}

std::string DayOf(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000 + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kViewer:
      return "viewer";
    case Role::kCommenter:
      return "commenter";
    case Role::kEditor:
      return "editor";
    case Role::kManager:
      return "manager";
    case Role::kOwner:
      return "owner";
    default:
      return "none";
  }
}

DocsService::DocsService(db::Database& db, notices::NoticesService& notices, files::Store& files,
                         const auth::Protector& pii, events::Hub* hub, const util::Clock& clock,
                         ServiceOptions opts)
    : db_(db),
      notices_(notices),
      files_(files),
      pii_(pii),
      hub_(hub),
      clock_(clock),
      opts_(opts),
      sync_(db, clock, opts.sync) {}

// ---- access ----------------------------------------------------------------------------------

std::vector<std::string> DocsService::RegionsOf(db::Conn& c, const perm::Principal& who) const {
  std::vector<std::string> out;
  if (!who.person_id.empty())
    if (auto p = repo::Person(c, who.county_id, who.person_id)) out.push_back(p->village_code);
  for (auto& g : who.grants) out.push_back(g.region_code);
  return out;
}

Role DocsService::RoleOf(const perm::Principal& who, const std::vector<std::string>& regions,
                         const Doc& d, const std::vector<Share>& shares) const {
  if (d.owner_account == who.account_id) return Role::kOwner;
  for (auto& g : who.grants)
    if (perm::RoleHas(g.role, Perm::kDocManage) && perm::Within(g.region_code, d.region_code) &&
        (g.role != perm::Role::kUnitStaff || g.unit_id == d.unit_id))
      return Role::kManager;
  Role best = Role::kNone;
  for (auto& s : shares) {
    bool match = false;
    if (s.kind == "account") {
      match = s.target == who.account_id;
    } else if (s.kind == "unit") {
      for (auto& g : who.grants) match = match || (!g.unit_id.empty() && g.unit_id == s.target);
    } else if (s.kind == "region") {
      for (auto& r : regions) match = match || perm::Within(s.target, r);
    }
    Role r;
    if (match && ParseRoleName(s.role, &r)) best = std::max(best, r);
  }
  return best;
}

View DocsService::Visible(const perm::Principal& who, const std::string& id) {
  if (!util::LooksLikeId(id)) throw Error::NotFound();
  View v;
  db_.Read([&](db::Conn& c) {
    auto d = repo::Get(c, who.county_id, id);
    if (!d) return;
    v.doc = std::move(*d);
    v.shares = repo::Shares(c, who.county_id, id);
    v.role = RoleOf(who, RegionsOf(c, who), v.doc, v.shares);
  });
  if (v.role == Role::kNone) throw Error::NotFound();
  return v;
}

View DocsService::Need(const perm::Principal& who, const std::string& id, Role at_least) {
  View v = Visible(who, id);
  if (v.role < at_least) {
    std::string need = at_least >= Role::kManager  ? "the owner or a manager"
                       : at_least == Role::kEditor ? "an editor"
                                                   : "a commenter";
    throw Error(ErrorCode::kForbidden, "Only " + need + " of this document may do that");
  }
  return v;
}

std::vector<std::string> DocsService::ManagerKeys(const Doc& d) const {
  std::vector<std::string> keys{"a:" + d.owner_account};
  for (auto lvl : {perm::Level::kCounty, perm::Level::kTown, perm::Level::kVillage}) {
    if (perm::LevelOf(d.region_code) < lvl) continue;
    std::string code = perm::AncestorAt(d.region_code, lvl);
    keys.push_back(std::string("g:") +
                   (lvl == perm::Level::kCounty ? "county_admin:"
                    : lvl == perm::Level::kTown ? "town_official:"
                                                : "village_cadre:") +
                   code);
  }
  if (!d.unit_id.empty()) keys.push_back("u:" + d.unit_id);
  return keys;
}

// ---- documents -------------------------------------------------------------------------------

View DocsService::Create(const Caller& cl, const DocInput& in) {
  const auto& who = cl.who;
  if (in.kind != "doc" && in.kind != "form") throw Error::Field("kind", "doc or form");
  Doc d;
  d.id = util::NewId();
  d.kind = in.kind;
  d.title = Title(in.title);
  if (in.kind == "doc" && in.form) throw Error::Field("form", "only for kind form");
  if (in.kind == "form") {
    d.form = in.form.value_or(FormSpec{});
    d.form_status = "draft";
  }
  d.region_code = in.region_code;
  d.unit_id = in.unit_id;
  d.owner_account = who.account_id;
  d.owner_name = who.name;
  d.created_at = d.updated_at = clock_.NowMs();
  if (perm::LevelOf(d.region_code) == perm::Level::kInvalid ||
      d.region_code.substr(0, 6) != who.county_id.substr(0, 6))
    throw Error::Field("region_code", "a region of this county");
  bool allowed = false;
  for (auto& g : who.grants)
    allowed = allowed || (perm::RoleHas(g.role, Perm::kDocCreate) &&
                          perm::Within(g.region_code, d.region_code) &&
                          (g.role != perm::Role::kUnitStaff || g.unit_id == d.unit_id));
  if (!allowed) throw Error::NotFound("No such folder among yours");
  db_.Write([&](db::Conn& c) {
    if (!repo::RegionExists(c, who.county_id, d.region_code))
      throw Error::Field("region_code", "a region of this county");
    if (!d.unit_id.empty() && repo::UnitName(c, who.county_id, d.unit_id).empty())
      throw Error::Field("unit_id", "an active unit");
    repo::Insert(c, who.county_id, d);
    if (d.kind == "doc")
      repo::Bump(c, who.county_id, util::ShanghaiMonth(d.created_at), d.region_code, d.unit_id,
                 "docs_created", 1);
    audit::Append(
        c, Audit(cl, d.kind == "doc" ? "doc.create" : "form.create", d.id, "", d.created_at));
  });
  return Visible(who, d.id);
}

ViewPage DocsService::List(const perm::Principal& who, const std::string& kind,
                           const std::string& region, const std::string& unit, const std::string& q,
                           const std::string& cursor, int limit) {
  if (!kind.empty() && kind != "doc" && kind != "form") throw Error::Field("kind", "doc or form");
  repo::ListQuery lq;
  lq.kind = kind;
  lq.unit = unit;
  if (util::Utf8Length(q) > 50) throw Error::Field("q", "at most 50 characters");
  lq.q = q;
  if (!region.empty()) {
    if (perm::LevelOf(region) == perm::Level::kInvalid)
      throw Error::Field("region", "a 12-digit region code");
    lq.folder = perm::CodeRange(region);
  }
  lq.account = who.account_id;
  lq.after = Cursor(cursor);
  lq.limit = limit + 1;
  std::set<std::string> units, regions;
  for (auto& g : who.grants) {
    if (perm::RoleHas(g.role, Perm::kDocManage)) {
      auto [lo, hi] = perm::CodeRange(g.region_code);
      lq.manage.push_back({lo, hi, g.role == perm::Role::kUnitStaff ? g.unit_id : ""});
    }
    if (!g.unit_id.empty()) units.insert(g.unit_id);
  }
  ViewPage page;
  db_.Read([&](db::Conn& c) {
    auto mine = RegionsOf(c, who);
    for (auto& r : mine)
      for (auto lvl : {perm::Level::kCounty, perm::Level::kTown, perm::Level::kVillage})
        if (perm::LevelOf(r) >= lvl) regions.insert(perm::AncestorAt(r, lvl));
    lq.units.assign(units.begin(), units.end());
    lq.regions.assign(regions.begin(), regions.end());
    auto docs = repo::List(c, who.county_id, lq);
    for (auto& d : docs) {
      View v;
      v.doc = std::move(d);
      v.shares = repo::Shares(c, who.county_id, v.doc.id);
      v.role = RoleOf(who, mine, v.doc, v.shares);
      page.items.push_back(std::move(v));
    }
  });
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    auto& last = page.items.back().doc;
    page.next_cursor = std::to_string(last.updated_at) + "." + last.id;
  }
  return page;
}

View DocsService::Get(const perm::Principal& who, const std::string& id) {
  return Visible(who, id);
}

View DocsService::Update(const Caller& cl, const std::string& id, const DocPatch& p) {
  View v = Need(cl.who, id, Role::kEditor);
  Doc d = v.doc;
  if (p.title) d.title = Title(*p.title);
  if (p.form) {
    if (d.kind != "form") throw Error::Field("form", "only for kind form");
    if (d.form_status != "draft")
      throw Error::Conflict("The form was sent; its fields can no longer change");
    d.form = *p.form;
  }
  d.updated_at = clock_.NowMs();
  db_.Write([&](db::Conn& c) {
    repo::Save(c, cl.who.county_id, d);
    audit::Append(c, Audit(cl, "doc.update", d.id, p.form ? "form" : "title", d.updated_at));
  });
  return Visible(cl.who, id);
}

void DocsService::Delete(const Caller& cl, const std::string& id) {
  View v = Need(cl.who, id, Role::kManager);
  Doc d = v.doc;
  d.deleted = true;
  d.updated_at = clock_.NowMs();
  db_.Write([&](db::Conn& c) {
    repo::Save(c, cl.who.county_id, d);
    audit::Append(c, Audit(cl, "doc.delete", d.id, d.title.substr(0, 60), d.updated_at));
  });
  sync_.CloseAll(cl.who.county_id, id, kCloseSyncNotFound, "deleted");
}

View DocsService::SetShares(const Caller& cl, const std::string& id, std::vector<Share> shares) {
  View v = Need(cl.who, id, Role::kManager);
  if (shares.size() > 200) throw Error::Field("shares", "at most 200");
  std::vector<FieldError> errs;
  std::set<std::pair<std::string, std::string>> seen;
  db_.Write([&](db::Conn& c) {
    for (size_t i = 0; i < shares.size(); ++i) {
      auto& s = shares[i];
      std::string at = "shares[" + std::to_string(i) + "]";
      Role r;
      if (!ParseRoleName(s.role, &r)) errs.push_back({at + ".role", "viewer, commenter or editor"});
      if (s.kind == "region")
        s.label = repo::RegionName(c, cl.who.county_id, s.target);
      else if (s.kind == "unit")
        s.label = repo::UnitName(c, cl.who.county_id, s.target);
      else if (s.kind == "account")
        s.label = repo::AccountName(c, cl.who.county_id, s.target);
      else {
        errs.push_back({at + ".kind", "region, unit or account"});
        continue;
      }
      if (s.label.empty()) errs.push_back({at + ".target", "no such " + s.kind});
      if (!seen.insert({s.kind, s.target}).second) errs.push_back({at, "listed twice"});
    }
    if (!errs.empty()) throw Error::Invalid("Some shares are not valid", errs);
    repo::ReplaceShares(c, cl.who.county_id, id, shares);
    Doc d = v.doc;
    d.updated_at = clock_.NowMs();
    repo::Save(c, cl.who.county_id, d);
    audit::Append(
        c, Audit(cl, "doc.share", id, "shares=" + std::to_string(shares.size()), d.updated_at));
  });
  // Open connections reconnect and are admitted again with their new role.
  sync_.CloseAll(cl.who.county_id, id, kCloseSyncReconnect, "access changed");
  return Visible(cl.who, id);
}

// ---- versions, comments, files ----------------------------------------------------------------

std::vector<Version> DocsService::Versions(const perm::Principal& who, const std::string& id) {
  Visible(who, id);
  return db_.ReadValue([&](db::Conn& c) { return repo::Versions(c, who.county_id, id); });
}

Version DocsService::SaveVersion(const Caller& cl, const std::string& id, const std::string& name) {
  View v = Need(cl.who, id, Role::kEditor);
  if (v.doc.kind != "doc") throw Error::NotFound();
  Version ver;
  ver.name = util::Trim(name);
  long n = util::Utf8Length(ver.name);
  if (n < 1 || n > 100) throw Error::Field("name", "1–100 characters");
  ver.id = util::NewId();
  ver.doc_id = id;
  ver.created_by = cl.who.account_id;
  ver.created_by_name = cl.who.name;
  ver.created_at = clock_.NowMs();
  std::string data = sync_.State(cl.who.county_id, id);
  ver.size_bytes = static_cast<int64_t>(data.size());
  db_.Write([&](db::Conn& c) {
    repo::InsertVersion(c, cl.who.county_id, ver, data);
    audit::Append(c, Audit(cl, "doc.version", id, ver.id, ver.created_at));
  });
  return ver;
}

std::string DocsService::VersionUpdate(const perm::Principal& who, const std::string& id,
                                       const std::string& version) {
  Visible(who, id);
  auto data =
      db_.ReadValue([&](db::Conn& c) { return repo::VersionData(c, who.county_id, id, version); });
  if (!data) throw Error::NotFound();
  return *data;
}

std::vector<Comment> DocsService::Comments(const perm::Principal& who, const std::string& id) {
  Visible(who, id);
  return db_.ReadValue([&](db::Conn& c) { return repo::Comments(c, who.county_id, id); });
}

Comment DocsService::AddComment(const Caller& cl, const std::string& id, const std::string& quote,
                                const std::string& body, const std::vector<std::string>& mentions) {
  View v = Need(cl.who, id, Role::kCommenter);
  Comment m;
  m.id = util::NewId();
  m.doc_id = id;
  m.quote = util::Utf8Prefix(util::Trim(quote), 500);
  m.body = util::Trim(body);
  long n = util::Utf8Length(m.body);
  if (n < 1 || n > 2000) throw Error::Field("body", "1–2000 characters");
  if (mentions.size() > 20) throw Error::Field("mentions", "at most 20 people");
  m.author_account = cl.who.account_id;
  m.author_name = cl.who.name;
  m.created_at = clock_.NowMs();
  db_.Write([&](db::Conn& c) {
    json::array ms;
    std::vector<std::string> keys;
    for (size_t i = 0; i < mentions.size(); ++i) {
      auto them = repo::PrincipalOf(c, cl.who.county_id, mentions[i]);
      if (!them) throw Error::Field("mentions[" + std::to_string(i) + "]", "no such account");
      ms.push_back(json::object{{"id", mentions[i]}, {"name", them->name}});
      // Only those who may read the document hear of it (its title is not for others).
      if (RoleOf(*them, RegionsOf(c, *them), v.doc, v.shares) != Role::kNone)
        keys.push_back("a:" + mentions[i]);
    }
    m.mentions_json = json::serialize(ms);
    repo::InsertComment(c, cl.who.county_id, m);
    audit::Append(c, Audit(cl, "doc.comment", id, m.id, m.created_at));
    if (!keys.empty())
      events::Append(
          c, cl.who.county_id, "doc.mentioned", keys,
          json::serialize(json::object{
              {"doc_id", id}, {"title", v.doc.title}, {"by", cl.who.name}, {"comment_id", m.id}}),
          m.created_at);
  });
  if (hub_ && !mentions.empty()) hub_->Kick();
  return m;
}

Comment DocsService::Resolve(const Caller& cl, const std::string& id, const std::string& comment,
                             bool resolved) {
  View v = Need(cl.who, id, Role::kCommenter);
  std::optional<Comment> m;
  db_.Write([&](db::Conn& c) {
    m = repo::GetComment(c, cl.who.county_id, id, comment);
    if (!m) throw Error::NotFound();
    if (m->author_account != cl.who.account_id && v.role < Role::kEditor)
      throw Error(ErrorCode::kForbidden, "Only its author or an editor may resolve a comment");
    repo::SetResolved(c, cl.who.county_id, comment, resolved);
    m->resolved = resolved;
    audit::Append(c, Audit(cl, resolved ? "doc.comment.resolve" : "doc.comment.reopen", id, comment,
                           clock_.NowMs()));
  });
  return *m;
}

files::File DocsService::Upload(const Caller& cl, const std::string& id, std::string_view bytes) {
  // Editors add images to documents; whoever may fill an open form adds photos to answers.
  View v = Reachable(cl.who, id);
  bool filler = v.doc.kind == "form" && v.doc.form_status == "open";
  if (v.role < Role::kEditor && !filler)
    throw Error(ErrorCode::kForbidden, "Only an editor may add images");
  if (static_cast<int64_t>(bytes.size()) > 10 * 1024 * 1024)
    throw Error(ErrorCode::kTooLarge, "Images may be at most 10 MB");
  std::string type = files::Sniff(bytes);
  if (type != "image/jpeg" && type != "image/png" && type != "image/webp")
    throw Error(ErrorCode::kUnsupportedType, "Images must be JPEG, PNG or WebP");
  std::string clean = files::StripMetadata(bytes, type);
  auto f = files_.Put(cl.who.county_id, cl.who.account_id, "image", clean);
  db_.Write([&](db::Conn& c) {
    std::vector<std::string> ids;
    for (auto& x : files_.ListFor(c, cl.who.county_id, "doc", id))
      if (x.owner_account == cl.who.account_id) ids.push_back(x.id);
    ids.push_back(f.id);
    files_.Attach(c, cl.who.county_id, ids, cl.who.account_id, "doc", id, "file");
  });
  return f;
}

std::pair<files::File, std::string> DocsService::Download(const perm::Principal& who,
                                                          const std::string& id,
                                                          const std::string& file) {
  auto f = util::LooksLikeId(file) ? files_.Get(who.county_id, file) : std::nullopt;
  if (!f || f->ref_type != "doc" || f->ref_id != id) throw Error::NotFound();
  if (f->owner_account != who.account_id) {
    View v = Visible(who, id);
    if (v.doc.kind == "form" && v.role < Role::kEditor) throw Error::NotFound();
  }
  return {*f, files_.Read(*f)};
}

std::unique_ptr<ws::SocketHandler> DocsService::Connect(const std::optional<perm::Principal>& who,
                                                        const std::string& id) {
  if (!who) return SyncHub::Refuse(kCloseSyncUnauthenticated, "sign in first");
  try {
    View v = Visible(*who, id);
    if (v.doc.kind != "doc")
      return SyncHub::Refuse(kCloseSyncForbidden, "a form is not co-edited; use its REST API");
    return sync_.Connect({who->county_id, id, v.doc.region_code, v.doc.unit_id, v.doc.edited_month},
                         v.role);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kNotFound) return SyncHub::Refuse(kCloseSyncNotFound, "not found");
    throw;
  }
}

// ---- forms -----------------------------------------------------------------------------------

View DocsService::Send(const Caller& cl, const std::string& id, const SendInput& in) {
  View v = Need(cl.who, id, Role::kEditor);
  Doc d = v.doc;
  if (d.kind != "form") throw Error::NotFound();
  if (d.form_status != "draft") throw Error::Conflict("The form was sent already");
  if (!d.form || d.form->fields.empty())
    throw Error::Field("form.fields", "add at least one field");
  int64_t now = clock_.NowMs();
  if (!in.deadline) throw Error::Field("deadline", "required");
  if (*in.deadline <= now) throw Error::Field("deadline", "in the future");
  notices::NoticeInput n;
  n.title = "收集表：" + d.title;
  n.body = (d.form->description.empty() ? "" : d.form->description + "\n\n") +
           "请在截止时间前填写。\n\n[去填写](/m/forms/" + d.id + ")";
  n.category = "form";
  n.audience = in.audience;
  n.sms = in.sms;
  n.expires_at = *in.deadline + 7 * 86400000LL;
  for (auto& g : cl.who.grants)
    if (g.role == perm::Role::kUnitStaff && !d.unit_id.empty() && g.unit_id == d.unit_id)
      n.unit_id = d.unit_id;
  notices_.Publish(
      cl, n, [&](db::Conn& c, const notices::Notice& notice, const std::vector<std::string>&) {
        d.notice_id = notice.id;
        d.sent_at = now;
        d.deadline = in.deadline;
        d.form_status = "open";
        d.audience_size = static_cast<int64_t>(
            Respondents(notices_.Members(c, cl.who.county_id, notice, opts_.max_audience), d)
                .size());
        d.updated_at = now;
        repo::Save(c, cl.who.county_id, d);
        repo::Bump(c, cl.who.county_id, util::ShanghaiMonth(now), d.region_code, d.unit_id,
                   "forms_sent", 1);
        audit::Append(
            c, Audit(cl, "form.send", d.id, "audience=" + std::to_string(d.audience_size), now));
      });
  return Visible(cl.who, id);
}

View DocsService::Close(const Caller& cl, const std::string& id) {
  View v = Need(cl.who, id, Role::kEditor);
  Doc d = v.doc;
  if (d.kind != "form") throw Error::NotFound();
  if (d.form_status != "open") throw Error::Conflict("Only an open form can be closed");
  d.form_status = "closed";
  d.updated_at = clock_.NowMs();
  db_.Write([&](db::Conn& c) {
    repo::Save(c, cl.who.county_id, d);
    audit::Append(c, Audit(cl, "form.close", d.id, "", d.updated_at));
  });
  return Visible(cl.who, id);
}

bool DocsService::InAudience(const perm::Principal& who, const Doc& d) {
  if (d.notice_id.empty()) return false;
  try {
    notices_.Get(who, d.notice_id);
    return true;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kNotFound) return false;
    throw;
  }
}

DocsService::Respondent DocsService::RespondentFor(db::Conn& c, const perm::Principal& who,
                                                   const Doc& d) {
  Respondent r;
  r.name = who.name;
  if (!who.person_id.empty())
    if (auto p = repo::Person(c, who.county_id, who.person_id)) {
      r.person_id = p->id;
      r.name = p->name;
      r.household_id = p->household_id;
      r.village_code = p->village_code;
    }
  if (d.form && d.form->per == "household" && !r.household_id.empty())
    r.key = "h:" + r.household_id;
  else if (!r.person_id.empty())
    r.key = "p:" + r.person_id;
  else
    r.key = "a:" + who.account_id;
  return r;
}

std::vector<std::pair<std::string, notices::UnreadPerson>> DocsService::Respondents(
    std::vector<notices::UnreadPerson> people, const Doc& d) {
  bool household = d.form && d.form->per == "household";
  std::vector<std::pair<std::string, notices::UnreadPerson>> out;
  std::set<std::string> seen;
  for (auto& p : people) {
    std::string key = household && !p.household_id.empty() ? "h:" + p.household_id
                      : !p.person_id.empty()               ? "p:" + p.person_id
                                                           : "a:" + p.account_id;
    if (seen.insert(key).second) out.emplace_back(std::move(key), std::move(p));
  }
  return out;
}

ResponseView DocsService::Show(const Doc& d, const FormResponse& r, bool reveal) const {
  ResponseView v;
  v.r = r;
  json::object stored = json::parse(r.answers_json).as_object();
  json::object shown;
  for (auto& f : d.form->fields) {
    auto* a = stored.if_contains(f.id);
    if (!a) continue;
    if (form::IsPersonal(f) && a->is_object()) {
      const auto& o = a->as_object();
      if (reveal && o.contains("s"))
        shown[f.id] = pii_.Open(std::string(o.at("s").as_string()));
      else if (o.contains("m"))
        shown[f.id] = o.at("m");
    } else {
      shown[f.id] = *a;
    }
  }
  v.answers_json = json::serialize(shown);
  return v;
}

std::vector<MyForm> DocsService::MyForms(const perm::Principal& who, int64_t offset, int limit) {
  auto inbox = notices_.Inbox(who, "form", "", offset, limit);
  std::vector<MyForm> out;
  db_.Read([&](db::Conn& c) {
    for (auto& item : inbox.items) {
      auto d = repo::ByNotice(c, who.county_id, item.id);
      if (!d || d->kind != "form") continue;
      MyForm f;
      f.doc = std::move(*d);
      auto key = RespondentFor(c, who, f.doc).key;
      if (auto r = repo::GetResponse(c, who.county_id, f.doc.id, key))
        f.submitted_at = r->updated_at;
      out.push_back(std::move(f));
    }
  });
  std::stable_sort(out.begin(), out.end(), [](const MyForm& a, const MyForm& b) {
    return (a.doc.form_status == "open") > (b.doc.form_status == "open");
  });
  return out;
}

View DocsService::Reachable(const perm::Principal& who, const std::string& id) {
  try {
    return Visible(who, id);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kNotFound) throw;
    View v;
    db_.Read([&](db::Conn& c) {
      if (util::LooksLikeId(id))
        if (auto d = repo::Get(c, who.county_id, id)) v.doc = std::move(*d);
    });
    if (v.doc.id.empty() || v.doc.kind != "form" || !InAudience(who, v.doc)) throw;
    v.role = Role::kNone;
    return v;
  }
}

std::pair<View, std::optional<ResponseView>> DocsService::MyResponse(const perm::Principal& who,
                                                                     const std::string& id) {
  View v = Reachable(who, id);
  if (v.doc.kind != "form") throw Error::NotFound();
  std::optional<ResponseView> mine;
  db_.Read([&](db::Conn& c) {
    auto key = RespondentFor(c, who, v.doc).key;
    // The respondent's own (or household's) answers, in full: they typed them.
    if (auto r = repo::GetResponse(c, who.county_id, id, key)) mine = Show(v.doc, *r, true);
  });
  if (v.role < Role::kEditor) v.shares.clear();
  return {v, mine};
}

ResponseView DocsService::Submit(const Caller& cl, const std::string& id,
                                 const json::value& answers) {
  const auto& who = cl.who;
  auto [v, existing] = MyResponse(who, id);
  const Doc& d = v.doc;
  int64_t now = clock_.NowMs();
  if (d.form_status == "draft") throw Error::NotFound();
  if (d.form_status == "closed") throw Error::Conflict("This form is closed");
  if (d.deadline && now > *d.deadline)
    throw Error::Conflict("The deadline of this form has passed");
  form::Checkers check;
  std::set<std::string> photos;
  db_.Read([&](db::Conn& c) {
    for (auto& f : files_.ListFor(c, who.county_id, "doc", id))
      if (f.owner_account == who.account_id) photos.insert(f.id);
  });
  check.photo = [&](std::string_view p) { return photos.count(std::string(p)) > 0; };
  check.region = [&](std::string_view code) {
    return code.substr(0, 6) == who.county_id.substr(0, 6) && db_.ReadValue([&](db::Conn& c) {
      return repo::RegionExists(c, who.county_id, std::string(code));
    });
  };
  json::object clean = form::CheckAnswers(*d.form, answers, check);
  for (auto& f : d.form->fields) {
    auto* a = clean.if_contains(f.id);
    if (!a || !form::IsPersonal(f)) continue;
    std::string plain(a->as_string());
    *a = json::object{{"m", f.type == "phone" ? auth::MaskPhone(plain) : auth::MaskIdNumber(plain)},
                      {"s", pii_.Seal(plain)}};
  }
  FormResponse r;
  bool added = false;
  db_.Write([&](db::Conn& c) {
    auto who_r = RespondentFor(c, who, d);
    auto prev = repo::GetResponse(c, who.county_id, id, who_r.key);
    r.id = prev ? prev->id : util::NewId();
    r.respondent = who_r.key;
    r.person_id = who_r.person_id;
    r.account_id = who.account_id;
    r.person_name = who_r.name;
    r.household_id = who_r.household_id;
    r.village_code = who_r.village_code;
    r.answers_json = json::serialize(clean);
    r.submitted_at = prev ? prev->submitted_at : now;
    r.updated_at = now;
    added = repo::PutResponse(c, who.county_id, id, r);
    Doc nd = d;
    if (added) {
      nd = *repo::Get(c, who.county_id, id);
      ++nd.responses;
      repo::Save(c, who.county_id, nd);
      repo::Bump(c, who.county_id, util::ShanghaiMonth(now), d.region_code, d.unit_id, "responses",
                 1);
    }
    audit::Append(
        c, audit::Entry{who.county_id, who.account_id, added ? "form.submit" : "form.resubmit",
                        "doc", id, "ok", cl.ip, "", now});
    events::Append(c, who.county_id, "form.response", ManagerKeys(d),
                   json::serialize(json::object{{"doc_id", id}, {"responses", nd.responses}}), now);
  });
  if (hub_) hub_->Kick();
  db_.Read([&](db::Conn& c) {
    if (auto x = repo::GetResponse(c, who.county_id, id, r.respondent)) r = *x;
  });
  return Show(d, r, true);
}

ResponsePage DocsService::Responses(const Caller& cl, const std::string& id, bool reveal,
                                    const std::string& cursor, int limit) {
  View v = Need(cl.who, id, Role::kEditor);
  if (v.doc.kind != "form") throw Error::NotFound();
  if (reveal && !cl.who.Can(Perm::kPersonReveal, v.doc.region_code))
    throw Error(ErrorCode::kForbidden, "Showing full phone and ID numbers needs person.reveal");
  ResponsePage page;
  page.form = *v.doc.form;
  auto after = Cursor(cursor);
  auto rows = db_.ReadValue(
      [&](db::Conn& c) { return repo::Responses(c, cl.who.county_id, id, after, limit + 1); });
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    page.next_cursor = std::to_string(rows.back().submitted_at) + "." + rows.back().respondent;
  }
  for (auto& r : rows) page.items.push_back(Show(v.doc, r, reveal));
  page.total = v.doc.responses;
  if (reveal)
    db_.Write([&](db::Conn& c) {
      audit::Append(
          c, Audit(cl, "form.reveal", id, "rows=" + std::to_string(rows.size()), clock_.NowMs()));
    });
  return page;
}

Table DocsService::Export(const Caller& cl, const std::string& id, bool reveal, View* out) {
  View v = Need(cl.who, id, Role::kEditor);
  if (v.doc.kind != "form") throw Error::NotFound();
  if (reveal && !cl.who.Can(Perm::kPersonReveal, v.doc.region_code))
    throw Error(ErrorCode::kForbidden, "Showing full phone and ID numbers needs person.reveal");
  Table t;
  t.header = {"姓名", "村", "户", "提交时间"};
  for (auto& f : v.doc.form->fields) t.header.push_back(f.label);
  auto rows = db_.ReadValue([&](db::Conn& c) {
    return repo::Responses(c, cl.who.county_id, id, std::nullopt,
                           static_cast<int>(opts_.max_audience));
  });
  for (auto& r : rows) {
    auto shown = Show(v.doc, r, reveal);
    auto answers = json::parse(shown.answers_json).as_object();
    std::vector<std::string> row{r.person_name, r.village_name, r.household_id,
                                 util::IsoUtc(r.updated_at)};
    for (auto& f : v.doc.form->fields) row.push_back(form::Display(f, answers.if_contains(f.id)));
    t.rows.push_back(std::move(row));
  }
  db_.Write([&](db::Conn& c) {
    audit::Append(c, Audit(cl, reveal ? "form.export.reveal" : "form.export", id,
                           "rows=" + std::to_string(rows.size()), clock_.NowMs()));
  });
  if (out) *out = v;
  return t;
}

FormStats DocsService::Stats(const perm::Principal& who, const std::string& id) {
  View v = Need(who, id, Role::kEditor);
  if (v.doc.kind != "form") throw Error::NotFound();
  FormStats s;
  s.audience = v.doc.audience_size;
  s.responses = v.doc.responses;
  std::map<std::string, int64_t> days;
  std::map<std::string, FormStats::Village> villages;
  json::object choices;
  for (auto& f : v.doc.form->fields)
    if (f.type == "single" || f.type == "multiple") {
      json::object o;
      for (auto& opt : f.options) o[opt] = 0;
      choices[f.id] = std::move(o);
    }
  db_.Read([&](db::Conn& c) {
    for (auto& r : repo::Responses(c, who.county_id, id, std::nullopt,
                                   static_cast<int>(opts_.max_audience))) {
      ++days[DayOf(r.submitted_at)];
      auto& vil = villages[r.village_code];
      vil.code = r.village_code;
      vil.name = r.village_name;
      ++vil.responses;
      auto answers = json::parse(r.answers_json).as_object();
      for (auto& f : v.doc.form->fields) {
        auto* a = answers.if_contains(f.id);
        if (!a || !choices.contains(f.id)) continue;
        auto& o = choices[f.id].as_object();
        if (a->is_string()) o[a->as_string()] = o[a->as_string()].to_number<int64_t>() + 1;
        if (a->is_array())
          for (auto& x : a->as_array())
            if (x.is_string()) o[x.as_string()] = o[x.as_string()].to_number<int64_t>() + 1;
      }
    }
    auto notice = v.doc.notice_id.empty() ? std::nullopt
                                          : notices::repo::Get(c, who.county_id, v.doc.notice_id);
    if (notice) {
      for (auto& [key, p] :
           Respondents(notices_.Members(c, who.county_id, *notice, opts_.max_audience), v.doc)) {
        auto& vil = villages[p.village_code];
        vil.code = p.village_code;
        if (vil.name.empty()) vil.name = p.village_name;
        ++vil.audience;
      }
    }
  });
  for (auto& [d, n] : days) s.by_day.emplace_back(d, n);
  for (auto& [code, vil] : villages)
    if (!code.empty()) s.by_village.push_back(vil);
  s.choices_json = json::serialize(choices);
  return s;
}

Missing DocsService::MissingPeople(const perm::Principal& who, const std::string& id,
                                   size_t limit) {
  View v = Need(who, id, Role::kEditor);
  if (v.doc.kind != "form") throw Error::NotFound();
  Missing m;
  if (v.doc.notice_id.empty()) return m;
  db_.Read([&](db::Conn& c) {
    auto notice = notices::repo::Get(c, who.county_id, v.doc.notice_id);
    if (!notice) return;
    auto done = repo::Respondents(c, who.county_id, id);
    std::set<std::string> answered(done.begin(), done.end());
    for (auto& [key, p] :
         Respondents(notices_.Members(c, who.county_id, *notice, opts_.max_audience), v.doc)) {
      if (answered.count(key)) continue;
      ++m.total;
      if (m.items.size() < limit) m.items.push_back(p);
    }
  });
  return m;
}

int64_t DocsService::Remind(const Caller& cl, const std::string& id) {
  View v = Need(cl.who, id, Role::kEditor);
  if (v.doc.kind != "form") throw Error::NotFound();
  if (v.doc.form_status != "open") throw Error::Conflict("Only an open form can be reminded");
  int64_t now = clock_.NowMs();
  if (v.doc.reminded_at && now - *v.doc.reminded_at < opts_.remind_interval_ms)
    throw Error(ErrorCode::kRateLimited,
                "A reminder was sent less than 10 minutes ago; please wait before reminding again");
  auto missing = MissingPeople(cl.who, id, opts_.max_audience);
  std::vector<std::string> keys;
  for (auto& p : missing.items)
    keys.push_back(!p.person_id.empty() ? "p:" + p.person_id : "a:" + p.account_id);
  db_.Write([&](db::Conn& c) {
    Doc d = *repo::Get(c, cl.who.county_id, id);
    d.reminded_at = now;
    repo::Save(c, cl.who.county_id, d);
    if (!keys.empty())
      events::Append(c, cl.who.county_id, "form.reminder", keys,
                     json::serialize(json::object{
                         {"doc_id", id},
                         {"title", d.title},
                         {"notice_id", d.notice_id},
                         {"deadline", d.deadline ? json::value(util::IsoUtc(*d.deadline))
                                                 : json::value(nullptr)}}),
                     now);
    audit::Append(c, Audit(cl, "form.remind", id, "people=" + std::to_string(keys.size()), now));
  });
  if (hub_) hub_->Kick();
  return static_cast<int64_t>(keys.size());
}

std::vector<Figure> DocsService::Figures(const perm::Principal& who, const std::string& from,
                                         const std::string& to, const std::string& group) {
  if (group != "unit" && group != "town" && group != "village")
    throw Error::Field("group", "unit, town or village");
  auto valid_month = [](const std::string& m) {
    return m.size() == 7 && m[4] == '-' && std::all_of(m.begin(), m.begin() + 4, ::isdigit) &&
           ((m[5] == '0' && m[6] >= '1' && m[6] <= '9') ||
            (m[5] == '1' && m[6] >= '0' && m[6] <= '2'));
  };
  if (!valid_month(from)) throw Error::Field("from", "a month as YYYY-MM");
  if (!valid_month(to)) throw Error::Field("to", "a month as YYYY-MM");
  std::map<std::tuple<std::string, std::string, std::string>, repo::FigureRow> seen;
  std::vector<std::string> unit_only;
  db_.Read([&](db::Conn& c) {
    for (auto& g : who.grants) {
      if (!perm::RoleHas(g.role, Perm::kDocStats)) continue;
      auto [lo, hi] = perm::CodeRange(g.region_code);
      for (auto& r : repo::Figures(c, who.county_id, from, to, lo, hi)) {
        if (g.role == perm::Role::kUnitStaff && r.unit_id != g.unit_id) continue;
        seen[{r.month, r.region_code, r.unit_id}] = r;
      }
    }
  });
  if (seen.empty() && !who.Has(Perm::kDocStats)) throw Error::NotFound();
  std::map<std::pair<std::string, std::string>, Figure> groups;
  std::map<std::string, std::string> names;
  db_.Read([&](db::Conn& c) {
    for (auto& [k, r] : seen) {
      std::string gid;
      if (group == "unit") {
        if (r.unit_id.empty()) continue;
        gid = r.unit_id;
      } else {
        auto lvl = group == "town" ? perm::Level::kTown : perm::Level::kVillage;
        if (perm::LevelOf(r.region_code) < lvl) continue;
        gid = perm::AncestorAt(r.region_code, lvl);
      }
      if (!names.count(gid))
        names[gid] = group == "unit" ? repo::UnitName(c, who.county_id, gid)
                                     : repo::RegionName(c, who.county_id, gid);
      auto& f = groups[{r.month, gid}];
      f.month = r.month;
      f.group_id = gid;
      f.group_name = names[gid];
      f.docs_created += r.docs_created;
      f.docs_edited += r.docs_edited;
      f.forms_sent += r.forms_sent;
      f.responses += r.responses;
    }
  });
  std::vector<Figure> out;
  for (auto& [k, f] : groups) out.push_back(f);
  return out;
}

// ---- demo ------------------------------------------------------------------------------------

int DocsService::LoadDemo(const std::string& county) {
  int created = 0;
  db_.Write([&](db::Conn& c) {
    if (repo::AnyDocs(c, county)) return;
    auto cadre = repo::FirstCadre(c, county);
    if (!cadre) return;
    auto [account, name, village] = *cadre;
    int64_t now = clock_.NowMs();
    struct Sample {
      const char* title;
      std::vector<yjs::Block> blocks;
    };
    std::vector<Sample> samples = {
        {"村民代表大会会议纪要",
         {{"heading", 1, "村民代表大会会议纪要"},
          {"paragraph", 0,
           "时间：本月 10 日上午 9 时；地点：村委会会议室；应到 35 人，实到 32 人。"},
          {"heading", 2, "一、议题"},
          {"paragraph", 0,
           "1. 通村公路硬化第二期工程选线；2. 稻田认养收益分配方案；3. 防汛值班安排。"},
          {"heading", 2, "二、决定事项"},
          {"paragraph", 0,
           "公路选线按方案二实施，由村委会负责与镇交通办对接；认养收益按户均分，公示七天。"}}},
        {"2026 年春耕生产工作计划",
         {{"heading", 1, "2026 年春耕生产工作计划"},
          {"paragraph", 0, "目标：水稻种植 1200 亩，玉米 800 亩，推广测土配方施肥。"},
          {"paragraph", 0, "分工：一组负责育秧大棚，二组负责农资统购，三组负责技术培训。"}}},
        {"防汛值班表（汛期）",
         {{"heading", 1, "防汛值班表"},
          {"paragraph", 0,
           "值班电话保持 24 小时畅通；雨量超过 50 毫米时全员到岗，转移临河住户。"}}},
    };
    uint64_t client = 1000;
    for (auto& sm : samples) {
      Doc d;
      d.id = util::NewId();
      d.kind = "doc";
      d.title = sm.title;
      d.region_code = village;
      d.owner_account = account;
      d.owner_name = name;
      d.created_at = d.updated_at = now;
      repo::Insert(c, county, d);
      std::string update = yjs::ProseMirrorUpdate(++client, sm.blocks);
      repo::AppendUpdate(c, county, d.id, 1, update);
      repo::NoteEdit(c, {county, d.id, village, "", ""}, static_cast<int64_t>(update.size()), now,
                     util::ShanghaiMonth(now), true);
      repo::Bump(c, county, util::ShanghaiMonth(now), village, "", "docs_created", 1);
      ++created;
    }
    Doc f;
    f.id = util::NewId();
    f.kind = "form";
    f.title = "2026 年种植意向登记";
    f.region_code = village;
    f.owner_account = account;
    f.owner_name = name;
    f.form_status = "draft";
    f.form = form::ParseSpec(json::parse(
        R"({"per":"household","description":"请每户登记今年的种植意向，便于统一采购种子化肥。","fields":[
      {"id":"head","type":"text","label":"户主姓名","required":true},
      {"id":"phone","type":"phone","label":"联系电话","required":true},
      {"id":"crop","type":"single","label":"主要作物","options":["水稻","玉米","马铃薯","中药材"],"required":true},
      {"id":"area","type":"number","label":"种植面积（亩）","min":0,"max":500},
      {"id":"help","type":"multiple","label":"需要的帮助","options":["技术指导","农资统购","销路对接"]}]})"));
    f.created_at = f.updated_at = now;
    repo::Insert(c, county, f);
    ++created;
  });
  return created;
}

}  // namespace sx::docs
