#include "modules/notices/export.h"

#include "core/export/csv.h"
#include "core/export/xlsx.h"

namespace sx::notices {

namespace {
const char* kHeaders[] = {"姓名", "村（社区）", "村代码", "户编号", "电话（脱敏）", "已注册"};

}  // namespace

std::string UnreadCsv(const std::vector<UnreadPerson>& rows) {
  std::string out(csv::kBom);
  for (size_t i = 0; i < std::size(kHeaders); ++i) out += (i ? "," : "") + std::string(kHeaders[i]);
  out += "\r\n";
  for (auto& r : rows) {
    out += csv::Row({r.name, r.village_name, r.village_code, r.household_id, r.phone_masked,
                     r.signed_up ? "是" : "否"});
  }
  return out;
}

std::string UnreadXlsx(const Notice& n, const std::vector<UnreadPerson>& rows) {
  xlsx::Workbook book;
  lxw_workbook* wb = book.wb();
  lxw_worksheet* ws = workbook_add_worksheet(wb, "未读名单");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* text = workbook_add_format(wb);
  format_set_num_format(text, "@");
  worksheet_set_column(ws, 0, 0, 12, nullptr);
  worksheet_set_column(ws, 1, 1, 22, nullptr);
  worksheet_set_column(ws, 2, 3, 16, text);
  worksheet_set_column(ws, 4, 4, 15, nullptr);
  worksheet_set_column(ws, 5, 5, 8, nullptr);
  std::string title = "未读名单：" + n.title;
  worksheet_write_string(ws, 0, 0, title.c_str(), bold);
  for (lxw_col_t c = 0; c < std::size(kHeaders); ++c)
    worksheet_write_string(ws, 1, c, kHeaders[c], bold);
  lxw_row_t row = 2;
  for (auto& r : rows) {
    worksheet_write_string(ws, row, 0, r.name.c_str(), nullptr);
    worksheet_write_string(ws, row, 1, r.village_name.c_str(), nullptr);
    worksheet_write_string(ws, row, 2, r.village_code.c_str(), text);
    worksheet_write_string(ws, row, 3, r.household_id.c_str(), text);
    worksheet_write_string(ws, row, 4, r.phone_masked.c_str(), nullptr);
    worksheet_write_string(ws, row, 5, r.signed_up ? "是" : "否", nullptr);
    ++row;
  }
  return book.Finish();
}

}  // namespace sx::notices
