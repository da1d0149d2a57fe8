// The two ways a commit reaches RocksDB. Both are atomic across column families: a crash leaves
// all of a commit or none of it.
#include <fmt/format.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>

#include "store_impl.h"

namespace trafnet::storage {

CommitWriter::CommitWriter(Store::Impl& store, bool bulk) : store_(store), bulk_(bulk) {}

CommitWriter::~CommitWriter() { RemoveStaged(); }

void CommitWriter::RemoveStaged() {
  std::error_code ec;
  for (auto& family : families_) {
    family.writer.reset();
    if (!family.path.empty()) std::filesystem::remove(family.path, ec);
    family.path.clear();
  }
}

Status CommitWriter::Put(ColumnFamily family, std::string_view key, std::string_view value) {
  if (!bulk_) return FromRocks(batch_.Put(store_.cf[family], key, value), "build write batch");
  Family& target = families_[family];
  if (!target.writer) {
    std::lock_guard lock(open_mutex_);  // threads writing other families may be opening theirs
    std::filesystem::path staging = store_.dir / kStagingDir;
    std::error_code ec;
    std::filesystem::create_directories(staging, ec);
    if (ec) return IoError("cannot create " + staging.string() + ": " + ec.message());
    rocksdb::Options options(store_.db->GetDBOptions(), store_.db->GetOptions(store_.cf[family]));
    // Keeps what it writes in the page cache (no fadvise(DONTNEED) every megabyte): ingestion
    // moves the file into the store, where the next reads want those pages.
    target.writer = std::make_unique<rocksdb::SstFileWriter>(
        rocksdb::EnvOptions(), options, store_.cf[family], /*invalidate_page_cache=*/false);
    target.path = staging / fmt::format("{:08}-{}.sst", ++store_.staged_files,
                                        kColumnFamilyNames[family]);
    TRAFNET_RETURN_IF_ERROR(FromRocks(target.writer->Open(target.path.string()),
                                      "stage " + target.path.string()));
  }
  rocksdb::Status status = target.writer->Put(key, value);
  // The message is built only on failure: this runs for every key of a bulk commit.
  if (!status.ok()) return FromRocks(status, "stage " + target.path.string());
  return Status::Ok();
}

// Sorted keys written straight into SST files skip the memtable, the write-ahead log and the
// flush: a bulk load's main cost with WriteBatch. IngestExternalFiles records all the files in the
// MANIFEST in one atomic step, so a crash before it leaves only stray staging files (removed at
// the next open) and a crash after it leaves the whole commit.
Status CommitWriter::Finish() {
  if (!bulk_) return FromRocks(store_.db->Write(rocksdb::WriteOptions(), &batch_), "commit");
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (size_t family = 0; family < families_.size(); ++family) {
    Family& staged = families_[family];
    if (!staged.writer) continue;
    TRAFNET_RETURN_IF_ERROR(FromRocks(staged.writer->Finish(), "stage " + staged.path.string()));
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = store_.cf[family];
    arg.external_files = {staged.path.string()};
    arg.options.move_files = true;
    arg.options.allow_blocking_flush = true;
    args.push_back(std::move(arg));
  }
  if (args.empty()) return Status::Ok();
  Status status = FromRocks(store_.db->IngestExternalFiles(args), "commit (ingest SST files)");
  RemoveStaged();  // moved files are gone already; anything left is from a failure
  return status;
}

}  // namespace trafnet::storage
