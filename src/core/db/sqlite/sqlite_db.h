// SQLite backend: WAL, synchronous=FULL, foreign keys on, busy timeout; one writer thread with
// group commit and a pool of reader connections. See db.h for the contract.
#pragma once
#include <memory>
#include <string>

#include "core/db/db.h"

namespace sx::db {

std::unique_ptr<Database> OpenSqlite(const std::string& path, const OpenOptions& opts);

}  // namespace sx::db
