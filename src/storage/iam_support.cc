#include "storage/iam_support.h"

#include <charconv>

#include "common/encoding.h"
#include "storage/store_errors.h"

namespace fulcrum::storage {

// A marker is base64 of "<list>" followed by "<length>:<bytes>" for each key part, so that parts
// may hold any byte and a marker of one list is refused by another.
std::string EncodeMarker(std::string_view list, const MarkerKey& key) {
  std::string plain(list);
  for (const std::string& part : key) {
    plain += std::to_string(part.size());
    plain += ':';
    plain += part;
  }
  return Base64Encode(plain);
}

Result<MarkerKey> DecodeMarker(std::string_view list, std::string_view marker, size_t parts) {
  if (marker.empty()) return MarkerKey{};
  const std::optional<std::string> plain = Base64Decode(marker);
  if (!plain.has_value() || !std::string_view(*plain).starts_with(list)) {
    return Fail(InvalidMarkerError());
  }
  std::string_view rest = std::string_view(*plain).substr(list.size());
  MarkerKey key;
  while (!rest.empty()) {
    size_t size = 0;
    const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), size);
    if (error != std::errc() || end == rest.data() + rest.size() || *end != ':') {
      return Fail(InvalidMarkerError());
    }
    rest.remove_prefix(static_cast<size_t>(end - rest.data()) + 1);
    if (size > rest.size()) return Fail(InvalidMarkerError());
    key.emplace_back(rest.substr(0, size));
    rest.remove_prefix(size);
  }
  if (key.size() != parts) return Fail(InvalidMarkerError());
  return key;
}

Result<int64_t> MarkerNumber(std::string_view text) {
  int64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) return Fail(InvalidMarkerError());
  return number;
}

Result<void> CheckPageRequest(const PageRequest& page) {
  if (page.max_items < 1) return Fail(RequiresError("max_items must be at least 1"));
  return {};
}

bool TagKeysIgnoreCase(TaggedKind kind) {
  return kind == TaggedKind::kUser || kind == TaggedKind::kRole;
}

std::string_view TagQuota(TaggedKind kind) {
  switch (kind) {
    case TaggedKind::kUser:
      return "TagsPerUser";
    case TaggedKind::kRole:
      return "TagsPerRole";
    case TaggedKind::kPolicy:
      return "TagsPerPolicy";
    case TaggedKind::kVirtualMfaDevice:
      return "TagsPerMFADevice";
  }
  return "Tags";
}

namespace {

bool SameKey(std::string_view a, std::string_view b, TaggedKind kind) {
  if (!TagKeysIgnoreCase(kind)) return a == b;
  return AsciiLower(a) == AsciiLower(b);
}

}  // namespace

Result<Tags> MergeTags(const Tags& current, const Tags& added, TaggedKind kind, size_t max_tags) {
  Tags merged = current;
  for (const auto& tag : added) {
    bool replaced = false;
    for (auto& existing : merged) {
      if (SameKey(existing.first, tag.first, kind)) {
        existing = tag;
        replaced = true;
        break;
      }
    }
    if (!replaced) merged.push_back(tag);
  }
  if (merged.size() > max_tags) return Fail(QuotaError(TagQuota(kind), max_tags));
  return merged;
}

Tags RemoveTags(const Tags& current, const std::vector<std::string>& keys, TaggedKind kind) {
  Tags kept;
  for (const auto& tag : current) {
    bool removed = false;
    for (const std::string& key : keys) removed = removed || SameKey(tag.first, key, kind);
    if (!removed) kept.push_back(tag);
  }
  return kept;
}

Error NoSuchTagTargetError(const TagTarget& target) {
  switch (target.kind) {
    case TaggedKind::kUser:
      return NoSuchPrincipalError(PrincipalKind::kUser, target.name);
    case TaggedKind::kRole:
      return NoSuchPrincipalError(PrincipalKind::kRole, target.name);
    case TaggedKind::kPolicy:
      return NoSuchPolicyError(target.name);
    case TaggedKind::kVirtualMfaDevice:
      return NoSuchMfaDeviceError(target.name);
  }
  return NoSuchPolicyError(target.name);
}

std::string_view AttachedPoliciesQuota(PrincipalKind kind) {
  switch (kind) {
    case PrincipalKind::kUser:
      return "PoliciesPerUser";
    case PrincipalKind::kGroup:
      return "PoliciesPerGroup";
    case PrincipalKind::kRole:
      return "PoliciesPerRole";
  }
  return "PoliciesPerPrincipal";
}

std::string FormatVersionId(int64_t number) { return "v" + std::to_string(number); }

std::optional<int64_t> ParseVersionId(std::string_view version_id) {
  if (version_id.size() < 2 || version_id[0] != 'v' || version_id[1] == '0') return std::nullopt;
  int64_t number = 0;
  const char* begin = version_id.data() + 1;
  const char* end = version_id.data() + version_id.size();
  const auto [stop, error] = std::from_chars(begin, end, number);
  if (error != std::errc() || stop != end || number < 1) return std::nullopt;
  return number;
}

}  // namespace fulcrum::storage
