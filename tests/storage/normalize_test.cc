#include "trafnet/storage/normalize.h"

#include <gtest/gtest.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace trafnet::storage {
namespace {

std::string Utf8(UChar32 c) {
  char buffer[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(buffer, length, c);
  return std::string(buffer, length);
}

bool IcuAcceptsUtf8(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  int32_t length = 0;
  u_strFromUTF8(nullptr, 0, &length, text.data(), static_cast<int32_t>(text.size()), &status);
  return status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING ||
         U_SUCCESS(status);
}

TEST(NormalizeUtf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII text, longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("Ђорђе Đorđe 王小明 😀"));
  EXPECT_TRUE(IsValidUtf8(std::string_view("nul\0inside", 10)));
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));      // U+E000, just above
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(NormalizeUtf8Test, RejectsOverlongForms) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));
}

TEST(NormalizeUtf8Test, RejectsSurrogatesAndCodePointsPastTheLast) {
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));      // U+DFFF
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(NormalizeUtf8Test, RejectsTruncatedAndStraySequences) {
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98"));
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));
  EXPECT_FALSE(IsValidUtf8("\xC3\x28"));
  // Errors right after the eight-byte ASCII fast path, and at the very end.
  EXPECT_FALSE(IsValidUtf8("abcdefgh\x80"));
  EXPECT_FALSE(IsValidUtf8("abcdefghijklmnop\xE2\x82"));
}

// Without this the agreement tests below would also pass against a reference that accepts all.
TEST(NormalizeUtf8Test, IcuReferenceRejectsIllFormedText) {
  EXPECT_TRUE(IcuAcceptsUtf8("Ђорђе"));
  EXPECT_FALSE(IcuAcceptsUtf8("\xC0\xAF"));
  EXPECT_FALSE(IcuAcceptsUtf8("\xED\xA0\x80"));
  EXPECT_FALSE(IcuAcceptsUtf8("\xF4\x90\x80\x80"));
  EXPECT_FALSE(IcuAcceptsUtf8("\xE2\x82"));
}

TEST(NormalizeUtf8Test, AgreesWithIcuOnEveryShortSequence) {
  std::string text(3, '\0');
  for (int a = 0x80; a < 0x100; ++a) {
    text.resize(1);
    text[0] = static_cast<char>(a);
    ASSERT_EQ(IsValidUtf8(text), IcuAcceptsUtf8(text)) << a;
    for (int b = 0; b < 0x100; ++b) {
      text.resize(2);
      text[1] = static_cast<char>(b);
      ASSERT_EQ(IsValidUtf8(text), IcuAcceptsUtf8(text)) << a << " " << b;
      if (a < 0xE0) continue;  // two-byte leads: a third byte only starts a new sequence
      text.resize(3);
      for (int c = 0; c < 0x100; ++c) {
        text[2] = static_cast<char>(c);
        ASSERT_EQ(IsValidUtf8(text), IcuAcceptsUtf8(text)) << a << " " << b << " " << c;
      }
    }
  }
}

TEST(NormalizeUtf8Test, AgreesWithIcuOnRandomBytes) {
  std::mt19937 random(20240601);
  // Bytes drawn mostly from the interesting ranges so well-formed four-byte sequences occur.
  const std::vector<uint8_t> alphabet = {'a',  0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                         0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5};
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(1, 20);
  for (int i = 0; i < 200000; ++i) {
    std::string text(length(random), '\0');
    for (char& c : text) c = static_cast<char>(alphabet[pick(random)]);
    ASSERT_EQ(IsValidUtf8(text), IcuAcceptsUtf8(text)) << testing::PrintToString(text);
  }
}

TEST(NormalizeNfcTest, ComposesBaseLetterAndCombiningMark) {
  EXPECT_EQ(ToNfc("Jovanovic\u0301"), "Jovanović");
  EXPECT_EQ(ToNfc("\u1100\u1161"), "\uAC00");  // Hangul jamo compose to one syllable
}

TEST(NormalizeNfcTest, LeavesComposedTextUnchanged) {
  EXPECT_EQ(ToNfc(""), "");
  EXPECT_EQ(ToNfc("DJORDJE"), "DJORDJE");
  EXPECT_EQ(ToNfc("Ђорђе Đorđe"), "Ђорђе Đorđe");
}

TEST(NormalizeNfcTest, ReplacesIllFormedBytesWithReplacementCharacter) {
  const std::string nfc = ToNfc(std::string("a\xFF") + "e\u0301");
  EXPECT_EQ(nfc, "a\uFFFD\u00E9");
  EXPECT_TRUE(IsValidUtf8(nfc));
}

TEST(NameKeyerTest, SerbianCyrillicLatinAndAsciiSpellingsShareOneKey) {
  NameKeyer keyer;
  ASSERT_TRUE(keyer.status().ok()) << keyer.status().ToString();
  EXPECT_EQ(keyer.Key("Ђорђе Јовановић"), "djordje jovanovic");
  EXPECT_EQ(keyer.Key("Đorđe Jovanović"), "djordje jovanovic");
  EXPECT_EQ(keyer.Key("DJORDJE JOVANOVIC"), "djordje jovanovic");
  EXPECT_EQ(keyer.Key("ĐORĐE JOVANOVIĆ"), "djordje jovanovic");
}

TEST(NameKeyerTest, SpellsSerbianDigraphLettersAsTwoLetters) {
  NameKeyer keyer;
  EXPECT_EQ(keyer.Key("Љиљана Његош"), "ljiljana njegos");
  EXPECT_EQ(keyer.Key("Џејн"), "dzejn");
  EXPECT_EQ(keyer.Key("Ћирић Чедомир Шћекић Жика"), "ciric cedomir scekic zika");
}

TEST(NameKeyerTest, AllCapsDigraphsFoldLikeTitleCase) {
  NameKeyer keyer;
  EXPECT_EQ(keyer.Key("ЉУБА"), "ljuba");
  EXPECT_EQ(keyer.Key("Љуба"), "ljuba");
  EXPECT_EQ(keyer.Key("ЊЕГОШ"), "njegos");
  EXPECT_EQ(keyer.Key("ЏЕЈН"), "dzejn");
  EXPECT_EQ(keyer.Key("LJUBA"), "ljuba");
  EXPECT_EQ(keyer.Key("\u01C7UBA \u01C8uba"), "ljuba ljuba");  // Latin digraph ligatures
}

TEST(NameKeyerTest, FoldsMacedonianLetters) {
  EXPECT_EQ(NameKeyer().Key("Ѓорѓи Ќосе Ѕвонко"), "gjorgji kjose dzvonko");
}

TEST(NameKeyerTest, DropsDiacriticsCaseAndPunctuation) {
  NameKeyer keyer;
  EXPECT_EQ(keyer.Key("José  GARCÍA-López"), "jose garcia lopez");
  EXPECT_EQ(keyer.Key("  O'Brien,\tSeán. "), "o brien sean");
  EXPECT_EQ(keyer.Key("Straße Øresund Łukasz"), "strasse oresund lukasz");
}

TEST(NameKeyerTest, ComposesCombiningMarksBeforeFolding) {
  NameKeyer keyer;
  EXPECT_EQ(keyer.Key("Jovanovic\u0301"), "jovanovic");
  EXPECT_EQ(keyer.Key("Nguye\u0302\u0303n"), "nguyen");
}

TEST(NameKeyerTest, TransliteratesOtherScriptsToAscii) {
  NameKeyer keyer;
  EXPECT_EQ(keyer.Key("Ολυμπία Παπαδοπούλου"), "olympia papadopoulou");
  EXPECT_EQ(keyer.Key("王小明"), "wang xiao ming");
  EXPECT_EQ(keyer.Key("Ольга Игорь"), "olga igor");  // soft sign does not split the word
  const std::string arabic = keyer.Key("محمد علي");
  EXPECT_FALSE(arabic.empty());
  for (char c : arabic) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == ' ') << arabic;
}

TEST(NameKeyerTest, KeepsDigitsAndIsEmptyWithoutLettersOrDigits) {
  NameKeyer keyer;
  EXPECT_EQ(keyer.Key("Petar II 2."), "petar ii 2");
  EXPECT_EQ(keyer.Key("٣"), "3");
  EXPECT_EQ(keyer.Key(""), "");
  EXPECT_EQ(keyer.Key(" -- , . "), "");
  EXPECT_EQ(keyer.Key("①★"), "");
}

TEST(NameKeyerTest, IllFormedUtf8SeparatesWords) {
  NameKeyer keyer;
  EXPECT_EQ(keyer.Key("Ana\xFFMarija"), "ana marija");
  EXPECT_EQ(keyer.Key("Ђорђе\xE2\x82"), "djordje");
  EXPECT_EQ(keyer.ReferenceKey("Ana\xFFMarija"), "ana marija");
}

TEST(NameKeyerTest, KeyOfAKeyIsTheKey) {
  NameKeyer keyer;
  for (std::string_view name : {"Ђорђе Јовановић", "José  GARCÍA-López", "王小明", "Ολυμπία"}) {
    const std::string key = keyer.Key(name);
    EXPECT_EQ(keyer.Key(key), key);
  }
}

TEST(NameKeyerTest, TableFastPathAgreesWithReferenceKey) {
  NameKeyer keyer;
  std::vector<std::string> alphabet;
  for (char c : std::string_view("aZ09 -.'")) alphabet.push_back(std::string(1, c));
  // Table ranges with their edges, and what must take the transliterator path.
  for (UChar32 c : {0x80,  0xA0,  0xC6,  0xDF,  0x110, 0x111, 0x130, 0x1C4, 0x1C5, 0x1C7, 0x2AF,
                    0x2B0, 0x2BF, 0x2EA, 0x2C7, 0x301, 0x306, 0x3A3, 0x3C3, 0x3C2, 0x400, 0x402,
                    0x409, 0x40F, 0x416, 0x419, 0x439, 0x44C, 0x452, 0x45F, 0x460}) {
    alphabet.push_back(Utf8(c));
  }
  alphabet.push_back("\xFF");
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(1, 10);
  for (int i = 0; i < 3000; ++i) {
    std::string name;
    for (int n = length(random); n > 0; --n) name += alphabet[pick(random)];
    ASSERT_EQ(keyer.Key(name), keyer.ReferenceKey(name)) << testing::PrintToString(name);
  }
}

TEST(NameKeyerTest, KeyersOnSeparateThreadsAgree) {
  std::vector<std::string> keys(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < keys.size(); ++t) {
    threads.emplace_back([&keys, t] {
      NameKeyer keyer;
      for (int i = 0; i < 100; ++i) keys[t] = keyer.Key(i % 2 ? "Ολυμπία Ђорђе" : "Olympia Đorđe");
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& key : keys) EXPECT_EQ(key, "olympia djordje");
}

TEST(AddressKeyerTest, SerbianAbbreviationsAndNumberMarkerFoldAway) {
  AddressKeyer keyer;
  ASSERT_TRUE(keyer.status().ok());
  EXPECT_EQ(keyer.Key("Bulevar kralja Aleksandra 73, Beograd"),
            "bulevar kralja aleksandra 73 beograd");
  EXPECT_EQ(keyer.Key("bul. Kralja Aleksandra br. 73 BEOGRAD"),
            "bulevar kralja aleksandra 73 beograd");
  EXPECT_EQ(keyer.Key("Булевар краља Александра бр.73, Београд"),
            "bulevar kralja aleksandra 73 beograd");
}

TEST(AddressKeyerTest, CyrillicStreetAbbreviationExpands) {
  EXPECT_EQ(AddressKeyer().Key("Ул. Краља Милана 5"), "ulica kralja milana 5");
}

TEST(AddressKeyerTest, DropsBrojButKeepsBbAndTrg) {
  AddressKeyer keyer;
  EXPECT_EQ(keyer.Key("Njegoševa broj 12"), "njegoseva 12");
  EXPECT_EQ(keyer.Key("Trg Republike bb"), "trg republike bb");
}

TEST(AddressKeyerTest, ExpandsEnglishAbbreviations) {
  AddressKeyer keyer;
  EXPECT_EQ(keyer.Key("221B Baker St."), "221b baker street");
  EXPECT_EQ(keyer.Key("Abbey Rd"), "abbey road");
  EXPECT_EQ(keyer.Key("5th Ave, New York"), "5th avenue new york");
  EXPECT_EQ(keyer.Key("Sunset Blvd."), "sunset boulevard");
}

TEST(AddressKeyerTest, ExpandsOnlyWholeWords) {
  AddressKeyer keyer;
  EXPECT_EQ(keyer.Key("Ulcinjska 3"), "ulcinjska 3");
  EXPECT_EQ(keyer.Key("Braće Jerković 7"), "brace jerkovic 7");
  EXPECT_EQ(keyer.Key("Stara ul"), "stara ulica");
  EXPECT_EQ(keyer.Key("Street Road Avenue"), "street road avenue");
}

TEST(AddressKeyerTest, KeyOfAKeyIsTheKey) {
  AddressKeyer keyer;
  for (std::string_view address :
       {"bul. Kralja Aleksandra br. 73 BEOGRAD", "Ул. Краља Милана 5", "br", "221B Baker St."}) {
    const std::string key = keyer.Key(address);
    EXPECT_EQ(keyer.Key(key), key);
  }
  EXPECT_EQ(keyer.Key("br."), "");
  EXPECT_EQ(keyer.Key(", ."), "");
}

}  // namespace
}  // namespace trafnet::storage
