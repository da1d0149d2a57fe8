// Normalisation of identifiers: keep the raw value for evidence, store a key for matching.
//
// Phones go to E.164 through libphonenumber; names get a match key that folds Serbian Cyrillic
// to Latin with the correct digraphs (Љ→lj, Њ→nj, Џ→dž, Ђ→đ), then diacritics and case
// (đ→dj), so "Ђорђе Јовановић", "Đorđe Jovanović" and "DJORDJE JOVANOVIC" share one key;
// addresses get a folded key (case, diacritics, punctuation, whitespace, common abbreviations).
//
// Thread safety: PhoneNormalizer is safe to share between threads (its memo is locked). NameKeyer
// and AddressKeyer hold an ICU transliterator and must be used by one thread at a time (make one
// per thread).
#ifndef TRAFNET_STORAGE_NORMALIZE_H_
#define TRAFNET_STORAGE_NORMALIZE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "trafnet/base/status.h"

namespace trafnet::storage {

// How far a phone number can be trusted as an identifier.
enum class PhoneQuality {
  kValid,    // IsValidNumber: the key is E.164 and may be used to merge records
  kInvalid,  // parses as a number but is not valid for its region: kept and flagged, never merged
};

struct NormalizedPhone {
  PhoneQuality quality = PhoneQuality::kInvalid;
  // The match key. For kValid the E.164 form ("+381641234567"). For kInvalid the raw text,
  // trimmed, prefixed with "?" so it can never equal a valid key or another spelling.
  std::string key;
  // ISO 3166 alpha-2 region of the number when libphonenumber knows it ("RS"), else empty.
  std::string region;
};

// Thread-safe: one normalizer may serve many threads. Copies share the memo, so copying is cheap;
// constructing one is cheap too (no memo entries are allocated until numbers are seen).
class PhoneNormalizer {
 public:
  // About 2M numbers (some 75 bytes each, 150 MB in all); past it, entries are dropped.
  static constexpr size_t kDefaultMemoEntries = size_t{1} << 21;

  // `default_region` is the ISO 3166 alpha-2 region assumed for numbers written without an
  // international prefix ("064/123-4567" with "RS"). `memo_entries` bounds the memo of numbers
  // already normalized, whatever their spelling; 0 turns it off.
  explicit PhoneNormalizer(std::string default_region = "RS",
                           size_t memo_entries = kDefaultMemoEntries);

  // Copies share the memo. There are no move operations: moving copies, so a moved-from
  // normalizer keeps working.
  PhoneNormalizer(const PhoneNormalizer&) = default;
  PhoneNormalizer& operator=(const PhoneNormalizer&) = default;

  // Returns InvalidArgument with a reason when `raw` is not a phone number at all (empty, no
  // digits, letters, too long). A number that parses but is not valid is returned with
  // quality kInvalid, not as an error. Only digits (of any script), white space, dashes and
  // + ( ) [ ] . / are accepted, after an optional "tel:": libphonenumber would otherwise read
  // "064 ABC 4567" as keypad digits and "064 123 4567, 065 ..." as the first number alone.
  // Common numbers skip libphonenumber's Parse (see phone_normalizer.cc); the result is always
  // the one NormalizeReference gives.
  StatusOr<NormalizedPhone> Normalize(std::string_view raw) const;

  // The same result computed the slow, obviously-correct way: libphonenumber's Parse on every
  // call, no memo. Tests, fuzzers and benchmarks check Normalize against it.
  StatusOr<NormalizedPhone> NormalizeReference(std::string_view raw) const;

  const std::string& default_region() const { return default_region_; }

 private:
  struct State;  // dialling rules of the default region and the memo

  std::string default_region_;
  std::shared_ptr<State> state_;  // never null; shared by copies
};

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Unicode NFC of `text` (which must be valid UTF-8): the form names are stored in.
std::string ToNfc(std::string_view text);

// Builds name match keys. Not thread-safe; one per thread.
class NameKeyer {
 public:
  NameKeyer();
  ~NameKeyer();
  NameKeyer(const NameKeyer&) = delete;
  NameKeyer& operator=(const NameKeyer&) = delete;

  // Lower-case ASCII words separated by single spaces: "djordje jovanovic". Empty when the
  // name has no letters or digits. Ill-formed UTF-8 separates words like punctuation does.
  std::string Key(std::string_view name);

  // The same key computed by running the whole ICU transliterator, without the per-code-point
  // table Key uses for Latin and Cyrillic text. Slow; tests and fuzzers check Key against it.
  std::string ReferenceKey(std::string_view name);

  // OK unless ICU could not build the transliterator (its data is missing). Keys then fold
  // ASCII only and treat every other character as a word separator.
  const Status& status() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Builds address match keys ("Bulevar kralja Aleksandra 73, Beograd" and
// "bul. Kralja Aleksandra br. 73 BEOGRAD" → "bulevar kralja aleksandra 73 beograd").
// Not thread-safe; one per thread.
class AddressKeyer {
 public:
  AddressKeyer();
  ~AddressKeyer();
  AddressKeyer(const AddressKeyer&) = delete;
  AddressKeyer& operator=(const AddressKeyer&) = delete;

  std::string Key(std::string_view text);

  // See NameKeyer::status().
  const Status& status() const { return folder_.status(); }

 private:
  NameKeyer folder_;
};

}  // namespace trafnet::storage

#endif  // TRAFNET_STORAGE_NORMALIZE_H_
