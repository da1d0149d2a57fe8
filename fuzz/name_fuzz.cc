// Fuzzes the text helpers with arbitrary bytes: IsValidUtf8, ToNfc and NameKeyer.
//
// Invariants: nothing crashes or throws; ToNfc returns well-formed UTF-8 and is idempotent on
// well-formed input; a name key is lower-case ASCII letters and digits in words separated by
// single spaces, is its own key, and equals the key computed by the transliterator alone.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "trafnet/storage/normalize.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool IsKeyShaped(std::string_view key) {
  if (key.empty()) return true;
  if (key.front() == ' ' || key.back() == ' ') return false;
  char previous = 'a';
  for (char c : key) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!word && c != ' ') return false;
    if (c == ' ' && previous == ' ') return false;
    previous = c;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static trafnet::storage::NameKeyer* keyer = new trafnet::storage::NameKeyer();
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const bool valid = trafnet::storage::IsValidUtf8(text);
  const std::string nfc = trafnet::storage::ToNfc(text);
  Check(trafnet::storage::IsValidUtf8(nfc));
  if (valid) Check(trafnet::storage::ToNfc(nfc) == nfc);

  const std::string key = keyer->Key(text);
  Check(IsKeyShaped(key));
  Check(keyer->Key(key) == key);
  Check(keyer->ReferenceKey(text) == key);
  // Normalisation form must not change a name's key.
  if (valid) Check(keyer->Key(nfc) == key);
  return 0;
}
