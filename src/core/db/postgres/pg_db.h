// PostgreSQL backend through libpq: a fixed pool of connections, statements prepared once per
// connection, text-format parameters and results. See db.h for the contract.
#pragma once
#include <memory>
#include <string>

#include "core/db/db.h"

namespace sx::db {

std::unique_ptr<Database> OpenPostgres(const std::string& url, const OpenOptions& opts);

}  // namespace sx::db
