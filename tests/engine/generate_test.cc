#include "trafnet/engine/generate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "trafnet/engine/evaluate.h"
#include "trafnet/engine/ingest.h"
#include "trafnet/storage/normalize.h"

namespace trafnet::engine {
namespace {

namespace fs = std::filesystem;

using Table = std::vector<std::vector<std::string>>;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A strict RFC 4180 reader, enough for the generator's own output: the header row first.
Table ParseCsv(const std::string& text) {
  Table rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field.push_back(c);
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quoted field";
  EXPECT_TRUE(row.empty() && field.empty()) << "last row has no line end";
  return rows;
}

bool IsCyrillic(const std::string& text) {
  return text.find('\xD0') != std::string::npos || text.find('\xD1') != std::string::npos;
}

// Folds a name in any of the generator's spellings to lower-case ASCII Latin, its words sorted
// ("PETROVIĆ, Marko", "Марко Петровић" and "Marko Petrovic" all become "marko petrovic").
std::string FoldName(const std::string& name) {
  static const char* const kCyrillic[] = {
      "a", "b", "v",  "g", "d", "e", "z", "z", "i", "j",  "k",  "l", "m", "n", "o",  "p",  // а..п
      "r", "s", "t",  "u", "f", "h", "c", "c", "s", "s",  "",   "y", "",  "e", "ju", "ja",  // р..я
      "e", "e", "dj", "g", "e", "s", "i", "i", "j", "lj", "nj", "c", "k", "i", "u",  "dz"};  // ѐ..џ
  std::string folded;
  for (size_t i = 0; i < name.size();) {
    const unsigned char lead = static_cast<unsigned char>(name[i]);
    if (lead < 0x80) {
      const char c = name[i++];
      if (c == ',') continue;
      folded.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      continue;
    }
    char32_t cp = ((lead & 0x1F) << 6) | (static_cast<unsigned char>(name[i + 1]) & 0x3F);
    i += 2;
    if (cp >= 0x0400 && cp < 0x0410) cp += 0x50;  // Ђ Ј Љ Њ Ћ Џ ...
    if (cp >= 0x0410 && cp < 0x0430) cp += 0x20;
    if (cp >= 0x0430 && cp < 0x0460) {
      folded += kCyrillic[cp - 0x0430];
    } else if (cp == 0x010C || cp == 0x010D || cp == 0x0106 || cp == 0x0107) {
      folded += "c";
    } else if (cp == 0x0160 || cp == 0x0161) {
      folded += "s";
    } else if (cp == 0x017D || cp == 0x017E) {
      folded += "z";
    } else if (cp == 0x0110 || cp == 0x0111) {
      folded += "dj";
    }
  }
  std::istringstream words(folded);
  std::vector<std::string> parts{std::istream_iterator<std::string>(words),
                                 std::istream_iterator<std::string>()};
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const std::string& part : parts) out += part + " ";
  return out;
}

// The digits of a generated mention's E.164 form, worked out without libphonenumber: the
// generator writes "+381 64 1234567", "00381641234567" or a Serbian national "064/123-4567".
std::string E164Digits(const std::string& text) {
  std::string digits;
  for (const char c : text) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (text.rfind('+', 0) == 0) return digits;
  if (digits.rfind("00", 0) == 0) return digits.substr(2);
  return "381" + digits.substr(1);
}

fs::path TempDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() /
                       ("trafnet_generate_test_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(dir);
  return dir;
}

GenerateOptions SmallWorld(const fs::path& dir, uint64_t seed = 7) {
  GenerateOptions options;
  options.out_dir = dir;
  options.persons = 2000;
  options.networks = 4;
  options.seed = seed;
  return options;
}

const char* const kFiles[] = {"persons.csv", "addresses.csv",      "phones.csv", "links.csv",
                              "truth.csv",   "truth_networks.csv", "decoys.csv"};

class GenerateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(TempDir("shared"));
    auto summary = GenerateWorld(SmallWorld(*dir_));
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    summary_ = new GenerateSummary(*summary);
    tables_ = new std::map<std::string, Table>();
    for (const char* file : kFiles) (*tables_)[file] = ParseCsv(ReadAll(*dir_ / file));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete summary_;
    delete tables_;
  }

  static const Table& Rows(const std::string& file) { return tables_->at(file); }

  // Column `column` of every data row.
  static std::set<std::string> Column(const std::string& file, size_t column) {
    std::set<std::string> out;
    const Table& rows = Rows(file);
    for (size_t r = 1; r < rows.size(); ++r) out.insert(rows[r][column]);
    return out;
  }

  static fs::path* dir_;
  static GenerateSummary* summary_;
  static std::map<std::string, Table>* tables_;
};

fs::path* GenerateTest::dir_ = nullptr;
GenerateSummary* GenerateTest::summary_ = nullptr;
std::map<std::string, Table>* GenerateTest::tables_ = nullptr;

TEST_F(GenerateTest, EveryFileHasTheContractHeader) {
  const std::map<std::string, std::vector<std::string>> headers = {
      {"persons.csv", {"id", "name", "birth_date", "gender", "nationality", "status", "source"}},
      {"addresses.csv", {"id", "text", "city", "country", "kind"}},
      {"phones.csv", {"number", "country", "kind"}},
      {"links.csv", {"from", "to", "type", "start", "end", "count", "source"}},
      {"truth.csv", {"network", "person_id", "role"}},
      {"truth_networks.csv",
       {"network", "exploitation", "destination", "known_victim", "rotation"}},
      {"decoys.csv", {"decoy", "person_id", "kind"}},
  };
  for (const auto& [file, header] : headers) {
    const Table& rows = Rows(file);
    ASSERT_FALSE(rows.empty()) << file;
    EXPECT_EQ(rows[0], header) << file;
    for (size_t r = 1; r < rows.size(); ++r) {
      ASSERT_EQ(rows[r].size(), header.size()) << file << " row " << r + 1;
    }
  }
}

TEST_F(GenerateTest, SummaryCountsMatchFileRows) {
  EXPECT_EQ(summary_->persons, Rows("persons.csv").size() - 1);
  EXPECT_EQ(summary_->addresses, Rows("addresses.csv").size() - 1);
  EXPECT_EQ(summary_->phones, Rows("phones.csv").size() - 1);
  EXPECT_EQ(summary_->links, Rows("links.csv").size() - 1);
  EXPECT_EQ(summary_->planted_members, Rows("truth.csv").size() - 1);
  EXPECT_EQ(summary_->decoys, Column("decoys.csv", 0).size());
  // Planted members and second records come on top of the ordinary persons.
  EXPECT_GT(summary_->persons, 2000u);
  EXPECT_GT(summary_->links, 8u * 2000u);
}

TEST_F(GenerateTest, IdsAreUnique) {
  EXPECT_EQ(Column("persons.csv", 0).size(), Rows("persons.csv").size() - 1);
  EXPECT_EQ(Column("addresses.csv", 0).size(), Rows("addresses.csv").size() - 1);
}

TEST_F(GenerateTest, LinksReferToExistingPersonsAndAddresses) {
  const std::set<std::string> persons = Column("persons.csv", 0);
  const std::set<std::string> addresses = Column("addresses.csv", 0);
  const std::set<std::string> types = {"USES",  "LIVES_AT", "STAYED_AT",     "CALLED", "MESSAGED",
                                       "KNOWS", "FAMILY",   "TRAVELED_WITH", "PAID",   "EMPLOYS"};
  const std::regex date(R"(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?)");
  const Table& links = Rows("links.csv");
  for (size_t r = 1; r < links.size(); ++r) {
    const std::vector<std::string>& link = links[r];
    for (int side = 0; side < 2; ++side) {
      const std::string& ref = link[static_cast<size_t>(side)];
      if (ref.rfind("person:", 0) == 0) {
        ASSERT_TRUE(persons.count(ref.substr(7))) << "row " << r + 1 << ": " << ref;
      } else if (ref.rfind("address:", 0) == 0) {
        ASSERT_TRUE(addresses.count(ref.substr(8))) << "row " << r + 1 << ": " << ref;
      } else {
        ASSERT_EQ(ref.rfind("phone:", 0), 0u) << "row " << r + 1 << ": " << ref;
      }
    }
    ASSERT_TRUE(types.count(link[2])) << "row " << r + 1 << ": " << link[2];
    for (size_t c : {size_t{3}, size_t{4}}) {
      ASSERT_TRUE(link[c].empty() || std::regex_match(link[c], date)) << link[c];
    }
    ASSERT_GT(std::stoll(link[5]), 0) << "row " << r + 1;
  }
}

TEST_F(GenerateTest, TruthMembersExistAndEveryNetworkHasRecruiterAndController) {
  const std::set<std::string> persons = Column("persons.csv", 0);
  std::map<std::string, std::multiset<std::string>> roles;
  const Table& truth = Rows("truth.csv");
  for (size_t r = 1; r < truth.size(); ++r) {
    EXPECT_TRUE(persons.count(truth[r][1])) << truth[r][1];
    roles[truth[r][0]].insert(truth[r][2]);
  }
  EXPECT_EQ(roles.size(), 4u);
  for (const auto& [network, members] : roles) {
    EXPECT_GE(members.count("recruiter"), 1u) << network;
    EXPECT_EQ(members.count("controller"), 1u) << network;
    EXPECT_GE(members.count("driver"), 1u) << network;
    EXPECT_GE(members.count("victim"), 5u) << network;
    EXPECT_LE(members.count("victim"), 12u) << network;
  }
}

TEST_F(GenerateTest, PlantedVictimsComeFromAtLeastTwoTowns) {
  std::map<std::string, std::string> city;
  const Table& addresses = Rows("addresses.csv");
  for (size_t r = 1; r < addresses.size(); ++r) city[addresses[r][0]] = addresses[r][2];
  std::map<std::string, std::set<std::string>> homes;  // person id -> cities lived in
  const Table& links = Rows("links.csv");
  for (size_t r = 1; r < links.size(); ++r) {
    if (links[r][2] == "LIVES_AT") homes[links[r][0].substr(7)].insert(city[links[r][1].substr(8)]);
  }
  std::map<std::string, std::set<std::string>> victim_towns;
  const Table& truth = Rows("truth.csv");
  for (size_t r = 1; r < truth.size(); ++r) {
    if (truth[r][2] != "victim") continue;
    ASSERT_EQ(homes[truth[r][1]].size(), 1u) << truth[r][1] << " has one home";
    victim_towns[truth[r][0]].insert(*homes[truth[r][1]].begin());
  }
  ASSERT_EQ(victim_towns.size(), 4u);
  for (const auto& [network, towns] : victim_towns) EXPECT_GE(towns.size(), 2u) << network;
}

TEST_F(GenerateTest, PlantedVictimsShareTheControllersPhone) {
  // The controller's phone is USED by at least three of the network's victims, however each
  // row happens to write the number.
  const auto digits = [](const std::string& phone) {
    std::string d;
    for (char c : phone) {
      if (c >= '0' && c <= '9') d.push_back(c);
    }
    // The tail is the same in every format (a mention cut short on purpose has none).
    return d.size() > 8 ? d.substr(d.size() - 8) : d;
  };
  std::map<std::string, std::set<std::string>> users;  // phone tail -> person ids
  const Table& links = Rows("links.csv");
  for (size_t r = 1; r < links.size(); ++r) {
    if (links[r][2] == "USES") users[digits(links[r][1])].insert(links[r][0].substr(7));
  }
  std::map<std::string, std::set<std::string>> victims;
  std::map<std::string, std::string> controller;
  const Table& truth = Rows("truth.csv");
  for (size_t r = 1; r < truth.size(); ++r) {
    if (truth[r][2] == "victim") victims[truth[r][0]].insert(truth[r][1]);
    if (truth[r][2] == "controller") controller[truth[r][0]] = truth[r][1];
  }
  for (const auto& [network, ctl] : controller) {
    size_t best = 0;
    for (const auto& [phone, people] : users) {
      if (!people.count(ctl)) continue;
      size_t shared = 0;
      for (const std::string& v : victims[network]) shared += people.count(v);
      best = std::max(best, shared);
    }
    EXPECT_GE(best, 3u) << network;
  }
}

TEST_F(GenerateTest, SomeNamesAreCyrillicAndSomeLatin) {
  size_t cyrillic = 0;
  size_t latin_diacritics = 0;
  for (const std::string& name : Column("persons.csv", 1)) {
    // Cyrillic letters U+0400..U+04FF are 0xD0..0xD3 lead bytes; č ć đ š ž are 0xC4/0xC5.
    if (name.find('\xD0') != std::string::npos || name.find('\xD1') != std::string::npos) {
      ++cyrillic;
    } else if (name.find('\xC4') != std::string::npos || name.find('\xC5') != std::string::npos) {
      ++latin_diacritics;
    }
  }
  EXPECT_GT(cyrillic, 100u);
  EXPECT_GT(latin_diacritics, 100u);
}

TEST_F(GenerateTest, PhonesAreWrittenInSeveralFormats) {
  const std::vector<std::pair<std::string, std::regex>> formats = {
      {"064/123-4567", std::regex(R"(0\d{2}/\d{2,3}-\d{3,4})")},
      {"064 123 4567", std::regex(R"(0\d{2} \d{2,3} \d{3,4})")},
      {"+381 64 1234567", std::regex(R"(\+381 \d{2} \d{5,7})")},
      {"00381641234567", std::regex(R"(00381\d{7,9})")},
      {"0641234567", std::regex(R"(0[1-9]\d{6,8})")},
      {"+381641234567", std::regex(R"(\+381\d{7,9})")},
      {"foreign", std::regex(R"(\+(387|382|389|359|40|355|380).*)")},
  };
  std::map<std::string, size_t> seen;
  const Table& links = Rows("links.csv");
  for (size_t r = 1; r < links.size(); ++r) {
    for (size_t side : {size_t{0}, size_t{1}}) {
      const std::string& ref = links[r][side];
      if (ref.rfind("phone:", 0) != 0) continue;
      const std::string number = ref.substr(6);
      for (const auto& [name, pattern] : formats) {
        if (std::regex_match(number, pattern)) ++seen[name];
      }
    }
  }
  for (const auto& [name, pattern] : formats) EXPECT_GT(seen[name], 0u) << name;
}

TEST_F(GenerateTest, NumbersAreValidAndEverySpellingOfANumberGetsOneKey) {
  // Every mention through the normalizer ingest uses: links with Serbia as the default region,
  // phones.csv rows with their `country`. Only the few mentions cut short on purpose (at most
  // kTruncatedDigits national digits, so no more than 8 digits in all) may be invalid; every
  // number the generator meant is valid, and all its spellings share one key.
  std::map<std::string, storage::PhoneNormalizer> normalizers;
  size_t mentions = 0;
  size_t invalid = 0;
  std::map<std::string, std::set<std::string>> keys;  // intended E.164 digits -> keys seen
  std::map<std::string, std::set<std::string>> spellings;
  const auto check = [&](const std::string& text, const std::string& region) {
    auto normalizer = normalizers.find(region);
    if (normalizer == normalizers.end()) {
      normalizer = normalizers.emplace(region, storage::PhoneNormalizer(region)).first;
    }
    ++mentions;
    auto phone = normalizer->second.Normalize(text);
    ASSERT_TRUE(phone.ok()) << text << ": " << phone.status().ToString();
    const std::string digits = E164Digits(text);
    if (phone->quality != storage::PhoneQuality::kValid) {
      ++invalid;
      EXPECT_LE(digits.size(), 8u) << "a number the generator meant is invalid: " << text;
      return;
    }
    EXPECT_EQ(phone->key, "+" + digits) << text;
    keys[digits].insert(phone->key);
    spellings[digits].insert(text);
  };
  const Table& links = Rows("links.csv");
  for (size_t r = 1; r < links.size(); ++r) {
    for (size_t side : {size_t{0}, size_t{1}}) {
      const std::string& ref = links[r][side];
      if (ref.rfind("phone:", 0) == 0) check(ref.substr(6), "RS");
    }
  }
  const Table& phones = Rows("phones.csv");
  for (size_t r = 1; r < phones.size(); ++r) {
    check(phones[r][0], phones[r][1].empty() ? "RS" : phones[r][1]);
  }
  ASSERT_GT(mentions, 10000u);
  EXPECT_LE(invalid * 1000, mentions * 5) << invalid << " of " << mentions << " invalid";
  EXPECT_GT(invalid, 0u) << "a few mentions are cut short on purpose";

  // One key per intended number, and as many distinct keys as intended numbers: the spellings
  // of a number merge, and different numbers never do.
  std::set<std::string> distinct_keys;
  size_t written_several_ways = 0;
  for (const auto& [digits, seen] : keys) {
    EXPECT_EQ(seen.size(), 1u) << digits;
    distinct_keys.insert(seen.begin(), seen.end());
    if (spellings[digits].size() > 1) ++written_several_ways;
  }
  EXPECT_EQ(distinct_keys.size(), keys.size());
  EXPECT_GT(written_several_ways, 1000u);
}

TEST_F(GenerateTest, SomePersonsAreRecordedTwiceInAnotherScript) {
  // A second agency's record has another id, the same birth date and the name in the other
  // script: once both are folded to plain ASCII Latin, they match.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> by_key;
  const Table& persons = Rows("persons.csv");
  for (size_t r = 1; r < persons.size(); ++r) {
    if (persons[r][2].empty()) continue;
    by_key[persons[r][2] + "|" + FoldName(persons[r][1])].emplace_back(persons[r][0],
                                                                       persons[r][1]);
  }
  size_t cross_script = 0;
  for (const auto& [key, records] : by_key) {
    for (size_t a = 0; a < records.size(); ++a) {
      for (size_t b = a + 1; b < records.size(); ++b) {
        if (records[a].first != records[b].first &&
            IsCyrillic(records[a].second) != IsCyrillic(records[b].second)) {
          ++cross_script;
        }
      }
    }
  }
  EXPECT_GE(cross_script, 15u);
  EXPECT_GE(Column("persons.csv", 6).size(), 5u) << "several agencies keep records";
}

TEST_F(GenerateTest, IngestReadsTheFourInputFilesAndIgnoresTheAnswerKeys) {
  const fs::path db = TempDir("ingest_db");
  auto store = storage::Store::Open(db);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  IngestOptions options;
  options.quiet = true;
  options.report_dir = TempDir("ingest_reports");
  auto summary = Ingest(**store, {*dir_}, options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->rows_rejected, 0u);
  EXPECT_EQ(summary->files.size(), 4u);
  std::set<std::string> ignored;
  for (const std::string& file : summary->ignored_files) {
    ignored.insert(fs::path(file).filename().string());
  }
  EXPECT_EQ(ignored, (std::set<std::string>{"decoys.csv", "truth.csv", "truth_networks.csv"}));
  store->reset();
  fs::remove_all(db);
  fs::remove_all(options.report_dir);
}

// Data rows of `table` grouped by the value of `key_column`, in order of first appearance.
std::vector<std::pair<std::string, std::vector<const std::vector<std::string>*>>> GroupBy(
    const Table& table, size_t key_column) {
  std::vector<std::pair<std::string, std::vector<const std::vector<std::string>*>>> groups;
  std::map<std::string, size_t> index;
  for (size_t r = 1; r < table.size(); ++r) {
    auto [it, added] = index.emplace(table[r][key_column], groups.size());
    if (added) groups.push_back({table[r][key_column], {}});
    groups[it->second].second.push_back(&table[r]);
  }
  return groups;
}

// The tail of a phone mention's digits, the same in every format.
std::string PhoneTail(const std::string& ref) {
  std::string d;
  for (char c : ref) {
    if (c >= '0' && c <= '9') d.push_back(c);
  }
  return d.size() > 8 ? d.substr(d.size() - 8) : d;
}

// A 20 000-person world with 20 networks: every kind of decoy and both shapes of network turn
// up in it.
class GenerateDecoyWorldTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(TempDir("decoys"));
    GenerateOptions options;
    options.out_dir = *dir_;
    options.persons = 20000;
    options.networks = 20;
    options.seed = 3;
    auto summary = GenerateWorld(options);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    summary_ = new GenerateSummary(*summary);
    tables_ = new std::map<std::string, Table>();
    for (const char* file : kFiles) (*tables_)[file] = ParseCsv(ReadAll(*dir_ / file));
    const Table& persons = Rows("persons.csv");
    persons_ = new std::map<std::string, const std::vector<std::string>*>();
    for (size_t r = 1; r < persons.size(); ++r) (*persons_)[persons[r][0]] = &persons[r];
    const Table& addresses = Rows("addresses.csv");
    addresses_ = new std::map<std::string, const std::vector<std::string>*>();
    for (size_t r = 1; r < addresses.size(); ++r) (*addresses_)[addresses[r][0]] = &addresses[r];
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete summary_;
    delete tables_;
    delete persons_;
    delete addresses_;
  }

  static const Table& Rows(const std::string& file) { return tables_->at(file); }
  static const std::vector<std::string>& Person(const std::string& id) { return *persons_->at(id); }
  static const std::vector<std::string>& Address(const std::string& ref) {
    return *addresses_->at(ref.substr(8));  // "address:ADR-…"
  }

  // The decoys of one kind: each one's person ids.
  static std::vector<std::set<std::string>> DecoysOf(const std::string& kind) {
    std::vector<std::set<std::string>> out;
    for (const auto& [decoy, rows] : GroupBy(Rows("decoys.csv"), 0)) {
      if ((*rows[0])[2] != kind) continue;
      out.emplace_back();
      for (const auto* row : rows) out.back().insert((*row)[1]);
    }
    return out;
  }

  // Links of `type` whose ends are both persons in `group` (by primary id, as decoys.csv and
  // truth.csv list them), or whose `from` is when `to_anything`.
  static std::vector<const std::vector<std::string>*> LinksWithin(
      const std::set<std::string>& group, const std::string& type, bool to_anything = false) {
    std::vector<const std::vector<std::string>*> out;
    const Table& links = Rows("links.csv");
    for (size_t r = 1; r < links.size(); ++r) {
      const std::vector<std::string>& link = links[r];
      if (link[2] != type || link[0].rfind("person:", 0) != 0) continue;
      if (!group.count(link[0].substr(7))) continue;
      if (to_anything || (link[1].rfind("person:", 0) == 0 && group.count(link[1].substr(7)))) {
        out.push_back(&link);
      }
    }
    return out;
  }

  static fs::path* dir_;
  static GenerateSummary* summary_;
  static std::map<std::string, Table>* tables_;
  static std::map<std::string, const std::vector<std::string>*>* persons_;
  static std::map<std::string, const std::vector<std::string>*>* addresses_;
};

fs::path* GenerateDecoyWorldTest::dir_ = nullptr;
GenerateSummary* GenerateDecoyWorldTest::summary_ = nullptr;
std::map<std::string, Table>* GenerateDecoyWorldTest::tables_ = nullptr;
std::map<std::string, const std::vector<std::string>*>* GenerateDecoyWorldTest::persons_ = nullptr;
std::map<std::string, const std::vector<std::string>*>* GenerateDecoyWorldTest::addresses_ =
    nullptr;

TEST_F(GenerateDecoyWorldTest, DecoysFileListsEveryKindOfInnocentPattern) {
  const Table& decoys = Rows("decoys.csv");
  ASSERT_FALSE(decoys.empty());
  EXPECT_EQ(decoys[0], (std::vector<std::string>{"decoy", "person_id", "kind"}));
  std::set<std::string> planted;
  for (size_t r = 1; r < Rows("truth.csv").size(); ++r) planted.insert(Rows("truth.csv")[r][1]);

  const std::set<std::string> kinds = {"hostel",       "dormitory",      "employment_agency",
                                       "landlord",     "van_driver",     "sales_caller",
                                       "large_family", "service_number", "company_phone"};
  std::map<std::string, size_t> seen;
  size_t number = 0;
  for (const auto& [decoy, rows] : GroupBy(decoys, 0)) {
    // DEC-0001 onwards, in order, each with one kind.
    char expected[16];
    std::snprintf(expected, sizeof expected, "DEC-%04zu", ++number);
    EXPECT_EQ(decoy, expected);
    const std::string& kind = (*rows[0])[2];
    EXPECT_TRUE(kinds.count(kind)) << decoy << ": " << kind;
    ++seen[kind];
    std::set<std::string> persons;
    for (const auto* row : rows) {
      EXPECT_EQ((*row)[2], kind) << decoy;
      EXPECT_TRUE(persons.insert((*row)[1]).second) << decoy << " lists " << (*row)[1] << " twice";
      EXPECT_TRUE(persons_->count((*row)[1])) << decoy << ": " << (*row)[1];
      EXPECT_FALSE(planted.count((*row)[1])) << decoy << ": a planted member is no decoy";
    }
    if (kind == "hostel" || kind == "dormitory" || kind == "service_number") {
      EXPECT_LE(persons.size(), 30u) << decoy;
    }
    EXPECT_GE(persons.size(), 2u) << decoy;
  }
  for (const std::string& kind : kinds) EXPECT_GT(seen[kind], 0u) << kind;
  EXPECT_EQ(summary_->decoys, number);

  // The evaluator reads it as it is.
  auto read = ReadDecoys(*dir_ / "decoys.csv");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->groups.size(), number);
}

TEST_F(GenerateDecoyWorldTest, LargeFamiliesLiveAtOneAddressAndShareOneLandline) {
  const std::vector<std::set<std::string>> families = DecoysOf("large_family");
  ASSERT_FALSE(families.empty());
  for (const std::set<std::string>& family : families) {
    const std::string name = *family.begin();
    EXPECT_GE(family.size(), 6u) << name;
    EXPECT_LE(family.size(), 10u) << name;
    // Three generations or more: grandparents of 64 or older, grandchildren of 32 or younger.
    std::string oldest = "9999";
    std::string youngest = "0000";
    for (const std::string& id : family) {
      const std::string& birth = Person(id)[2];
      if (birth.empty()) continue;
      oldest = std::min(oldest, birth);
      youngest = std::max(youngest, birth);
    }
    EXPECT_GE(std::stoi(youngest.substr(0, 4)) - std::stoi(oldest.substr(0, 4)), 35) << name;
    // Links may name a member's second record now and then; those written under the primary
    // id are enough to see the pattern.
    std::set<std::string> homes;
    for (const auto* link : LinksWithin(family, "LIVES_AT", true)) homes.insert((*link)[1]);
    EXPECT_EQ(homes.size(), 1u) << name;
    std::map<std::string, std::set<std::string>> users;  // phone tail -> members
    for (const auto* link : LinksWithin(family, "USES", true)) {
      users[PhoneTail((*link)[1])].insert((*link)[0]);
    }
    size_t most = 0;
    for (const auto& [phone, members] : users) most = std::max(most, members.size());
    EXPECT_GE(most + 2, family.size()) << name << ": one phone for the whole house";
    const size_t pairs = family.size() * (family.size() - 1) / 2;
    EXPECT_GE(LinksWithin(family, "FAMILY").size() * 10, pairs * 6) << name;
  }
}

TEST_F(GenerateDecoyWorldTest, EmploymentAgencyClientsComeFromManyTownsAndAFewMoveAbroadAlone) {
  const std::vector<std::set<std::string>> agencies = DecoysOf("employment_agency");
  ASSERT_FALSE(agencies.empty());
  for (const std::set<std::string>& agency : agencies) {
    const std::string name = *agency.begin();
    EXPECT_GE(agency.size(), 15u) << name;
    std::set<std::string> towns;
    for (const auto* link : LinksWithin(agency, "LIVES_AT", true)) {
      towns.insert(Address((*link)[1])[2]);
    }
    EXPECT_GE(towns.size(), 5u) << name;
    // Movers: a stay at a flat or worksite abroad, each at another address and date.
    std::set<std::string> places;
    std::set<std::string> starts;
    size_t moves = 0;
    for (const auto* link : LinksWithin(agency, "STAYED_AT", true)) {
      const std::vector<std::string>& address = Address((*link)[1]);
      if (address[3] == "RS" || (address[4] != "business" && address[4] != "residential")) {
        continue;
      }
      ++moves;
      places.insert((*link)[1]);
      starts.insert((*link)[3]);
    }
    EXPECT_GE(moves, 2u) << name;
    EXPECT_EQ(places.size(), moves) << name;
    EXPECT_EQ(starts.size(), moves) << name;
    // Nobody in it collects money from several of the others.
    std::map<std::string, size_t> payers;
    for (const auto* link : LinksWithin(agency, "PAID")) ++payers[(*link)[1]];
    for (const auto& [payee, count] : payers) EXPECT_LT(count, 2u) << name << " " << payee;
  }
}

// The shapes and look-alikes issue 4 names: networks with one recruiter and with several;
// service numbers (taxi, pizza) called by hundreds; old case labels on people outside every
// planted network.
TEST_F(GenerateDecoyWorldTest, HasSeveralRecruitersServiceNumbersAndOldCases) {
  std::map<std::string, size_t> recruiters;
  std::set<std::string> planted;
  for (size_t r = 1; r < Rows("truth.csv").size(); ++r) {
    const std::vector<std::string>& row = Rows("truth.csv")[r];
    planted.insert(row[1]);
    if (row[2] == "recruiter") ++recruiters[row[0]];
  }
  size_t one = 0, several = 0;
  for (const auto& [network, count] : recruiters) (count == 1 ? one : several) += 1;
  EXPECT_GT(one, 0u);
  EXPECT_GT(several, 0u);

  std::map<std::string, std::set<std::string>> callers;  // called number (as written) → callers
  const Table& links = Rows("links.csv");
  for (size_t r = 1; r < links.size(); ++r) {
    if (links[r][2] == "CALLED" && links[r][1].rfind("phone:", 0) == 0)
      callers[links[r][1]].insert(links[r][0]);
  }
  size_t most = 0;
  for (const auto& [number, from] : callers) most = std::max(most, from.size());
  EXPECT_GE(most, 200u) << "a service number called by hundreds";

  size_t old_cases = 0;
  const Table& persons = Rows("persons.csv");
  for (size_t r = 1; r < persons.size(); ++r) {
    const std::string& status = persons[r][5];
    if ((status == "victim" || status == "suspect" || status == "convicted") &&
        !planted.count(persons[r][0])) {
      ++old_cases;
    }
  }
  EXPECT_GT(old_cases, 0u) << "old case labels unrelated to any planted network";
}

TEST_F(GenerateDecoyWorldTest, TruthNetworksDescribeEveryPlantedNetwork) {
  std::map<std::string, std::vector<std::string>> shape;
  for (size_t r = 1; r < Rows("truth_networks.csv").size(); ++r) {
    const std::vector<std::string>& row = Rows("truth_networks.csv")[r];
    EXPECT_TRUE(shape.emplace(row[0], row).second) << row[0] << " listed twice";
    EXPECT_TRUE(row[1] == "sexual" || row[1] == "labour") << row[1];
    EXPECT_TRUE(row[2] == "home" || row[2] == "abroad") << row[2];
    EXPECT_TRUE(row[3] == "yes" || row[3] == "no") << row[3];
    EXPECT_TRUE(row[4] == "yes" || row[4] == "no") << row[4];
    if (row[4] == "yes") {
      EXPECT_EQ(row[1], "sexual") << row[0];
    }
  }
  std::map<std::string, std::set<std::string>> victims;
  for (const auto& [network, rows] : GroupBy(Rows("truth.csv"), 0)) {
    for (const auto* row : rows) {
      if ((*row)[2] == "victim") victims[network].insert((*row)[1]);
    }
  }
  ASSERT_EQ(shape.size(), 20u);
  ASSERT_EQ(victims.size(), shape.size());
  for (const auto& [network, members] : victims) {
    ASSERT_TRUE(shape.count(network)) << network;
    bool known = false;
    for (const std::string& id : members) known = known || Person(id)[5] == "victim";
    EXPECT_EQ(shape[network][3], known ? "yes" : "no") << network;
    // Where the victims are kept (shelters afterwards aside) is at home or across the border.
    std::set<std::string> countries;
    for (const auto* link : LinksWithin(members, "STAYED_AT", true)) {
      const std::vector<std::string>& address = Address((*link)[1]);
      if (address[4] != "shelter") countries.insert(address[3]);
    }
    EXPECT_EQ(countries.size(), 1u) << network;
    EXPECT_EQ(*countries.begin() == "RS", shape[network][2] == "home") << network;
    // With rotation, some victims first arrive at an address 3 to 30 days after another victim
    // left it; without, all arrive within three weeks of each other.
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> stays;  // by place
    for (const auto* link : LinksWithin(members, "STAYED_AT", true)) {
      if (Address((*link)[1])[4] != "shelter")
        stays[(*link)[1]].emplace_back((*link)[3], (*link)[4]);
    }
    bool replaced = false;
    for (const auto& [place, spans] : stays) {
      for (const auto& in : spans) {
        for (const auto& out : spans)
          replaced = replaced || (!out.second.empty() && in.first > out.second);
      }
    }
    if (shape[network][4] == "yes") {
      EXPECT_TRUE(replaced) << network;
    }
  }
}

TEST_F(GenerateDecoyWorldTest, LabourNetworksEmployMostlyMenAtAWorksite) {
  std::map<std::string, std::string> exploitation;
  for (size_t r = 1; r < Rows("truth_networks.csv").size(); ++r) {
    exploitation[Rows("truth_networks.csv")[r][0]] = Rows("truth_networks.csv")[r][1];
  }
  // Victims and, of them, men, by shape.
  std::map<std::string, std::pair<size_t, size_t>> men_of;
  size_t labour_employed = 0;  // labour victims with an EMPLOYS link
  for (const auto& [network, rows] : GroupBy(Rows("truth.csv"), 0)) {
    std::set<std::string> victims;
    std::string controller;
    std::set<std::string> drivers;
    for (const auto* row : rows) {
      if ((*row)[2] == "victim") victims.insert((*row)[1]);
      if ((*row)[2] == "controller") controller = (*row)[1];
      if ((*row)[2] == "driver") drivers.insert((*row)[1]);
    }
    auto& [all, men] = men_of[exploitation[network]];
    all += victims.size();
    for (const std::string& id : victims) {
      men += Person(id)[3] == "M";
      // 18-25 or 18-45 when the stay begins, in 2024-2026.
      const std::string& birth = Person(id)[2];
      if (!birth.empty()) {
        EXPECT_GE(birth, exploitation[network] == "sexual" ? "1998" : "1978") << id;
        EXPECT_LT(birth, "2009") << id;
      }
    }
    if (exploitation[network] == "sexual") continue;
    // Victims have no other work, so whoever employs them is the controller (under the primary
    // id or, now and then, a second record's).
    std::set<std::string> employed;
    std::set<std::string> employers;
    const Table& links = Rows("links.csv");
    for (size_t r = 1; r < links.size(); ++r) {
      if (links[r][2] == "EMPLOYS" && victims.count(links[r][1].substr(7))) {
        employed.insert(links[r][1]);
        employers.insert(links[r][0]);
      }
    }
    EXPECT_FALSE(employed.empty()) << network << ": the controller employs them";
    labour_employed += employed.size();
    EXPECT_TRUE(employers.count("person:" + controller)) << network;
    EXPECT_LE(employers.size(), 2u) << network;
    size_t at_business = 0;
    for (const auto* link : LinksWithin(victims, "STAYED_AT", true)) {
      at_business += Address((*link)[1])[4] == "business";
    }
    EXPECT_GE(at_business * 2, victims.size()) << network << ": they stay at the worksite";
    // They come by the vanload: one driver, one departure, several of them.
    std::map<std::string, size_t> loads;
    for (const auto* link : LinksWithin(drivers, "TRAVELED_WITH", true)) {
      if (victims.count((*link)[1].substr(7))) ++loads[(*link)[0] + (*link)[3]];
    }
    size_t biggest = 0;
    for (const auto& [trip, count] : loads) biggest = std::max(biggest, count);
    EXPECT_GE(biggest, 2u) << network;
  }
  // Young women for sexual exploitation (85 %), mostly men for labour (85 %).
  ASSERT_GT(men_of["sexual"].first, 0u);
  ASSERT_GT(men_of["labour"].first, 0u);
  EXPECT_LE(men_of["sexual"].second * 10, men_of["sexual"].first * 3);
  EXPECT_GE(men_of["labour"].second * 10, men_of["labour"].first * 7);
  // 85 % employed, a few of them seen only under a second record.
  EXPECT_GE(labour_employed * 10, men_of["labour"].first * 7);
}

TEST(GenerateWorldTest, AboutAThirdOfTheNetworksHaveAKnownVictim) {
  const fs::path dir = TempDir("shapes");
  GenerateOptions options = SmallWorld(dir, 9);
  options.networks = 300;
  ASSERT_TRUE(GenerateWorld(options).ok());
  const Table shapes = ParseCsv(ReadAll(dir / "truth_networks.csv"));
  ASSERT_EQ(shapes.size(), 301u);
  size_t known = 0;
  size_t labour = 0;
  size_t abroad = 0;
  size_t rotation = 0;
  for (size_t r = 1; r < shapes.size(); ++r) {
    rotation += shapes[r][4] == "yes";
    known += shapes[r][3] == "yes";
    labour += shapes[r][1] == "labour";
    abroad += shapes[r][2] == "abroad";
  }
  // 30 % known, 40 % labour; three standard deviations either side.
  EXPECT_GE(known, 65u);
  EXPECT_LE(known, 115u);
  EXPECT_GE(labour, 95u);
  EXPECT_LE(labour, 145u);
  EXPECT_GE(abroad, 30u);
  EXPECT_LE(abroad, 150u);
  // Rotation: 35 % of the sexual networks with six or more victims (60 % × 7/8 × 35 % ≈ 18 %).
  EXPECT_GE(rotation, 35u);
  EXPECT_LE(rotation, 75u);
  fs::remove_all(dir);
}

TEST(GenerateWorldTest, SameSeedGivesIdenticalBytes) {
  const fs::path a = TempDir("same_a");
  const fs::path b = TempDir("same_b");
  ASSERT_TRUE(GenerateWorld(SmallWorld(a, 11)).ok());
  ASSERT_TRUE(GenerateWorld(SmallWorld(b, 11)).ok());
  for (const char* file : kFiles) EXPECT_EQ(ReadAll(a / file), ReadAll(b / file)) << file;
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(GenerateWorldTest, DifferentSeedsGiveDifferentWorlds) {
  const fs::path a = TempDir("seed_a");
  const fs::path b = TempDir("seed_b");
  ASSERT_TRUE(GenerateWorld(SmallWorld(a, 1)).ok());
  ASSERT_TRUE(GenerateWorld(SmallWorld(b, 2)).ok());
  for (const char* file : {"persons.csv", "links.csv"}) {
    EXPECT_NE(ReadAll(a / file), ReadAll(b / file)) << file;
  }
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(GenerateWorldTest, ReportsProgressUpToOne) {
  const fs::path dir = TempDir("progress");
  std::vector<double> reported;
  ASSERT_TRUE(GenerateWorld(SmallWorld(dir), [&](double f) { reported.push_back(f); }).ok());
  ASSERT_GE(reported.size(), 2u);
  EXPECT_LE(reported.size(), 200u);
  for (size_t k = 1; k < reported.size(); ++k) EXPECT_GE(reported[k], reported[k - 1]);
  EXPECT_EQ(reported.back(), 1.0);
  fs::remove_all(dir);
}

TEST(GenerateWorldTest, RejectsZeroPersons) {
  GenerateOptions options = SmallWorld(TempDir("zero"));
  options.persons = 0;
  auto result = GenerateWorld(options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("persons"), std::string::npos);
}

TEST(GenerateWorldTest, RejectsEmptyOutputDirectory) {
  GenerateOptions options;
  auto result = GenerateWorld(options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("no output folder"), std::string::npos);
}

TEST(GenerateWorldTest, UnwritableFileIsAnIoErrorNamingIt) {
  const fs::path dir = TempDir("unwritable");
  fs::create_directories(dir / "links.csv");  // a directory where the file should go
  auto result = GenerateWorld(SmallWorld(dir));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kIoError);
  EXPECT_NE(result.status().message().find("links.csv"), std::string::npos)
      << result.status().message();
  fs::remove_all(dir);
}

TEST(GenerateWorldTest, OutputDirectoryUnderAFileIsAnIoError) {
  const fs::path dir = TempDir("blocked");
  fs::create_directories(dir);
  std::ofstream(dir / "file") << "x";
  auto result = GenerateWorld(SmallWorld(dir / "file" / "world"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kIoError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace trafnet::engine
