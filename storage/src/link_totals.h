// The link_summaries family (docs/storage.md): for every chunk of kNodeChunk
// consecutive node ids, one value with, for each of its nodes, the totals of the observations
// of each link it is the first end of, so that a full scan reads a value per thousand nodes
// instead of a record per observation.
#ifndef TRAFNET_STORAGE_SRC_LINK_TOTALS_H_
#define TRAFNET_STORAGE_SRC_LINK_TOTALS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec.h"
#include "node_chunks.h"

namespace trafnet::storage {

// One link's observations summed up: what Store::ScanGraph reports for it without a window.
struct LinkTotals {
  codec::LinkTypeId type = 0;
  NodeId to = 0;
  uint64_t count = 0;         // the sum of the observations' counts
  uint64_t observations = 0;  // how many there are
  std::string first_start;    // the earliest non-empty start
  std::string last_end;       // the latest end (or start, when an observation has no end)
  bool open_start = false;    // one observation has an end and no start
  bool open_end = false;      // one observation has a start and no end

  // Adds one observation's identity dates and `count` (an addition modulo 2^64, so a
  // correction adds its new count minus the old) and `observations` (1 for a new one, 0 for a
  // correction).
  void Add(std::string_view start, std::string_view end, uint64_t count, uint64_t observations);
  // Adds another set of totals of the same link.
  void Add(const LinkTotals& other);
  bool operator==(const LinkTotals&) const = default;
};

// The same, pointing into a value being read.
struct LinkTotalsView {
  codec::LinkTypeId type = 0;
  NodeId to = 0;
  uint64_t count = 0;
  uint64_t observations = 0;
  std::string_view first_start, last_end;
  bool open_start = false, open_end = false;
};

// A node's section of its chunk's value: per link, by type and then other end: varint type,
// varint to, varint count, varint observations, flags byte (1 open start, 2 open end),
// str first_start, str last_end.
std::string EncodeLinkTotals(const std::vector<LinkTotals>& links);

// Reads a section written by EncodeLinkTotals, one link at a time.
class LinkTotalsReader {
 public:
  explicit LinkTotalsReader(std::string_view section);
  // The next link; false at the end or on a malformed value (then corrupt() is true).
  bool Next(LinkTotalsView& link);
  bool corrupt() const { return corrupt_; }

 private:
  codec::Reader reader_;
  bool corrupt_ = false;
};

// A section's links; Corruption when it is malformed, out of order or empty.
Status DecodeLinkTotals(std::string_view section, std::vector<LinkTotals>& links);

// A chunk's value (node_chunks.h), format byte 2, with per node that has links its entry: str
// section. StartLinkSummaryChunk gives the format byte to append sections to, in id order.
std::string StartLinkSummaryChunk();
void AppendLinkSection(std::string& chunk, NodeId first, NodeId node, std::string_view section);

// Reads a chunk's value node by node; false at the end or on a malformed value (then corrupt()
// is true): ids must increase and stay in the chunk, sections must not be empty.
class LinkSummaryChunkReader {
 public:
  LinkSummaryChunkReader(NodeId first, std::string_view value);
  bool Next(NodeId& node, std::string_view& section);
  bool corrupt() const { return chunk_.corrupt(); }

 private:
  NodeChunkReader chunk_;
};

// `stored` and `added`, both sorted by (type, to), joined into `stored`: a link in both gets
// the sum of its totals.
void MergeLinkTotals(std::vector<LinkTotals>& stored, const std::vector<LinkTotals>& added);

}  // namespace trafnet::storage

#endif  // TRAFNET_STORAGE_SRC_LINK_TOTALS_H_
