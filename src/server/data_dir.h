#pragma once

// DataDir: the on-disk home of one account plane. Layout (the directory is 0700, every file 0600):
//   fulcrum.db     SQLite database (WAL)
//   master.key     32-byte key that encrypts secrets at rest (AES-256-GCM)
//   admin-token    bearer token of the loopback admin endpoint (hex text)
// Several processes may open the same data dir at once: `fulcrum server` and `fulcrum account
// create` do.

#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"
#include "storage/database.h"

namespace fulcrum::server {

struct DataDir {
  std::filesystem::path root;
  std::string admin_token;
  // The account and IAM stores over fulcrum.db.
  std::unique_ptr<storage::Database> database;
};

// The default data dir: $FULCRUM_DATA_DIR, else $XDG_DATA_HOME/fulcrum, else
// ~/.local/share/fulcrum.
[[nodiscard]] std::filesystem::path DefaultDataDir();

// Opens `root`, creating it and its files on first use. Errors name the file and the fix.
[[nodiscard]] Result<DataDir> OpenDataDir(const std::filesystem::path& root);

}  // namespace fulcrum::server
