// The monthly report workbook (XLSX) of a place: 汇总 (each figure for the month and the year to
// date), 乡镇 (per town), 村 (per village), 单位 (per unit); each table ends with a 合计 row.
#pragma once
#include <string>

#include "modules/stats/model.h"

namespace sx::stats {

// month: the month's dashboard with its children; ytd: January to the month (totals only);
// villages: the month's dashboard broken down by village (the county's; a town's children).
std::string ReportWorkbook(const Dashboard& month, const Dashboard& ytd, const Dashboard& villages);

}  // namespace sx::stats
