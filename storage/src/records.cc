#include "trafnet/storage/records.h"

#include <algorithm>
#include <array>

namespace trafnet::storage {

std::string_view FieldValue(const Fields& fields, std::string_view name) {
  for (const auto& [field_name, value] : fields) {
    if (field_name == name) return value;
  }
  return {};
}

bool IsSymmetricLinkType(std::string_view type) {
  static constexpr std::array<std::string_view, 3> kSymmetric = {"KNOWS", "FAMILY",
                                                                  "TRAVELED_WITH"};
  return std::find(kSymmetric.begin(), kSymmetric.end(), type) != kSymmetric.end();
}

bool IsValidLinkType(std::string_view type) {
  if (type.empty() || type.size() > 64 || type[0] < 'A' || type[0] > 'Z') return false;
  return std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsValidNodeKind(std::string_view kind) {
  if (kind.empty() || kind.size() > 32 || kind[0] < 'a' || kind[0] > 'z') return false;
  return std::all_of(kind.begin(), kind.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace trafnet::storage
