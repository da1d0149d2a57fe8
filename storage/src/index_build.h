// Writing a derived index whole, outside change sets (Store::BuildNameWordIndex,
// Store::BuildLinkSummaries): no change set may be open or begin while it runs; its entries go
// in batches; its meta mark, which says the index is complete, goes last in a synced write, so a
// crash part way leaves the mark absent and running the build again finishes it; then the
// index is flushed into SST files, so later opens do not replay it from the write-ahead log.
#ifndef TRAFNET_STORAGE_SRC_INDEX_BUILD_H_
#define TRAFNET_STORAGE_SRC_INDEX_BUILD_H_

#include <memory>
#include <string_view>

#include "store_impl.h"

namespace trafnet::storage {

class IndexBuild {
 public:
  // FailedPrecondition when the store is open read-only or a change set is open; `what` names
  // the index in messages ("the name-word index").
  static StatusOr<std::unique_ptr<IndexBuild>> Begin(Store::Impl& store, std::string_view what);
  ~IndexBuild();  // lets change sets begin again
  IndexBuild(const IndexBuild&) = delete;
  IndexBuild& operator=(const IndexBuild&) = delete;

  Status Put(ColumnFamily family, std::string_view key, std::string_view value);
  Status Delete(ColumnFamily family, std::string_view key);
  // Deletes every key of a family keyed by node id (node_heads, link_summaries), for a build
  // that writes it all again.
  Status ClearNodeKeyed(ColumnFamily family);
  Status DeleteRange(ColumnFamily family, std::string_view begin, std::string_view end);
  // Writes what is left with `mark` = "1" in meta (synced), sets `flag` in the store, and
  // flushes `family` and meta.
  Status Complete(ColumnFamily family, std::string_view mark, bool Store::Impl::*flag);

 private:
  IndexBuild(Store::Impl& store, std::string_view what) : store_(store), what_(what) {}
  Status Write(bool sync);

  Store::Impl& store_;
  std::string what_;
  rocksdb::WriteBatch batch_;
};

}  // namespace trafnet::storage

#endif  // TRAFNET_STORAGE_SRC_INDEX_BUILD_H_
