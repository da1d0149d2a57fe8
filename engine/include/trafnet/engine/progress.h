// Progress lines for long work on a terminal: "ingest links.csv  43%  1.2M rows  512k rows/s  ETA 0:12".
//
// Drawn on stderr, redrawn at most ten times a second, and only when stderr is a terminal and
// the caller did not ask for quiet, so logs and pipes stay clean.
#ifndef TRAFNET_ENGINE_PROGRESS_H_
#define TRAFNET_ENGINE_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trafnet::engine {

class Progress {
 public:
  // `total` is the amount of work in the caller's unit (bytes, rows); 0 when unknown. `unit`
  // names the items counted in Update ("rows", "searches").
  Progress(std::string label, uint64_t total, bool quiet, std::string unit = "rows");
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` in the unit of `total`; `items` what to show as a rate (rows).
  void Update(uint64_t done, uint64_t items);
  // Clears the line.
  void Finish();
  // Whether a line is on the terminal now.
  bool drawn() const { return drawn_; }

  // True when progress would be drawn for a caller that is not quiet.
  static bool StderrIsTerminal();

 private:
  void Draw(uint64_t done, uint64_t items);

  std::string label_;
  uint64_t total_;
  std::string unit_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// Progress lines for work reported in steps (a storage::StepProgressFn: a store's commit,
// verification or index build): `label` until the first report, then "<label>: <step>" with
// the step's share done, records/s and ETA. Also times each step, from its first report to the
// one that says it is complete (done = total > 0).
class StepProgress {
 public:
  using Fn = std::function<void(std::string_view step, uint64_t done, uint64_t total)>;
  StepProgress(std::string label, bool quiet);
  ~StepProgress();
  StepProgress(const StepProgress&) = delete;
  StepProgress& operator=(const StepProgress&) = delete;

  const Fn& fn() const { return fn_; }
  // Each completed step's seconds, in order.
  const std::vector<std::pair<std::string, double>>& steps() const { return steps_; }

 private:
  void Report(std::string_view step, uint64_t done, uint64_t total);

  std::string label_;
  bool quiet_;
  std::string step_;
  std::chrono::steady_clock::time_point step_started_;
  std::vector<std::pair<std::string, double>> steps_;
  std::optional<Progress> line_;
  Fn fn_;
};

// "1.2M", "512k", "37".
std::string HumanCount(double value);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_PROGRESS_H_
