// Per-vertex strings of a projection, stored compactly: a graph of millions of vertices would
// otherwise hold three std::string objects (96 bytes, each written when the projection is
// built) per vertex. Both columns read like a vector of strings: `column[v]` is a string_view
// valid as long as the column is not changed.
#ifndef TRAFNET_ENGINE_VERTEX_STRINGS_H_
#define TRAFNET_ENGINE_VERTEX_STRINGS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trafnet::engine {

// Any strings, stored back to back (a record id per vertex).
class StringColumn {
 public:
  void reserve(size_t strings, size_t bytes) {
    ends_.reserve(strings);
    bytes_.reserve(bytes);
  }
  void push_back(std::string_view value) {
    bytes_.append(value);
    ends_.push_back(bytes_.size());
  }
  std::string_view operator[](size_t i) const {
    const uint64_t begin = i == 0 ? 0 : ends_[i - 1];
    return {bytes_.data() + begin, static_cast<size_t>(ends_[i] - begin)};
  }
  size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  bool operator==(const StringColumn&) const = default;

 private:
  std::string bytes_;
  std::vector<uint64_t> ends_;  // where each string ends in bytes_
};

// Strings of which there are few distinct ones (node kinds, statuses): each vertex holds the
// index of its value in a table of the distinct values, in order of first appearance.
class LabelColumn {
 public:
  void reserve(size_t strings) { index_.reserve(strings); }
  void push_back(std::string_view value) {
    // Most vertices repeat the last label or one of a handful: a linear search is enough.
    if (last_ >= values_.size() || values_[last_] != value) {
      last_ = 0;
      while (last_ < values_.size() && values_[last_] != value) ++last_;
      if (last_ == values_.size()) values_.emplace_back(value);
    }
    index_.push_back(last_);
  }
  std::string_view operator[](size_t i) const { return values_[index_[i]]; }
  size_t size() const { return index_.size(); }
  bool empty() const { return index_.empty(); }
  bool operator==(const LabelColumn& other) const {
    if (size() != other.size()) return false;
    for (size_t i = 0; i < size(); ++i) {
      if ((*this)[i] != other[i]) return false;
    }
    return true;
  }

 private:
  std::vector<std::string> values_;
  std::vector<uint32_t> index_;
  uint32_t last_ = 0;
};

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_VERTEX_STRINGS_H_
