#include "core/export/xlsx.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/util/error.h"
#include "core/util/random.h"

namespace sx::xlsx {

Workbook::Workbook() {
  path_ = (std::filesystem::temp_directory_path() / ("sx-export-" + util::NewToken() + ".xlsx"))
              .string();
  lxw_workbook_options opts{};
  opts.constant_memory = LXW_TRUE;
  opts.tmpdir = nullptr;
  wb_ = workbook_new_opt(path_.c_str(), &opts);
  if (!wb_) throw Error(ErrorCode::kInternal, "cannot create the workbook");
}

Workbook::~Workbook() {
  if (wb_) workbook_close(wb_);
  ::unlink(path_.c_str());
}

std::string Workbook::Finish() {
  lxw_error err = workbook_close(wb_);
  wb_ = nullptr;
  if (err != LXW_NO_ERROR)
    throw Error(ErrorCode::kInternal,
                std::string("cannot write the workbook: ") + lxw_strerror(err));
  std::ifstream in(path_, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace sx::xlsx
