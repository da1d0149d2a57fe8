// Sorts any number of (key, value) records in bounded memory.
//
// Records are appended to an in-memory buffer; when it is full the buffer is sorted and written
// to a run file on a background thread while adding goes on into a second buffer (each buffer is
// half the memory bound), and reading merges the runs (a k-way merge over buffered file readers). Keys
// compare as bytes (the store's keys are big-endian, so byte order is numeric order); records
// with equal keys come out in the order they were added, so "the last write wins" is the last of
// a run of equal keys. This is how a bulk commit turns millions of link rows in file order into
// the key order SST files need, without holding them all in memory.
//
// Not thread-safe (its own spill thread aside). Run files live in `dir` and are removed by Clear() and the destructor; a
// crash leaves them behind, and the store removes its staging folder when it next opens.
#ifndef TRAFNET_STORAGE_SRC_EXTERNAL_SORTER_H_
#define TRAFNET_STORAGE_SRC_EXTERNAL_SORTER_H_

#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trafnet/base/status.h"

namespace trafnet::storage {

class ExternalSorter {
 public:
  // `name` prefixes the run files; `buffer_bytes` bounds the in-memory buffer (keys, values and
  // 32 bytes of bookkeeping per record).
  ExternalSorter(std::filesystem::path dir, std::string name, size_t buffer_bytes);
  ~ExternalSorter();
  ExternalSorter(const ExternalSorter&) = delete;
  ExternalSorter& operator=(const ExternalSorter&) = delete;

  // REQUIRES: not reading.
  Status Add(std::string_view key, std::string_view value);
  // Records added since the last Clear().
  uint64_t size() const { return added_; }

  // Ends adding and positions at the first record in key order.
  Status StartReading();
  bool Valid() const;
  std::string_view key() const;    // REQUIRES: Valid()
  std::string_view value() const;  // REQUIRES: Valid()
  Status Next();                   // REQUIRES: Valid()

  // Drops every record and run file; the sorter can be filled again.
  void Clear();

 private:
  struct Entry {
    // The key's first 16 bytes, big-endian, zero-padded: most compares end here (a link key's
    // first 16 bytes hold its first node and most of its type and second node).
    uint64_t prefix;
    uint64_t prefix2;
    uint32_t offset;  // into the buffer's arena: key then value
    uint32_t key_size;
    uint32_t value_size;
  };
  class RunReader;

  // A buffer of records: keys and values back to back in `arena`, and their entries.
  struct Buffer {
    std::string arena;
    std::vector<Entry> entries;
    // The most either has held since it was allocated: clearing keeps the pages written, so the
    // memory bound counts these, not the sizes now.
    size_t arena_peak = 0;
    size_t entries_peak = 0;
    std::string_view Key(const Entry& e) const { return {arena.data() + e.offset, e.key_size}; }
    std::string_view Value(const Entry& e) const {
      return {arena.data() + e.offset + e.key_size, e.value_size};
    }
    void Sort();
  };
  static Status WriteRun(Buffer& buffer, const std::filesystem::path& path);

  // Hands the full buffer to the spill thread (after the previous spill is done) and goes on with
  // the other one.
  Status Spill();
  Status WaitForSpill();
  // Whether reader x's record comes before reader y's (an exhausted reader after all).
  bool RunLess(size_t x, size_t y) const;

  std::filesystem::path dir_;
  std::string name_;
  size_t buffer_bytes_;
  Buffer buffer_;    // being filled, or read when nothing was spilled
  Buffer spilling_;  // being written by the spill thread
  std::future<Status> spill_;
  std::vector<std::filesystem::path> runs_;
  uint64_t added_ = 0;

  bool reading_ = false;
  size_t next_entry_ = 0;  // reading from the buffer alone
  std::vector<std::unique_ptr<RunReader>> readers_;
  std::vector<size_t> losers_;  // the tree of losers over readers_ (see StartReading)
  size_t winner_ = 0;           // the reader with the smallest (key, run)
};

}  // namespace trafnet::storage

#endif  // TRAFNET_STORAGE_SRC_EXTERNAL_SORTER_H_
