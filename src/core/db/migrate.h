// Versioned schema migrations. Each module keeps its SQL in src/<area>/migrations/NNNN_name.sql;
// the files are embedded into the binary and applied in order of their basename (NNNN is unique
// across the whole project: core 0001-0099, org 0100-0199, then 100 per module), each in its own
// transaction, recorded in schema_migrations. Applying is idempotent; an edited migration that was
// already applied is detected by its checksum and refused.
#pragma once
#include <string>
#include <vector>

#include "core/db/db.h"

namespace sx::db {

// Applies the pending embedded migrations; returns the names applied now.
std::vector<std::string> Migrate(Database& db);

}  // namespace sx::db
