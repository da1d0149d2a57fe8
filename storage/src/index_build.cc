#include "index_build.h"

#include <string>

namespace trafnet::storage {

namespace {
constexpr int kBatchEntries = 100'000;
// Or this many bytes: the values of chunked families are some 100 KB each.
constexpr size_t kBatchBytes = 64 << 20;
}  // namespace

StatusOr<std::unique_ptr<IndexBuild>> IndexBuild::Begin(Store::Impl& store, std::string_view what) {
  std::lock_guard lock(store.mutex);
  if (store.options.read_only)
    return FailedPreconditionError("the store is open read-only; " + std::string(what) +
                                   " needs write access");
  if (store.change_set_open)
    return FailedPreconditionError("cannot build " + std::string(what) + " while a change set is open");
  store.change_set_open = true;  // no change set while it builds
  return std::unique_ptr<IndexBuild>(new IndexBuild(store, what));
}

IndexBuild::~IndexBuild() {
  std::lock_guard lock(store_.mutex);
  store_.change_set_open = false;
}

Status IndexBuild::Write(bool sync) {
  rocksdb::WriteOptions write_options;
  write_options.sync = sync;
  TRAFNET_RETURN_IF_ERROR(FromRocks(store_.db->Write(write_options, &batch_), "write " + what_));
  batch_.Clear();
  return Status::Ok();
}

Status IndexBuild::Put(ColumnFamily family, std::string_view key, std::string_view value) {
  TRAFNET_RETURN_IF_ERROR(FromRocks(batch_.Put(store_.cf[family], rocksdb::Slice(key.data(), key.size()),
                                               rocksdb::Slice(value.data(), value.size())),
                                    "batch"));
  return batch_.Count() >= kBatchEntries || batch_.GetDataSize() >= kBatchBytes ? Write(false)
                                                                                : Status::Ok();
}

Status IndexBuild::Delete(ColumnFamily family, std::string_view key) {
  return FromRocks(batch_.Delete(store_.cf[family], rocksdb::Slice(key.data(), key.size())),
                   "batch");
}

Status IndexBuild::ClearNodeKeyed(ColumnFamily family) {
  return DeleteRange(family, codec::NodeIdKey(0), std::string(codec::kNodeIdBytes + 1, '\xff'));
}

Status IndexBuild::DeleteRange(ColumnFamily family, std::string_view begin, std::string_view end) {
  return FromRocks(batch_.DeleteRange(store_.cf[family], rocksdb::Slice(begin.data(), begin.size()),
                                      rocksdb::Slice(end.data(), end.size())),
                   "batch");
}

Status IndexBuild::Complete(ColumnFamily family, std::string_view mark, bool Store::Impl::*flag) {
  TRAFNET_RETURN_IF_ERROR(FromRocks(batch_.Put(store_.cf[kMetaCf], std::string(mark), "1"), "batch"));
  TRAFNET_RETURN_IF_ERROR(Write(/*sync=*/true));
  {
    std::lock_guard lock(store_.mutex);
    store_.*flag = true;
  }
  return FromRocks(store_.db->Flush(rocksdb::FlushOptions(), {store_.cf[family], store_.cf[kMetaCf]}),
                   "flush " + what_);
}

}  // namespace trafnet::storage
