// Values that hold a chunk of kNodeChunk consecutive node ids each (node_heads,
// link_summaries; docs/storage.md), keyed by the chunk's first id: a full scan reads a value
// per thousand nodes instead of one per node, which is most of what RocksDB costs a scan.
// A value is a format byte, then per node of the chunk it has an entry for, in id order,
// varint (id - first id of the chunk) and the entry's fields.
#ifndef TRAFNET_STORAGE_SRC_NODE_CHUNKS_H_
#define TRAFNET_STORAGE_SRC_NODE_CHUNKS_H_

#include <string>
#include <string_view>

#include "codec.h"

namespace trafnet::storage {

inline constexpr NodeId kNodeChunk = 1024;

// The first id of the chunk holding `id`: the key of its value.
inline NodeId NodeChunkOf(NodeId id) { return id - id % kNodeChunk; }

// Starts an entry of node `id` in the value of the chunk starting at `first`.
inline void AppendChunkEntryId(std::string& value, NodeId first, NodeId id) {
  codec::PutVarint(value, id - first);
}

// Reads a chunk's entries: NextId gives the next entry's node and leaves fields() at its
// fields, which the caller reads (calling Fail() when they are malformed). Ids must increase
// and stay in the chunk, and the value must start with `format`; otherwise corrupt().
class NodeChunkReader {
 public:
  NodeChunkReader(NodeId first, std::string_view value, char format)
      : first_(first),
        reader_(value.empty() ? value : value.substr(1)),
        corrupt_(value.empty() || value[0] != format || first % kNodeChunk != 0) {}

  // False at the end or when the value is malformed.
  bool NextId(NodeId& id) {
    if (corrupt_ || reader_.done()) return false;
    uint64_t offset = 0;
    if (!reader_.Varint(offset) || offset >= kNodeChunk || (started_ && offset <= last_)) {
      corrupt_ = true;
      return false;
    }
    started_ = true;
    last_ = offset;
    id = first_ + offset;
    return true;
  }
  codec::Reader& fields() { return reader_; }
  void Fail() { corrupt_ = true; }
  bool corrupt() const { return corrupt_; }

 private:
  NodeId first_;
  codec::Reader reader_;
  bool corrupt_;
  bool started_ = false;
  NodeId last_ = 0;
};

}  // namespace trafnet::storage

#endif  // TRAFNET_STORAGE_SRC_NODE_CHUNKS_H_
