#include "external_sorter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <vector>

#include "codec.h"

namespace trafnet::storage {

namespace {

constexpr size_t kFileBufferBytes = 1 << 20;

}  // namespace

// Reads one run file front to back, through a buffer of its own: a record's key and value are
// views into that buffer, valid until the next Next().
class ExternalSorter::RunReader {
 public:
  static StatusOr<std::unique_ptr<RunReader>> Open(const std::filesystem::path& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) return IoError("cannot read sort run " + path.string());
    auto reader = std::unique_ptr<RunReader>(new RunReader(file, path));
    TRAFNET_RETURN_IF_ERROR(reader->Next());
    return reader;
  }
  ~RunReader() { std::fclose(file_); }
  RunReader(const RunReader&) = delete;
  RunReader& operator=(const RunReader&) = delete;

  bool valid() const { return valid_; }
  std::string_view key() const { return key_; }
  // The key's first 8 bytes, big-endian, zero-padded, then the next 8 (prefix2): between
  // them they order most pairs of keys without a byte compare (two link keys of one node share
  // the first 8).
  uint64_t prefix() const { return prefix_; }
  uint64_t prefix2() const { return prefix2_; }  // bytes 8 to 15, the same way
  std::string_view value() const { return value_; }

  Status Next() {
    // A record is two varints (at most 10 bytes each) and its bytes.
    TRAFNET_RETURN_IF_ERROR(Want(20));
    if (end_ == pos_) {
      valid_ = false;
      return Status::Ok();
    }
    uint64_t key_size = 0;
    uint64_t value_size = 0;
    if (!Varint(key_size) || !Varint(value_size)) return Truncated();
    TRAFNET_RETURN_IF_ERROR(Want(key_size + value_size));
    if (end_ - pos_ < key_size + value_size) return Truncated();
    key_ = std::string_view(buffer_.data() + pos_, key_size);
    value_ = std::string_view(buffer_.data() + pos_ + key_size, value_size);
    prefix_ = codec::KeyPrefix(key_, 0);
    prefix2_ = codec::KeyPrefix(key_, 8);
    pos_ += key_size + value_size;
    valid_ = true;
    return Status::Ok();
  }

 private:
  RunReader(std::FILE* file, std::filesystem::path path)
      : file_(file), path_(std::move(path)), buffer_(kFileBufferBytes, '\0') {}

  // Makes at least `bytes` unread bytes available, or all that is left of the file.
  Status Want(uint64_t bytes) {
    if (end_ - pos_ >= bytes || eof_) return Status::Ok();
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
    if (buffer_.size() < bytes) buffer_.resize(bytes);
    while (end_ < buffer_.size() && !eof_) {
      size_t n = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
      end_ += n;
      if (n == 0) {
        if (std::ferror(file_)) return IoError("error reading sort run " + path_.string());
        eof_ = true;
      }
    }
    return Status::Ok();
  }
  bool Varint(uint64_t& value) {
    value = 0;
    for (int shift = 0; shift <= 63 && pos_ < end_; shift += 7) {
      auto c = static_cast<unsigned char>(buffer_[pos_++]);
      value |= static_cast<uint64_t>(c & 0x7f) << shift;
      if ((c & 0x80) == 0) return true;
    }
    return false;
  }
  Status Truncated() {
    valid_ = false;
    return CorruptionError("sort run " + path_.string() + " is truncated");
  }

  std::FILE* file_;
  std::filesystem::path path_;
  std::string buffer_;
  size_t pos_ = 0;  // next unread byte
  size_t end_ = 0;  // end of the bytes read into buffer_
  bool eof_ = false;
  std::string_view key_;
  std::string_view value_;
  uint64_t prefix_ = 0;
  uint64_t prefix2_ = 0;
  bool valid_ = false;
};

ExternalSorter::ExternalSorter(std::filesystem::path dir, std::string name, size_t buffer_bytes)
    : dir_(std::move(dir)), name_(std::move(name)), buffer_bytes_(std::max<size_t>(buffer_bytes, 1 << 16)) {}

ExternalSorter::~ExternalSorter() { Clear(); }

void ExternalSorter::Clear() {
  (void)WaitForSpill();
  readers_.clear();
  losers_.clear();
  std::error_code ec;
  for (const auto& run : runs_) std::filesystem::remove(run, ec);
  runs_.clear();
  buffer_.arena_peak = std::max(buffer_.arena_peak, buffer_.arena.size());
  buffer_.entries_peak = std::max(buffer_.entries_peak, buffer_.entries.size());
  buffer_.arena.clear();
  buffer_.entries.clear();
  added_ = 0;
  reading_ = false;
  next_entry_ = 0;
}

Status ExternalSorter::Add(std::string_view key, std::string_view value) {
  const size_t record = key.size() + value.size();
  if (record > 0xffffffffu / 2) return InvalidArgumentError("record too large to sort");
  // Each of the two buffers gets half the memory, for its records' bytes and entries together,
  // however they split it (small records are mostly entries, 32 bytes each). Both vectors are
  // reserved on first use for the most either can hold, so that growing them never briefly
  // doubles the memory; reserved pages that are never written take no memory. What counts is
  // the most each has ever held (its pages stay written after a spill), so records of another
  // size in a later run cannot push the two past the bound together. Offsets are 32-bit.
  const size_t half = std::min<size_t>(buffer_bytes_ / 2, 0xffffffffu);
  const size_t arena_after = std::max(buffer_.arena_peak, buffer_.arena.size() + record);
  const size_t entries_after = std::max(buffer_.entries_peak, buffer_.entries.size() + 1);
  if (!buffer_.entries.empty() && arena_after + entries_after * sizeof(Entry) > half) {
    TRAFNET_RETURN_IF_ERROR(Spill());
  }
  if (buffer_.entries.capacity() == 0) {
    buffer_.arena.reserve(std::max(half, record));
    buffer_.entries.reserve(half / sizeof(Entry));
  }
  buffer_.entries.push_back(Entry{codec::KeyPrefix(key, 0), codec::KeyPrefix(key, 8),
                                  static_cast<uint32_t>(buffer_.arena.size()),
                                  static_cast<uint32_t>(key.size()), static_cast<uint32_t>(value.size())});
  buffer_.arena.append(key);
  buffer_.arena.append(value);
  ++added_;
  return Status::Ok();
}

void ExternalSorter::Buffer::Sort() {
  std::sort(entries.begin(), entries.end(), [this](const Entry& x, const Entry& y) {
    if (x.prefix != y.prefix) return x.prefix < y.prefix;
    if (x.prefix2 != y.prefix2) return x.prefix2 < y.prefix2;
    int order = Key(x).compare(Key(y));
    if (order != 0) return order < 0;
    return x.offset < y.offset;  // equal keys in the order they were added
  });
}

Status ExternalSorter::WriteRun(Buffer& buffer, const std::filesystem::path& path) {
  buffer.Sort();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return IoError("cannot write sort run " + path.string());
  // Records are laid out in a buffer of our own and written a megabyte at a time: a stdio call
  // per varint and per record (each taking the stream's lock) cost more than the sort.
  std::setvbuf(file, nullptr, _IONBF, 0);
  std::vector<char> out(kFileBufferBytes);
  size_t used = 0;
  auto flush = [&] {
    if (used > 0) std::fwrite(out.data(), 1, used, file);
    used = 0;
  };
  for (const Entry& e : buffer.entries) {
    const size_t room = size_t{e.key_size} + e.value_size + 2 * codec::kMaxVarintBytes;
    if (used + room > out.size()) {
      flush();
      if (room > out.size()) out.resize(room);
    }
    char* at = codec::EncodeVarint(out.data() + used, e.key_size);
    at = codec::EncodeVarint(at, e.value_size);
    at = std::copy_n(buffer.arena.data() + e.offset, size_t{e.key_size} + e.value_size, at);
    used = static_cast<size_t>(at - out.data());
  }
  flush();
  bool failed = std::ferror(file) != 0;
  failed = std::fclose(file) != 0 || failed;
  buffer.arena_peak = std::max(buffer.arena_peak, buffer.arena.size());
  buffer.entries_peak = std::max(buffer.entries_peak, buffer.entries.size());
  buffer.arena.clear();
  buffer.entries.clear();
  if (failed) return IoError("error writing sort run " + path.string() + " (disk full?)");
  return Status::Ok();
}

Status ExternalSorter::WaitForSpill() {
  if (!spill_.valid()) return Status::Ok();
  return spill_.get();
}

Status ExternalSorter::Spill() {
  TRAFNET_RETURN_IF_ERROR(WaitForSpill());
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return IoError("cannot create " + dir_.string() + ": " + ec.message());
  std::filesystem::path path = dir_ / fmt::format("{}-run{:04}.tmp", name_, runs_.size());
  runs_.push_back(path);  // runs are numbered, and merged, in the order their records were added
  std::swap(buffer_, spilling_);
  spill_ = std::async(std::launch::async, [this, path] { return WriteRun(spilling_, path); });
  return Status::Ok();
}

bool ExternalSorter::RunLess(size_t x, size_t y) const {
  const RunReader& a = *readers_[x];
  const RunReader& b = *readers_[y];
  // An exhausted run comes after every record.
  if (!a.valid() || !b.valid()) return a.valid() || (!b.valid() && x < y);
  if (a.prefix() != b.prefix()) return a.prefix() < b.prefix();
  if (a.prefix2() != b.prefix2()) return a.prefix2() < b.prefix2();
  int order = a.key().compare(b.key());
  if (order != 0) return order < 0;
  return x < y;  // an earlier run holds earlier additions
}

Status ExternalSorter::StartReading() {
  reading_ = true;
  next_entry_ = 0;
  if (runs_.empty()) {
    buffer_.Sort();
    return Status::Ok();
  }
  if (!buffer_.entries.empty()) TRAFNET_RETURN_IF_ERROR(Spill());
  TRAFNET_RETURN_IF_ERROR(WaitForSpill());
  for (Buffer* buffer : {&buffer_, &spilling_}) *buffer = Buffer();
  for (const auto& run : runs_) {
    TRAFNET_ASSIGN_OR_RETURN(auto reader, RunReader::Open(run));
    readers_.push_back(std::move(reader));
  }
  // A tree of losers over the runs (Knuth, TAOCP vol. 3, 5.4.1): run i is leaf k + i of an
  // implicit binary tree whose internal node j has children 2j and 2j + 1; each internal node
  // keeps the run that lost the match there, and the overall winner is kept apart. Taking the
  // next record replays one leaf-to-root path, log2(k) compares where a heap takes about twice
  // that.
  const size_t k = readers_.size();
  losers_.assign(k, 0);
  std::vector<size_t> winners(2 * k);
  for (size_t i = 0; i < k; ++i) winners[k + i] = i;
  for (size_t node = k - 1; node >= 1; --node) {
    const size_t left = winners[2 * node], right = winners[2 * node + 1];
    const bool left_wins = RunLess(left, right);
    winners[node] = left_wins ? left : right;
    losers_[node] = left_wins ? right : left;
  }
  winner_ = k == 1 ? 0 : winners[1];
  return Status::Ok();
}

bool ExternalSorter::Valid() const {
  if (!reading_) return false;
  return runs_.empty() ? next_entry_ < buffer_.entries.size() : readers_[winner_]->valid();
}

std::string_view ExternalSorter::key() const {
  return runs_.empty() ? buffer_.Key(buffer_.entries[next_entry_]) : readers_[winner_]->key();
}

std::string_view ExternalSorter::value() const {
  return runs_.empty() ? buffer_.Value(buffer_.entries[next_entry_]) : readers_[winner_]->value();
}

Status ExternalSorter::Next() {
  if (runs_.empty()) {
    ++next_entry_;
    return Status::Ok();
  }
  TRAFNET_RETURN_IF_ERROR(readers_[winner_]->Next());
  size_t winner = winner_;
  for (size_t node = (winner + readers_.size()) / 2; node >= 1; node /= 2) {
    if (RunLess(losers_[node], winner)) std::swap(losers_[node], winner);
  }
  winner_ = winner;
  return Status::Ok();
}

}  // namespace trafnet::storage
