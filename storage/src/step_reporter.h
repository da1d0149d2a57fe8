// Reports the steps of long work (a commit, verify, an index build) to a StepProgressFn: each
// step at its start, every kEvery records and at its end. Not thread-safe: one thread reports.
#ifndef TRAFNET_STORAGE_SRC_STEP_REPORTER_H_
#define TRAFNET_STORAGE_SRC_STEP_REPORTER_H_

#include <cstdint>
#include <string_view>

#include "trafnet/storage/store.h"

namespace trafnet::storage {

class StepReporter {
 public:
  static constexpr uint64_t kEvery = uint64_t{1} << 16;

  // `progress` may be empty (nothing is reported) and must outlive the reporter.
  explicit StepReporter(const StepProgressFn& progress) : progress_(progress) {}

  // Starts `step` (a string that outlives it) of `total` records, 0 when not known ahead.
  void Begin(std::string_view step, uint64_t total) {
    step_ = step;
    done_ = 0;
    total_ = total;
    Report();
  }
  // One more record done.
  void Tick() {
    if (++done_ % kEvery == 0) Report();
  }
  // `done` records done, counted by the caller.
  void ReportAt(uint64_t done) {
    done_ = done;
    Report();
  }
  void End() { Report(); }

 private:
  void Report() const {
    if (progress_) progress_(step_, done_, total_);
  }

  const StepProgressFn& progress_;
  std::string_view step_;
  uint64_t done_ = 0;
  uint64_t total_ = 0;
};

}  // namespace trafnet::storage

#endif  // TRAFNET_STORAGE_SRC_STEP_REPORTER_H_
