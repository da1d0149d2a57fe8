// The node_heads family (docs/storage.md): for every chunk of kNodeChunk consecutive node ids
// (node_chunks.h), one value with the kind, natural key and status of each of its nodes, so
// that a full scan that needs no other field reads a key per thousand nodes, not a whole
// record per node.
#ifndef TRAFNET_STORAGE_SRC_NODE_HEADS_H_
#define TRAFNET_STORAGE_SRC_NODE_HEADS_H_

#include <string>
#include <string_view>
#include <vector>

#include "codec.h"
#include "node_chunks.h"
#include "trafnet/storage/store.h"

namespace trafnet::storage {

// What a head says about one node.
struct NodeHead {
  NodeId id = 0;
  std::string kind;
  std::string key;
  std::string status;  // the record's kStatusField, "" when it has none
  bool operator==(const NodeHead&) const = default;
};

// The same, pointing into a value being read.
struct NodeHeadView {
  NodeId id = 0;
  std::string_view kind, key, status;
};

NodeHead HeadOf(const NodeRecord& record);

// A chunk's value (node_chunks.h), format byte 1, with per node its entry: str kind, str key,
// str status. `heads` are sorted by id, all in the chunk starting at `first`.
std::string EncodeNodeHeads(NodeId first, const std::vector<NodeHead>& heads);

// Reads a value written by EncodeNodeHeads, one node at a time.
class NodeHeadsReader {
 public:
  NodeHeadsReader(NodeId first, std::string_view value);
  // The next node; false at the end or on a malformed value (then corrupt() is true): ids
  // must increase and stay inside the chunk.
  bool Next(NodeHeadView& head);
  bool corrupt() const { return chunk_.corrupt(); }

 private:
  NodeChunkReader chunk_;
};

Status DecodeNodeHeads(NodeId first, std::string_view value, std::vector<NodeHead>& heads);

// `stored` and `changed`, both sorted by id, joined into `stored`: a node in both takes its
// head from `changed`.
void MergeNodeHeads(std::vector<NodeHead>& stored, std::vector<NodeHead>& changed);

}  // namespace trafnet::storage

#endif  // TRAFNET_STORAGE_SRC_NODE_HEADS_H_
