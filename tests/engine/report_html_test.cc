// report.html and networks.gexf from a hand-built report: self-contained, escaped, one drawing
// per lead, deterministic.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

// The functions are private to the engine (WriteReport is their public face); the test target
// adds engine/src to its include path for this.
#include "report_html.h"
#include "support/temp_dir.h"
#include "trafnet/engine/detect.h"

namespace trafnet::engine {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kHostile = "<img src=x onerror=alert(1)>";

size_t Count(const std::string& text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Two leads: a recruiter with a hostile name and three victims sharing a phone and a hotel, and
// a small second group; some links undated, one to a node the drawing does not have.
DetectionReport HandBuiltReport() {
  DetectionReport report;
  report.stats.persons = 120;
  report.stats.resolved_persons = 118;
  report.stats.graph_edges = 300;
  report.stats.communities = 9;
  report.stats.groups_scored = 14;
  report.stats.modularity = 0.71234;
  report.same_person.push_back({{"A-1", "B-1"}, 0.93, true, {"same birth date"}});

  Lead first;
  first.id = "NET-0001";
  first.rank = 1;
  first.score = 0.87;
  first.members = {
      {{"P-1", "Q-9"}, std::string(kHostile), "recruiter", 0.91, {"contacted 3 strangers & more"}},
      {{"P-2"}, "Ana \"Anka\" O'Neil", "victim", 0.1, {"arrived at ADR-1"}},
      {{"P-3"}, "Jelena Petrović", "victim", 0.1, {}},
      {{"P-4"}, "Milica", "controller", 0.6, {"pays the rent"}},
  };
  first.reasons = {"3 unrelated young people arrived at ADR-1 <hotel>", "they share a phone"};
  first.indicators = {{"convergence", 1.0}, {"shared_phone", 0.5}};
  first.phones = {"+381641234567"};
  first.addresses = {"ADR-1"};
  first.nodes = {
      {"P-1", "person", std::string(kHostile), "recruiter"},
      {"Q-9", "person", std::string(kHostile), "recruiter"},
      {"P-2", "person", "Ana \"Anka\" O'Neil", "victim"},
      {"P-3", "person", "Jelena Petrović", "victim"},
      {"P-4", "person", "Milica", "controller"},
      {"+381641234567", "phone", "+381641234567", ""},
      {"ADR-1", "address", "Hotel <Sunce>, Beograd", ""},
  };
  first.links = {
      {"P-1", "+381641234567", "USES", "2025-03-01", "2025-05-01", 1},
      {"P-2", "ADR-1", "STAYS_AT", "2025-10-08", "2025-10-20", 1},
      {"P-3", "ADR-1", "STAYS_AT", "2025-10-12", "", 1},
      {"P-4", "ADR-1", "LIVES_AT", "", "", 0},
      {"P-1", "P-2", "CALLS", "2025-09-30", "2025-10-07", 12},
      {"P-4", "+381641234567", "USES", "2025-03-15", "2025-06-01", 3},
  };

  Lead second;
  second.id = "NET-0002";
  second.rank = 2;
  second.score = 0.45;
  second.members = {{{"R-1"}, "Stefan", "driver", 0.5, {"drove 2 people across the border"}},
                    {{"R-2"}, "Ivana", "victim", 0.2, {}}};
  second.reasons = {"escorted travel"};
  second.nodes = {{"R-1", "person", "Stefan", "driver"}, {"R-2", "person", "Ivana", "victim"}};
  second.links = {{"R-1", "R-2", "KNOWS", "2024-01-02", "2024-01-02", 1},
                  {"R-1", "GONE", "KNOWS", "2024-02-02", "", 1}};
  report.networks = {first, second};
  return report;
}

DetectOptions Options() {
  DetectOptions options;
  options.seed = 4242;
  return options;
}

TEST(ReportHtmlTest, IsSelfContainedWithAStrictPolicy) {
  const std::string html = ReportHtml(HandBuiltReport(), Options(), "2026-01-02T03:04:05Z");
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("src=\"http")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, HasSubstr("Content-Security-Policy"));
  EXPECT_THAT(html, HasSubstr("default-src 'none'; style-src 'unsafe-inline'; img-src data:"));
  EXPECT_THAT(html, HasSubstr("leads for investigation, not findings of guilt"));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("</html>\n"));
}

TEST(ReportHtmlTest, HasASectionAndOneDrawingPerLead) {
  const DetectionReport report = HandBuiltReport();
  const std::string html = ReportHtml(report, Options(), "2026-01-02T03:04:05Z");
  EXPECT_EQ(Count(html, "<svg"), report.networks.size());
  EXPECT_EQ(Count(html, "</svg>"), report.networks.size());
  EXPECT_EQ(Count(html, "<section class=\"lead\""), report.networks.size());
  for (const Lead& lead : report.networks) {
    EXPECT_THAT(html, HasSubstr("id=\"" + lead.id + "\""));
    EXPECT_THAT(html, HasSubstr("href=\"#" + lead.id + "\""));
  }
  // One mark per drawn node (7 + 2): persons as circles, phones as squares, addresses as
  // diamonds; the link to a node that is not drawn is left out of the drawing only.
  EXPECT_EQ(Count(html, "<circle"), 7u);
  EXPECT_EQ(Count(html, "<rect"), 1u);
  EXPECT_EQ(Count(html, "<polygon"), 1u);
  EXPECT_EQ(Count(html, "<line"), 7u);
  EXPECT_THAT(html, HasSubstr("seed</th><td class=\"num\">4242"));
  EXPECT_THAT(html, HasSubstr("2026-01-02T03:04:05Z"));
  EXPECT_THAT(html, HasSubstr("0.87"));
  EXPECT_THAT(html, HasSubstr("+381641234567"));
  EXPECT_THAT(html, HasSubstr("ADR-1: Hotel &lt;Sunce&gt;, Beograd"));
  EXPECT_THAT(html, HasSubstr("Jelena Petrović"));
}

TEST(ReportHtmlTest, TimelineGroupsLinksByMonthUndatedLast) {
  const std::string html = ReportHtml(HandBuiltReport(), Options(), "now");
  const size_t march = html.find("<td>2025-03</td>"), sept = html.find("<td>2025-09</td>"),
               october = html.find("<td>2025-10</td>"), undated = html.find("<td>undated</td>");
  ASSERT_NE(march, std::string::npos);
  ASSERT_NE(sept, std::string::npos);
  ASSERT_NE(october, std::string::npos);
  ASSERT_NE(undated, std::string::npos);
  EXPECT_LT(march, sept);
  EXPECT_LT(sept, october);
  EXPECT_LT(october, undated);
  EXPECT_EQ(Count(html, "<td>2025-10</td>"), 1u) << "one row per month";
  EXPECT_THAT(html, HasSubstr("2025-10-08 – 2025-10-20"));
}

TEST(ReportHtmlTest, EscapesEveryPieceOfData) {
  const std::string html = ReportHtml(HandBuiltReport(), Options(), "<now>");
  EXPECT_THAT(html, Not(HasSubstr(std::string(kHostile))));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_THAT(html, HasSubstr("Ana &quot;Anka&quot; O&apos;Neil"));
  EXPECT_THAT(html, HasSubstr("3 strangers &amp; more"));
  EXPECT_THAT(html, HasSubstr("ADR-1 &lt;hotel&gt;"));
  EXPECT_THAT(html, HasSubstr("&lt;now&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<hotel>")));
  EXPECT_THAT(html, Not(HasSubstr("<Sunce>")));
}

TEST(ReportHtmlTest, SameReportGivesTheSameBytes) {
  const DetectionReport report = HandBuiltReport();
  EXPECT_EQ(ReportHtml(report, Options(), "t"), ReportHtml(report, Options(), "t"));
  EXPECT_EQ(ReportGexf(report), ReportGexf(report));
}

TEST(ReportHtmlTest, EmptyReportSaysSo) {
  const std::string html = ReportHtml(DetectionReport{}, Options(), "t");
  EXPECT_THAT(html, HasSubstr("No group reached the flag threshold."));
  EXPECT_EQ(Count(html, "<svg"), 0u);
  EXPECT_THAT(html, HasSubstr("</html>\n"));
}

TEST(ReportHtmlTest, DrawsASingleNodeAndLongLabels) {
  DetectionReport report;
  Lead lead;
  lead.id = "NET-0001";
  lead.members = {{{"P-1"}, "x", "recruiter", 1.0, {}}};
  lead.nodes = {{"P-1", "person", "Đorđe Ćirić-Šćepanović Živković Njegoš", "recruiter"}};
  report.networks = {lead};
  const std::string html = ReportHtml(report, Options(), "t");
  EXPECT_THAT(html, HasSubstr("cx=\"380.0\" cy=\"230.0\"")) << "alone in the middle";
  EXPECT_THAT(html, HasSubstr("Đorđe Ćirić-Šćepanović Ž…")) << "cut at a character boundary";
  EXPECT_THAT(html, Not(HasSubstr("nan\"")));
}

TEST(ReportGexfTest, HasEveryDrawnNodeAndLink) {
  const DetectionReport report = HandBuiltReport();
  const std::string gexf = ReportGexf(report);
  EXPECT_EQ(gexf.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf ", 0), 0u);
  EXPECT_THAT(gexf, HasSubstr("version=\"1.3\""));
  EXPECT_EQ(Count(gexf, "<node "), 9u);
  EXPECT_EQ(Count(gexf, "</node>"), 9u);
  EXPECT_EQ(Count(gexf, "<edge "), 7u) << "the link to GONE has no node to join";
  EXPECT_EQ(Count(gexf, "<nodes>"), 1u);
  EXPECT_EQ(Count(gexf, "<edges>"), 1u);
  EXPECT_THAT(gexf, HasSubstr("</gexf>\n"));
  EXPECT_THAT(gexf, HasSubstr("<node id=\"NET-0001/P-4\" label=\"Milica\">"));
  EXPECT_THAT(gexf, HasSubstr("<attvalue for=\"4\" value=\"0.6000\"/>")) << "Milica's risk";
  EXPECT_THAT(gexf, HasSubstr("<attvalue for=\"5\" value=\"0.4500\"/>")) << "NET-0002's score";
  EXPECT_THAT(gexf, HasSubstr("source=\"NET-0001/P-1\" target=\"NET-0001/P-2\" weight=\"12\""));
  EXPECT_THAT(gexf, HasSubstr("weight=\"1\"")) << "an uncounted link still weighs 1";
  EXPECT_EQ(Count(gexf, "value=\"0.9100\""), 2u) << "the recruiter's two records";
}

TEST(ReportGexfTest, EscapesData) {
  const std::string gexf = ReportGexf(HandBuiltReport());
  EXPECT_THAT(gexf, Not(HasSubstr(std::string(kHostile))));
  EXPECT_THAT(gexf, HasSubstr("label=\"&lt;img src=x onerror=alert(1)&gt;\""));
  EXPECT_THAT(gexf, HasSubstr("Ana &quot;Anka&quot; O&apos;Neil"));
  EXPECT_THAT(gexf, HasSubstr("Hotel &lt;Sunce&gt;, Beograd"));
  // Between tags there is no raw < or & from the data: every '<' opens a known element.
  for (size_t at = gexf.find('<'); at != std::string::npos; at = gexf.find('<', at + 1)) {
    const std::string_view rest = std::string_view(gexf).substr(at);
    bool known = false;
    for (std::string_view tag :
         {"<?xml",    "<gexf",       "</gexf",       "<meta",         "</meta",
          "<creator", "</creator",   "<description", "</description", "<graph",
          "</graph",  "<attributes", "</attributes", "<attribute ",   "<nodes",
          "</nodes",  "<node ",      "</node>",      "<edges",        "</edges",
          "<edge ",   "</edge>",     "<attvalues",   "</attvalues",   "<attvalue "})
      known = known || rest.starts_with(tag);
    EXPECT_TRUE(known) << rest.substr(0, 40);
  }
}

TEST(ReportHtmlTest, WriteReportWritesThePageAndTheGexf) {
  trafnet::testing::TempDir dir;
  ASSERT_TRUE(WriteReport(HandBuiltReport(), Options(), dir.path()).ok());
  const std::string html = trafnet::testing::ReadFile(dir / "report.html");
  const std::string gexf = trafnet::testing::ReadFile(dir / "networks.gexf");
  EXPECT_THAT(html, HasSubstr("NET-0002"));
  EXPECT_EQ(Count(gexf, "<node "), 9u);
  EXPECT_FALSE(std::filesystem::exists(dir / "report.html.tmp"));
  EXPECT_FALSE(std::filesystem::exists(dir / "networks.gexf.tmp"));
}

}  // namespace
}  // namespace trafnet::engine
