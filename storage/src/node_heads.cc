#include "node_heads.h"

#include <memory>
#include <utility>

#include "index_build.h"
#include "step_reporter.h"
#include "store_impl.h"

namespace trafnet::storage {

namespace {
constexpr char kNodeHeadsFormat = 1;
}  // namespace

NodeHead HeadOf(const NodeRecord& record) {
  NodeHead head{record.id, record.kind, record.key, {}};
  for (const auto& [name, value] : record.fields) {
    if (name == kStatusField) head.status = value;
  }
  return head;
}

std::string EncodeNodeHeads(NodeId first, const std::vector<NodeHead>& heads) {
  std::string out;
  out.push_back(kNodeHeadsFormat);
  for (const NodeHead& head : heads) {
    AppendChunkEntryId(out, first, head.id);
    codec::PutString(out, head.kind);
    codec::PutString(out, head.key);
    codec::PutString(out, head.status);
  }
  return out;
}

NodeHeadsReader::NodeHeadsReader(NodeId first, std::string_view value)
    : chunk_(first, value, kNodeHeadsFormat) {}

bool NodeHeadsReader::Next(NodeHeadView& head) {
  if (!chunk_.NextId(head.id)) return false;
  codec::Reader& fields = chunk_.fields();
  if (!fields.String(head.kind) || !fields.String(head.key) || !fields.String(head.status)) {
    chunk_.Fail();
    return false;
  }
  return true;
}

Status DecodeNodeHeads(NodeId first, std::string_view value, std::vector<NodeHead>& heads) {
  heads.clear();
  NodeHeadsReader reader(first, value);
  NodeHeadView view;
  while (reader.Next(view)) {
    heads.push_back(
        NodeHead{view.id, std::string(view.kind), std::string(view.key), std::string(view.status)});
  }
  if (reader.corrupt()) {
    return CorruptionError("node heads of chunk " + std::to_string(first) + ": malformed value");
  }
  return Status::Ok();
}

void MergeNodeHeads(std::vector<NodeHead>& stored, std::vector<NodeHead>& changed) {
  std::vector<NodeHead> merged;
  merged.reserve(stored.size() + changed.size());
  size_t i = 0, j = 0;
  while (i < stored.size() || j < changed.size()) {
    if (j == changed.size() || (i < stored.size() && stored[i].id < changed[j].id)) {
      merged.push_back(std::move(stored[i++]));
    } else {
      if (i < stored.size() && stored[i].id == changed[j].id) ++i;
      merged.push_back(std::move(changed[j++]));
    }
  }
  stored = std::move(merged);
}

}  // namespace trafnet::storage

namespace trafnet::storage {

bool Store::HasNodeHeads() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->node_heads;
}

StatusOr<uint64_t> Store::BuildNodeHeads(const StepProgressFn& progress) {
  TRAFNET_ASSIGN_OR_RETURN(auto build, IndexBuild::Begin(*impl_, "the node heads"));
  StepReporter reporter(progress);
  reporter.Begin("reading nodes", impl_->CountsNow().nodes);
  // Every chunk is written whole from the records (no change set can alter them meanwhile);
  // chunks without records (left by a corruption or an edit) go.
  TRAFNET_RETURN_IF_ERROR(build->ClearNodeKeyed(kNodeHeadsCf));
  rocksdb::ReadOptions read_options;
  read_options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(read_options, impl_->cf[kNodesCf]));
  uint64_t nodes = 0;
  NodeRecord node;
  std::vector<NodeHead> heads;
  NodeId chunk = 0;
  auto put_chunk = [&]() -> Status {
    if (heads.empty()) return Status::Ok();
    Status put = build->Put(kNodeHeadsCf, codec::NodeIdKey(chunk), EncodeNodeHeads(chunk, heads));
    heads.clear();
    return put;
  };
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key().size() != codec::kNodeIdBytes) return CorruptionError("bad node key");
    reporter.Tick();
    const NodeId id = codec::GetBigEndian64(std::string_view(it->key().data(), it->key().size()));
    TRAFNET_RETURN_IF_ERROR(
        codec::DecodeNode(id, std::string_view(it->value().data(), it->value().size()), node));
    if (NodeChunkOf(id) != chunk) {
      TRAFNET_RETURN_IF_ERROR(put_chunk());
      chunk = NodeChunkOf(id);
    }
    heads.push_back(HeadOf(node));
    ++nodes;
  }
  TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan nodes"));
  TRAFNET_RETURN_IF_ERROR(put_chunk());
  reporter.End();
  TRAFNET_RETURN_IF_ERROR(build->Complete(kNodeHeadsCf, kMetaNodeHeads, &Store::Impl::node_heads));
  return nodes;
}

}  // namespace trafnet::storage
