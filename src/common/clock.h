#pragma once

// Clock: the only way Fulcrum reads the time. Production code gets a SystemClock; tests pin time
// with a FixedClock. Nothing else reads the wall clock.

#include <atomic>
#include <chrono>

namespace fulcrum {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe.
  [[nodiscard]] virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that stays where it is set. Thread-safe.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint now) : now_(now.time_since_epoch().count()) {}
  [[nodiscard]] TimePoint Now() const override {
    return TimePoint(TimePoint::duration(now_.load(std::memory_order_relaxed)));
  }
  void Set(TimePoint now) { now_.store(now.time_since_epoch().count(), std::memory_order_relaxed); }
  void Advance(TimePoint::duration by) { now_.fetch_add(by.count(), std::memory_order_relaxed); }

 private:
  std::atomic<TimePoint::duration::rep> now_;
};

}  // namespace fulcrum
