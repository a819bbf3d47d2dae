#pragma once

// KeyUsageRecorder: remembers the last use of each access key (time, service, region) in memory
// and writes the uses to the store in one batch now and then, so that recording a use costs the
// request path a map update, never a disk write. AWS itself reports last use with a delay.
// Thread-safe.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "common/clock.h"
#include "storage/iam_store.h"

namespace fulcrum::auth {

class KeyUsageRecorder {
 public:
  // Starts a thread that flushes every `interval`. REQUIRES: `store` and `clock` outlive this.
  KeyUsageRecorder(storage::IamStore& store, const Clock& clock,
                   std::chrono::milliseconds interval = std::chrono::seconds(1));
  // Flushes what is pending, then stops the thread.
  ~KeyUsageRecorder();
  KeyUsageRecorder(const KeyUsageRecorder&) = delete;
  KeyUsageRecorder& operator=(const KeyUsageRecorder&) = delete;

  void Record(const std::string& access_key_id, std::string_view service, std::string_view region);
  // Writes the pending uses now. Returns the store's error, if any (pending uses are then kept).
  [[nodiscard]] Result<void> Flush();

 private:
  void Run();

  storage::IamStore& store_;
  const Clock& clock_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::unordered_map<std::string, storage::AccessKeyLastUsed> pending_;
  std::thread thread_;
};

}  // namespace fulcrum::auth
