// Reads records on a background thread, in batches, while the caller handles the previous ones:
// parsing (and, through `prepare`, phone normalisation) overlaps with validation and writing.
#ifndef TRAFNET_ENGINE_SRC_ROW_PIPELINE_H_
#define TRAFNET_ENGINE_SRC_ROW_PIPELINE_H_

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <optional>

#include "trafnet/base/bounded_queue.h"
#include "trafnet/base/status.h"
#include "trafnet/engine/record_reader.h"
#include "trafnet/storage/normalize.h"

namespace trafnet::engine {

// What the reader thread worked out about a row ahead of its handling: the phone numbers its link
// ends refer to, normalised (unset when an end is not a phone reference), and for a row of a
// link file whether it passed every check that needs no lookup, with its count.
struct PreparedRow {
  std::optional<StatusOr<storage::NormalizedPhone>> from_phone;
  std::optional<StatusOr<storage::NormalizedPhone>> to_phone;
  bool checked = false;
  uint64_t count = 1;
};

// A batch of records copied out of the reader, so the reader can go on while they are used.
class RowBatch {
 public:
  struct Item {
    ReadOutcome outcome = ReadOutcome::kRow;
    uint64_t line = 0;
    RowError error;
    uint32_t first_field = 0;
    uint32_t num_fields = 0;
  };

  void Add(ReadOutcome outcome, const Row& row, const RowError& error, PreparedRow prepared);
  size_t size() const { return items_.size(); }
  const Item& item(size_t i) const { return items_[i]; }
  const PreparedRow& prepared(size_t i) const { return prepared_[i]; }
  // Points `row` at item i's fields (valid while the batch lives).
  void View(size_t i, Row& row) const;
  // Item i's value of its field `at` (empty when it has none, or `at` is negative).
  std::string_view Value(size_t i, int at) const {
    const Item& item = items_[i];
    if (at < 0 || static_cast<uint32_t>(at) >= item.num_fields) return {};
    const auto& field = fields_[item.first_field + static_cast<uint32_t>(at)];
    return std::string_view(arena_.data() + field[2], field[3]);
  }
  // Item i's value of column `name` (empty when it has none), without a View.
  std::string_view Get(size_t i, std::string_view name) const {
    const Item& item = items_[i];
    for (uint32_t f = 0; f < item.num_fields; ++f) {
      const auto& field = fields_[item.first_field + f];
      if (std::string_view(arena_.data() + field[0], field[1]) == name) {
        return std::string_view(arena_.data() + field[2], field[3]);
      }
    }
    return {};
  }
  uint64_t bytes_read = 0;  // the reader's position after the batch
  // Empties the batch, keeping its memory for the next one.
  void Clear();

 private:
  std::string arena_;
  std::vector<Item> items_;
  std::vector<PreparedRow> prepared_;
  std::vector<std::array<uint32_t, 4>> fields_;  // name offset, name size, value offset, size
};

class RowPipeline {
 public:
  // `prepare` runs on the reader thread for every good row; what it fills in travels with the row.
  RowPipeline(RecordReader& reader, std::function<void(const Row&, PreparedRow&)> prepare);
  ~RowPipeline();
  RowPipeline(const RowPipeline&) = delete;
  RowPipeline& operator=(const RowPipeline&) = delete;

  // The next batch, or nullptr at the end of the input.
  std::unique_ptr<RowBatch> Next();
  // Gives a used batch back for the reader to fill again (saves growing a new one each time).
  void Recycle(std::unique_ptr<RowBatch> batch);

 private:
  void ReadAll();

  RecordReader& reader_;
  std::function<void(const Row&, PreparedRow&)> prepare_;
  BoundedQueue<std::unique_ptr<RowBatch>> ready_;
  std::mutex free_mutex_;
  std::vector<std::unique_ptr<RowBatch>> free_;
  std::thread thread_;
};

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_SRC_ROW_PIPELINE_H_
