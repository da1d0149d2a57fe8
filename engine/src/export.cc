#include "trafnet/engine/export.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "trafnet/engine/progress.h"

namespace trafnet::engine {

namespace {

using storage::NodeRecord;

// Fields the store derives at ingest; an export leaves them out and a re-ingest derives them.
bool IsDerivedField(std::string_view name) {
  return name == storage::kNameKeyField || name == storage::kAddressKeyField || name == "quality" ||
         name == "region" || name == "raw";
}

// The contract's columns per kind, in order, without `source` (written after them).
std::vector<std::string> ContractColumns(std::string_view kind) {
  if (kind == storage::kPersonKind) return {"id", "name", "birth_date", "gender", "nationality", "status"};
  if (kind == storage::kAddressKind) return {"id", "text", "city", "country", "kind"};
  if (kind == storage::kPhoneKind) return {"number", "country", "kind"};
  return {"id"};
}

// How a node is referred to in links.csv and named in its own file: the id as ingested, or the
// phone number (an invalid phone's raw text, which normalises back to the same key).
std::string ExternalKey(const NodeRecord& node) {
  if (node.kind == storage::kPhoneKind && !node.key.empty() && node.key[0] == '?') return node.key.substr(1);
  return node.key;
}

std::string FileStem(std::string_view kind) {
  if (kind == storage::kAddressKind) return "addresses";
  return std::string(kind) + "s";
}

void WriteCsvRow(std::ostream& out, const std::vector<std::string>& cells) { out << CsvRow(cells); }

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters other than tab and newlines are not allowed in XML 1.0.
        if (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

namespace {

// The label a person sees for a node: name, address text or number.
std::string Label(const NodeRecord& node) {
  for (std::string_view field : {"name", "text"}) {
    std::string_view value = storage::FieldValue(node.fields, field);
    if (!value.empty()) return std::string(value);
  }
  return ExternalKey(node);
}

struct LinkTotals {
  uint64_t count = 0;
  std::string first;
  std::string last;
  std::set<std::string> sources;
};

LinkTotals Totals(const storage::LinkRecord& link) {
  LinkTotals totals;
  for (const auto& obs : link.observations) {
    totals.count += obs.count;
    if (!obs.start.empty() && (totals.first.empty() || obs.start < totals.first)) totals.first = obs.start;
    std::string_view last = obs.end.empty() ? obs.start : obs.end;
    if (!last.empty() && last > totals.last) totals.last = std::string(last);
    totals.sources.insert(obs.source);
  }
  return totals;
}

std::string Join(const std::set<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ';';
    out += item;
  }
  return out;
}

class Exporter {
 public:
  Exporter(const storage::Store& store, const ExportOptions& options) : store_(store), options_(options) {}

  StatusOr<ExportSummary> Run() {
    storage::StoreCounts counts = store_.counts();
    progress_ = std::make_unique<Progress>("export", counts.nodes + counts.links, options_.quiet);
    // First pass: every node's external reference (ids are dense) and the extra columns per kind.
    TRAFNET_RETURN_IF_ERROR(store_.ForEachNode([&](const NodeRecord& node) {
      if (refs_.size() <= node.id) refs_.resize(node.id + 1);
      refs_[node.id] = node.kind + ":" + ExternalKey(node);
      auto& extras = extra_columns_[node.kind];
      const auto contract = ContractColumns(node.kind);
      for (const auto& [name, value] : node.fields) {
        if (!IsDerivedField(name) && std::find(contract.begin(), contract.end(), name) == contract.end()) {
          extras.insert(name);
        }
      }
      return Status::Ok();
    }));
    switch (options_.format) {
      case ExportFormat::kCsv:
      case ExportFormat::kJsonl: TRAFNET_RETURN_IF_ERROR(WriteTabular()); break;
      case ExportFormat::kGraphml:
      case ExportFormat::kGexf: TRAFNET_RETURN_IF_ERROR(WriteXml()); break;
    }
    return summary_;
  }

 private:
  std::string Ref(storage::NodeId id) const { return id < refs_.size() ? refs_[id] : "?"; }

  StatusOr<std::ofstream*> Open(const std::filesystem::path& path) {
    auto& stream = files_[path.string()];
    if (!stream) {
      stream = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
      if (!*stream) return IoError("cannot write " + path.string());
    }
    return stream.get();
  }

  void Tick() {
    if ((++ticks_ & 4095) == 0) progress_->Update(ticks_, ticks_);
  }

  // One record: CSV row in its kind's file, or one JSON line.
  Status Emit(std::string_view kind, const std::vector<std::string>& columns,
              const std::vector<std::string>& cells) {
    ++summary_.rows;
    if (options_.format == ExportFormat::kCsv) {
      std::filesystem::path path = options_.out / (FileStem(kind) + ".csv");
      bool fresh = !files_.contains(path.string());
      TRAFNET_ASSIGN_OR_RETURN(std::ofstream * out, Open(path));
      if (fresh) WriteCsvRow(*out, columns);
      WriteCsvRow(*out, cells);
      return Status::Ok();
    }
    TRAFNET_ASSIGN_OR_RETURN(std::ofstream * out, Open(options_.out));
    nlohmann::ordered_json line;
    line["kind"] = std::string(kind);
    for (size_t i = 0; i < columns.size(); ++i) {
      if (cells[i].empty()) continue;
      std::string name = columns[i];
      // In JSONL `kind` names the record kind, so an address's or phone's own kind is renamed.
      if (name == "kind") name = std::string(kind) + "_kind";
      line[name] = cells[i];
    }
    *out << line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    return Status::Ok();
  }

  Status WriteTabular() {
    std::error_code ec;
    if (options_.format == ExportFormat::kCsv) {
      std::filesystem::create_directories(options_.out, ec);
      if (ec) return IoError("cannot create " + options_.out.string() + ": " + ec.message());
    }
    // Persons, addresses and phones first, so the files read back in one ingest.
    for (std::string_view pass : {"person", "address", "phone", ""}) {
      TRAFNET_RETURN_IF_ERROR(store_.ForEachNode([&](const NodeRecord& node) -> Status {
        bool wanted = pass.empty() ? (node.kind != "person" && node.kind != "address" && node.kind != "phone")
                                   : node.kind == pass;
        if (!wanted) return Status::Ok();
        ++summary_.nodes;
        Tick();
        std::vector<std::string> columns = ContractColumns(node.kind);
        std::vector<std::string> cells;
        cells.push_back(ExternalKey(node));
        for (size_t i = 1; i < columns.size(); ++i) cells.emplace_back(storage::FieldValue(node.fields, columns[i]));
        columns.emplace_back("source");
        cells.emplace_back();
        for (const auto& extra : extra_columns_[node.kind]) {
          columns.push_back(extra);
          cells.emplace_back(storage::FieldValue(node.fields, extra));
        }
        const size_t source_column = ContractColumns(node.kind).size();
        if (node.sources.empty()) return Emit(node.kind, columns, cells);
        for (const auto& source : node.sources) {
          cells[source_column] = source;
          TRAFNET_RETURN_IF_ERROR(Emit(node.kind, columns, cells));
        }
        return Status::Ok();
      }));
    }
    std::set<std::string> link_extras;
    TRAFNET_RETURN_IF_ERROR(store_.ForEachLink([&](const storage::LinkRecord& link) {
      for (const auto& obs : link.observations) {
        for (const auto& [name, value] : obs.extra) {
          if (name != "from_raw" && name != "to_raw") link_extras.insert(name);
        }
      }
      return Status::Ok();
    }));
    std::vector<std::string> columns = {"from", "to", "type", "start", "end", "count", "source"};
    columns.insert(columns.end(), link_extras.begin(), link_extras.end());
    TRAFNET_RETURN_IF_ERROR(store_.ForEachLink([&](const storage::LinkRecord& link) -> Status {
      ++summary_.links;
      Tick();
      for (const auto& obs : link.observations) {
        // A phone is referred to as the source wrote it, so re-ingest keeps the same evidence.
        auto ref = [&](storage::NodeId id, std::string_view raw_field) {
          std::string_view raw = storage::FieldValue(obs.extra, raw_field);
          return raw.empty() ? Ref(id) : std::string(storage::kPhoneKind) + ":" + std::string(raw);
        };
        std::vector<std::string> cells = {ref(link.from, "from_raw"), ref(link.to, "to_raw"), link.type,
                                          obs.start, obs.end, std::to_string(obs.count), obs.source};
        for (const auto& extra : link_extras) cells.emplace_back(storage::FieldValue(obs.extra, extra));
        TRAFNET_RETURN_IF_ERROR(Emit("link", columns, cells));
      }
      return Status::Ok();
    }));
    for (auto& [path, stream] : files_) {
      stream->flush();
      if (!*stream) return IoError("error writing " + path);
    }
    return Status::Ok();
  }

  Status WriteXml() {
    bool gexf = options_.format == ExportFormat::kGexf;
    std::ofstream out(options_.out, std::ios::binary | std::ios::trunc);
    if (!out) return IoError("cannot write " + options_.out.string());
    const std::vector<std::string> node_attributes = {"kind", "key", "sources"};
    const std::vector<std::string> edge_attributes = {"type", "count", "observations", "first", "last", "sources"};
    if (gexf) {
      out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
             "  <meta><creator>trafnet</creator><description>trafnet store export</description></meta>\n"
             "  <graph mode=\"static\" defaultedgetype=\"directed\">\n"
             "    <attributes class=\"node\">\n";
      for (size_t i = 0; i < node_attributes.size(); ++i) {
        out << fmt::format("      <attribute id=\"{}\" title=\"{}\" type=\"string\"/>\n", i, node_attributes[i]);
      }
      out << "    </attributes>\n    <attributes class=\"edge\">\n";
      for (size_t i = 0; i < edge_attributes.size(); ++i) {
        bool numeric = edge_attributes[i] == "count" || edge_attributes[i] == "observations";
        out << fmt::format("      <attribute id=\"{}\" title=\"{}\" type=\"{}\"/>\n", i, edge_attributes[i],
                           numeric ? "long" : "string");
      }
      out << "    </attributes>\n    <nodes>\n";
    } else {
      out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
             "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
             "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
             "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n";
      for (const auto& name : node_attributes) {
        out << fmt::format("  <key id=\"n_{0}\" for=\"node\" attr.name=\"{0}\" attr.type=\"string\"/>\n", name);
      }
      for (const auto& name : edge_attributes) {
        bool numeric = name == "count" || name == "observations";
        out << fmt::format("  <key id=\"e_{0}\" for=\"edge\" attr.name=\"{0}\" attr.type=\"{1}\"/>\n", name,
                           numeric ? "long" : "string");
      }
      out << "  <graph id=\"trafnet\" edgedefault=\"directed\">\n";
    }
    TRAFNET_RETURN_IF_ERROR(store_.ForEachNode([&](const NodeRecord& node) {
      ++summary_.nodes;
      ++summary_.rows;
      Tick();
      std::string sources;
      for (const auto& source : node.sources) sources += (sources.empty() ? "" : ";") + source;
      const std::vector<std::string> values = {node.kind, ExternalKey(node), sources};
      if (gexf) {
        out << fmt::format("      <node id=\"n{}\" label=\"{}\"><attvalues>", node.id, XmlEscape(Label(node)));
        for (size_t i = 0; i < values.size(); ++i) {
          out << fmt::format("<attvalue for=\"{}\" value=\"{}\"/>", i, XmlEscape(values[i]));
        }
        out << "</attvalues></node>\n";
      } else {
        out << fmt::format("    <node id=\"n{}\"><data key=\"label\">{}</data>", node.id, XmlEscape(Label(node)));
        for (size_t i = 0; i < values.size(); ++i) {
          out << fmt::format("<data key=\"n_{}\">{}</data>", node_attributes[i], XmlEscape(values[i]));
        }
        out << "</node>\n";
      }
      return Status::Ok();
    }));
    if (gexf) out << "    </nodes>\n    <edges>\n";
    uint64_t edge_id = 0;
    TRAFNET_RETURN_IF_ERROR(store_.ForEachLink([&](const storage::LinkRecord& link) {
      ++summary_.links;
      ++summary_.rows;
      Tick();
      LinkTotals totals = Totals(link);
      const std::vector<std::string> values = {link.type, std::to_string(totals.count),
                                               std::to_string(link.observations.size()), totals.first,
                                               totals.last, Join(totals.sources)};
      bool symmetric = storage::IsSymmetricLinkType(link.type);
      if (gexf) {
        out << fmt::format("      <edge id=\"e{}\" source=\"n{}\" target=\"n{}\" weight=\"{}\"{}><attvalues>",
                           edge_id++, link.from, link.to, totals.count, symmetric ? " type=\"undirected\"" : "");
        for (size_t i = 0; i < values.size(); ++i) {
          out << fmt::format("<attvalue for=\"{}\" value=\"{}\"/>", i, XmlEscape(values[i]));
        }
        out << "</attvalues></edge>\n";
      } else {
        out << fmt::format("    <edge id=\"e{}\" source=\"n{}\" target=\"n{}\"{}>", edge_id++, link.from,
                           link.to, symmetric ? " directed=\"false\"" : "");
        for (size_t i = 0; i < values.size(); ++i) {
          out << fmt::format("<data key=\"e_{}\">{}</data>", edge_attributes[i], XmlEscape(values[i]));
        }
        out << "</edge>\n";
      }
      return Status::Ok();
    }));
    out << (gexf ? "    </edges>\n  </graph>\n</gexf>\n" : "  </graph>\n</graphml>\n");
    out.flush();
    if (!out) return IoError("error writing " + options_.out.string());
    return Status::Ok();
  }

  const storage::Store& store_;
  const ExportOptions& options_;
  ExportSummary summary_;
  std::vector<std::string> refs_;
  std::map<std::string, std::set<std::string>> extra_columns_;
  std::map<std::string, std::unique_ptr<std::ofstream>> files_;
  std::unique_ptr<Progress> progress_;
  uint64_t ticks_ = 0;
};

}  // namespace

StatusOr<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "jsonl") return ExportFormat::kJsonl;
  if (name == "graphml") return ExportFormat::kGraphml;
  if (name == "gexf") return ExportFormat::kGexf;
  return InvalidArgumentError("unknown export format '" + std::string(name) + "' (csv, jsonl, graphml, gexf)");
}

std::string GuardFormula(std::string_view cell) {
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r')) {
    std::string guarded;
    guarded.reserve(cell.size() + 1);
    guarded.push_back('\'');
    guarded.append(cell);
    return guarded;
  }
  return std::string(cell);
}

std::string CsvRow(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    const std::string cell = GuardFormula(cells[i]);
    if (cell.find_first_of(",\"\r\n") != std::string::npos) {
      out += '"';
      for (char c : cell) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    } else {
      out += cell;
    }
  }
  out += '\n';
  return out;
}

std::string_view UnguardFormula(std::string_view cell) {
  if (cell.size() >= 2 && cell[0] == '\'' &&
      (cell[1] == '=' || cell[1] == '+' || cell[1] == '-' || cell[1] == '@' || cell[1] == '\t' ||
       cell[1] == '\r')) {
    cell.remove_prefix(1);
  }
  return cell;
}

StatusOr<ExportSummary> Export(const storage::Store& store, const ExportOptions& options) {
  if (options.out.empty()) return InvalidArgumentError("export needs --out");
  Exporter exporter(store, options);
  return exporter.Run();
}

}  // namespace trafnet::engine
