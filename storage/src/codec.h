// Key and value encodings of the store (docs/storage.md explains the layout).
//
// Integers in keys are big-endian so that byte order is numeric order and prefix scans work;
// strings in values are varint-length-prefixed. Decoders never trust their input: a short or
// malformed value is reported as Corruption, not read past its end.
#ifndef TRAFNET_STORAGE_SRC_CODEC_H_
#define TRAFNET_STORAGE_SRC_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "trafnet/base/status.h"
#include "trafnet/storage/records.h"

namespace trafnet::storage::codec {

using LinkTypeId = uint16_t;

inline constexpr size_t kNodeIdBytes = 8;
inline constexpr size_t kLinkKeyBytes = 8 + 2 + 8;

void PutBigEndian64(std::string& out, uint64_t value);
void PutBigEndian16(std::string& out, uint16_t value);
// Bytes [from, from + 8) of `key` as a big-endian number, zero-padded past its end: comparing
// these first orders keys as bytes with few whole-key compares (sorting millions of keys).
inline uint64_t KeyPrefix(std::string_view key, size_t from) {
  uint64_t prefix = 0;
  for (size_t i = from; i < from + 8; ++i) {
    prefix = (prefix << 8) | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0u);
  }
  return prefix;
}
uint64_t GetBigEndian64(std::string_view in);  // REQUIRES: in.size() >= 8
uint16_t GetBigEndian16(std::string_view in);  // REQUIRES: in.size() >= 2
void PutVarint(std::string& out, uint64_t value);
// The same varint written at `out`, which has room for kMaxVarintBytes; returns its end.
inline constexpr size_t kMaxVarintBytes = 10;
char* EncodeVarint(char* out, uint64_t value);
void PutString(std::string& out, std::string_view value);

// Reads values written by PutVarint/PutString from the front of a buffer.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  // Inline for the one-byte case, which is most of them (lengths, types, small counts): full
  // scans decode tens of millions.
  bool Varint(uint64_t& value) {
    if (!data_.empty() && (static_cast<unsigned char>(data_.front()) & 0x80) == 0) {
      value = static_cast<unsigned char>(data_.front());
      data_.remove_prefix(1);
      return true;
    }
    return VarintSlow(value);
  }
  bool String(std::string& value);
  bool String(std::string_view& value) {
    uint64_t size = 0;
    if (!Varint(size) || size > data_.size()) return false;
    value = data_.substr(0, size);
    data_.remove_prefix(size);
    return true;
  }
  bool done() const { return data_.empty(); }

 private:
  bool VarintSlow(uint64_t& value);
  std::string_view data_;
};

std::string NodeIdKey(NodeId id);
// kind \0 natural key
std::string NaturalKey(std::string_view kind, std::string_view key);
// text \0 id — for name_index, address_index and source_index
std::string IndexKey(std::string_view text, NodeId id);

// name_index's word entries, \0 word \0 partner \0 id: one per ordered pair of a name key's
// distinct words, so that a person is found by any word of the name together with the start
// of any other (docs/storage.md). A name key never starts with \0, so they are apart from the
// entries of whole keys.
inline constexpr size_t kMaxNameWords = 8;  // distinct words indexed per name, the first ones
std::string NameWordKey(std::string_view word, std::string_view partner, NodeId id);
// Every word entry of `name_key` (a one-word name has one, with an empty partner), sorted.
std::vector<std::string> NameWordKeys(std::string_view name_key, NodeId id);
struct NameWordParts {
  std::string_view word, partner;
  NodeId id = 0;
};
// False when `key` is not a well-formed word entry.
bool ParseNameWordKey(std::string_view key, NameWordParts& parts);
// a(8) type(2) b(8): out uses (from, to), in uses (to, from)
std::string AdjacencyKey(NodeId a, LinkTypeId type, NodeId b);
// The same bytes appended to `out` (reusing its memory in hot loops).
void AppendAdjacencyKey(std::string& out, NodeId a, LinkTypeId type, NodeId b);
struct AdjacencyParts {
  NodeId a = 0;
  LinkTypeId type = 0;
  NodeId b = 0;
};

// An adjacency entry as numbers: sorts like its encoded key without comparing strings.
struct AdjacencyEntry {
  NodeId a = 0;
  LinkTypeId type = 0;
  NodeId b = 0;
  bool symmetric = false;
  auto Tie() const { return std::tie(a, type, b); }
  bool operator<(const AdjacencyEntry& other) const { return Tie() < other.Tie(); }
  bool operator==(const AdjacencyEntry& other) const { return Tie() == other.Tie(); }
};
bool ParseAdjacencyKey(std::string_view key, AdjacencyParts& parts);

// link key (from, type, to) then source \0 start \0 end
std::string ObservationKey(NodeId from, LinkTypeId type, NodeId to, const Observation& obs);
bool ParseObservationKey(std::string_view key, AdjacencyParts& link, Observation& obs);
// The start and end of an observation key's part after the link key (source \0 start \0 end),
// pointing into it; false when it is malformed.
bool SplitObservationDates(std::string_view suffix, std::string_view& start, std::string_view& end);

// Adjacency values: one flags byte.
inline constexpr char kFlagSymmetric = 0x1;

std::string EncodeNode(const NodeRecord& node);
Status DecodeNode(NodeId id, std::string_view value, NodeRecord& node);

std::string EncodeObservationValue(const Observation& obs);
Status DecodeObservationValue(std::string_view value, Observation& obs);

}  // namespace trafnet::storage::codec

#endif  // TRAFNET_STORAGE_SRC_CODEC_H_
