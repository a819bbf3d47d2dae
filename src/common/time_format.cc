#include "common/time_format.h"

#include <chrono>

namespace fulcrum {
namespace {

using std::chrono::days;
using std::chrono::seconds;

// The calendar fields of a time, in UTC.
struct Fields {
  int year;
  unsigned month;
  unsigned day;
  unsigned weekday;  // 0 = Sunday.
  int hour;
  int minute;
  int second;
  int millisecond;
};

Fields Split(TimePoint time) {
  const auto day_start = std::chrono::floor<days>(time);
  const std::chrono::year_month_day date{day_start};
  const std::chrono::hh_mm_ss clock{
      std::chrono::floor<std::chrono::milliseconds>(time - day_start)};
  return Fields{static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()),
                std::chrono::weekday{day_start}.c_encoding(),
                static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()),
                static_cast<int>(clock.subseconds().count())};
}

// Appends `value` as exactly `width` decimal digits (years outside 0..9999 are clamped).
void PutDigits(std::string& out, int value, int width) {
  if (value < 0) {
    value = 0;
  }
  char buffer[8];
  for (int i = width - 1; i >= 0; --i) {
    buffer[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buffer, static_cast<std::size_t>(width));
}

// Reads exactly `width` decimal digits at `pos`; -1 if any is not a digit.
int ReadDigits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) {
    return -1;
  }
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return -1;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<TimePoint> FromFields(int year, int month, int day, int hour, int minute,
                                    int second) {
  if (year < 0 || month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  // A leap second (":60") is read as the first second of the next minute.
  return TimePoint(std::chrono::sys_days{date}) + std::chrono::hours{hour} +
         std::chrono::minutes{minute} + seconds{second};
}

void PutIso8601Seconds(std::string& out, const Fields& f) {
  PutDigits(out, f.year, 4);
  out += '-';
  PutDigits(out, static_cast<int>(f.month), 2);
  out += '-';
  PutDigits(out, static_cast<int>(f.day), 2);
  out += 'T';
  PutDigits(out, f.hour, 2);
  out += ':';
  PutDigits(out, f.minute, 2);
  out += ':';
  PutDigits(out, f.second, 2);
}

}  // namespace

std::string FormatIso8601(TimePoint time) {
  std::string out;
  out.reserve(20);
  PutIso8601Seconds(out, Split(time));
  out += 'Z';
  return out;
}

std::string FormatIso8601Millis(TimePoint time) {
  const Fields f = Split(time);
  std::string out;
  out.reserve(24);
  PutIso8601Seconds(out, f);
  out += '.';
  PutDigits(out, f.millisecond, 3);
  out += 'Z';
  return out;
}

std::optional<TimePoint> ParseIso8601(std::string_view text) {
  // "YYYY-MM-DDTHH:MM:SS" is 19 characters.
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  std::optional<TimePoint> time =
      FromFields(ReadDigits(text, 0, 4), ReadDigits(text, 5, 2), ReadDigits(text, 8, 2),
                 ReadDigits(text, 11, 2), ReadDigits(text, 14, 2), ReadDigits(text, 17, 2));
  if (!time) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  if (text[pos] == '.') {
    ++pos;
    const std::size_t digits_start = pos;
    TimePoint::duration fraction{0};
    // Each digit is worth a tenth of the one before; digits finer than the clock are ignored.
    std::int64_t unit = std::chrono::duration_cast<TimePoint::duration>(seconds{1}).count();
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      unit /= 10;
      fraction += TimePoint::duration{unit * (text[pos] - '0')};
      ++pos;
    }
    if (pos == digits_start) {
      return std::nullopt;
    }
    *time += fraction;
  }
  if (pos >= text.size()) {
    return std::nullopt;
  }
  const std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
    return time;
  }
  if (zone[0] != '+' && zone[0] != '-') {
    return std::nullopt;
  }
  int hours = -1;
  int minutes = -1;
  if (zone.size() == 6 && zone[3] == ':') {
    hours = ReadDigits(zone, 1, 2);
    minutes = ReadDigits(zone, 4, 2);
  } else if (zone.size() == 5) {
    hours = ReadDigits(zone, 1, 2);
    minutes = ReadDigits(zone, 3, 2);
  }
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
    return std::nullopt;
  }
  const auto offset = std::chrono::hours{hours} + std::chrono::minutes{minutes};
  // Local time = UTC + offset, so UTC = local - offset.
  return zone[0] == '+' ? *time - offset : *time + offset;
}

std::string FormatAmzDate(TimePoint time) {
  const Fields f = Split(time);
  std::string out;
  out.reserve(16);
  PutDigits(out, f.year, 4);
  PutDigits(out, static_cast<int>(f.month), 2);
  PutDigits(out, static_cast<int>(f.day), 2);
  out += 'T';
  PutDigits(out, f.hour, 2);
  PutDigits(out, f.minute, 2);
  PutDigits(out, f.second, 2);
  out += 'Z';
  return out;
}

std::optional<TimePoint> ParseAmzDate(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') {
    return std::nullopt;
  }
  const int second = ReadDigits(text, 13, 2);
  if (second > 59) {
    return std::nullopt;
  }
  return FromFields(ReadDigits(text, 0, 4), ReadDigits(text, 4, 2), ReadDigits(text, 6, 2),
                    ReadDigits(text, 9, 2), ReadDigits(text, 11, 2), second);
}

std::string FormatHttpDate(TimePoint time) {
  static constexpr std::string_view kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const Fields f = Split(time);
  std::string out;
  out.reserve(29);
  out += kWeekdays[f.weekday];
  out += ", ";
  PutDigits(out, static_cast<int>(f.day), 2);
  out += ' ';
  out += kMonths[f.month - 1];
  out += ' ';
  PutDigits(out, f.year, 4);
  out += ' ';
  PutDigits(out, f.hour, 2);
  out += ':';
  PutDigits(out, f.minute, 2);
  out += ':';
  PutDigits(out, f.second, 2);
  out += " GMT";
  return out;
}

double EpochSeconds(TimePoint time) {
  return std::chrono::duration<double>(time.time_since_epoch()).count();
}

}  // namespace fulcrum
