// report.html and networks.gexf (docs/report-format.md).
//
// The page is for an analyst who may be on a machine without network access, or who prints it
// for a case file: so it is one file with an inline style sheet and no script, and a strict
// Content-Security-Policy stops a browser from fetching anything even if hostile text in the
// data slipped past escaping. All data passes through Html() before it reaches the page.
#include "report_html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <string_view>
#include <tuple>
#include <vector>

#include "trafnet/engine/export.h"
#include "trafnet/storage/records.h"

namespace trafnet::engine {

namespace {

// XML escaping (& < > " ' and forbidden control characters) is also what HTML text and
// attribute values need.
std::string Html(std::string_view text) { return XmlEscape(text); }

// At most `max` code points of UTF-8 text, with "…" when cut; never splits a character.
std::string Shorten(std::string_view text, size_t max) {
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (points++ == max) return std::string(text.substr(0, i)) + "…";
  }
  return std::string(text);
}

constexpr std::string_view kStyle = R"(
body { font: 14px/1.45 system-ui, sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 1100px;
       padding: 0 16px 48px; }
h1 { margin: 24px 0 8px; } h2 { margin: 0 0 8px; } h3 { margin: 18px 0 6px; font-size: 15px; }
.notice { border-left: 5px solid #b03a2e; background: #fdf2f0; padding: 8px 12px; }
.meta { color: #555; }
table { border-collapse: collapse; margin: 4px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td ul, li ul { margin: 0; padding-left: 18px; }
section.lead { border-top: 3px solid #444; margin-top: 32px; padding-top: 12px; }
.score { font-weight: normal; color: #444; font-size: 15px; }
.bar { display: inline-block; height: 10px; background: #5d6d7e; vertical-align: middle; }
.sw { display: inline-block; width: 12px; height: 12px; border: 1px solid #333;
      vertical-align: middle; margin: 0 4px 0 12px; }
.legend { margin: 4px 0; }
svg.graph { width: 100%; max-width: 760px; height: auto; border: 1px solid #ddd; }
svg text { font: 11px sans-serif; fill: #222; }
svg line { stroke: #9aa5ad; }
.badge { padding: 0 6px; border-radius: 3px; color: #fff; }
.role-recruiter { fill: #c0392b; background: #c0392b; }
.role-controller { fill: #7d3c98; background: #7d3c98; }
.role-driver { fill: #d68910; background: #d68910; }
.role-victim { fill: #2e86c1; background: #2e86c1; }
.role-associate, .role-other { fill: #7f8c8d; background: #7f8c8d; }
.kind-phone { fill: #1e8449; background: #1e8449; }
.kind-address { fill: #8d6e63; background: #8d6e63; }
@media print {
  body { max-width: none; }
  section.lead { break-before: page; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)";

// The CSS class that colours a person by role; unknown roles share one colour.
std::string RoleClass(std::string_view role) {
  for (std::string_view known : {"recruiter", "controller", "driver", "victim", "associate"})
    if (role == known) return "role-" + std::string(known);
  return "role-other";
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? std::string(separator) : "") + items[i];
  return out;
}

std::string List(const std::vector<std::string>& items, std::string_view tag = "ul") {
  if (items.empty()) return "<p>none</p>\n";
  std::string out = fmt::format("<{}>\n", tag);
  for (const std::string& item : items) out += "<li>" + Html(item) + "</li>\n";
  return out + fmt::format("</{}>\n", tag);
}

// The drawing's nodes by id (first occurrence wins) and the links whose ends are both drawn.
struct DrawingGraph {
  std::map<std::string, size_t> index;
  std::vector<std::pair<size_t, size_t>> edges;  // unordered pairs, each once
};

DrawingGraph Index(const Lead& lead) {
  DrawingGraph graph;
  for (size_t i = 0; i < lead.nodes.size(); ++i) graph.index.emplace(lead.nodes[i].id, i);
  std::set<std::pair<size_t, size_t>> seen;
  for (const LeadLink& link : lead.links) {
    auto from = graph.index.find(link.from), to = graph.index.find(link.to);
    if (from == graph.index.end() || to == graph.index.end() || from->second == to->second)
      continue;
    auto pair = std::minmax(from->second, to->second);
    if (seen.insert(pair).second) graph.edges.push_back(pair);
  }
  return graph;
}

struct Point {
  double x = 0.0, y = 0.0;
};

constexpr double kWidth = 760.0, kHeight = 460.0, kMargin = 60.0;

// Fruchterman & Reingold, "Graph drawing by force-directed placement" (1991), O(iterations ·
// n²): persons start on a circle and identifiers on a circle inside it, then a fixed number of
// cooling steps. No randomness, so the same lead is always drawn the same way.
std::vector<Point> Layout(const Lead& lead, const DrawingGraph& graph) {
  const size_t n = lead.nodes.size();
  std::vector<Point> at(n);
  if (n == 0) return at;
  std::vector<size_t> persons, others;
  for (size_t i = 0; i < n; ++i) (lead.nodes[i].kind == "person" ? persons : others).push_back(i);
  auto ring = [&](const std::vector<size_t>& ids, double radius) {
    for (size_t k = 0; k < ids.size(); ++k) {
      const double angle =
          2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(ids.size());
      at[ids[k]] = {radius * std::cos(angle), radius * std::sin(angle)};
    }
  };
  ring(persons, 1.0);
  ring(others, others.size() == 1 ? 0.0 : 0.45);
  const double k = 2.0 / std::sqrt(static_cast<double>(n));  // ideal distance in a 2×2 square
  constexpr int kIterations = 200;
  std::vector<Point> shift(n);
  for (int step = 0; step < kIterations; ++step) {
    std::fill(shift.begin(), shift.end(), Point{});
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = i + 1; j < n; ++j) {
        double dx = at[i].x - at[j].x, dy = at[i].y - at[j].y;
        double d = std::sqrt(dx * dx + dy * dy);
        if (d < 1e-6) {  // coincident: push apart along a direction fixed by the indices
          dx = 1e-3 * static_cast<double>(j - i);
          dy = 0.0;
          d = dx;
        }
        const double force = k * k / d;
        shift[i].x += dx / d * force, shift[i].y += dy / d * force;
        shift[j].x -= dx / d * force, shift[j].y -= dy / d * force;
      }
    }
    for (const auto& [i, j] : graph.edges) {
      const double dx = at[i].x - at[j].x, dy = at[i].y - at[j].y;
      const double d = std::sqrt(dx * dx + dy * dy);
      if (d < 1e-9) continue;
      const double force = d * d / k;
      shift[i].x -= dx / d * force, shift[i].y -= dy / d * force;
      shift[j].x += dx / d * force, shift[j].y += dy / d * force;
    }
    const double temperature = 0.1 * (1.0 - static_cast<double>(step) / kIterations) + 0.002;
    for (size_t i = 0; i < n; ++i) {
      const double d = std::sqrt(shift[i].x * shift[i].x + shift[i].y * shift[i].y);
      if (d < 1e-12) continue;
      const double move = std::min(d, temperature);
      at[i].x = std::clamp(at[i].x + shift[i].x / d * move, -1.5, 1.5);
      at[i].y = std::clamp(at[i].y + shift[i].y / d * move, -1.5, 1.5);
    }
  }
  // Fit into the canvas, keeping the aspect ratio.
  double min_x = at[0].x, max_x = at[0].x, min_y = at[0].y, max_y = at[0].y;
  for (const Point& p : at) {
    min_x = std::min(min_x, p.x), max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y), max_y = std::max(max_y, p.y);
  }
  const double span = std::max({max_x - min_x, (max_y - min_y) * kWidth / kHeight, 1e-9});
  const double scale = n == 1 ? 0.0 : (kWidth - 2 * kMargin) / span;
  for (Point& p : at) {
    p.x = kWidth / 2 + (p.x - (min_x + max_x) / 2) * scale;
    p.y = kHeight / 2 + (p.y - (min_y + max_y) / 2) * scale;
  }
  return at;
}

std::string Tooltip(const LeadNode& node) {
  std::string text =
      node.label.empty() || node.label == node.id ? node.id : node.label + " (" + node.id + ")";
  return node.role.empty() ? node.kind + ": " + text : node.role + ": " + text;
}

std::string Drawing(const Lead& lead) {
  const DrawingGraph graph = Index(lead);
  const std::vector<Point> at = Layout(lead, graph);
  std::string out = fmt::format(
      "<svg class=\"graph\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"drawing of {}\">\n",
      kWidth, kHeight, Html(lead.id));
  for (const LeadLink& link : lead.links) {
    auto from = graph.index.find(link.from), to = graph.index.find(link.to);
    if (from == graph.index.end() || to == graph.index.end()) continue;
    const Point a = at[from->second], b = at[to->second];
    const double width = 1.0 + std::log2(1.0 + static_cast<double>(link.count));
    out += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke-width=\"{:.1f}\">"
        "<title>{} {} {} ({}–{}, {}×)</title></line>\n",
        a.x, a.y, b.x, b.y, width, Html(link.from), Html(link.type), Html(link.to),
        Html(link.first), Html(link.last), link.count);
  }
  for (size_t i = 0; i < lead.nodes.size(); ++i) {
    const LeadNode& node = lead.nodes[i];
    const Point p = at[i];
    out += "<g><title>" + Html(Tooltip(node)) + "</title>";
    if (node.kind == "phone") {
      out += fmt::format(
          "<rect class=\"kind-phone\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" "
          "height=\"12\"/>",
          p.x - 6, p.y - 6);
    } else if (node.kind == "address") {
      out += fmt::format(
          "<polygon class=\"kind-address\" points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} "
          "{:.1f},{:.1f}\"/>",
          p.x, p.y - 8, p.x + 8, p.y, p.x, p.y + 8, p.x - 8, p.y);
    } else {
      out += fmt::format("<circle class=\"{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"7\"/>",
                         RoleClass(node.role), p.x, p.y);
    }
    const std::string& label = node.label.empty() ? node.id : node.label;
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text></g>\n",
                       p.x, p.y - 11, Html(Shorten(label, 24)));
  }
  return out + "</svg>\n";
}

std::string Legend() {
  std::string out = "<p class=\"legend\">";
  for (std::string_view role : {"recruiter", "controller", "driver", "victim", "associate"})
    out += fmt::format("<span class=\"sw {}\"></span>{}", RoleClass(role), role);
  out += "<span class=\"sw kind-phone\"></span>phone (square)";
  out += "<span class=\"sw kind-address\"></span>address (diamond)";
  return out +
         "<br>Persons are circles; a thicker line is a link seen more often. Hover over a "
         "node or line for its details.</p>\n";
}

// Links by the month they were first seen ("YYYY-MM"), undated last.
std::string Timeline(const Lead& lead) {
  std::map<std::string, std::string> label;
  for (const LeadNode& node : lead.nodes)
    label.emplace(node.id, node.label.empty() || node.label == node.id
                               ? node.id
                               : node.label + " (" + node.id + ")");
  auto name = [&](const std::string& id) {
    auto it = label.find(id);
    return it == label.end() ? id : it->second;
  };
  std::vector<const LeadLink*> links;
  for (const LeadLink& link : lead.links) links.push_back(&link);
  std::stable_sort(links.begin(), links.end(), [](const LeadLink* a, const LeadLink* b) {
    return std::tie(a->first, a->last, a->from, a->to, a->type) <
           std::tie(b->first, b->last, b->from, b->to, b->type);
  });
  std::map<std::string, std::vector<const LeadLink*>> by_month;  // "~" sorts after digits
  for (const LeadLink* link : links)
    by_month[link->first.size() >= 7 ? link->first.substr(0, 7) : "~"].push_back(link);
  if (by_month.empty()) return "<p>No links.</p>\n";
  size_t most = 1;
  for (const auto& [month, in_month] : by_month) most = std::max(most, in_month.size());
  std::string out =
      "<table class=\"timeline\">\n<tr><th>first seen</th><th>links</th>"
      "<th>who and what</th></tr>\n";
  for (const auto& [month, in_month] : by_month) {
    out += fmt::format(
        "<tr><td>{}</td><td class=\"num\"><span class=\"bar\" style=\"width:{}px\">"
        "</span> {}</td><td><ul>\n",
        month == "~" ? "undated" : Html(month), 80 * in_month.size() / most, in_month.size());
    for (const LeadLink* link : in_month) {
      std::string when = link->first.empty() ? "undated"
                         : link->last.empty() || link->last == link->first
                             ? link->first
                             : link->first + " – " + link->last;
      out += "<li>" + Html(when) + ": " + Html(name(link->from)) + " <b>" + Html(link->type) +
             "</b> " + Html(name(link->to)) + fmt::format(" ({}×)</li>\n", link->count);
    }
    out += "</ul></td></tr>\n";
  }
  return out + "</table>\n";
}

std::string Members(const Lead& lead) {
  std::string out =
      "<table>\n<tr><th>id</th><th>records</th><th>name</th><th>role</th>"
      "<th>risk</th><th>why</th></tr>\n";
  for (const LeadMember& m : lead.members) {
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td><span class=\"badge {}\">{}</span></td>"
        "<td class=\"num\">{:.2f}</td><td>{}</td></tr>\n",
        m.records.empty() ? "" : Html(m.records.front()), Html(Join(m.records, ", ")), Html(m.name),
        RoleClass(m.role), Html(m.role), m.risk, m.reasons.empty() ? "" : List(m.reasons));
  }
  return out + "</table>\n";
}

std::string Identifiers(const Lead& lead) {
  std::map<std::string, std::string> text;
  for (const LeadNode& node : lead.nodes)
    if (node.kind == "address" && !node.label.empty()) text.emplace(node.id, node.label);
  std::vector<std::string> addresses;
  for (const std::string& id : lead.addresses) {
    auto it = text.find(id);
    addresses.push_back(it == text.end() || it->second == id ? id : id + ": " + it->second);
  }
  return "<p>Phones:</p>\n" + List(lead.phones) + "<p>Addresses:</p>\n" + List(addresses);
}

std::string Indicators(const Lead& lead, const DetectConfig& config) {
  std::string out = "<table>\n<tr><th>indicator</th><th>strength</th><th>weight</th></tr>\n";
  for (const auto& [name, value] : lead.indicators) {
    auto weight = config.weights.find(name);
    out += fmt::format(
        "<tr><td>{}</td><td class=\"num\"><span class=\"bar\" style=\"width:{}px\"></span> "
        "{:.2f}</td><td class=\"num\">{}</td></tr>\n",
        Html(name), static_cast<int>(std::lround(std::clamp(value, 0.0, 1.0) * 80)), value,
        weight == config.weights.end() ? "" : fmt::format("{:g}", weight->second));
  }
  return out + "</table>\n";
}

std::string LeadSection(const Lead& lead, const DetectConfig& config) {
  return fmt::format(
             "<section class=\"lead\" id=\"{0}\">\n<h2>{0} <span class=\"score\">rank {1}"
             " · score {2:.2f} · {3} members</span></h2>\n",
             Html(lead.id), lead.rank, lead.score, lead.members.size()) +
         "<h3>Why this is a lead</h3>\n" + List(lead.reasons, "ol") + "<h3>Indicators</h3>\n" +
         Indicators(lead, config) + "<h3>Members</h3>\n" + Members(lead) +
         "<h3>Identifiers that tie them</h3>\n" + Identifiers(lead) + "<h3>Drawing</h3>\n" +
         Drawing(lead) + Legend() + "<h3>Timeline of links</h3>\n" + Timeline(lead) +
         "</section>\n";
}

std::string Summary(const DetectionReport& report, const DetectOptions& options) {
  const DetectStats& s = report.stats;
  size_t accepted = 0;
  for (const SamePerson& pair : report.same_person) accepted += pair.accepted ? 1 : 0;
  std::string out = "<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n";
  auto row = [&](std::string_view what, const std::string& value) {
    out += fmt::format("<tr><th>{}</th><td class=\"num\">{}</td></tr>\n", what, Html(value));
  };
  row("person records", std::to_string(s.persons));
  row("persons after accepted same-person matches", std::to_string(s.resolved_persons));
  row("ties in the person graph", std::to_string(s.graph_edges));
  row("communities (first scale)", std::to_string(s.communities));
  row("modularity", fmt::format("{:.4f}", s.modularity));
  row("groups assessed", std::to_string(s.groups_scored));
  row("leads reported", std::to_string(report.networks.size()));
  row("possible same-person pairs (accepted)",
      fmt::format("{} ({})", report.same_person.size(), accepted));
  row("seed", std::to_string(options.seed));
  row("flag threshold", fmt::format("{:g}", options.config.flag_threshold));
  out += "</table>\n";
  if (report.networks.empty())
    return out + "<p>No group reached the flag threshold.</p>\n</section>\n";
  out +=
      "<h3>Leads</h3>\n<table>\n<tr><th>lead</th><th>rank</th><th>score</th><th>members</th>"
      "<th>strongest reason</th></tr>\n";
  for (const Lead& lead : report.networks) {
    out += fmt::format(
        "<tr><td><a href=\"#{0}\">{0}</a></td><td class=\"num\">{1}</td><td class=\"num\">"
        "{2:.2f}</td><td class=\"num\">{3}</td><td>{4}</td></tr>\n",
        Html(lead.id), lead.rank, lead.score, lead.members.size(),
        lead.reasons.empty() ? "" : Html(lead.reasons.front()));
  }
  return out + "</table>\n</section>\n";
}

}  // namespace

std::string ReportHtml(const DetectionReport& report, const DetectOptions& options,
                       const std::string& generated_at) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>trafnet: leads for investigation</title>\n<style>" +
      std::string(kStyle) +
      "</style>\n</head>\n<body>\n<header>\n<h1>Leads for investigation</h1>\n";
  out +=
      "<p class=\"notice\"><strong>These are leads for investigation, not findings of "
      "guilt.</strong> Each lead is a group whose records show documented indicators of "
      "recruitment and control, ranked by how many and how strongly. A lead is not a finding "
      "that anyone committed a crime: check every reason against the source records.</p>\n";
  out += "<p class=\"meta\">Generated by <code>trafnet analyze</code> at " + Html(generated_at) +
         ". report.json holds everything on this page and more.</p>\n</header>\n";
  out += Summary(report, options);
  for (const Lead& lead : report.networks) out += LeadSection(lead, options.config);
  return out + "</body>\n</html>\n";
}

std::string ReportGexf(const DetectionReport& report) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
      "  <meta><creator>trafnet</creator><description>trafnet analyze: leads for investigation, "
      "not findings of guilt</description></meta>\n"
      "  <graph mode=\"static\" defaultedgetype=\"directed\">\n"
      "    <attributes class=\"node\">\n"
      "      <attribute id=\"0\" title=\"kind\" type=\"string\"/>\n"
      "      <attribute id=\"1\" title=\"label\" type=\"string\"/>\n"
      "      <attribute id=\"2\" title=\"role\" type=\"string\"/>\n"
      "      <attribute id=\"3\" title=\"network\" type=\"string\"/>\n"
      "      <attribute id=\"4\" title=\"risk\" type=\"double\"/>\n"
      "      <attribute id=\"5\" title=\"network_score\" type=\"double\"/>\n"
      "      <attribute id=\"6\" title=\"key\" type=\"string\"/>\n"
      "    </attributes>\n"
      "    <attributes class=\"edge\">\n"
      "      <attribute id=\"0\" title=\"type\" type=\"string\"/>\n"
      "      <attribute id=\"1\" title=\"first\" type=\"string\"/>\n"
      "      <attribute id=\"2\" title=\"last\" type=\"string\"/>\n"
      "      <attribute id=\"3\" title=\"count\" type=\"long\"/>\n"
      "      <attribute id=\"4\" title=\"network\" type=\"string\"/>\n"
      "    </attributes>\n"
      "    <nodes>\n";
  std::string edges;
  uint64_t edge_id = 0;
  for (const Lead& lead : report.networks) {
    // Person nodes are records; a member's risk applies to each of its records.
    std::map<std::string, double> risk;
    for (const LeadMember& m : lead.members)
      for (const std::string& record : m.records) risk.emplace(record, m.risk);
    std::set<std::string> drawn;
    auto node_id = [&](const std::string& id) { return Html(lead.id + "/" + id); };
    for (const LeadNode& node : lead.nodes) {
      if (!drawn.insert(node.id).second) continue;
      const std::string& label = node.label.empty() ? node.id : node.label;
      out += fmt::format(
          "      <node id=\"{}\" label=\"{}\"><attvalues><attvalue for=\"0\" value=\"{}\"/>"
          "<attvalue for=\"1\" value=\"{}\"/><attvalue for=\"2\" value=\"{}\"/>"
          "<attvalue for=\"3\" value=\"{}\"/>",
          node_id(node.id), Html(label), Html(node.kind), Html(label), Html(node.role),
          Html(lead.id));
      if (auto it = risk.find(node.id); node.kind == "person" && it != risk.end())
        out += fmt::format("<attvalue for=\"4\" value=\"{:.4f}\"/>", it->second);
      out += fmt::format(
          "<attvalue for=\"5\" value=\"{:.4f}\"/><attvalue for=\"6\" value=\"{}\"/>"
          "</attvalues></node>\n",
          lead.score, Html(node.id));
    }
    for (const LeadLink& link : lead.links) {
      if (!drawn.contains(link.from) || !drawn.contains(link.to)) continue;
      // At least 1, so that a link with no recorded count still pulls in weighted layouts.
      edges += fmt::format(
          "      <edge id=\"e{}\" source=\"{}\" target=\"{}\" weight=\"{}\"{}><attvalues>"
          "<attvalue for=\"0\" value=\"{}\"/><attvalue for=\"1\" value=\"{}\"/>"
          "<attvalue for=\"2\" value=\"{}\"/><attvalue for=\"3\" value=\"{}\"/>"
          "<attvalue for=\"4\" value=\"{}\"/></attvalues></edge>\n",
          edge_id++, node_id(link.from), node_id(link.to), std::max<uint64_t>(link.count, 1),
          storage::IsSymmetricLinkType(link.type) ? " type=\"undirected\"" : "", Html(link.type),
          Html(link.first), Html(link.last), link.count, Html(lead.id));
    }
  }
  return out + "    </nodes>\n    <edges>\n" + edges + "    </edges>\n  </graph>\n</gexf>\n";
}

}  // namespace trafnet::engine
