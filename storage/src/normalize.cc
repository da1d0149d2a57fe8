// UTF-8 validation and NFC. Phones are in phone_normalizer.cc, name and address keys in
// text_keys.cc.
#include "trafnet/storage/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace trafnet::storage {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

// Table 3-7 of the Unicode Standard ("Well-Formed UTF-8 Byte Sequences") as code: the second
// byte's range depends on the lead byte, which is what rules out overlong forms (E0 80..9F,
// F0 80..8F), surrogates (ED A0..BF) and code points past U+10FFFF (F4 90.., F5..FF). C0 and
// C1 can only start overlong two-byte forms.
bool IsValidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    // Most identifiers are ASCII: skip eight bytes at a time while none has its high bit set.
    if (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, bytes + i, sizeof(word));
      if ((word & kHighBits) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) second_min = 0xA0;
      if (lead == 0xED) second_max = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) second_min = 0x90;
      if (lead == 0xF4) second_max = 0x8F;
    } else {
      return false;  // a stray continuation byte, C0, C1 or F5..FF
    }
    if (size - i < length) return false;
    if (bytes[i + 1] < second_min || bytes[i + 1] > second_max) return false;
    for (size_t k = 2; k < length; ++k) {
      if (!IsContinuation(bytes[i + k])) return false;
    }
    i += length;
  }
  return true;
}

std::string ToNfc(std::string_view text) {
  // ASCII is always in NFC; skipping ICU here keeps the common case a copy.
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return std::string(text);

  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || nfc == nullptr) return std::string(text);

  std::string result;
  if (IsValidUtf8(text)) {
    // Works on UTF-8 directly: no round trip through UTF-16.
    icu::StringByteSink<std::string> sink(&result, static_cast<int32_t>(text.size()));
    nfc->normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink,
                       nullptr, status);
    if (U_SUCCESS(status)) return result;
    result.clear();
    status = U_ZERO_ERROR;
  }
  // The contract asks for valid UTF-8, but a caller that breaks it still gets valid UTF-8
  // back: fromUTF8 turns each ill-formed sequence into U+FFFD.
  icu::UnicodeString normalized =
      nfc->normalize(icu::UnicodeString::fromUTF8(
                         icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))),
                     status);
  if (U_FAILURE(status)) return std::string(text);
  normalized.toUTF8String(result);
  return result;
}

}  // namespace trafnet::storage
