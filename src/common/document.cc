#include "common/document.h"

#include <chrono>
#include <cmath>
#include <limits>

namespace fulcrum {

boost::json::value TimestampToDocument(TimePoint time) {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  const auto since_epoch = time.time_since_epoch();
  const auto whole = std::chrono::floor<seconds>(since_epoch);
  const auto millis = std::chrono::floor<milliseconds>(since_epoch - whole).count();
  if (millis == 0) return static_cast<std::int64_t>(whole.count());
  return static_cast<double>(whole.count()) + static_cast<double>(millis) / 1000.0;
}

std::optional<TimePoint> TimestampFromDocument(const boost::json::value& value) {
  // The seconds a TimePoint holds (nanoseconds in an int64 on libstdc++), less a margin.
  constexpr double kLimit = static_cast<double>(
      std::chrono::duration_cast<std::chrono::seconds>(TimePoint::duration::max()).count() - 1);
  const auto number = NumberOf(value);
  if (!number || !std::isfinite(*number) || *number > kLimit || *number < -kLimit) {
    return std::nullopt;
  }
  if (const auto integer = IntegerOf(value)) {
    return TimePoint(
        std::chrono::duration_cast<TimePoint::duration>(std::chrono::seconds(*integer)));
  }
  // Millisecond precision, as the wire carries it.
  const auto millis = static_cast<std::int64_t>(std::llround(*number * 1000.0));
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(millis)));
}

std::optional<double> NumberOf(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::int64:
      return static_cast<double>(value.get_int64());
    case boost::json::kind::uint64:
      return static_cast<double>(value.get_uint64());
    case boost::json::kind::double_:
      return value.get_double();
    default:
      return std::nullopt;
  }
}

std::optional<std::int64_t> IntegerOf(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::int64:
      return value.get_int64();
    case boost::json::kind::uint64:
      if (value.get_uint64() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return std::nullopt;
      }
      return static_cast<std::int64_t>(value.get_uint64());
    case boost::json::kind::double_: {
      const double d = value.get_double();
      if (!std::isfinite(d) || std::trunc(d) != d || d < -9.2e18 || d > 9.2e18) {
        return std::nullopt;
      }
      return static_cast<std::int64_t>(d);
    }
    default:
      return std::nullopt;
  }
}

}  // namespace fulcrum
