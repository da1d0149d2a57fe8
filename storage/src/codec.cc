#include "codec.h"

#include <algorithm>
#include <string>

namespace trafnet::storage::codec {

namespace {
constexpr char kNodeFormat = 1;
constexpr char kObservationFormat = 1;
}  // namespace

void PutBigEndian64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

void PutBigEndian16(std::string& out, uint16_t value) {
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value));
}

uint64_t GetBigEndian64(std::string_view in) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(in[i]);
  return value;
}

uint16_t GetBigEndian16(std::string_view in) {
  return static_cast<uint16_t>((static_cast<unsigned char>(in[0]) << 8) |
                               static_cast<unsigned char>(in[1]));
}

char* EncodeVarint(char* out, uint64_t value) {
  while (value >= 0x80) {
    *out++ = static_cast<char>(value | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<char>(value);
  return out;
}

void PutVarint(std::string& out, uint64_t value) {
  char bytes[kMaxVarintBytes];
  out.append(bytes, EncodeVarint(bytes, value));
}

void PutString(std::string& out, std::string_view value) {
  PutVarint(out, value.size());
  out.append(value);
}

bool Reader::VarintSlow(uint64_t& value) {
  value = 0;
  for (int shift = 0; shift <= 63 && !data_.empty(); shift += 7) {
    auto byte = static_cast<unsigned char>(data_.front());
    data_.remove_prefix(1);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

bool Reader::String(std::string& value) {
  std::string_view view;
  if (!String(view)) return false;
  value.assign(view);
  return true;
}

std::string NodeIdKey(NodeId id) {
  std::string key;
  PutBigEndian64(key, id);
  return key;
}

std::string NaturalKey(std::string_view kind, std::string_view key) {
  std::string out;
  out.reserve(kind.size() + 1 + key.size());
  out.append(kind);
  out.push_back('\0');
  out.append(key);
  return out;
}

std::string IndexKey(std::string_view text, NodeId id) {
  std::string out;
  out.reserve(text.size() + 9);
  out.append(text);
  out.push_back('\0');
  PutBigEndian64(out, id);
  return out;
}

std::string NameWordKey(std::string_view word, std::string_view partner, NodeId id) {
  std::string out;
  out.reserve(word.size() + partner.size() + 11);
  out.push_back('\0');
  out.append(word);
  out.push_back('\0');
  out.append(partner);
  out.push_back('\0');
  PutBigEndian64(out, id);
  return out;
}

std::vector<std::string> NameWordKeys(std::string_view name_key, NodeId id) {
  std::vector<std::string_view> words;
  for (size_t begin = 0; begin < name_key.size() && words.size() < kMaxNameWords;) {
    size_t end = name_key.find(' ', begin);
    if (end == std::string_view::npos) end = name_key.size();
    const std::string_view word = name_key.substr(begin, end - begin);
    if (!word.empty() && std::find(words.begin(), words.end(), word) == words.end())
      words.push_back(word);
    begin = end + 1;
  }
  std::vector<std::string> keys;
  if (words.size() == 1) keys.push_back(NameWordKey(words[0], {}, id));
  for (std::string_view word : words) {
    for (std::string_view partner : words) {
      if (partner != word) keys.push_back(NameWordKey(word, partner, id));
    }
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool ParseNameWordKey(std::string_view key, NameWordParts& parts) {
  if (key.size() < 11 || key[0] != '\0' || key[key.size() - 9] != '\0') return false;
  const std::string_view words = key.substr(1, key.size() - 10);
  const size_t separator = words.find('\0');
  if (separator == std::string_view::npos || separator == 0) return false;
  parts.word = words.substr(0, separator);
  parts.partner = words.substr(separator + 1);
  if (parts.partner.find('\0') != std::string_view::npos) return false;
  parts.id = GetBigEndian64(key.substr(key.size() - 8));
  return true;
}

void AppendAdjacencyKey(std::string& out, NodeId a, LinkTypeId type, NodeId b) {
  PutBigEndian64(out, a);
  PutBigEndian16(out, type);
  PutBigEndian64(out, b);
}

std::string AdjacencyKey(NodeId a, LinkTypeId type, NodeId b) {
  std::string out;
  out.reserve(kLinkKeyBytes);
  AppendAdjacencyKey(out, a, type, b);
  return out;
}

bool ParseAdjacencyKey(std::string_view key, AdjacencyParts& parts) {
  if (key.size() != kLinkKeyBytes) return false;
  parts.a = GetBigEndian64(key);
  parts.type = GetBigEndian16(key.substr(8));
  parts.b = GetBigEndian64(key.substr(10));
  return true;
}

std::string ObservationKey(NodeId from, LinkTypeId type, NodeId to, const Observation& obs) {
  std::string out = AdjacencyKey(from, type, to);
  out.append(obs.source);
  out.push_back('\0');
  out.append(obs.start);
  out.push_back('\0');
  out.append(obs.end);
  return out;
}

bool ParseObservationKey(std::string_view key, AdjacencyParts& link, Observation& obs) {
  if (key.size() < kLinkKeyBytes || !ParseAdjacencyKey(key.substr(0, kLinkKeyBytes), link)) {
    return false;
  }
  std::string_view rest = key.substr(kLinkKeyBytes);
  size_t first = rest.find('\0');
  if (first == std::string_view::npos) return false;
  size_t second = rest.find('\0', first + 1);
  if (second == std::string_view::npos) return false;
  obs.source.assign(rest.substr(0, first));
  obs.start.assign(rest.substr(first + 1, second - first - 1));
  obs.end.assign(rest.substr(second + 1));
  return true;
}

std::string EncodeNode(const NodeRecord& node) {
  std::string out;
  out.push_back(kNodeFormat);
  PutString(out, node.kind);
  PutString(out, node.key);
  PutVarint(out, node.fields.size());
  for (const auto& [name, value] : node.fields) {
    PutString(out, name);
    PutString(out, value);
  }
  PutVarint(out, node.sources.size());
  for (const auto& source : node.sources) PutString(out, source);
  return out;
}

Status DecodeNode(NodeId id, std::string_view value, NodeRecord& node) {
  auto corrupt = [id](std::string_view what) {
    return CorruptionError("node " + std::to_string(id) + ": " + std::string(what));
  };
  if (value.empty() || value[0] != kNodeFormat) return corrupt("unknown record format");
  Reader reader(value.substr(1));
  node.id = id;
  if (!reader.String(node.kind) || !reader.String(node.key)) return corrupt("truncated header");
  uint64_t count = 0;
  if (!reader.Varint(count) || count > value.size()) return corrupt("bad field count");
  node.fields.clear();
  node.fields.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    std::string name, field_value;
    if (!reader.String(name) || !reader.String(field_value)) return corrupt("truncated field");
    node.fields.emplace_back(std::move(name), std::move(field_value));
  }
  if (!reader.Varint(count) || count > value.size()) return corrupt("bad source count");
  node.sources.clear();
  node.sources.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    std::string source;
    if (!reader.String(source)) return corrupt("truncated source");
    node.sources.push_back(std::move(source));
  }
  if (!reader.done()) return corrupt("trailing bytes");
  return Status::Ok();
}

bool SplitObservationDates(std::string_view suffix, std::string_view& start,
                           std::string_view& end) {
  size_t first = suffix.find('\0');
  if (first == std::string_view::npos) return false;
  size_t second = suffix.find('\0', first + 1);
  if (second == std::string_view::npos) return false;
  start = suffix.substr(first + 1, second - first - 1);
  end = suffix.substr(second + 1);
  return true;
}

std::string EncodeObservationValue(const Observation& obs) {
  std::string out;
  out.push_back(kObservationFormat);
  PutVarint(out, obs.count);
  PutVarint(out, obs.extra.size());
  for (const auto& [name, value] : obs.extra) {
    PutString(out, name);
    PutString(out, value);
  }
  return out;
}

Status DecodeObservationValue(std::string_view value, Observation& obs) {
  if (value.empty() || value[0] != kObservationFormat) {
    return CorruptionError("observation: unknown record format");
  }
  Reader reader(value.substr(1));
  uint64_t count = 0;
  if (!reader.Varint(obs.count) || !reader.Varint(count) || count > value.size()) {
    return CorruptionError("observation: truncated");
  }
  obs.extra.clear();
  for (uint64_t i = 0; i < count; ++i) {
    std::string name, field_value;
    if (!reader.String(name) || !reader.String(field_value)) {
      return CorruptionError("observation: truncated extra field");
    }
    obs.extra.emplace_back(std::move(name), std::move(field_value));
  }
  if (!reader.done()) return CorruptionError("observation: trailing bytes");
  return Status::Ok();
}

}  // namespace trafnet::storage::codec
