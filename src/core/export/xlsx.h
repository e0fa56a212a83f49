// A workbook written with libxlsxwriter in constant-memory mode to a temporary file, then read
// back as bytes for the HTTP response. The caller adds sheets and cells to wb(); Finish() closes
// it and returns the file's bytes. The temporary file is removed in every case.
#pragma once
#include <xlsxwriter.h>

#include <string>

namespace sx::xlsx {

class Workbook {
 public:
  // Throws sx::Error (500) when the workbook cannot be created.
  Workbook();
  ~Workbook();
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;

  lxw_workbook* wb() { return wb_; }
  // Closes the workbook and returns its bytes; throws sx::Error (500) if it cannot be written.
  std::string Finish();

 private:
  std::string path_;
  lxw_workbook* wb_ = nullptr;
};

}  // namespace sx::xlsx
