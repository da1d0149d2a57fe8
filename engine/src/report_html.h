// The two human-facing views of a DetectionReport that WriteReport adds to report.json and the
// CSV files: report.html, one self-contained page an analyst can open offline or print, and
// networks.gexf, the leads' drawing graphs for Gephi.
//
// Both are pure functions of their arguments: the same report gives the same bytes (the page's
// layout is computed here without randomness), so reports stay reproducible.
#ifndef TRAFNET_ENGINE_REPORT_HTML_H_
#define TRAFNET_ENGINE_REPORT_HTML_H_

#include <string>

#include "trafnet/engine/detect.h"

namespace trafnet::engine {

// One HTML5 page: the notice that leads are not findings of guilt, the run's summary, and per
// lead its reasons, indicators, members, identifiers, an inline SVG drawing and a timeline of
// its links by month. Nothing is fetched: no URL, script, external style or font, and a
// Content-Security-Policy that forbids them. Every piece of data is HTML-escaped.
// `generated_at` is shown as is (report.json's value).
std::string ReportHtml(const DetectionReport& report, const DetectOptions& options,
                       const std::string& generated_at);

// GEXF 1.3 of every lead's nodes and links. A node that appears in two leads is two nodes (ids
// "NET-0001/<id>"), so each keeps its lead's role and score. Node attributes: kind, label, role,
// network, risk (persons only), network_score, key (the id as in report.json); edge attributes:
// type, first, last, count, network; the edge weight is the count (at least 1).
std::string ReportGexf(const DetectionReport& report);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_REPORT_HTML_H_
