// The two ways a change set reaches RocksDB. Both are atomic across column families: a crash
// leaves all of a commit or none of it.
#include <fmt/format.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/write_batch.h>

#include "store_impl.h"

namespace trafnet::storage {

Status Store::Impl::WriteSorted(const WritesByFamily& writes) {
  rocksdb::WriteBatch batch;
  for (size_t family = 0; family < writes.size(); ++family) {
    for (const auto& [key, value] : writes[family]) {
      TRAFNET_RETURN_IF_ERROR(FromRocks(batch.Put(cf[family], key, value), "build write batch"));
    }
  }
  return FromRocks(db->Write(rocksdb::WriteOptions(), &batch), "commit");
}

// Sorted keys written straight into SST files skip the memtable, the write-ahead log and the
// flush: a bulk load's main cost with WriteBatch. IngestExternalFiles records all the files in the
// MANIFEST in one atomic step, so a crash before it leaves only stray staging files (removed at
// the next open) and a crash after it leaves the whole commit.
Status Store::Impl::IngestSorted(const WritesByFamily& writes) {
  std::filesystem::path staging = dir / kStagingDir;
  std::error_code ec;
  std::filesystem::create_directories(staging, ec);
  if (ec) return IoError("cannot create " + staging.string() + ": " + ec.message());
  std::vector<rocksdb::IngestExternalFileArg> args;
  std::vector<std::filesystem::path> files;
  auto cleanup = [&] {
    for (const auto& file : files) std::filesystem::remove(file, ec);
  };
  rocksdb::DBOptions db_options = db->GetDBOptions();
  for (size_t family = 0; family < writes.size(); ++family) {
    if (writes[family].empty()) continue;
    rocksdb::Options options(db_options, db->GetOptions(cf[family]));
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, cf[family]);
    std::filesystem::path file = staging / fmt::format("{:08}-{}.sst", ++staged_files, kColumnFamilyNames[family]);
    files.push_back(file);
    Status status = FromRocks(writer.Open(file.string()), "stage " + file.string());
    for (const auto& [key, value] : writes[family]) {
      if (!status.ok()) break;
      status = FromRocks(writer.Put(key, value), "stage " + file.string());
    }
    if (status.ok()) status = FromRocks(writer.Finish(), "stage " + file.string());
    if (!status.ok()) {
      cleanup();
      return status;
    }
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = cf[family];
    arg.external_files = {file.string()};
    arg.options.move_files = true;
    arg.options.allow_blocking_flush = true;
    args.push_back(std::move(arg));
  }
  Status status = FromRocks(db->IngestExternalFiles(args), "commit (ingest SST files)");
  cleanup();  // moved files are gone already; anything left is from a failure
  return status;
}

}  // namespace trafnet::storage
