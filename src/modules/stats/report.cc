#include "modules/stats/report.h"

#include "core/export/xlsx.h"
#include "core/perm/perm.h"
#include "modules/stats/json.h"

namespace sx::stats {

namespace {

struct Formats {
  lxw_format *bold, *pct, *num;
};

void Table(lxw_workbook* wb, const Formats& fm, const char* name, const char* first,
           const std::string& title, const std::vector<Row>& rows, const Figures& total) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, name);
  const auto& cols = Columns();
  worksheet_set_column(ws, 0, 0, 28, nullptr);
  worksheet_set_column(ws, 1, lxw_col_t(cols.size()), 12, nullptr);
  worksheet_write_string(ws, 0, 0, title.c_str(), fm.bold);
  worksheet_write_string(ws, 1, 0, first, fm.bold);
  for (size_t c = 0; c < cols.size(); ++c)
    worksheet_write_string(ws, 1, lxw_col_t(c + 1), cols[c].title, fm.bold);
  lxw_row_t r = 2;
  auto line = [&](const std::string& label, const Figures& f, lxw_format* label_fmt) {
    worksheet_write_string(ws, r, 0, label.c_str(), label_fmt);
    for (size_t c = 0; c < cols.size(); ++c)
      if (auto v = cols[c].value(f))
        worksheet_write_number(ws, r, lxw_col_t(c + 1), *v, cols[c].percent ? fm.pct : nullptr);
    ++r;
  };
  for (auto& row : rows) line(row.name, row.f, nullptr);
  line("合计", total, fm.bold);
  worksheet_freeze_panes(ws, 2, 1);
}

}  // namespace

std::string ReportWorkbook(const Dashboard& month, const Dashboard& ytd,
                           const Dashboard& villages) {
  xlsx::Workbook book;
  lxw_workbook* wb = book.wb();
  Formats fm{workbook_add_format(wb), workbook_add_format(wb), workbook_add_format(wb)};
  format_set_bold(fm.bold);
  format_set_num_format(fm.pct, "0.0%");
  format_set_num_format(fm.num, "0.0");
  std::string place = month.region.name + (month.unit ? " · " + month.unit->second : "");
  std::string title = place + " " + month.from + " 数字乡村工作月报";

  lxw_worksheet* ws = workbook_add_worksheet(wb, "汇总");
  worksheet_set_column(ws, 0, 0, 26, nullptr);
  worksheet_set_column(ws, 1, 2, 16, nullptr);
  worksheet_write_string(ws, 0, 0, title.c_str(), fm.bold);
  worksheet_write_string(ws, 1, 0, "指标", fm.bold);
  worksheet_write_string(ws, 1, 1, ("本月（" + month.from + "）").c_str(), fm.bold);
  worksheet_write_string(ws, 1, 2, ("本年累计（" + ytd.from + " 至 " + ytd.to + "）").c_str(),
                         fm.bold);
  lxw_row_t r = 2;
  for (auto& c : Columns()) {
    worksheet_write_string(ws, r, 0, c.title, nullptr);
    if (auto v = c.value(month.totals))
      worksheet_write_number(ws, r, 1, *v, c.percent ? fm.pct : nullptr);
    if (auto v = c.value(ytd.totals))
      worksheet_write_number(ws, r, 2, *v, c.percent ? fm.pct : nullptr);
    ++r;
  }

  auto level = perm::LevelOf(month.region.code);
  std::vector<Row> none;
  Table(wb, fm, "乡镇", "乡镇（街道）", title,
        level == perm::Level::kCounty ? month.children : none, month.totals);
  Table(wb, fm, "村", "村（社区）", title,
        level == perm::Level::kVillage ? none : villages.children, month.totals);
  Table(wb, fm, "单位", "单位", title, month.units, month.totals);
  return book.Finish();
}

}  // namespace sx::stats
