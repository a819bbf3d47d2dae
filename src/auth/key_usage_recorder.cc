#include "auth/key_usage_recorder.h"

#include <vector>

namespace fulcrum::auth {

KeyUsageRecorder::KeyUsageRecorder(storage::IamStore& store, const Clock& clock,
                                   std::chrono::milliseconds interval)
    : store_(store), clock_(clock), interval_(interval), thread_([this] { Run(); }) {}

KeyUsageRecorder::~KeyUsageRecorder() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  (void)Flush();
}

void KeyUsageRecorder::Record(const std::string& access_key_id, std::string_view service,
                              std::string_view region) {
  const TimePoint now = clock_.Now();
  const std::lock_guard lock(mutex_);
  auto& use = pending_[access_key_id];
  use.time = now;
  if (use.service_name != service) {
    use.service_name = std::string(service);
  }
  if (use.region != region) {
    use.region = std::string(region);
  }
}

Result<void> KeyUsageRecorder::Flush() {
  std::unordered_map<std::string, storage::AccessKeyLastUsed> batch;
  {
    const std::lock_guard lock(mutex_);
    batch.swap(pending_);
  }
  if (batch.empty()) {
    return {};
  }
  std::vector<storage::AccessKeyUse> uses;
  uses.reserve(batch.size());
  for (auto& [id, used] : batch) {
    uses.push_back(storage::AccessKeyUse{id, std::move(used)});
  }
  auto recorded = store_.RecordAccessKeyUses(uses);
  if (!recorded) {
    // Keep them for the next flush, unless newer uses arrived meanwhile.
    const std::lock_guard lock(mutex_);
    for (auto& use : uses) {
      pending_.try_emplace(use.access_key_id, std::move(use.used));
    }
  }
  return recorded;
}

void KeyUsageRecorder::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
    if (stopping_) {
      break;
    }
    lock.unlock();
    (void)Flush();
    lock.lock();
  }
}

}  // namespace fulcrum::auth
