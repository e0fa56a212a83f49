#include "modules/requests/export.h"

#include "core/export/xlsx.h"

namespace sx::requests {

std::string MetricsXlsx(const std::string& title, const std::vector<MetricRow>& rows) {
  xlsx::Workbook book;
  lxw_workbook* wb = book.wb();
  lxw_worksheet* ws = workbook_add_worksheet(wb, "三率");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* pct = workbook_add_format(wb);
  format_set_num_format(pct, "0.0%");
  lxw_format* num = workbook_add_format(wb);
  format_set_num_format(num, "0.0");
  worksheet_set_column(ws, 0, 0, 26, nullptr);
  worksheet_set_column(ws, 1, 12, 11, nullptr);
  worksheet_write_string(ws, 0, 0, title.c_str(), bold);
  const char* heads[] = {"名称",   "受理",           "按时签收",       "办结",   "解决",
                         "未解决", "评价",           "满意",           "响应率", "解决率",
                         "满意率", "签收中位(小时)", "办结中位(小时)", "排名"};
  for (lxw_col_t c = 0; c < std::size(heads); ++c) worksheet_write_string(ws, 1, c, heads[c], bold);
  lxw_row_t r = 2;
  for (auto& m : rows) {
    worksheet_write_string(ws, r, 0, m.name.c_str(), nullptr);
    double vals[] = {double(m.filed),    double(m.signed_in_time), double(m.finished),
                     double(m.resolved), double(m.unresolved),     double(m.rated),
                     double(m.satisfied)};
    for (int i = 0; i < 7; ++i) worksheet_write_number(ws, r, lxw_col_t(1 + i), vals[i], nullptr);
    worksheet_write_number(ws, r, 8, m.response_rate, pct);
    worksheet_write_number(ws, r, 9, m.resolve_rate, pct);
    worksheet_write_number(ws, r, 10, m.satisfaction_rate, pct);
    if (m.median_sign_hours) worksheet_write_number(ws, r, 11, *m.median_sign_hours, num);
    if (m.median_finish_hours) worksheet_write_number(ws, r, 12, *m.median_finish_hours, num);
    if (m.rank)
      worksheet_write_number(ws, r, 13, double(*m.rank), nullptr);
    else
      worksheet_write_string(ws, r, 13, "样本不足", nullptr);
    ++r;
  }
  return book.Finish();
}

}  // namespace sx::requests
