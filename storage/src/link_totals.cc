#include "link_totals.h"

#include <tuple>
#include <utility>

namespace trafnet::storage {

namespace {
// 1 was a value per node (stores written before the chunks; never read now).
constexpr char kLinkSummaryChunkFormat = 2;
constexpr uint8_t kOpenStart = 1;
constexpr uint8_t kOpenEnd = 2;

void KeepEarliest(std::string& earliest, std::string_view candidate) {
  if (!candidate.empty() && (earliest.empty() || candidate < earliest)) earliest.assign(candidate);
}
void KeepLatest(std::string& latest, std::string_view candidate) {
  if (!candidate.empty() && candidate > latest) latest.assign(candidate);
}
}  // namespace

void LinkTotals::Add(std::string_view start, std::string_view end, uint64_t more,
                     uint64_t more_observations) {
  count += more;
  observations += more_observations;
  KeepEarliest(first_start, start);
  KeepLatest(last_end, end.empty() ? start : end);
  open_start |= start.empty() && !end.empty();
  open_end |= !start.empty() && end.empty();
}

void LinkTotals::Add(const LinkTotals& other) {
  count += other.count;
  observations += other.observations;
  KeepEarliest(first_start, other.first_start);
  KeepLatest(last_end, other.last_end);
  open_start |= other.open_start;
  open_end |= other.open_end;
}

std::string EncodeLinkTotals(const std::vector<LinkTotals>& links) {
  std::string out;
  for (const LinkTotals& link : links) {
    codec::PutVarint(out, link.type);
    codec::PutVarint(out, link.to);
    codec::PutVarint(out, link.count);
    codec::PutVarint(out, link.observations);
    out.push_back(
        static_cast<char>((link.open_start ? kOpenStart : 0) | (link.open_end ? kOpenEnd : 0)));
    codec::PutString(out, link.first_start);
    codec::PutString(out, link.last_end);
  }
  return out;
}

LinkTotalsReader::LinkTotalsReader(std::string_view section) : reader_(section) {}

bool LinkTotalsReader::Next(LinkTotalsView& link) {
  if (corrupt_ || reader_.done()) return false;
  uint64_t type = 0, flags = 0;
  if (!reader_.Varint(type) || type > UINT16_MAX || !reader_.Varint(link.to) ||
      !reader_.Varint(link.count) || !reader_.Varint(link.observations) || !reader_.Varint(flags) ||
      flags > (kOpenStart | kOpenEnd) || !reader_.String(link.first_start) ||
      !reader_.String(link.last_end)) {
    corrupt_ = true;
    return false;
  }
  link.type = static_cast<codec::LinkTypeId>(type);
  link.open_start = (flags & kOpenStart) != 0;
  link.open_end = (flags & kOpenEnd) != 0;
  return true;
}

Status DecodeLinkTotals(std::string_view value, std::vector<LinkTotals>& links) {
  links.clear();
  LinkTotalsReader reader(value);
  LinkTotalsView view;
  while (reader.Next(view)) {
    LinkTotals link{view.type,
                    view.to,
                    view.count,
                    view.observations,
                    std::string(view.first_start),
                    std::string(view.last_end),
                    view.open_start,
                    view.open_end};
    if (!links.empty() &&
        std::tie(links.back().type, links.back().to) >= std::tie(link.type, link.to)) {
      return CorruptionError("link summary: links out of order");
    }
    links.push_back(std::move(link));
  }
  if (reader.corrupt()) return CorruptionError("link summary: malformed value");
  if (links.empty()) return CorruptionError("link summary: a node without links");
  return Status::Ok();
}

void MergeLinkTotals(std::vector<LinkTotals>& stored, const std::vector<LinkTotals>& added) {
  std::vector<LinkTotals> merged;
  merged.reserve(stored.size() + added.size());
  size_t i = 0, j = 0;
  while (i < stored.size() || j < added.size()) {
    if (j == added.size() || (i < stored.size() && std::tie(stored[i].type, stored[i].to) <
                                                       std::tie(added[j].type, added[j].to))) {
      merged.push_back(std::move(stored[i++]));
    } else if (i == stored.size() ||
               std::tie(added[j].type, added[j].to) < std::tie(stored[i].type, stored[i].to)) {
      merged.push_back(added[j++]);
    } else {
      merged.push_back(std::move(stored[i++]));
      merged.back().Add(added[j++]);
    }
  }
  stored = std::move(merged);
}

std::string StartLinkSummaryChunk() { return std::string(1, kLinkSummaryChunkFormat); }

void AppendLinkSection(std::string& chunk, NodeId first, NodeId node, std::string_view section) {
  AppendChunkEntryId(chunk, first, node);
  codec::PutString(chunk, section);
}

LinkSummaryChunkReader::LinkSummaryChunkReader(NodeId first, std::string_view value)
    : chunk_(first, value, kLinkSummaryChunkFormat) {}

bool LinkSummaryChunkReader::Next(NodeId& node, std::string_view& section) {
  if (!chunk_.NextId(node)) return false;
  if (!chunk_.fields().String(section) || section.empty()) {
    chunk_.Fail();
    return false;
  }
  return true;
}

}  // namespace trafnet::storage
