// Fuzzes AddressKeyer::Key with arbitrary bytes.
//
// Invariants: it never crashes or throws; the key is lower-case ASCII words separated by single
// spaces, contains no abbreviation the table expands or drops, and is its own key.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "trafnet/storage/normalize.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool IsAbbreviation(std::string_view word) {
  for (std::string_view abbreviation : {"ul", "bul", "br", "broj", "st", "rd", "ave", "blvd"}) {
    if (word == abbreviation) return true;
  }
  return false;
}

void CheckKeyShape(std::string_view key) {
  if (key.empty()) return;
  Check(key.front() != ' ' && key.back() != ' ');
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find(' ', start);
    if (end == std::string_view::npos) end = key.size();
    const std::string_view word = key.substr(start, end - start);
    Check(!word.empty());
    for (char c : word) Check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
    Check(!IsAbbreviation(word));
    start = end + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static trafnet::storage::AddressKeyer* keyer = new trafnet::storage::AddressKeyer();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string key = keyer->Key(text);
  CheckKeyShape(key);
  Check(keyer->Key(key) == key);
  return 0;
}
