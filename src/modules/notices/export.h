// Exports of a notice's unread list for officials working in Excel or WPS: XLSX (libxlsxwriter;
// codes and ids written as text so long numbers stay exact) and CSV (UTF-8 with a BOM so Excel
// opens Chinese correctly; fields quoted per RFC 4180; cells that a spreadsheet would run as a
// formula are prefixed with an apostrophe).
#pragma once
#include <string>
#include <vector>

#include "modules/notices/model.h"

namespace sx::notices {

std::string UnreadCsv(const std::vector<UnreadPerson>& rows);
// Throws sx::Error (kInternal) if the workbook cannot be written.
std::string UnreadXlsx(const Notice& n, const std::vector<UnreadPerson>& rows);

}  // namespace sx::notices
