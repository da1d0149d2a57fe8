#include "row_pipeline.h"

namespace trafnet::engine {

namespace {
constexpr size_t kBatchRows = 4096;
constexpr size_t kBatchesAhead = 4;
}  // namespace

void RowBatch::Add(ReadOutcome outcome, const Row& row, const RowError& error, PreparedRow prepared) {
  Item item;
  item.outcome = outcome;
  if (outcome == ReadOutcome::kError) {
    item.line = error.line;
    item.error = error;
  } else {
    item.line = row.line;
    item.first_field = static_cast<uint32_t>(fields_.size());
    item.num_fields = static_cast<uint32_t>(row.values.size());
    for (size_t i = 0; i < row.values.size(); ++i) {
      std::string_view name = i < row.names.size() ? row.names[i] : std::string_view();
      std::array<uint32_t, 4> field{};
      field[0] = static_cast<uint32_t>(arena_.size());
      field[1] = static_cast<uint32_t>(name.size());
      arena_.append(name);
      field[2] = static_cast<uint32_t>(arena_.size());
      field[3] = static_cast<uint32_t>(row.values[i].size());
      arena_.append(row.values[i]);
      fields_.push_back(field);
    }
  }
  items_.push_back(std::move(item));
  prepared_.push_back(std::move(prepared));
}

void RowBatch::Clear() {
  arena_.clear();
  items_.clear();
  prepared_.clear();
  fields_.clear();
  bytes_read = 0;
}

void RowBatch::View(size_t i, Row& row) const {
  const Item& item = items_[i];
  row.line = item.line;
  row.names.resize(item.num_fields);
  row.values.resize(item.num_fields);
  for (uint32_t f = 0; f < item.num_fields; ++f) {
    const auto& field = fields_[item.first_field + f];
    row.names[f] = std::string_view(arena_.data() + field[0], field[1]);
    row.values[f] = std::string_view(arena_.data() + field[2], field[3]);
  }
}

RowPipeline::RowPipeline(RecordReader& reader, std::function<void(const Row&, PreparedRow&)> prepare)
    : reader_(reader), prepare_(std::move(prepare)), ready_(kBatchesAhead), thread_([this] { ReadAll(); }) {}

RowPipeline::~RowPipeline() {
  ready_.Stop();
  thread_.join();
}

void RowPipeline::ReadAll() {
  Row row;
  RowError error;
  bool end = false;
  while (!end) {
    std::unique_ptr<RowBatch> batch;
    {
      std::lock_guard lock(free_mutex_);
      if (!free_.empty()) {
        batch = std::move(free_.back());
        free_.pop_back();
      }
    }
    if (!batch) batch = std::make_unique<RowBatch>();
    while (batch->size() < kBatchRows) {
      ReadOutcome outcome = reader_.Next(row, error);
      if (outcome == ReadOutcome::kEnd) {
        end = true;
        break;
      }
      PreparedRow prepared;
      if (outcome == ReadOutcome::kRow && prepare_) prepare_(row, prepared);
      batch->Add(outcome, row, error, std::move(prepared));
    }
    batch->bytes_read = reader_.bytes_read();
    if (batch->size() > 0 && !ready_.Push(std::move(batch))) return;  // the caller stopped
  }
  ready_.Close();
}

std::unique_ptr<RowBatch> RowPipeline::Next() {
  std::optional<std::unique_ptr<RowBatch>> batch = ready_.Pop();
  return batch ? std::move(*batch) : nullptr;
}

void RowPipeline::Recycle(std::unique_ptr<RowBatch> batch) {
  batch->Clear();
  std::lock_guard lock(free_mutex_);
  if (free_.size() < kBatchesAhead + 2) free_.push_back(std::move(batch));
}

}  // namespace trafnet::engine
