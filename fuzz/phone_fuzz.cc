// Fuzzes PhoneNormalizer::Normalize with arbitrary bytes.
//
// Invariants: it never crashes or throws; a rejection is InvalidArgument with a message; a
// valid key is '+' and digits with a two-letter region or none, and normalizes to itself; an
// invalid key is '?' followed by the trimmed input, so it never looks valid. A valid key may
// be longer than E.164's 15 digits: libphonenumber accepts German numbers with a direct-dial
// extension of up to 15 national digits ("+49 30 1234567890123"); its own ceiling is a
// three-digit country code and 17 national digits.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "trafnet/storage/normalize.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool IsE164(std::string_view key) {
  if (key.size() < 3 || key.size() > 1 + 3 + 17 || key[0] != '+' || key[1] == '0') return false;
  for (char c : key.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsRegionOrEmpty(std::string_view region) {
  if (region.empty()) return true;
  return region.size() == 2 && region[0] >= 'A' && region[0] <= 'Z' && region[1] >= 'A' &&
         region[1] <= 'Z';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using trafnet::storage::NormalizedPhone;
  using trafnet::storage::PhoneQuality;
  // The first byte picks the default region, so prefix-less numbers meet more metadata.
  static const trafnet::storage::PhoneNormalizer kNormalizers[] = {
      trafnet::storage::PhoneNormalizer("RS"), trafnet::storage::PhoneNormalizer("DE"),
      trafnet::storage::PhoneNormalizer("US"), trafnet::storage::PhoneNormalizer("ZZ")};
  const auto& normalizer = kNormalizers[size == 0 ? 0 : data[0] % 4];
  const std::string_view raw(reinterpret_cast<const char*>(data), size);

  trafnet::StatusOr<NormalizedPhone> phone = normalizer.Normalize(raw);
  if (!phone.ok()) {
    Check(phone.status().code() == trafnet::StatusCode::kInvalidArgument);
    Check(!phone.status().message().empty());
    return 0;
  }
  Check(IsRegionOrEmpty(phone->region));
  if (phone->quality == PhoneQuality::kValid) {
    Check(IsE164(phone->key));
    trafnet::StatusOr<NormalizedPhone> again = normalizer.Normalize(phone->key);
    Check(again.ok() && again->quality == PhoneQuality::kValid);
    Check(again->key == phone->key && again->region == phone->region);
  } else {
    Check(phone->key.size() >= 2 && phone->key[0] == '?');
    Check(raw.find(std::string_view(phone->key).substr(1)) != std::string_view::npos);
  }
  return 0;
}
