// Documents module SQL. Every function runs in the caller's connection (and transaction).
#pragma once
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/db/db.h"
#include "core/perm/perm.h"
#include "core/stats/counters.h"
#include "modules/docs/model.h"
#include "modules/docs/sync.h"

namespace sx::docs::repo {

void Insert(db::Conn& c, const std::string& county, const Doc& d);
std::optional<Doc> Get(db::Conn& c, const std::string& county, const std::string& id);
// Saves title, form, status, deadline, notice, audience, counters, deleted, updated_at.
void Save(db::Conn& c, const std::string& county, const Doc& d);
std::optional<Doc> ByNotice(db::Conn& c, const std::string& county, const std::string& notice_id);

struct ListQuery {
  std::string kind, unit, q;                                  // filters ('' = any)
  std::optional<std::pair<std::string, std::string>> folder;  // region code range [lo, hi]
  // Visibility: the caller's own, folders inside `manage` ranges (with unit restriction when
  // the pair's unit is set), or shared with the account, one of `units` or one of `regions`.
  std::string account;
  struct Range {
    std::string lo, hi, unit;
  };
  std::vector<Range> manage;
  std::vector<std::string> units, regions;
  std::optional<std::pair<int64_t, std::string>> after;  // (updated_at, id) of the last row seen
  int limit = 20;
};
std::vector<Doc> List(db::Conn& c, const std::string& county, const ListQuery& q);

std::vector<Share> Shares(db::Conn& c, const std::string& county, const std::string& doc);
void ReplaceShares(db::Conn& c, const std::string& county, const std::string& doc,
                   const std::vector<Share>& shares);
std::string RegionName(db::Conn& c, const std::string& county, const std::string& code);
std::string UnitName(db::Conn& c, const std::string& county, const std::string& id);
std::string AccountName(db::Conn& c, const std::string& county, const std::string& id);

// Yjs updates, in sequence order.
std::vector<std::pair<int64_t, std::string>> LoadUpdates(db::Conn& c, const std::string& county,
                                                         const std::string& doc);
void AppendUpdate(db::Conn& c, const std::string& county, const std::string& doc, int64_t seq,
                  const std::string& data);
// Replaces the rows up to `upto` by one row (seq upto) holding `merged`.
void ReplaceUpdates(db::Conn& c, const std::string& county, const std::string& doc, int64_t upto,
                    const std::string& merged);
// Records an edit: size, edited_at, and the month's docs_edited once per document and month.
void NoteEdit(db::Conn& c, const DocRef& d, int64_t added_bytes, int64_t now,
              const std::string& month, bool first_in_month);

void InsertVersion(db::Conn& c, const std::string& county, const Version& v,
                   const std::string& data);
std::vector<Version> Versions(db::Conn& c, const std::string& county, const std::string& doc);
std::optional<std::string> VersionData(db::Conn& c, const std::string& county,
                                       const std::string& doc, const std::string& id);

void InsertComment(db::Conn& c, const std::string& county, const Comment& m);
std::vector<Comment> Comments(db::Conn& c, const std::string& county, const std::string& doc);
std::optional<Comment> GetComment(db::Conn& c, const std::string& county, const std::string& doc,
                                  const std::string& id);
void SetResolved(db::Conn& c, const std::string& county, const std::string& id, bool resolved);

struct PersonRow {
  std::string id, name, village_code, village_name, household_id;
};
std::optional<PersonRow> Person(db::Conn& c, const std::string& county, const std::string& id);
// An account as a principal for access checks (grants and linked person), if active.
std::optional<perm::Principal> PrincipalOf(db::Conn& c, const std::string& county,
                                           const std::string& account);
bool RegionExists(db::Conn& c, const std::string& county, const std::string& code);

std::optional<FormResponse> GetResponse(db::Conn& c, const std::string& county,
                                        const std::string& doc, const std::string& respondent);
// Inserts or replaces; returns true when it was new.
bool PutResponse(db::Conn& c, const std::string& county, const std::string& doc,
                 const FormResponse& r);
// In submission order after (submitted_at, respondent).
std::vector<FormResponse> Responses(db::Conn& c, const std::string& county, const std::string& doc,
                                    const std::optional<std::pair<int64_t, std::string>>& after,
                                    int limit);
std::vector<std::string> Respondents(db::Conn& c, const std::string& county,
                                     const std::string& doc);
// The first village cadre's account (id, name, village), for demo content.
std::optional<std::tuple<std::string, std::string, std::string>> FirstCadre(
    db::Conn& c, const std::string& county);
bool AnyDocs(db::Conn& c, const std::string& county);

void Bump(db::Conn& c, const std::string& county, const std::string& month,
          const std::string& region, const std::string& unit, const char* column, int64_t by);
struct FigureRow {
  std::string month, region_code, unit_id;
  int64_t docs_created = 0, docs_edited = 0, forms_sent = 0, responses = 0;
};
// Figures per month, folder region and unit, from the "docs" counters (core/stats).
std::vector<FigureRow> Figures(db::Conn& c, const std::string& county, const std::string& from,
                               const std::string& to, const std::string& lo, const std::string& hi);
// The "docs" counters recomputed from documents, forms, responses and edit months.
std::vector<stats::Cell> RebuildCells(db::Conn& c, const std::string& county);

}  // namespace sx::docs::repo
