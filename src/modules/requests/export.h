// The 三率 figures as an XLSX workbook (libxlsxwriter), for officials working in Excel or WPS.
#pragma once
#include <string>
#include <vector>

#include "modules/requests/service.h"

namespace sx::requests {

// Throws sx::Error (kInternal) if the workbook cannot be written.
std::string MetricsXlsx(const std::string& title, const std::vector<MetricRow>& rows);

}  // namespace sx::requests
