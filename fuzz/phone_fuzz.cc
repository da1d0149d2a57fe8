// Fuzzes PhoneNormalizer::Normalize with arbitrary bytes.
//
// Invariants: it never crashes or throws; a rejection is InvalidArgument with a message; a
// valid key is '+' and digits with a two-letter region or none, and normalizes to itself; an
// invalid key is '?' followed by the trimmed input, so it never looks valid. A valid key may
// be longer than E.164's 15 digits: libphonenumber accepts German numbers with a direct-dial
// extension of up to 15 national digits ("+49 30 1234567890123"); its own ceiling is a
// three-digit country code and 17 national digits. And Normalize, fast path and memo, gives
// exactly what NormalizeReference (libphonenumber's Parse on every call) gives.
#include <cstdint>
#include <cstdlib>
#include <string>
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

bool Same(const trafnet::StatusOr<trafnet::storage::NormalizedPhone>& a,
          const trafnet::StatusOr<trafnet::storage::NormalizedPhone>& b) {
  if (a.ok() != b.ok()) return false;
  if (!a.ok()) {
    return a.status().code() == b.status().code() && a.status().message() == b.status().message();
  }
  return a->quality == b->quality && a->key == b->key && a->region == b->region;
}

bool IsRegionOrEmpty(std::string_view region) {
  if (region.empty()) return true;
  return region.size() == 2 && region[0] >= 'A' && region[0] <= 'Z' && region[1] >= 'A' &&
         region[1] <= 'Z';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using trafnet::storage::NormalizedPhone;
  using trafnet::storage::PhoneNormalizer;
  using trafnet::storage::PhoneQuality;
  // The first byte picks the default region, so prefix-less numbers meet more metadata: simple
  // rules, a shared calling code (CA) and a national prefix that is a pattern (AR). The memo is
  // small so that it also fills up and starts over.
  constexpr size_t kMemoEntries = 4096;
  static const PhoneNormalizer kNormalizers[] = {
      PhoneNormalizer("RS", kMemoEntries), PhoneNormalizer("DE", kMemoEntries),
      PhoneNormalizer("US", kMemoEntries), PhoneNormalizer("ZZ", kMemoEntries),
      PhoneNormalizer("IT", kMemoEntries), PhoneNormalizer("GB", kMemoEntries),
      PhoneNormalizer("CA", kMemoEntries), PhoneNormalizer("AR", kMemoEntries)};
  const auto& normalizer = kNormalizers[size == 0 ? 0 : data[0] % 8];
  const std::string_view raw(reinterpret_cast<const char*>(data), size);

  trafnet::StatusOr<NormalizedPhone> phone = normalizer.Normalize(raw);
  Check(Same(phone, normalizer.NormalizeReference(raw)));
  Check(Same(phone, normalizer.Normalize(raw)));  // now from the memo
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
