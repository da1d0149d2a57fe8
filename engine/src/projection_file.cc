// The projection file: a header line naming the format, then the CSR arrays and the vertex map
// in native byte order. Every length is checked when reading, so a truncated or foreign file is
// an error, not a crash.
#include <fstream>

#include "trafnet/engine/projection.h"

namespace trafnet::engine {

namespace {

constexpr std::string_view kMagic = "trafnet-projection/1\n";

template <typename T>
void WriteVector(std::ofstream& out, const std::span<const T> values) {
  uint64_t size = values.size();
  out.write(reinterpret_cast<const char*>(&size), sizeof(size));
  out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size_bytes()));
}

template <typename Strings>
void WriteStrings(std::ofstream& out, const Strings& values) {
  uint64_t size = values.size();
  out.write(reinterpret_cast<const char*>(&size), sizeof(size));
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string_view value = values[i];
    uint32_t length = static_cast<uint32_t>(value.size());
    out.write(reinterpret_cast<const char*>(&length), sizeof(length));
    out.write(value.data(), length);
  }
}

class FileReader {
 public:
  FileReader(std::ifstream& in, uint64_t file_size) : in_(in), remaining_(file_size) {}

  template <typename T>
  bool Vector(std::vector<T>& values) {
    uint64_t size = 0;
    if (!Raw(&size, sizeof(size)) || size > remaining_ / sizeof(T)) return false;
    values.resize(size);
    return Raw(values.data(), size * sizeof(T));
  }
  // Into a vector of strings or a column of the projection.
  template <typename Column>
  bool Strings(Column& values) {
    uint64_t size = 0;
    if (!Raw(&size, sizeof(size)) || size > remaining_ / sizeof(uint32_t)) return false;
    std::string value;
    for (uint64_t i = 0; i < size; ++i) {
      uint32_t length = 0;
      if (!Raw(&length, sizeof(length)) || length > remaining_) return false;
      value.resize(length);
      if (!Raw(value.data(), length)) return false;
      values.push_back(value);
    }
    return true;
  }
  bool Raw(void* data, uint64_t bytes) {
    if (bytes > remaining_) return false;
    in_.read(static_cast<char*>(data), static_cast<std::streamsize>(bytes));
    remaining_ -= bytes;
    return static_cast<bool>(in_);
  }
  bool done() const { return remaining_ == 0; }

 private:
  std::ifstream& in_;
  uint64_t remaining_;
};

}  // namespace

Status SaveProjection(const Projection& projection, const std::filesystem::path& path) {
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return IoError("cannot write " + temporary.string());
    out.write(kMagic.data(), static_cast<std::streamsize>(kMagic.size()));
    char directed = projection.graph.directed() ? 1 : 0;
    out.write(&directed, 1);
    WriteVector(out, projection.graph.offsets());
    WriteVector(out, projection.graph.targets());
    WriteVector(out, projection.graph.weight_array());
    WriteVector(out, std::span<const storage::NodeId>(projection.node));
    WriteStrings(out, projection.kind);
    WriteStrings(out, projection.id);
    WriteStrings(out, projection.status);
    WriteStrings(out, std::vector<std::string>{projection.description});
    out.close();
    if (!out) return IoError("error writing " + temporary.string() + " (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) return IoError("cannot move " + temporary.string() + " to " + path.string() + ": " + ec.message());
  return Status::Ok();
}

StatusOr<Projection> LoadProjection(const std::filesystem::path& path) {
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return NotFoundError("cannot read projection " + path.string() + ": " + ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read projection " + path.string());
  FileReader reader(in, size);
  std::string magic(kMagic.size(), '\0');
  auto bad = [&](std::string_view what) {
    return InvalidArgumentError(path.string() + " is not a trafnet projection file (" + std::string(what) + ")");
  };
  if (!reader.Raw(magic.data(), magic.size()) || magic != kMagic) return bad("wrong header");
  char directed = 0;
  std::vector<uint64_t> offsets;
  std::vector<algorithms::Vertex> targets;
  std::vector<float> weights;
  Projection projection;
  std::vector<std::string> description;
  if (!reader.Raw(&directed, 1) || !reader.Vector(offsets) || !reader.Vector(targets) ||
      !reader.Vector(weights) || !reader.Vector(projection.node) || !reader.Strings(projection.kind) ||
      !reader.Strings(projection.id) || !reader.Strings(projection.status) || !reader.Strings(description) ||
      description.size() != 1 || !reader.done()) {
    return bad("truncated or trailing data");
  }
  auto graph = algorithms::CsrGraph::FromArrays(directed != 0, std::move(offsets), std::move(targets), std::move(weights));
  if (!graph.ok()) return bad(graph.status().message());
  projection.graph = std::move(graph).value();
  size_t n = projection.graph.num_vertices();
  if (projection.node.size() != n || projection.kind.size() != n || projection.id.size() != n ||
      projection.status.size() != n) {
    return bad("vertex map does not match the graph");
  }
  projection.description = std::move(description[0]);
  return projection;
}

}  // namespace trafnet::engine
