#include "modules/requests/json.h"

#include <boost/json.hpp>

#include "core/util/clock.h"

namespace sx::requests::json {

using boost::json::array;
using boost::json::object;
using boost::json::value;

namespace {
value Time(const std::optional<int64_t>& t) { return t ? value(util::IsoUtc(*t)) : value(nullptr); }
value Str(const std::string& s) { return s.empty() ? value(nullptr) : value(s); }
object FileJson(const files::File& f) {
  return object{{"id", f.id},
                {"content_type", f.content_type},
                {"size", f.size},
                {"url", "/api/v1/request-photos/" + f.id}};
}
}  // namespace

object CategoryJson(const Category& c) {
  return object{{"code", c.code},
                {"name", c.name},
                {"group", c.group},
                {"description", c.description},
                {"sign_hours", c.sign_hours},
                {"reply_hours", c.reply_hours},
                {"finish_hours", c.finish_hours},
                {"confirm_required", c.confirm_required},
                {"about_cadre", c.about_cadre},
                {"handler", c.handler},
                {"active", c.active},
                {"sort", c.sort}};
}

object RequestJson(const Request& r, bool summary) {
  object o{{"id", r.id},
           {"number", r.number},
           {"category", r.category_code},
           {"category_name", r.category_name},
           {"description", r.description},
           {"village_code", r.village_code},
           {"village_name", r.village_name},
           {"address", r.address},
           {"lat", r.lat_e6 ? value(static_cast<double>(*r.lat_e6) / 1e6) : value(nullptr)},
           {"lng", r.lng_e6 ? value(static_cast<double>(*r.lng_e6) / 1e6) : value(nullptr)},
           {"public", r.is_public},
           {"about_cadre", r.about_cadre},
           {"reporter_name", r.reporter_hidden ? value(nullptr) : value(r.reporter_name)},
           {"channel", r.channel},
           {"status", r.status},
           {"handler", r.handler},
           {"handler_name", r.handler_name},
           {"level", r.level},
           {"metoo_count", r.metoo_count},
           {"merged_into", Str(r.merged_into)},
           {"reopen_count", r.reopen_count},
           {"sign_due", Time(r.sign_due)},
           {"reply_due", Time(r.reply_due)},
           {"finish_due", Time(r.finish_due)},
           {"signed_at", Time(r.signed_at)},
           {"replied_at", Time(r.replied_at)},
           {"finished_at", Time(r.finished_at)},
           {"closed_at", Time(r.closed_at)},
           {"escalated_at", Time(r.escalated_at)},
           {"outcome", Str(r.outcome)},
           {"result_note", Str(r.result_note)},
           {"rating", r.rating ? value(*r.rating) : value(nullptr)},
           {"rating_comment", Str(r.rating_comment)},
           {"followup_answer", Str(r.followup_answer)},
           {"created_at", util::IsoUtc(r.created_at)},
           {"updated_at", util::IsoUtc(r.updated_at)},
           {"can_handle", r.can_handle},
           {"can_supervise", r.can_supervise},
           {"is_reporter", r.is_reporter}};
  if (summary) return o;
  array photos;
  for (auto& f : r.photos) photos.push_back(FileJson(f));
  array steps;
  for (auto& s : r.steps) {
    array sp;
    for (auto& f : s.photos) sp.push_back(FileJson(f));
    steps.push_back(object{{"seq", s.seq},
                           {"at", util::IsoUtc(s.at)},
                           {"kind", s.kind},
                           {"actor_name", Str(s.actor_name)},
                           {"note", s.note},
                           {"handler", s.handler},
                           {"photos", std::move(sp)}});
  }
  o["photos"] = std::move(photos);
  o["steps"] = std::move(steps);
  o["metoo"] = r.metoo;
  return o;
}

object MetricJson(const MetricRow& m) {
  auto opt = [](const std::optional<double>& d) { return d ? value(*d) : value(nullptr); };
  return object{{"key", m.key},
                {"name", m.name},
                {"filed", m.filed},
                {"signed_in_time", m.signed_in_time},
                {"finished", m.finished},
                {"resolved", m.resolved},
                {"unresolved", m.unresolved},
                {"rated", m.rated},
                {"satisfied", m.satisfied},
                {"response_rate", m.response_rate},
                {"resolve_rate", m.resolve_rate},
                {"satisfaction_rate", m.satisfaction_rate},
                {"median_sign_hours", opt(m.median_sign_hours)},
                {"median_finish_hours", opt(m.median_finish_hours)},
                {"rank", m.rank ? value(*m.rank) : value(nullptr)}};
}

}  // namespace sx::requests::json
