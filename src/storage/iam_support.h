#pragma once

// Pieces of the IamStore contract that every back end implements the same way: page building
// under a scan limit, opaque markers, tag merging and policy version ids. Internal to storage/.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "storage/iam_store.h"

namespace fulcrum::storage {

// The position of an entry in a list: the parts of its sort key.
using MarkerKey = std::vector<std::string>;

// The opaque marker of the entry at `key` in the list called `list`.
[[nodiscard]] std::string EncodeMarker(std::string_view list, const MarkerKey& key);
// On success, the key that EncodeMarker(list, key) encoded, with `parts` parts; an empty marker
// decodes to an empty key (the start of the list). Fails with kInvalidInput for anything else.
[[nodiscard]] Result<MarkerKey> DecodeMarker(std::string_view list, std::string_view marker,
                                             size_t parts);
// On success, `text` as a decimal int64 (a marker part). Fails with kInvalidInput.
[[nodiscard]] Result<int64_t> MarkerNumber(std::string_view text);

// Fails with kInternalFailure unless page.max_items >= 1.
[[nodiscard]] Result<void> CheckPageRequest(const PageRequest& page);

// Builds one page from the entries of a list offered in list order, starting after the marker:
// keeps at most max_items matching items, and stops after scan_limit entries.
// REQUIRES: max_items >= 1, scan_limit >= 1.
template <class Item>
class PageBuilder {
 public:
  enum class Verdict {
    kStop,  // The page is complete: offer no more entries.
    kSkip,  // The entry does not go into the page; go on.
    kTake,  // Add the entry's item with Add, then go on.
  };

  PageBuilder(std::string_view list, size_t max_items, size_t scan_limit)
      : list_(list), max_items_(max_items), scan_limit_(scan_limit) {}

  // Considers the next entry: its key, and whether it passes the list's filters.
  [[nodiscard]] Verdict Consider(MarkerKey key, bool matches) {
    if ((matches && items_.size() >= max_items_) || scanned_ >= scan_limit_) {
      next_marker_ = EncodeMarker(list_, last_key_);
      return Verdict::kStop;
    }
    ++scanned_;
    last_key_ = std::move(key);
    return matches ? Verdict::kTake : Verdict::kSkip;
  }

  // Adds the item of the entry that Consider just returned kTake for.
  void Add(Item item) { items_.push_back(std::move(item)); }

  // Consider, then Add make() if the verdict is kTake. Returns false once the page is complete.
  template <class Make>
  bool Offer(MarkerKey key, bool matches, Make&& make) {
    const Verdict verdict = Consider(std::move(key), matches);
    if (verdict == Verdict::kTake) Add(std::forward<Make>(make)());
    return verdict != Verdict::kStop;
  }

  // The page. next_marker is empty unless an entry was refused with kStop.
  [[nodiscard]] Page<Item> Finish() && {
    return Page<Item>{std::move(items_), std::move(next_marker_)};
  }

 private:
  std::string_view list_;
  size_t max_items_;
  size_t scan_limit_;
  size_t scanned_ = 0;
  MarkerKey last_key_;
  std::vector<Item> items_;
  std::string next_marker_;
};

// The names of the lists, which markers carry.
inline constexpr std::string_view kUsersList = "users";
inline constexpr std::string_view kGroupsList = "groups";
inline constexpr std::string_view kRolesList = "roles";
inline constexpr std::string_view kMembersList = "members";
inline constexpr std::string_view kUserGroupsList = "user-groups";
inline constexpr std::string_view kPoliciesList = "policies";
inline constexpr std::string_view kVersionsList = "versions";
inline constexpr std::string_view kAttachedList = "attached";
inline constexpr std::string_view kEntitiesList = "entities";
inline constexpr std::string_view kInlineList = "inline";
inline constexpr std::string_view kMfaList = "mfa";
inline constexpr std::string_view kUserMfaList = "user-mfa";

// True when `path` starts with `prefix` (bytewise; an empty prefix matches every path).
[[nodiscard]] inline bool PathHasPrefix(std::string_view path, std::string_view prefix) {
  return path.starts_with(prefix);
}

// Whether tag keys of this kind match ignoring ASCII case.
[[nodiscard]] bool TagKeysIgnoreCase(TaggedKind kind);
// The quota name of the tags of this kind ("TagsPerUser", ...).
[[nodiscard]] std::string_view TagQuota(TaggedKind kind);
// `current` with `added` merged as TagResource specifies. Fails with kLimitExceeded if the result
// would hold more than max_tags tags.
[[nodiscard]] Result<Tags> MergeTags(const Tags& current, const Tags& added, TaggedKind kind,
                                     size_t max_tags);
// `current` without the tags whose keys are in `keys`, as UntagResource specifies.
[[nodiscard]] Tags RemoveTags(const Tags& current, const std::vector<std::string>& keys,
                              TaggedKind kind);

// kNoSuchEntity for a tag target that does not exist.
[[nodiscard]] Error NoSuchTagTargetError(const TagTarget& target);
// The quota name of the policies attached to a principal of this kind ("PoliciesPerUser", ...).
[[nodiscard]] std::string_view AttachedPoliciesQuota(PrincipalKind kind);

// The messages of DeleteConflict, as AWS words them.
inline constexpr std::string_view kMustDeleteLoginProfile =
    "Cannot delete entity, must delete login profile first.";
inline constexpr std::string_view kMustDeleteAccessKeys =
    "Cannot delete entity, must delete access keys first.";
inline constexpr std::string_view kMustDeleteMfaDevices =
    "Cannot delete entity, must delete MFA device first.";
inline constexpr std::string_view kMustLeaveGroups =
    "Cannot delete entity, must remove user from all groups first.";
inline constexpr std::string_view kMustRemoveMembers =
    "Cannot delete entity, must remove users from group first.";
inline constexpr std::string_view kMustDetachPolicies =
    "Cannot delete entity, must detach all policies first.";
inline constexpr std::string_view kMustDeleteInlinePolicies =
    "Cannot delete entity, must delete policies first.";
inline constexpr std::string_view kPolicyIsAttached =
    "Cannot delete a policy attached to entities.";
inline constexpr std::string_view kPolicyIsBoundary =
    "Cannot delete a policy used as a permissions boundary.";
inline constexpr std::string_view kPolicyHasVersions =
    "This policy has more than one version. Before you delete a policy, you must delete the "
    "policy's versions. The default version is deleted with the policy.";
inline constexpr std::string_view kDefaultVersion =
    "Cannot delete the default version of a policy.";
inline constexpr std::string_view kMfaDeviceAssigned =
    "Cannot delete entity, must deactivate the MFA device first.";

// "v<number>".
[[nodiscard]] std::string FormatVersionId(int64_t number);
// The number of a version id "v<number>" (number >= 1, no leading zero), else nullopt.
[[nodiscard]] std::optional<int64_t> ParseVersionId(std::string_view version_id);

}  // namespace fulcrum::storage
