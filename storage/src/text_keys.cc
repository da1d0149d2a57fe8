// Name and address match keys.
//
// A name key is the name folded to lower-case ASCII words by one ICU transliterator built from
// the rules below (NFC, lower-case, Serbian and Macedonian Cyrillic to Latin, Any-Latin for
// other scripts, đ → dj, Latin-ASCII), then every run of characters that are not ASCII letters
// or digits becomes one space.
//
// Speed: running the compound transliterator costs ~9 µs a name, and keys are computed for
// millions of records at ingest. Every rule is context-free for Latin (U+0080..U+02AF) and
// basic Cyrillic (U+0400..U+045F) letters, so the transliterator's answer for each of those
// code points is computed once into a table, and Key folds text made of ASCII and those code
// points by lookup (~0.1 µs a name). Text with anything else goes through the transliterator
// whole: combining marks, which NFC may compose; spacing modifiers such as the tone letters
// U+02EA and U+02EB and Greek, whose transliteration looks at neighbours; other scripts.
// ReferenceKey always does; the tests and the name fuzzer check that the two agree (every
// pair of code points from these ranges was checked once when the ranges were chosen).
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trafnet/storage/normalize.h"

namespace trafnet::storage {
namespace {

// ICU transliteration rules ("a → b;" rewrites, "::Id;" runs a built-in transliterator).
constexpr std::string_view kNameRules = R"(
# One code point per letter, so a letter typed as base + combining mark matches below.
::NFC;
# Lower-case first: the key is lower-case anyway, and the digraphs then need no casing rules
# (Љ is Lj before a lower-case letter and LJ in "ЉУБА"; both end as lj).
::Lower;
# Serbian Cyrillic and the extra Macedonian letters, written straight in the ASCII the key
# ends in. Any-Latin would read them as Russian ISO 9: љ → l̂, џ → d̂, ј → ǰ.
љ → lj; њ → nj; џ → dz; ђ → dj; ћ → c; ж → z; ч → c; ш → s; ј → j;
ѓ → gj; ќ → kj; ѕ → dz;
а → a; б → b; в → v; г → g; д → d; е → e; з → z; и → i; к → k; л → l; м → m; н → n;
о → o; п → p; р → r; с → s; т → t; у → u; ф → f; х → h; ц → c;
# Russian soft and hard signs have no sound of their own; Any-Latin writes them as a prime
# that would split "Ольга" into two words.
ь → ; ъ → ;
::Any-Latin;
# Latin-ASCII folds đ to d, but Serbian writes it dj when diacritics are lost (Djordje).
[đĐ] → dj;
::Latin-ASCII;
::Lower;
# A letter or mark still outside ASCII (ʿ from Arabic, say) has no ASCII reading: drop it
# rather than let it split a word.
[[:L:][:M:] - [a-zA-Z]] → ;
)";

// The code points Key folds by table lookup; see the file comment.
constexpr UChar32 kLatinBegin = 0x0080;
constexpr UChar32 kLatinEnd = 0x02B0;
constexpr UChar32 kCyrillicBegin = 0x0400;
constexpr UChar32 kCyrillicEnd = 0x0460;
constexpr size_t kTableSize = (kLatinEnd - kLatinBegin) + (kCyrillicEnd - kCyrillicBegin);

int TableIndex(UChar32 c) {
  if (c >= kLatinBegin && c < kLatinEnd) return c - kLatinBegin;
  if (c >= kCyrillicBegin && c < kCyrillicEnd) {
    return (kLatinEnd - kLatinBegin) + (c - kCyrillicBegin);
  }
  return -1;
}

std::unique_ptr<icu::Transliterator> BuildNameTransliterator(Status* status) {
  UErrorCode error = U_ZERO_ERROR;
  UParseError parse_error;
  std::unique_ptr<icu::Transliterator> transliterator(icu::Transliterator::createFromRules(
      "trafnet-name-key",
      icu::UnicodeString::fromUTF8(
          icu::StringPiece(kNameRules.data(), static_cast<int32_t>(kNameRules.size()))),
      UTRANS_FORWARD, parse_error, error));
  if (U_FAILURE(error) || transliterator == nullptr) {
    *status = InternalError(std::string("cannot build the name transliterator (ICU: ") +
                            u_errorName(error) + ", rule line " + std::to_string(parse_error.line) +
                            "); is the ICU data installed?");
    return nullptr;
  }
  *status = Status::Ok();
  return transliterator;
}

// What the transliterator makes of each table code point, alone. Built once per process and
// read-only after, so every NameKeyer shares it.
class FoldTable {
 public:
  static const FoldTable& Get() {
    static const FoldTable table;
    return table;
  }

  // The folded UTF-8 for `c`, or null when `c` needs the transliterator.
  const std::string* Find(UChar32 c) const {
    if (!ok_) return nullptr;
    const int index = TableIndex(c);
    return index < 0 ? nullptr : &entries_[index];
  }

 private:
  FoldTable() {
    Status status;
    std::unique_ptr<icu::Transliterator> transliterator = BuildNameTransliterator(&status);
    if (!status.ok()) return;
    auto fill = [&](UChar32 begin, UChar32 end) {
      for (UChar32 c = begin; c < end; ++c) {
        icu::UnicodeString text(c);
        transliterator->transliterate(text);
        text.toUTF8String(entries_[TableIndex(c)]);
      }
    };
    fill(kLatinBegin, kLatinEnd);
    fill(kCyrillicBegin, kCyrillicEnd);
    ok_ = true;
  }

  std::array<std::string, kTableSize> entries_;
  bool ok_ = false;
};

// Appends folded text to a key: ASCII letters lower-cased, digits kept, and any run of other
// bytes turned into one space between words (never leading or trailing).
class KeyWriter {
 public:
  explicit KeyWriter(std::string* key) : key_(key) {}

  void Put(unsigned char c) {
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (pending_space_ && !key_->empty()) key_->push_back(' ');
      pending_space_ = false;
      key_->push_back(static_cast<char>(c));
    } else {
      pending_space_ = true;
    }
  }
  void Append(std::string_view folded) {
    for (char c : folded) Put(static_cast<unsigned char>(c));
  }
  void Separate() { pending_space_ = true; }

 private:
  std::string* key_;
  bool pending_space_ = false;
};

}  // namespace

struct NameKeyer::Impl {
  Status status;
  // Not thread-safe (ICU keeps per-call state in it), hence one per NameKeyer.
  std::unique_ptr<icu::Transliterator> transliterator;
  const FoldTable* table = nullptr;
};

NameKeyer::NameKeyer() : impl_(std::make_unique<Impl>()) {
  impl_->transliterator = BuildNameTransliterator(&impl_->status);
  impl_->table = &FoldTable::Get();
}

NameKeyer::~NameKeyer() = default;

const Status& NameKeyer::status() const { return impl_->status; }

std::string NameKeyer::Key(std::string_view name) {
  std::string key;
  key.reserve(name.size());
  KeyWriter writer(&key);
  const auto* bytes = reinterpret_cast<const uint8_t*>(name.data());
  const int64_t size = static_cast<int64_t>(name.size());
  if (size > INT32_MAX) return ReferenceKey(name);
  for (int32_t i = 0; i < size;) {
    if (bytes[i] < 0x80) {
      writer.Put(bytes[i++]);
      continue;
    }
    UChar32 c;
    U8_NEXT(bytes, i, static_cast<int32_t>(size), c);
    if (c < 0) {
      // Ill-formed UTF-8: the transliterator path sees U+FFFD here, which is a separator.
      writer.Separate();
      continue;
    }
    const std::string* folded = impl_->table->Find(c);
    if (folded == nullptr) return ReferenceKey(name);
    writer.Append(*folded);
  }
  return key;
}

std::string NameKeyer::ReferenceKey(std::string_view name) {
  std::string key;
  KeyWriter writer(&key);
  if (impl_->transliterator == nullptr || name.size() > INT32_MAX) {
    // Degraded: ASCII folds as usual and every other byte separates words.
    writer.Append(name);
    return key;
  }
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  impl_->transliterator->transliterate(text);
  std::string folded;
  text.toUTF8String(folded);
  key.reserve(folded.size());
  writer.Append(folded);
  return key;
}

AddressKeyer::AddressKeyer() = default;
AddressKeyer::~AddressKeyer() = default;

namespace {

// Abbreviations expanded (or dropped) as whole words of the folded key, so "ul." and "Ул."
// (both folded to "ul") match "ulica". An empty expansion drops the word: "br." and "broj"
// only announce the house number that follows ("br. 73" is "73").
//
//   Serbian: ul → ulica, bul → bulevar, br → (dropped), broj → (dropped)
//   English: st → street, rd → road, ave → avenue, blvd → boulevard
//
// Left alone on purpose: "bb" (bez broja, "no number": a real part of the address) and "trg"
// (square: already the full word). "st" also abbreviates "Saint"; street is the common case in
// an address. No expansion is itself in the table, so a key maps to itself.
struct Abbreviation {
  std::string_view word;
  std::string_view expansion;
};
constexpr std::array<Abbreviation, 8> kAbbreviations = {{
    {"ul", "ulica"},
    {"bul", "bulevar"},
    {"br", ""},
    {"broj", ""},
    {"st", "street"},
    {"rd", "road"},
    {"ave", "avenue"},
    {"blvd", "boulevard"},
}};

std::string_view ExpandWord(std::string_view word) {
  for (const Abbreviation& abbreviation : kAbbreviations) {
    if (abbreviation.word == word) return abbreviation.expansion;
  }
  return word;
}

}  // namespace

std::string AddressKeyer::Key(std::string_view text) {
  const std::string folded = folder_.Key(text);
  std::string key;
  key.reserve(folded.size() + 8);
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    const std::string_view word = ExpandWord(std::string_view(folded).substr(start, end - start));
    if (!word.empty()) {
      if (!key.empty()) key.push_back(' ');
      key.append(word);
    }
    start = end + 1;
  }
  return key;
}

}  // namespace trafnet::storage
