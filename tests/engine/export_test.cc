#include "trafnet/engine/export.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.h"
#include "trafnet/engine/generate.h"
#include "trafnet/engine/ingest.h"
#include "trafnet/engine/stats.h"

namespace trafnet::engine {
namespace {

using ::testing::HasSubstr;
using trafnet::testing::ReadFile;
using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

std::unique_ptr<storage::Store> OpenStore(const std::filesystem::path& path) {
  auto store = storage::Store::Open(path);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(store).value();
}

IngestSummary IngestInto(storage::Store& store, const std::filesystem::path& input,
                         const std::filesystem::path& reports) {
  IngestOptions options;
  options.quiet = true;
  options.report_dir = reports;
  auto summary = Ingest(store, {input}, options);
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  return summary.ok() ? std::move(summary).value() : IngestSummary();
}

// A small store with every kind of thing an export has to carry: scripts, extra columns,
// invalid phones, formula-looking text, several sources, symmetric links.
class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_ / "in/persons.csv",
              "id,name,birth_date,gender,nationality,status,source,note\n"
              "P1,Ђорђе Јовановић,1990-01-02,M,RS,suspect,MUP,\"=HYPERLINK(\"\"x\"\")\"\n"
              "P1,Ђорђе Јовановић,1990-01-02,M,RS,suspect,BIA,\n"
              "P2,\"Anić, <Ana> & Co\",2004-03-01,F,BA,,MUP,\"two\nlines\"\n");
    WriteFile(dir_ / "in/addresses.csv", "id,text,city,country,kind\nA1,Bul. kralja Aleksandra 73,Beograd,RS,hostel\n");
    WriteFile(dir_ / "in/phones.csv", "number,country,kind\n+381 64 1234567,RS,mobile\n");
    WriteFile(dir_ / "in/links.csv",
              "from,to,type,start,end,count,source,channel\n"
              "person:P1,phone:064/123-4567,USES,2024-01-01,,1,MUP,\n"
              "person:P2,phone:123,USES,,,1,MUP,\n"
              "phone:0641234567,phone:123,CALLED,2024-02-01T10:00,2024-02-01T10:05,3,MUP,viber\n"
              "person:P2,person:P1,FAMILY,,,1,BIA,\n"
              "person:P2,address:A1,STAYED_AT,2024-03-01,2024-03-20,1,MUP,\n");
    store_ = OpenStore(dir_ / "db");
    auto summary = IngestInto(*store_, dir_ / "in", dir_ / "reports");
    ASSERT_EQ(summary.rows_rejected, 0u);
  }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(ExportTest, CsvRoundTripsToIdenticalStats) {
  ASSERT_TRUE(Export(*store_, {ExportFormat::kCsv, dir_ / "csv", true}).ok());
  auto copy = OpenStore(dir_ / "copy");
  auto summary = IngestInto(*copy, dir_ / "csv", dir_ / "reports2");
  EXPECT_EQ(summary.rows_rejected, 0u);
  EXPECT_EQ(StatsJson(*copy, false), StatsJson(*store_, false));
  EXPECT_TRUE(copy->Verify()->ok());
  auto p1 = copy->GetNode(**copy->FindNode("person", "P1"));
  EXPECT_EQ(storage::FieldValue((*p1)->fields, "note"), "=HYPERLINK(\"x\")");
}

TEST_F(ExportTest, ReingestingAnExportIntoItsOwnStoreChangesNothing) {
  ASSERT_TRUE(Export(*store_, {ExportFormat::kCsv, dir_ / "csv", true}).ok());
  ASSERT_TRUE(Export(*store_, {ExportFormat::kJsonl, dir_ / "before.jsonl", true}).ok());
  auto summary = IngestInto(*store_, dir_ / "csv", dir_ / "reports2");
  EXPECT_EQ(summary.rows_rejected, 0u);
  EXPECT_EQ(summary.nodes_added + summary.nodes_merged, 0u);
  EXPECT_EQ(summary.links_added, 0u);
  EXPECT_EQ(summary.observations_added + summary.observations_updated, 0u);
  ASSERT_TRUE(Export(*store_, {ExportFormat::kJsonl, dir_ / "after.jsonl", true}).ok());
  EXPECT_EQ(ReadFile(dir_ / "after.jsonl"), ReadFile(dir_ / "before.jsonl"));
}

TEST_F(ExportTest, JsonlRoundTripsToIdenticalStats) {
  ASSERT_TRUE(Export(*store_, {ExportFormat::kJsonl, dir_ / "all.jsonl", true}).ok());
  auto copy = OpenStore(dir_ / "copy");
  auto summary = IngestInto(*copy, dir_ / "all.jsonl", dir_ / "reports2");
  EXPECT_EQ(summary.rows_rejected, 0u);
  EXPECT_EQ(StatsJson(*copy, false), StatsJson(*store_, false));
}

TEST_F(ExportTest, CsvGuardsCellsASpreadsheetWouldRunAsFormulas) {
  ASSERT_TRUE(Export(*store_, {ExportFormat::kCsv, dir_ / "csv", true}).ok());
  std::string persons = ReadFile(dir_ / "csv/persons.csv");
  EXPECT_THAT(persons, HasSubstr("\"'=HYPERLINK(\"\"x\"\")\""));
  EXPECT_THAT(ReadFile(dir_ / "csv/phones.csv"), HasSubstr("'+381641234567"));
  EXPECT_EQ(GuardFormula("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(GuardFormula("Ana"), "Ana");
  EXPECT_EQ(UnguardFormula("'-1"), "-1");
  EXPECT_EQ(UnguardFormula("'quoted'"), "'quoted'");
}

TEST_F(ExportTest, GraphmlAndGexfAreWellFormedAndEscaped) {
  ASSERT_TRUE(Export(*store_, {ExportFormat::kGraphml, dir_ / "g.graphml", true}).ok());
  ASSERT_TRUE(Export(*store_, {ExportFormat::kGexf, dir_ / "g.gexf", true}).ok());
  std::string graphml = ReadFile(dir_ / "g.graphml");
  EXPECT_THAT(graphml, HasSubstr("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\""));
  EXPECT_THAT(graphml, HasSubstr("Ђорђе Јовановић"));
  EXPECT_THAT(graphml, HasSubstr("directed=\"false\""));
  std::string gexf = ReadFile(dir_ / "g.gexf");
  EXPECT_THAT(gexf, HasSubstr("<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">"));
  EXPECT_THAT(gexf, HasSubstr("type=\"undirected\""));
  // Every element opened is closed: a crude but effective check without an XML library.
  for (const std::string& text : {graphml, gexf}) {
    EXPECT_THAT(text, HasSubstr("Anić, &lt;Ana&gt; &amp; Co"));
    EXPECT_EQ(text.find("<Ana>"), std::string::npos);
    size_t opens = 0, closes = 0, self = 0;
    for (size_t i = 0; i + 1 < text.size(); ++i) {
      if (text[i] == '<' && text[i + 1] != '/' && text[i + 1] != '?') ++opens;
      if (text[i] == '<' && text[i + 1] == '/') ++closes;
      if (text[i] == '/' && text[i + 1] == '>') ++self;
    }
    EXPECT_EQ(opens, closes + self);
  }
}

TEST(ExportWorldTest, GeneratedWorldRoundTripsThroughCsv) {
  TempDir dir;
  GenerateOptions options;
  options.out_dir = dir / "world";
  options.persons = 1500;
  options.networks = 2;
  options.seed = 7;
  ASSERT_TRUE(GenerateWorld(options).ok());
  auto store = OpenStore(dir / "db");
  auto summary = IngestInto(*store, dir / "world", dir / "reports");
  EXPECT_EQ(summary.rows_rejected, 0u) << (summary.rejects_shown.empty() ? "" : summary.rejects_shown[0].reason);
  EXPECT_TRUE(store->Verify()->ok());
  ASSERT_TRUE(Export(*store, {ExportFormat::kCsv, dir / "csv", true}).ok());
  auto copy = OpenStore(dir / "copy");
  IngestInto(*copy, dir / "csv", dir / "reports2");
  EXPECT_EQ(StatsJson(*copy, false), StatsJson(*store, false));
}

}  // namespace
}  // namespace trafnet::engine
