#include "policy/values.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <limits>
#include <system_error>

namespace fulcrum::policy {
namespace {

constexpr std::int64_t kMillisPerSecond = 1000;
constexpr std::int64_t kSecondsPerDay = 86400;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Days from 1970-01-01 to the given proleptic Gregorian date.
std::int64_t DaysFromCivil(std::int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

bool IsLeapYear(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(std::int64_t year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// Reads fixed-width decimal fields from the front of a string.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Consume(char c) {
    if (Peek() != c) {
      return false;
    }
    ++pos_;
    return true;
  }
  // Between `min_width` and `max_width` digits (as many as there are) as a number.
  std::optional<int> Digits(std::size_t min_width, std::size_t max_width) {
    int value = 0;
    std::size_t count = 0;
    while (count < max_width && IsDigit(Peek())) {
      value = value * 10 + (Peek() - '0');
      ++pos_;
      ++count;
    }
    if (count < min_width) {
      return std::nullopt;
    }
    return value;
  }
  // Exactly `width` digits as a number.
  std::optional<int> Digits(std::size_t width) { return Digits(width, width); }
  // One or more digits, as milliseconds of a fraction of a second (extra precision dropped).
  std::optional<int> FractionMillis() {
    int millis = 0;
    std::size_t count = 0;
    while (IsDigit(Peek())) {
      if (count < 3) {
        millis = millis * 10 + (Peek() - '0');
      }
      ++count;
      ++pos_;
    }
    if (count == 0) {
      return std::nullopt;
    }
    for (std::size_t i = count; i < 3; ++i) {
      millis *= 10;
    }
    return millis;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::optional<std::int64_t> ParseIsoDate(std::string_view text) {
  Cursor cursor(text);
  const std::optional<int> year = cursor.Digits(4);
  if (!year) {
    return std::nullopt;
  }
  int month = 1;
  int day = 1;
  if (cursor.Consume('-')) {
    const std::optional<int> m = cursor.Digits(1, 2);
    if (!m || *m < 1 || *m > 12) {
      return std::nullopt;
    }
    month = *m;
    if (cursor.Consume('-')) {
      const std::optional<int> d = cursor.Digits(1, 2);
      if (!d || *d < 1 || *d > DaysInMonth(*year, month)) {
        return std::nullopt;
      }
      day = *d;
    }
  }
  std::int64_t millis = 0;
  if (cursor.Consume('T') || cursor.Consume('t')) {
    const std::optional<int> hour = cursor.Digits(1, 2);
    if (!hour || *hour > 23) {
      return std::nullopt;
    }
    int minute = 0;
    int second = 0;
    int fraction = 0;
    bool has_minute = false;
    if (cursor.Consume(':')) {
      const std::optional<int> m = cursor.Digits(1, 2);
      if (!m || *m > 59) {
        return std::nullopt;
      }
      minute = *m;
      has_minute = true;
    }
    if (has_minute && cursor.Consume(':')) {
      const std::optional<int> s = cursor.Digits(1, 2);
      if (!s || *s > 59) {
        return std::nullopt;
      }
      second = *s;
      if (cursor.Consume('.')) {
        const std::optional<int> f = cursor.FractionMillis();
        if (!f) {
          return std::nullopt;
        }
        fraction = *f;
      }
    }
    millis = ((*hour * 60LL + minute) * 60 + second) * kMillisPerSecond + fraction;
    if (cursor.Consume('Z') || cursor.Consume('z')) {
      // UTC.
    } else if (cursor.Peek() == '+' || cursor.Peek() == '-') {
      const int sign = cursor.Peek() == '+' ? 1 : -1;
      cursor.Consume(cursor.Peek());
      const std::optional<int> zone_hours = cursor.Digits(2);
      if (!zone_hours || *zone_hours > 23) {
        return std::nullopt;
      }
      int zone_minutes = 0;
      if (!cursor.AtEnd()) {
        cursor.Consume(':');
        const std::optional<int> zm = cursor.Digits(2);
        if (!zm || *zm > 59) {
          return std::nullopt;
        }
        zone_minutes = *zm;
      }
      millis -= sign * (*zone_hours * 60LL + zone_minutes) * 60 * kMillisPerSecond;
    }
  }
  if (!cursor.AtEnd()) {
    return std::nullopt;
  }
  return DaysFromCivil(*year, month, day) * kSecondsPerDay * kMillisPerSecond + millis;
}

}  // namespace

std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty() || text.front() == '+') {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> ParseDate(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  bool all_digits = true;
  for (const char c : text) {
    all_digits = all_digits && IsDigit(c);
  }
  if (all_digits) {
    // Epoch seconds.
    std::int64_t seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error != std::errc() || end != text.data() + text.size() ||
        seconds > std::numeric_limits<std::int64_t>::max() / kMillisPerSecond) {
      return std::nullopt;
    }
    return seconds * kMillisPerSecond;
  }
  return ParseIsoDate(text);
}

std::optional<IpNetwork> ParseIpNetwork(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  std::array<char, 64> buffer{};
  if (address.empty() || address.size() >= buffer.size()) {
    return std::nullopt;
  }
  std::memcpy(buffer.data(), address.data(), address.size());
  IpNetwork network;
  network.v6 = address.find(':') != std::string_view::npos;
  if (inet_pton(network.v6 ? AF_INET6 : AF_INET, buffer.data(), network.address.data()) != 1) {
    return std::nullopt;
  }
  const int max_prefix = network.v6 ? 128 : 32;
  network.prefix_length = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view prefix = text.substr(slash + 1);
    int length = -1;
    const auto [end, error] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), length);
    if (prefix.empty() || prefix.size() > 3 || error != std::errc() ||
        end != prefix.data() + prefix.size() || length < 0 || length > max_prefix) {
      return std::nullopt;
    }
    network.prefix_length = length;
  }
  return network;
}

bool NetworkContains(const IpNetwork& network, const IpNetwork& address) {
  if (network.v6 != address.v6) {
    return false;
  }
  const auto whole_bytes = static_cast<std::size_t>(network.prefix_length / 8);
  for (std::size_t i = 0; i < whole_bytes; ++i) {
    if (network.address[i] != address.address[i]) {
      return false;
    }
  }
  const int rest_bits = network.prefix_length % 8;
  if (rest_bits == 0) {
    return true;
  }
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest_bits));
  return (network.address[whole_bytes] & mask) == (address.address[whole_bytes] & mask);
}

}  // namespace fulcrum::policy
