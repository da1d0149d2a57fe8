#include "trafnet/engine/ingest.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/crc.hpp>
#include <nlohmann/json.hpp>

#include "support/temp_dir.h"
#include "trafnet/engine/export.h"
#include "trafnet/engine/generate.h"
#include "trafnet/engine/stats.h"

namespace trafnet::engine {
namespace {

using ::testing::HasSubstr;
using trafnet::testing::ReadFile;
using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

constexpr char kPersonsHeader[] = "id,name,birth_date,gender,nationality,status,source\n";
constexpr char kLinksHeader[] = "from,to,type,start,end,count,source\n";

class IngestTest : public ::testing::Test {
 protected:
  IngestTest() {
    auto store = storage::Store::Open(dir_ / "db");
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    options_.quiet = true;
    options_.report_dir = dir_ / "reports";
  }

  IngestSummary Run(const std::vector<std::filesystem::path>& inputs) {
    auto summary = Ingest(*store_, inputs, options_);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? std::move(summary).value() : IngestSummary();
  }

  // Writes persons.csv (+ links.csv when given) into data/ and ingests the folder.
  IngestSummary RunCsv(const std::string& persons, const std::string& links = "") {
    WriteFile(dir_ / "data/persons.csv", persons);
    if (!links.empty()) WriteFile(dir_ / "data/links.csv", links);
    return Run({dir_ / "data"});
  }

  // The single reject's "field: reason".
  static std::string OnlyReject(const IngestSummary& summary) {
    EXPECT_EQ(summary.rows_rejected, 1u);
    if (summary.rejects_shown.size() != 1) return "";
    return summary.rejects_shown[0].field + ": " + summary.rejects_shown[0].reason;
  }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  IngestOptions options_;
};

TEST_F(IngestTest, StoresPersonsPhonesAndLinks) {
  auto summary = RunCsv(std::string(kPersonsHeader) + "P1,Ana Anić,2001-05-04,F,RS,,MUP\nP2,Bojan,,M,,,MUP\n",
                        std::string(kLinksHeader) +
                            "person:P1,phone:064/123-4567,USES,2024-01-01,,,MUP\n"
                            "person:P2,phone:+381 64 1234567,USES,,,,MUP\n"
                            "person:P1,person:P2,KNOWS,,,2,MUP\n");
  EXPECT_EQ(summary.rows_read, 5u);
  EXPECT_EQ(summary.rows_rejected, 0u);
  storage::StoreCounts counts = store_->counts();
  EXPECT_EQ(counts.nodes_by_kind["person"], 2u);
  EXPECT_EQ(counts.nodes_by_kind["phone"], 1u);  // two spellings, one phone
  EXPECT_EQ(counts.links_by_type["USES"], 2u);
  EXPECT_EQ(counts.links_by_type["KNOWS"], 1u);
  EXPECT_TRUE(store_->FindNode("phone", "+381641234567")->has_value());
  EXPECT_TRUE(store_->Verify()->ok());
}

// The summary times the final commit's two long steps (the figures a benchmark reads).
TEST_F(IngestTest, SummaryTimesTheFinalCommitsSteps) {
  auto summary = RunCsv(std::string(kPersonsHeader) + "P1,Ana,,,,,MUP\nP2,Bojan,,,,,MUP\n",
                        std::string(kLinksHeader) + "person:P1,person:P2,KNOWS,,,,MUP\n");
  ASSERT_EQ(summary.final_commit_steps.size(), 2u);
  EXPECT_EQ(summary.final_commit_steps[0].first, "merging observations");
  EXPECT_EQ(summary.final_commit_steps[1].first, "writing adjacency");
  for (const auto& [step, seconds] : summary.final_commit_steps) {
    EXPECT_GE(seconds, 0.0) << step;
    EXPECT_LE(seconds, summary.final_commit_seconds) << step;
  }
  auto json = nlohmann::json::parse(summary.ToJson());
  EXPECT_TRUE(json["final_commit_steps"].contains("merging observations")) << json.dump();
  EXPECT_TRUE(json["final_commit_steps"].contains("writing adjacency")) << json.dump();
}

// Links name one phone in several spellings: one node, created once; each observation made
// through a spelling other than the E.164 key keeps that spelling as evidence.
TEST_F(IngestTest, EverySpellingOfAPhoneInLinksIsKeptOnItsObservation) {
  auto summary = RunCsv(std::string(kPersonsHeader) + "P1,Ana,,F,,,MUP\nP2,Bojan,,M,,,MUP\n",
                        std::string(kLinksHeader) +
                            "person:P1,phone:064/123-4567,USES,,,,MUP\n"
                            "person:P2,phone:+381 64 1234567,USES,,,,MUP\n"
                            "phone:+381641234567,phone:0651112233,CALLED,,,,MUP\n"
                            "phone:064/123-4567,phone:065 111 2233,CALLED,2024-01-01,,,MUP\n");
  EXPECT_EQ(summary.rows_rejected, 0u);
  EXPECT_EQ(summary.nodes_added, 4u);      // two persons, two phones
  EXPECT_EQ(summary.nodes_unchanged, 4u);  // the phone ends seen again
  EXPECT_EQ(store_->counts().nodes_by_kind["phone"], 2u);
  ExportOptions export_options{ExportFormat::kJsonl, dir_ / "out.jsonl", true};
  ASSERT_TRUE(Export(*store_, export_options).ok());
  std::string exported = ReadFile(dir_ / "out.jsonl");
  // (export writes an end as it was spelled)
  EXPECT_THAT(exported, HasSubstr(R"("from":"person:P1","to":"phone:064/123-4567")"));
  EXPECT_THAT(exported, HasSubstr(R"("from":"person:P2","to":"phone:+381 64 1234567")"));
  EXPECT_THAT(exported, HasSubstr(R"("from":"phone:+381641234567","to":"phone:0651112233")"));
  EXPECT_THAT(exported, HasSubstr(R"("from":"phone:064/123-4567","to":"phone:065 111 2233")"));
}

TEST_F(IngestTest, ReingestingTheSameFilesChangesNothing) {
  std::string persons = std::string(kPersonsHeader) + "P1,Ana,,F,,,MUP\nP2,Bojan,,M,,,MUP\n";
  std::string links = std::string(kLinksHeader) + "person:P1,phone:0641234567,USES,,,,MUP\n"
                                                   "phone:0641234567,phone:0651112233,CALLED,2024-01-01,2024-01-02,3,MUP\n";
  RunCsv(persons, links);
  std::string before = StatsJson(*store_, false);
  ExportOptions export_options{ExportFormat::kJsonl, dir_ / "before.jsonl", true};
  ASSERT_TRUE(Export(*store_, export_options).ok());
  auto again = RunCsv(persons, links);
  EXPECT_EQ(again.nodes_added, 0u);
  EXPECT_EQ(again.nodes_merged, 0u);
  EXPECT_EQ(again.links_added, 0u);
  EXPECT_EQ(again.observations_added + again.observations_updated, 0u);
  EXPECT_EQ(StatsJson(*store_, false), before);
  export_options.out = dir_ / "after.jsonl";
  ASSERT_TRUE(Export(*store_, export_options).ok());
  EXPECT_EQ(ReadFile(dir_ / "after.jsonl"), ReadFile(dir_ / "before.jsonl"));
}

// Commits small enough to merge with what earlier commits stored (and node-only commits between
// them, while observations wait), a sort buffer small enough that pending observations spill to
// disk in many runs, and a cache of resolved keys small enough to be forgotten again and again:
// the store ends exactly as with one big in-memory commit, and ingesting it all again changes
// nothing.
TEST(IngestCommitTest, SpilledAndSmallCommitsStoreWhatOneBigCommitStores) {
  TempDir dir;
  GenerateOptions world;
  world.out_dir = dir / "world";
  world.persons = 3000;
  world.networks = 2;
  world.seed = 5;
  ASSERT_TRUE(GenerateWorld(world).ok());
  IngestOptions options;
  options.quiet = true;
  options.report_dir = dir / "reports";
  auto ingest = [&](const std::string& name, size_t sort_buffer_bytes, size_t commit_every,
                    size_t resolved_cache_entries = 4'000'000) {
    storage::StoreOptions store_options;
    store_options.sort_buffer_bytes = sort_buffer_bytes;
    store_options.resolved_cache_entries = resolved_cache_entries;
    auto store = storage::Store::Open(dir / name, store_options);
    EXPECT_TRUE(store.ok());
    IngestOptions run = options;
    run.commit_every = commit_every;
    run.commit_nodes_every = commit_every / 10;  // node-only commits between the full ones
    auto summary = Ingest(**store, {dir / "world"}, run);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    EXPECT_EQ(summary->rows_rejected, 0u);
    return std::move(store).value();
  };
  auto reference = ingest("reference", 256 << 20, 1 << 30);
  auto spilled = ingest("spilled", 1 << 16, 7000, 1000);
  EXPECT_EQ(StatsJson(*spilled, false), StatsJson(*reference, false));
  for (auto* store : {reference.get(), spilled.get()}) {
    auto report = store->Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok()) << report->problems.front();
  }
  ExportOptions export_options{ExportFormat::kJsonl, dir / "reference.jsonl", true};
  ASSERT_TRUE(Export(*reference, export_options).ok());
  export_options.out = dir / "spilled.jsonl";
  ASSERT_TRUE(Export(*spilled, export_options).ok());
  EXPECT_TRUE(ReadFile(dir / "spilled.jsonl") == ReadFile(dir / "reference.jsonl"));

  IngestOptions again = options;
  again.commit_every = 7000;
  auto summary = Ingest(*spilled, {dir / "world"}, again);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->links_added, 0u);
  EXPECT_EQ(summary->observations_added + summary->observations_updated, 0u);
  EXPECT_EQ(StatsJson(*spilled, false), StatsJson(*reference, false));
}

TEST_F(IngestTest, SecondAgencyAddsObservationsNotDuplicates) {
  RunCsv(std::string(kPersonsHeader) + "P1,Ana,,,,,MUP\nP2,Bojan,,,,,MUP\n",
         std::string(kLinksHeader) + "person:P1,person:P2,PAID,2024-01-01,,1,MUP\n");
  WriteFile(dir_ / "bia/links.csv", std::string(kLinksHeader) + "person:P1,person:P2,PAID,2024-01-01,,1,BIA\n");
  auto summary = Run({dir_ / "bia/links.csv"});
  EXPECT_EQ(summary.links_added, 0u);
  EXPECT_EQ(summary.observations_added, 1u);
  EXPECT_EQ(store_->counts().links, 1u);
  EXPECT_EQ(store_->counts().observations, 2u);
}

TEST_F(IngestTest, RejectsEachBadRowWithFileLineFieldAndReasonAndKeepsTheGoodOnes) {
  struct Case {
    std::string row;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"P1,Ana,2001-02-30,F,RS,,MUP", "birth_date: '2001-02-30' is not a date"},
      {",Ana,,F,RS,,MUP", "id: empty id"},
      {"P1,Ana,,Q,RS,,MUP", "gender: 'Q' is not F, M or X"},
      {"P1,Ana,,F,XX,,MUP", "nationality: 'XX' is not an ISO 3166"},
      {"P1,Ana,,F,RS,boss,MUP", "status: 'boss' is not victim"},
      {"P1,Ana,,F,RS,MUP", "expected 7 fields, found 6"},
      {"P1,\xC3\x28,,F,RS,,MUP", "name: invalid UTF-8"},
  };
  for (const auto& c : cases) {
    TempDir local;
    auto store = storage::Store::Open(local / "db");
    ASSERT_TRUE(store.ok());
    WriteFile(local / "persons.csv", std::string(kPersonsHeader) + "P0,Good,,,,,MUP\n" + c.row + "\n");
    IngestOptions options = options_;
    options.report_dir = local / "reports";
    auto summary = Ingest(**store, {local / "persons.csv"}, options);
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ(summary->rows_rejected, 1u) << c.row;
    ASSERT_EQ(summary->rejects_shown.size(), 1u) << c.row;
    const Reject& reject = summary->rejects_shown[0];
    EXPECT_EQ(reject.line, 3u);
    EXPECT_THAT(reject.file, HasSubstr("persons.csv"));
    EXPECT_THAT(reject.field + ": " + reject.reason, HasSubstr(c.expected)) << c.row;
    EXPECT_EQ((*store)->counts().nodes, 1u) << "the good row lands";
    EXPECT_THAT(ReadFile(summary->rejects_path), HasSubstr(",3,")) << "reject written to the rejects file";
  }
}

TEST_F(IngestTest, RejectsBadLinks) {
  RunCsv(std::string(kPersonsHeader) + "P1,Ana,,,,,MUP\nP2,Bojan,,,,,MUP\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"person:P9,person:P1,KNOWS,,,,MUP", "from: unknown reference person:P9: no such person"},
      {"person:P1,phone:call me,USES,,,,MUP", "to: not a phone number"},
      {"person:P1,vehicle:V1,KNOWS,,,,MUP", "to: unknown reference vehicle:V1"},
      {"person:P1,spaceship:S1,KNOWS,,,,MUP", "to: unknown kind 'spaceship'"},
      {"P1,person:P2,KNOWS,,,,MUP", "from: 'P1' is not a reference"},
      {"person:P1,person:P2,knows,,,,MUP", "type: 'knows' is not an upper-case word"},
      {"person:P1,person:P2,USES,,,,MUP", "type: USES links person → phone"},
      {"person:P1,person:P2,KNOWS,2024-1-1,,,MUP", "start: '2024-1-1' is not an ISO date"},
      {"person:P1,person:P2,KNOWS,2024-02-01,2024-01-01,,MUP",
       "end: end 2024-01-01 is before start"},
      {"person:P1,person:P2,KNOWS,,,0,MUP", "count: '0' is not a positive integer"},
      {"person:P1,person:P2,KNOWS,,,many,MUP", "count: 'many' is not a positive integer"},
      // The first problem is reported, in the order the row is read, whether it takes a lookup
      // (on the main thread) or not (checked ahead on the reader's): the reference, then the date.
      {"person:P9,person:P1,KNOWS,2024-1-1,,,MUP", "from: unknown reference person:P9"},
      {"person:P1,person:P9,KNOWS,,,0,MUP", "to: unknown reference person:P9"},
      {"person:P1,person:P2,KNOWS,2024-1-1,,0,MUP", "start: '2024-1-1' is not an ISO date"},
      // An exported cell's formula guard is taken off before the checks, as in every column.
      {"person:P1,person:P2,KNOWS,,,'-1,MUP", "count: '-1' is not a positive integer"},
  };
  for (const auto& [row, expected] : cases) {
    WriteFile(dir_ / "bad/links.csv", std::string(kLinksHeader) + row + "\n");
    auto summary = Run({dir_ / "bad/links.csv"});
    EXPECT_THAT(OnlyReject(summary), HasSubstr(expected)) << row;
  }
  EXPECT_EQ(store_->counts().links, 0u);
  EXPECT_EQ(store_->counts().nodes_by_kind.count("phone"), 0u) << "no phone from a rejected row";
}

TEST_F(IngestTest, KeepsAnInvalidPhoneFlaggedAndApart) {
  RunCsv(std::string(kPersonsHeader) + "P1,Ana,,,,,MUP\nP2,Bojan,,,,,MUP\n",
         std::string(kLinksHeader) + "person:P1,phone:123,USES,,,,MUP\nperson:P2,phone:0123,USES,,,,MUP\n");
  auto id = store_->FindNode("phone", "?123");
  ASSERT_TRUE(id.ok() && id->has_value());
  auto node = store_->GetNode(**id);
  EXPECT_EQ(storage::FieldValue((*node)->fields, "quality"), "invalid");
  EXPECT_EQ(store_->counts().nodes_by_kind["phone"], 2u) << "invalid numbers never merge";
}

TEST_F(IngestTest, ReadsBomCrlfAndQuotedNewlines) {
  auto summary = RunCsv("\xEF\xBB\xBFid,name,birth_date,gender,nationality,status,source\r\n"
                        "P1,\"Anić, Ana\",,,,,MUP\r\n"
                        "P2,\"Two\r\nLines\",,,,,MUP\r\n");
  EXPECT_EQ(summary.rows_rejected, 0u);
  auto node = store_->GetNode(**store_->FindNode("person", "P1"));
  EXPECT_EQ(storage::FieldValue((*node)->fields, "name"), "Anić, Ana");
  EXPECT_EQ(store_->counts().nodes, 2u);
}

TEST_F(IngestTest, EmptyAndHeaderOnlyFiles) {
  WriteFile(dir_ / "e/persons.csv", "");
  WriteFile(dir_ / "e/links.csv", kLinksHeader);
  auto summary = Run({dir_ / "e"});
  EXPECT_EQ(summary.rows_rejected, 0u);
  EXPECT_EQ(summary.files_rejected, 1u);
  EXPECT_TRUE(summary.AnythingRejected());
  EXPECT_TRUE(summary.files[0].rejected);
  ASSERT_EQ(summary.rejects_shown.size(), 1u);
  EXPECT_THAT(summary.rejects_shown[0].reason, HasSubstr("empty"));
  EXPECT_EQ(summary.files[1].rows_read, 0u);
}

TEST_F(IngestTest, SkipsATenMegabyteLineAndReadsTheNextRow) {
  std::string persons = kPersonsHeader;
  persons += "P1," + std::string(10 << 20, 'x') + ",,,,,MUP\n";
  persons += "P2,Bojan,,,,,MUP\n";
  auto summary = RunCsv(persons);
  EXPECT_EQ(summary.rows_rejected, 1u);
  EXPECT_THAT(summary.rejects_shown[0].reason, HasSubstr("longer than"));
  EXPECT_TRUE(store_->FindNode("person", "P2")->has_value());
  EXPECT_FALSE(store_->FindNode("person", "P1")->has_value());
}

TEST_F(IngestTest, OverLongFieldIsRejected) {
  auto summary = RunCsv(std::string(kPersonsHeader) + "P1," + std::string(100'000, 'a') + ",,,,,MUP\n");
  EXPECT_THAT(OnlyReject(summary), HasSubstr("name"));
}

TEST_F(IngestTest, KeepsExtraColumnsAndListsThem) {
  auto summary = RunCsv("id,name,source,eye_colour\nP1,Ana,MUP,green\n");
  ASSERT_EQ(summary.files.size(), 1u);
  EXPECT_EQ(summary.files[0].unknown_columns, std::vector<std::string>{"eye_colour"});
  auto node = store_->GetNode(**store_->FindNode("person", "P1"));
  EXPECT_EQ(storage::FieldValue((*node)->fields, "eye_colour"), "green");
}

TEST_F(IngestTest, RejectsControlCharactersInTheSourceAndNulAnywhere) {
  WriteFile(dir_ / "j.jsonl",
            "{\"kind\":\"person\",\"id\":\"P1\",\"source\":\"MUP\\u0000X\"}\n"
            "{\"kind\":\"person\",\"id\":\"P2\",\"name\":\"A\\u0000B\"}\n"
            "{\"kind\":\"person\",\"id\":\"P3\",\"source\":\"MUP\\tX\"}\n");
  auto summary = Run({dir_ / "j.jsonl"});
  EXPECT_EQ(summary.rows_rejected, 3u);
  EXPECT_EQ(store_->counts().nodes, 0u);
  EXPECT_TRUE(store_->Verify()->ok());
}

TEST_F(IngestTest, KeepsACsvKindColumnOfAPersonAsAnAttribute) {
  auto summary = RunCsv("id,name,kind\nP1,Ana,informant\n");
  EXPECT_EQ(summary.files[0].unknown_columns, std::vector<std::string>{"kind"});
  auto node = store_->GetNode(**store_->FindNode("person", "P1"));
  EXPECT_EQ(storage::FieldValue((*node)->fields, "kind"), "informant");
}

TEST_F(IngestTest, AcceptsLowerCaseCountryCodes) {
  WriteFile(dir_ / "a/addresses.csv", "id,text,city,country,kind\nA1,Ulica 1,Niš,rs,hostel\n");
  auto summary = Run({dir_ / "a"});
  EXPECT_EQ(summary.rows_rejected, 0u);
  auto node = store_->GetNode(**store_->FindNode("address", "A1"));
  EXPECT_EQ(storage::FieldValue((*node)->fields, "country"), "RS");
}

TEST_F(IngestTest, ConflictingRecordForAStoredIdIsRejected) {
  RunCsv(std::string(kPersonsHeader) + "P1,Ana,2001-01-01,,,,MUP\n");
  auto summary = RunCsv(std::string(kPersonsHeader) + "P1,Ana,2002-02-02,,,,MUP\n");
  EXPECT_THAT(OnlyReject(summary), HasSubstr("birth_date '2001-01-01'"));
}

TEST_F(IngestTest, StrictModeWritesNothingWhenAnyRowIsBad) {
  options_.strict = true;
  auto summary = RunCsv(std::string(kPersonsHeader) + "P1,Ana,,,,,MUP\nP2,Bojan,,,,,MUP\n",
                        std::string(kLinksHeader) + "person:P1,person:P2,KNOWS,,,,MUP\nperson:P1,person:P3,KNOWS,,,,MUP\n");
  EXPECT_TRUE(summary.aborted);
  EXPECT_EQ(summary.rows_rejected, 1u);
  EXPECT_EQ(store_->counts().nodes, 0u);
  EXPECT_EQ(store_->IngestRuns()->size(), 0u);
  EXPECT_THAT(ReadFile(summary.rejects_path), HasSubstr("person:P3"));
}

TEST_F(IngestTest, StrictModeWritesEverythingWhenAllRowsAreGood) {
  options_.strict = true;
  auto summary = RunCsv(std::string(kPersonsHeader) + "P1,Ana,,,,,MUP\nP2,Bojan,,,,,MUP\n",
                        std::string(kLinksHeader) + "person:P1,person:P2,KNOWS,,,,MUP\n");
  EXPECT_FALSE(summary.aborted);
  EXPECT_EQ(store_->counts().nodes, 2u);
  EXPECT_EQ(store_->counts().links, 1u);
}

TEST_F(IngestTest, ReadsJsonLinesWithKinds) {
  WriteFile(dir_ / "data.jsonl",
            "{\"kind\":\"person\",\"id\":\"P1\",\"name\":\"Ana\",\"source\":\"MUP\"}\n"
            "{\"kind\":\"address\",\"id\":\"A1\",\"text\":\"Ulica 1\",\"city\":\"Niš\",\"address_kind\":\"hostel\"}\n"
            "{\"kind\":\"link\",\"from\":\"person:P1\",\"to\":\"address:A1\",\"type\":\"STAYED_AT\",\"count\":2}\n"
            "{\"kind\":\"spaceship\",\"id\":\"S1\"}\n");
  auto summary = Run({dir_ / "data.jsonl"});
  EXPECT_THAT(OnlyReject(summary), HasSubstr("kind: unknown kind 'spaceship'"));
  EXPECT_EQ(store_->counts().links_by_type["STAYED_AT"], 1u);
  auto address = store_->GetNode(**store_->FindNode("address", "A1"));
  EXPECT_EQ(storage::FieldValue((*address)->fields, "kind"), "hostel");
}

TEST_F(IngestTest, ReadsFolderFilesInDependencyOrder) {
  WriteFile(dir_ / "d/links.csv", std::string(kLinksHeader) + "person:P1,address:A1,LIVES_AT,,,,MUP\n");
  WriteFile(dir_ / "d/addresses.csv", "id,text,city,country,kind\nA1,Bul. kralja Aleksandra 73,Beograd,RS,residential\n");
  WriteFile(dir_ / "d/persons.csv", std::string(kPersonsHeader) + "P1,Ana,,,,,MUP\n");
  WriteFile(dir_ / "d/truth.csv", "network,person_id,role\n");
  auto summary = Run({dir_ / "d"});
  EXPECT_EQ(summary.rows_rejected, 0u);
  ASSERT_EQ(summary.files.size(), 3u);
  EXPECT_EQ(summary.files[0].kind, "person");
  EXPECT_EQ(summary.files[2].kind, "link");
  ASSERT_EQ(summary.ignored_files.size(), 1u);
  EXPECT_THAT(summary.ignored_files[0], HasSubstr("truth.csv"));
}

TEST_F(IngestTest, SummaryAndRunRecordAreWritten) {
  auto summary = RunCsv(std::string(kPersonsHeader) + "P1,Ana,,,,,MUP\n");
  EXPECT_THAT(ReadFile(summary.summary_path), HasSubstr("\"read\":1"));
  auto runs = store_->IngestRuns();
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_THAT((*runs)[0].json, HasSubstr("\"crc32\""));
}

// A phone end's sources: each row's source is added to the phone once, however many sources
// there are (past 64 the ingest's memory of settled phone ends starts again) and in any order.
TEST_F(IngestTest, PhoneEndsGainEverySourceOnce) {
  std::string links(kLinksHeader);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 70; ++i) {
      const int source = round == 1 ? 69 - i : i;
      links += fmt::format("person:P1,phone:064/123-4567,USES,,,,S{}\n", source);
      links += fmt::format("phone:+381 64 1234567,phone:0651112233,CALLED,,,,S{}\n", source);
    }
  }
  auto summary = RunCsv(std::string(kPersonsHeader) + "P1,Ana,,,,,MUP\n", links);
  EXPECT_EQ(summary.rows_rejected, 0u);
  EXPECT_EQ(summary.nodes_added, 3u);                            // the person and two phones
  EXPECT_EQ(summary.nodes_merged, 2u * 69);                      // each phone gains 69 more sources
  EXPECT_EQ(summary.nodes_unchanged, 3u * 70 * 3 - 2 - 2 * 69);  // of 630 phone ends
  for (std::string_view number : {"+381641234567", "+381651112233"}) {
    auto id = store_->FindNode("phone", number);
    ASSERT_TRUE(id.ok() && id->has_value()) << number;
    auto node = store_->GetNode(**id);
    ASSERT_TRUE(node.ok() && node->has_value());
    EXPECT_EQ((*node)->sources.size(), 70u) << number;
  }
  EXPECT_EQ(store_->counts().observations, 70u * 2);
}

// The summary's CRC-32 is the standard one (zip, PNG), checked against Boost's bit-by-bit
// definition over the file's bytes, on a file bigger than one read buffer.
TEST_F(IngestTest, FileCrcIsTheStandardCrc32) {
  std::string csv(kPersonsHeader);
  for (int i = 0; i < 40000; ++i) csv += fmt::format("P{},Ana Anić {},,,,,MUP\n", i, i);
  auto summary = RunCsv(csv);
  ASSERT_EQ(summary.files.size(), 1u);
  ASSERT_GT(summary.files[0].bytes, 1u << 20);
  boost::crc_basic<32> reference(0x04C11DB7, 0xFFFFFFFF, 0xFFFFFFFF, true, true);
  reference.process_bytes(csv.data(), csv.size());
  EXPECT_EQ(summary.files[0].bytes, csv.size());
  EXPECT_EQ(summary.files[0].crc32, reference.checksum());
}

}  // namespace
}  // namespace trafnet::engine
