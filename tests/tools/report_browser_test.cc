// report.html in a real browser: headless Chromium draws it and serialises its DOM, which proves
// the page renders offline and that hostile names stay text. Needs Debian's `chromium` package
// (scripts/setup installs it); without it the test fails and says so rather than passing quietly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "support/run_trafnet.h"
#include "support/temp_dir.h"
#include "trafnet/engine/detect.h"

namespace trafnet {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using trafnet::testing::CommandResult;
using trafnet::testing::Quote;
using trafnet::testing::ReadFile;
using trafnet::testing::RunCommand;
using trafnet::testing::RunTrafnet;
using trafnet::testing::TempDir;

constexpr std::string_view kHostile = "<img src=x onerror=alert(1)>";

// $TRAFNET_CHROMIUM, else the first of the usual names on $PATH; "" when there is none.
std::string FindChromium() {
  if (const char* given = std::getenv("TRAFNET_CHROMIUM"); given != nullptr && *given != '\0')
    return given;
  const char* path = std::getenv("PATH");
  for (std::string_view name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::stringstream dirs(path == nullptr ? "" : path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
      const std::filesystem::path candidate = std::filesystem::path(dir) / name;
      if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return "";
}

engine::DetectionReport HostileReport() {
  engine::DetectionReport report;
  report.stats.persons = 10;
  engine::Lead lead;
  lead.id = "NET-0001";
  lead.rank = 1;
  lead.score = 0.8;
  lead.members = {{{"P-1"}, std::string(kHostile), "recruiter", 0.9, {"contacted 3 strangers"}},
                  {{"P-2"}, "Ana", "victim", 0.1, {}},
                  {{"P-3"}, "Mila", "victim", 0.1, {}}};
  lead.reasons = {"3 unrelated young people arrived at ADR-1"};
  lead.indicators = {{"convergence", 1.0}};
  lead.phones = {"+381641234567"};
  lead.addresses = {"ADR-1"};
  lead.nodes = {{"P-1", "person", std::string(kHostile), "recruiter"},
                {"P-2", "person", "Ana", "victim"},
                {"P-3", "person", "Mila", "victim"},
                {"+381641234567", "phone", "+381641234567", ""},
                {"ADR-1", "address", "Hotel Sunce", ""}};
  lead.links = {{"P-1", "+381641234567", "USES", "2025-03-01", "2025-05-01", 1},
                {"P-1", "P-2", "CALLS", "2025-09-30", "2025-10-07", 12},
                {"P-1", "P-3", "CALLS", "2025-10-01", "2025-10-02", 2},
                {"P-2", "ADR-1", "STAYS_AT", "2025-10-08", "2025-10-20", 1},
                {"P-3", "ADR-1", "STAYS_AT", "2025-10-12", "", 1}};
  report.networks = {lead};
  return report;
}

class ReportBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = FindChromium();
    ASSERT_FALSE(chromium_.empty())
        << "headless Chromium is needed to render report.html and was not found on PATH "
           "(looked for chromium, chromium-browser, google-chrome; or set TRAFNET_CHROMIUM). "
           "On Debian: apt-get install chromium (scripts/setup does this).";
    ASSERT_TRUE(engine::WriteReport(HostileReport(), engine::DetectOptions{}, dir_ / "out").ok());
  }

  // Chromium with its own throwaway profile, so parallel runs and a user's browser don't clash;
  // a time limit, so a hung browser fails the test instead of stalling the suite.
  CommandResult Chromium(const std::string& args) const {
    return RunCommand("timeout 120 " + Quote(chromium_) +
                    " --headless --no-sandbox --disable-gpu --user-data-dir=" +
                    Quote(dir_ / "profile") + " " + args + " 2>" + Quote(dir_ / "chromium.log"));
  }

  std::string Url(const std::filesystem::path& file) const {
    return Quote("file://" + file.string());
  }

  std::string chromium_;
  TempDir dir_;
};

TEST_F(ReportBrowserTest, RendersTheReportToANonTrivialScreenshot) {
  trafnet::testing::WriteFile(dir_ / "blank.html", "<!DOCTYPE html><html><body></body></html>\n");
  const std::filesystem::path shot = dir_ / "report.png", blank = dir_ / "blank.png";
  for (const auto& [page, png] :
       {std::pair{dir_ / "out/report.html", shot}, std::pair{dir_ / "blank.html", blank}}) {
    CommandResult run =
        Chromium("--screenshot=" + Quote(png) + " --window-size=1280,2000 " + Url(page));
    ASSERT_EQ(run.exit_code, 0) << run.output << ReadFile(dir_ / "chromium.log");
    ASSERT_TRUE(std::filesystem::exists(png)) << ReadFile(dir_ / "chromium.log");
  }
  const std::string png = ReadFile(shot);
  EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n");
  EXPECT_GT(png.size(), 10u * 1024) << "a screenshot of a drawn report is more than a blank page";
  EXPECT_GT(png.size(), std::filesystem::file_size(blank) * 2)
      << "the report should draw much more than an empty page";
}

TEST_F(ReportBrowserTest, TheDomKeepsHostileNamesAsText) {
  CommandResult run = Chromium("--dump-dom " + Url(dir_ / "out/report.html"));
  ASSERT_EQ(run.exit_code, 0) << run.output << ReadFile(dir_ / "chromium.log");
  const std::string& dom = run.output;
  EXPECT_THAT(dom, HasSubstr("NET-0001"));
  EXPECT_THAT(dom, HasSubstr("leads for investigation, not findings of guilt"));
  EXPECT_THAT(dom, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_THAT(dom, Not(HasSubstr("<img"))) << "no element was injected";
  EXPECT_THAT(dom, HasSubstr("<svg")) << "the drawing survived parsing";
  EXPECT_THAT(dom, HasSubstr("<circle"));
}

// The page of a real run: a generated world with two planted networks, ingested and analysed
// by the CLI, drawn by Chromium with its leads, reasons and drawings. With
// TRAFNET_REPORT_SCREENSHOT set, the screenshot is also copied there (docs/images/report.png
// is made this way).
TEST_F(ReportBrowserTest, TheReportOfARealAnalysisShowsItsLeads) {
  const std::filesystem::path world = dir_ / "world", db = dir_ / "db", out = dir_ / "analysis";
  CommandResult generate = RunTrafnet("generate --quiet --out " + Quote(world) +
                                      " --persons 4000 --networks 2 --seed 5");
  ASSERT_EQ(generate.exit_code, 0) << generate.output;
  CommandResult ingest = RunTrafnet("ingest --quiet --db " + Quote(db) + " --report-dir " +
                                    Quote(dir_ / "reports") + " " + Quote(world));
  ASSERT_EQ(ingest.exit_code, 0) << ingest.output;
  CommandResult analyze =
      RunTrafnet("analyze --db " + Quote(db) + " --out " + Quote(out) + " --seed 5");
  ASSERT_EQ(analyze.exit_code, 0) << analyze.output;
  EXPECT_THAT(analyze.output, HasSubstr("report: " + (out / "report.html").string()));
  for (const char* file : {"report.json", "networks.csv", "persons.csv", "link_table.csv",
                           "networks.gexf", "report.html"}) {
    EXPECT_TRUE(std::filesystem::exists(out / file)) << file;
  }
  const std::string json = ReadFile(out / "report.json");
  ASSERT_THAT(json, HasSubstr("\"NET-0002\"")) << "both planted networks are leads";

  CommandResult dom = Chromium("--dump-dom " + Url(out / "report.html"));
  ASSERT_EQ(dom.exit_code, 0) << dom.output << ReadFile(dir_ / "chromium.log");
  EXPECT_THAT(dom.output, HasSubstr("NET-0001"));
  EXPECT_THAT(dom.output, HasSubstr("NET-0002"));
  EXPECT_THAT(dom.output, HasSubstr("arrived at"));
  EXPECT_THAT(dom.output, HasSubstr("recruiter"));
  EXPECT_THAT(dom.output, HasSubstr("<svg"));

  const std::filesystem::path shot = dir_ / "analysis.png";
  CommandResult run = Chromium("--screenshot=" + Quote(shot) + " --window-size=1280,1600 " +
                               Url(out / "report.html"));
  ASSERT_EQ(run.exit_code, 0) << run.output << ReadFile(dir_ / "chromium.log");
  ASSERT_TRUE(std::filesystem::exists(shot));
  EXPECT_GT(std::filesystem::file_size(shot), 30u * 1024);
  if (const char* keep = std::getenv("TRAFNET_REPORT_SCREENSHOT"); keep != nullptr && *keep) {
    std::filesystem::copy_file(shot, keep, std::filesystem::copy_options::overwrite_existing);
  }
}

}  // namespace
}  // namespace trafnet
