// Store::Verify: RocksDB's own checksums, then the store's invariants.
//
// Everything is checked by sequential scans and merges of sorted lists, never by a random
// lookup per entry: a scan reads each block once, so verify costs about as much as reading the
// store, even for tens of millions of links.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

#include "link_totals.h"
#include "node_heads.h"
#include "step_reporter.h"
#include "store_impl.h"

namespace trafnet::storage {

namespace {

constexpr size_t kMaxProblems = 100;

using Arc = codec::AdjacencyEntry;

// Calls `missing` for each entry of `sorted` that `within` (sorted too) lacks.
template <typename Fn>
void ForEachMissing(const std::vector<Arc>& sorted, const std::vector<Arc>& within, Fn&& missing) {
  size_t j = 0;
  for (const Arc& arc : sorted) {
    while (j < within.size() && within[j] < arc) ++j;
    if (j == within.size() || arc < within[j]) missing(arc);
  }
}

class Checker {
 public:
  Checker(const Store::Impl& impl, VerifyReport& report, const StepProgressFn& progress)
      : impl_(impl), report_(report), reporter_(progress) {
    options_.snapshot = snapshot_ = impl_.GetSnapshot();
    options_.fill_cache = false;
    std::lock_guard lock(impl_.mutex);
    next_id_ = impl_.next_node_id;
    maintained_ = impl_.counts;
    name_words_complete_ = impl_.name_word_index;
    link_summaries_complete_ = impl_.link_summaries;
    node_heads_complete_ = impl_.node_heads;
    type_names_ = impl_.type_names;
  }
  ~Checker() { impl_.ReleaseSnapshot(snapshot_); }

  Status Run() {
    StoreCounts recount;
    reporter_.Begin("nodes", maintained_.nodes);
    TRAFNET_RETURN_IF_ERROR(CheckNodes(recount));
    reporter_.End();
    if (node_heads_complete_) {
      reporter_.Begin("node heads", maintained_.nodes);
      TRAFNET_RETURN_IF_ERROR(CheckNodeHeads());
      reporter_.End();
    }
    reporter_.Begin("indexes", node_keys_.size() + name_index_.size() + address_index_.size() +
                                   source_index_.size());
    TRAFNET_RETURN_IF_ERROR(CheckIndex(kNodeKeysCf, node_keys_));
    TRAFNET_RETURN_IF_ERROR(CheckIndex(kNameIndexCf, name_index_));
    TRAFNET_RETURN_IF_ERROR(CheckIndex(kAddressIndexCf, address_index_));
    TRAFNET_RETURN_IF_ERROR(CheckIndex(kSourceIndexCf, source_index_));
    reporter_.End();
    reporter_.Begin("adjacency", 0);  // out and in hold 2 to 4 entries a link: not known ahead
    TRAFNET_RETURN_IF_ERROR(CheckAdjacency(recount));
    reporter_.End();
    reporter_.Begin("observations", maintained_.observations);
    TRAFNET_RETURN_IF_ERROR(CheckObservations(recount));
    reporter_.End();
    CompareCounts("nodes of kind", maintained_.nodes_by_kind, recount.nodes_by_kind);
    CompareCounts("links of type", maintained_.links_by_type, recount.links_by_type);
    CompareCounts("nodes from source", maintained_.nodes_by_source, recount.nodes_by_source);
    CompareCounts("observations from source", maintained_.observations_by_source,
                  recount.observations_by_source);
    return Status::Ok();
  }

 private:
  void Problem(std::string text) {
    if (report_.problems.size() < kMaxProblems) {
      report_.problems.push_back(std::move(text));
    } else if (report_.problems.size() == kMaxProblems) {
      report_.problems.push_back("… more problems not listed");
    }
  }

  std::unique_ptr<rocksdb::Iterator> Scan(ColumnFamily family) {
    return std::unique_ptr<rocksdb::Iterator>(impl_.db->NewIterator(options_, impl_.cf[family]));
  }

  std::string TypeName(codec::LinkTypeId id) const {
    auto it = type_names_.find(id);
    return it == type_names_.end() ? fmt::format("unregistered type {}", id) : it->second;
  }

  // A store written before the name-word index holds word entries only for the persons
  // written since: those must be right, but the others' are not missing.
  bool MayBeMissing(ColumnFamily family, std::string_view key) const {
    return family == kNameIndexCf && !name_words_complete_ && !key.empty() && key[0] == '\0';
  }

  bool NodeExists(NodeId id) const { return id < node_exists_.size() && node_exists_[id]; }

  // Reads every node, and lists the index entries each one should have.
  Status CheckNodes(StoreCounts& recount) {
    node_exists_.assign(next_id_, false);
    auto it = Scan(kNodesCf);
    NodeRecord node;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report_.nodes_checked;
      reporter_.Tick();
      if (it->key().size() != 8) {
        Problem(fmt::format("nodes: key of {} bytes", it->key().size()));
        continue;
      }
      NodeId id = codec::GetBigEndian64(std::string_view(it->key().data(), 8));
      Status decoded = codec::DecodeNode(id, std::string_view(it->value().data(), it->value().size()), node);
      if (!decoded.ok()) {
        Problem(decoded.message());
        continue;
      }
      if (id >= next_id_) {
        Problem(fmt::format("node {} is past the id counter {}", id, next_id_));
      } else {
        node_exists_[id] = true;
      }
      ++recount.nodes_by_kind[node.kind];
      node_keys_.emplace_back(codec::NaturalKey(node.kind, node.key), codec::NodeIdKey(id));
      std::string_view name_key = FieldValue(node.fields, kNameKeyField);
      if (!name_key.empty()) {
        name_index_.emplace_back(codec::IndexKey(name_key, id), "");
        for (std::string& key : codec::NameWordKeys(name_key, id))
          name_index_.emplace_back(std::move(key), std::string(name_key));
      }
      std::string_view address_key = FieldValue(node.fields, kAddressKeyField);
      if (!address_key.empty()) address_index_.emplace_back(codec::IndexKey(address_key, id), "");
      for (const auto& source : node.sources) {
        ++recount.nodes_by_source[source];
        source_index_.emplace_back(codec::IndexKey(source, id), "");
      }
    }
    return FromRocks(it->status(), "scan nodes");
  }

  // node_heads against the records, both read in id order: every node has its head, equal to
  // what its record says, and no head lacks a record.
  Status CheckNodeHeads() {
    auto nodes = Scan(kNodesCf);
    auto chunks = Scan(kNodeHeadsCf);
    nodes->SeekToFirst();
    chunks->SeekToFirst();
    std::vector<NodeHead> heads;
    size_t next = 0;  // in heads
    NodeRecord node;
    auto next_head = [&]() -> const NodeHead* {
      while (next == heads.size() && chunks->Valid()) {
        heads.clear();
        next = 0;
        if (chunks->key().size() != codec::kNodeIdBytes) {
          Problem(fmt::format("node_heads: key of {} bytes", chunks->key().size()));
        } else {
          const NodeId first =
              codec::GetBigEndian64(std::string_view(chunks->key().data(), chunks->key().size()));
          Status decoded = DecodeNodeHeads(
              first, std::string_view(chunks->value().data(), chunks->value().size()), heads);
          if (!decoded.ok()) Problem(decoded.message());
        }
        chunks->Next();
      }
      return next < heads.size() ? &heads[next] : nullptr;
    };
    for (; nodes->Valid(); nodes->Next()) {
      reporter_.Tick();
      if (nodes->key().size() != codec::kNodeIdBytes) continue;  // CheckNodes said so
      const NodeId id =
          codec::GetBigEndian64(std::string_view(nodes->key().data(), nodes->key().size()));
      if (!codec::DecodeNode(id, std::string_view(nodes->value().data(), nodes->value().size()),
                             node)
               .ok())
        continue;
      const NodeHead* head = next_head();
      for (; head != nullptr && head->id < id; ++next, head = next_head())
        Problem(fmt::format("node_heads: node {} has a head and no record", head->id));
      if (head == nullptr || head->id != id) {
        Problem(fmt::format("node_heads: node {} ({}:{}) has no head", id, node.kind, node.key));
        continue;
      }
      if (*head != HeadOf(node)) {
        Problem(fmt::format(
            "node_heads: the head of node {} says {}:{} status '{}', its record {}:{} status '{}'",
            id, head->kind, head->key, head->status, node.kind, node.key, HeadOf(node).status));
      }
      ++next;
    }
    TRAFNET_RETURN_IF_ERROR(FromRocks(nodes->status(), "scan nodes"));
    for (const NodeHead* head = next_head(); head != nullptr; ++next, head = next_head())
      Problem(fmt::format("node_heads: node {} has a head and no record", head->id));
    return FromRocks(chunks->status(), "scan node_heads");
  }

  // Merges the entries the nodes call for with the entries the family holds.
  Status CheckIndex(ColumnFamily family, SortedWrites& expected) {
    std::sort(expected.begin(), expected.end());
    const char* name = kColumnFamilyNames[family];
    auto describe = [](std::string_view key) {
      codec::NameWordParts word;
      if (codec::ParseNameWordKey(key, word)) {
        return fmt::format("word '{}' with '{}' of node {}", word.word, word.partner, word.id);
      }
      std::string text(key.substr(0, key.size() >= 9 ? key.size() - 9 : key.size()));
      std::replace(text.begin(), text.end(), '\0', ':');
      return text;
    };
    auto missing = [&](std::string_view key) {
      if (!MayBeMissing(family, key)) Problem(fmt::format("{}: missing entry '{}'", name, describe(key)));
    };
    auto it = Scan(family);
    size_t next = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report_.index_entries_checked;
      reporter_.Tick();
      std::string_view key(it->key().data(), it->key().size());
      while (next < expected.size() && expected[next].first < key) missing(expected[next++].first);
      if (next < expected.size() && expected[next].first == key) {
        if (std::string_view(it->value().data(), it->value().size()) != expected[next].second) {
          Problem(fmt::format("{}: entry '{}' {}", name, describe(key),
                              family == kNameIndexCf ? "holds another name key than its node"
                                                     : "points at the wrong node"));
        }
        ++next;
      } else {
        Problem(fmt::format("{}: entry '{}' points at a node that does not carry it", name,
                            family == kNodeKeysCf ? std::string(key) : describe(key)));
      }
    }
    for (; next < expected.size(); ++next) missing(expected[next].first);
    expected.clear();
    expected.shrink_to_fit();
    return FromRocks(it->status(), std::string("scan ") + name);
  }

  Status ReadArcs(ColumnFamily family, std::vector<Arc>& arcs) {
    auto it = Scan(family);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      reporter_.Tick();
      codec::AdjacencyParts parts;
      if (!codec::ParseAdjacencyKey(std::string_view(it->key().data(), it->key().size()), parts)) {
        Problem(fmt::format("{}: malformed key", kColumnFamilyNames[family]));
        continue;
      }
      bool symmetric = !it->value().empty() && (it->value()[0] & codec::kFlagSymmetric);
      arcs.push_back(Arc{parts.a, parts.type, parts.b, symmetric});
    }
    return FromRocks(it->status(), std::string("scan ") + kColumnFamilyNames[family]);
  }

  // A directed link has an out entry and its in mirror; a symmetric one has out entries from both
  // ends, and in entries only in a store written before they were dropped (docs/storage.md),
  // which must then mirror out entries. Every link's ends must be nodes.
  Status CheckAdjacency(StoreCounts& recount) {
    TRAFNET_RETURN_IF_ERROR(ReadArcs(kOutCf, out_));  // in key order: sorted
    std::vector<Arc> in;
    TRAFNET_RETURN_IF_ERROR(ReadArcs(kInCf, in));
    for (Arc& arc : in) std::swap(arc.a, arc.b);  // in holds (to, type, from)
    std::sort(in.begin(), in.end());
    auto in_has_no_mirror = [&](const Arc& arc) {
      Problem(fmt::format("in entry {} <-{}- {} has no mirror in out", arc.b, TypeName(arc.type),
                          arc.a));
    };
    // Symmetric links apart: each out entry needs its reverse, and an in entry (an earlier layout
    // wrote them) its out entry. All three lists are sorted, so each check is a merge.
    std::vector<Arc> symmetric_out, reverses;
    for (const Arc& arc : out_) {
      if (!arc.symmetric) continue;
      symmetric_out.push_back(arc);
      reverses.push_back(Arc{arc.b, arc.type, arc.a, true});
    }
    std::sort(reverses.begin(), reverses.end());
    // x lacks its reverse exactly when no entry's reverse is x.
    ForEachMissing(symmetric_out, reverses, [&](const Arc& arc) {
      Problem(fmt::format("out entry {} -{}-> {} of a symmetric link has no reverse entry in out",
                          arc.a, TypeName(arc.type), arc.b));
    });
    reverses = std::vector<Arc>();
    auto symmetric_in =
        std::stable_partition(in.begin(), in.end(), [](const Arc& arc) { return !arc.symmetric; });
    ForEachMissing(std::vector<Arc>(symmetric_in, in.end()), symmetric_out, in_has_no_mirror);
    in.erase(symmetric_in, in.end());
    symmetric_out = std::vector<Arc>();
    size_t j = 0;
    for (const Arc& arc : out_) {
      if (!arc.symmetric) {
        while (j < in.size() && in[j] < arc) in_has_no_mirror(in[j++]);
        if (j < in.size() && !(arc < in[j])) {
          ++j;
        } else {
          Problem(fmt::format("out entry {} -{}-> {} has no mirror in in", arc.a,
                              TypeName(arc.type), arc.b));
        }
      }
      if (!NodeExists(arc.a) || !NodeExists(arc.b)) {
        Problem(fmt::format("link {} -{}-> {} has an end that is not a node", arc.a, TypeName(arc.type), arc.b));
      }
      if (!type_names_.contains(arc.type)) Problem(fmt::format("link {} -> {} has an unregistered type", arc.a, arc.b));
      // A link counts once: directed by its out entry, symmetric by its canonical one.
      if (arc.symmetric && arc.a > arc.b) continue;
      ++report_.links_checked;
      ++recount.links_by_type[TypeName(arc.type)];
    }
    for (; j < in.size(); ++j) in_has_no_mirror(in[j]);
    return Status::Ok();
  }

  // Observations are sorted by canonical link, like out: merge the two.
  Status CheckObservations(StoreCounts& recount) {
    std::vector<Arc> canonical;
    for (const Arc& arc : out_) {
      if (!arc.symmetric || arc.a <= arc.b) canonical.push_back(arc);
    }
    out_.clear();
    out_.shrink_to_fit();
    std::vector<bool> observed(canonical.size(), false);
    size_t j = 0;
    // The link summaries, when complete, must be the totals of each node's observations. They
    // are walked node by node (`section` is node `summary_node`'s), chunk after chunk.
    std::unique_ptr<rocksdb::Iterator> summaries;
    std::string chunk_value;
    std::optional<LinkSummaryChunkReader> chunk;
    NodeId summary_node = 0;
    std::string_view section;
    bool has_section = false;
    auto next_section = [&]() {
      while (!(chunk && chunk->Next(summary_node, section))) {
        if (chunk && chunk->corrupt()) Problem("link_summaries: malformed value");
        chunk.reset();
        if (!summaries->Valid()) {
          has_section = false;
          return;
        }
        const std::string_view key(summaries->key().data(), summaries->key().size());
        if (key.size() != codec::kNodeIdBytes) {
          Problem("link_summaries: malformed key");
        } else {
          chunk_value.assign(summaries->value().data(), summaries->value().size());
          chunk.emplace(codec::GetBigEndian64(key), chunk_value);
        }
        summaries->Next();
      }
      has_section = true;
    };
    if (link_summaries_complete_) {
      summaries = Scan(kLinkSummariesCf);
      summaries->SeekToFirst();
      next_section();
    }
    std::optional<NodeId> node;  // whose observations `totals` sums up
    std::vector<LinkTotals> totals, stored;
    auto check_totals = [&](std::optional<NodeId> next) {
      // Sections before `next` (all that are left when there is none) other than `node`'s have
      // no observations.
      for (; has_section; next_section()) {
        const NodeId id = summary_node;
        if (next && id >= *next) break;
        if (id == node) {
          Status decoded = DecodeLinkTotals(section, stored);
          if (!decoded.ok() || stored != totals) {
            Problem(fmt::format("link summaries of node {} do not match its observations", id));
          }
          node.reset();
        } else {
          Problem(
              fmt::format("link summaries of node {} list links it has no observations of", id));
        }
      }
      if (node) Problem(fmt::format("link summaries of node {} are missing", *node));
      node = next;
      totals.clear();
    };
    auto it = Scan(kObservationsCf);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      reporter_.Tick();
      codec::AdjacencyParts parts;
      Observation obs;
      if (!codec::ParseObservationKey(std::string_view(it->key().data(), it->key().size()), parts, obs)) {
        Problem("observations: malformed key");
        continue;
      }
      Status decoded = codec::DecodeObservationValue(std::string_view(it->value().data(), it->value().size()), obs);
      if (!decoded.ok()) Problem(decoded.message());
      ++recount.observations_by_source[obs.source];
      if (summaries) {
        if (node != parts.a) check_totals(parts.a);
        if (totals.empty() || totals.back().type != parts.type || totals.back().to != parts.b) {
          totals.emplace_back();
          totals.back().type = parts.type;
          totals.back().to = parts.b;
        }
        totals.back().Add(obs.start, obs.end, obs.count, 1);
      }
      Arc link{parts.a, parts.type, parts.b, false};
      while (j < canonical.size() && canonical[j] < link) ++j;
      if (j < canonical.size() && !(link < canonical[j])) {
        observed[j] = true;
      } else {
        Problem(fmt::format("observation of link {} -{}-> {} without the link", parts.a, TypeName(parts.type), parts.b));
      }
    }
    TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan observations"));
    if (summaries) {
      check_totals(std::nullopt);
      TRAFNET_RETURN_IF_ERROR(FromRocks(summaries->status(), "scan link_summaries"));
    }
    for (size_t i = 0; i < canonical.size(); ++i) {
      if (!observed[i]) {
        Problem(fmt::format("link {} -{}-> {} has no observations", canonical[i].a, TypeName(canonical[i].type),
                            canonical[i].b));
      }
    }
    return Status::Ok();
  }

  void CompareCounts(std::string_view what, const std::map<std::string, uint64_t>& maintained,
                     const std::map<std::string, uint64_t>& recount) {
    std::set<std::string> names;
    for (const auto& [name, n] : maintained) names.insert(name);
    for (const auto& [name, n] : recount) names.insert(name);
    for (const auto& name : names) {
      uint64_t a = maintained.contains(name) ? maintained.at(name) : 0;
      uint64_t b = recount.contains(name) ? recount.at(name) : 0;
      if (a != b) Problem(fmt::format("count of {} '{}' is {} but the store holds {}", what, name, a, b));
    }
  }

  const Store::Impl& impl_;
  VerifyReport& report_;
  StepReporter reporter_;
  rocksdb::ReadOptions options_;
  const rocksdb::Snapshot* snapshot_ = nullptr;
  NodeId next_id_ = 0;
  StoreCounts maintained_;
  std::map<codec::LinkTypeId, std::string> type_names_;
  std::vector<bool> node_exists_;
  bool name_words_complete_ = false;
  bool node_heads_complete_ = false;
  bool link_summaries_complete_ = false;
  SortedWrites node_keys_, name_index_, address_index_, source_index_;
  std::vector<Arc> out_;
};

}  // namespace

StatusOr<VerifyReport> Store::Verify(const StepProgressFn& progress) const {
  VerifyReport report;
  if (progress) progress("checksums", 0, 0);  // RocksDB's own pass says nothing until done
  rocksdb::Status checksums = impl_->db->VerifyChecksum();
  if (!checksums.ok()) report.problems.push_back("RocksDB checksum verification: " + checksums.ToString());
  Checker checker(*impl_, report, progress);
  TRAFNET_RETURN_IF_ERROR(checker.Run());
  return report;
}

}  // namespace trafnet::storage
