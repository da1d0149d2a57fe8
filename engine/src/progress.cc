#include "trafnet/engine/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace trafnet::engine {

std::string HumanCount(double value) {
  if (value >= 1e9) return fmt::format("{:.1f}G", value / 1e9);
  if (value >= 1e6) return fmt::format("{:.1f}M", value / 1e6);
  if (value >= 1e4) return fmt::format("{:.0f}k", value / 1e3);
  return fmt::format("{:.0f}", value);
}

bool Progress::StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string label, uint64_t total, bool quiet, std::string unit)
    : label_(std::move(label)),
      total_(total),
      unit_(std::move(unit)),
      enabled_(!quiet && StderrIsTerminal()),
      start_(std::chrono::steady_clock::now()),
      // The first Update draws at once (a step with no later updates still shows its line).
      last_draw_(start_ - std::chrono::seconds(1)) {}

Progress::~Progress() { Finish(); }

void Progress::Update(uint64_t done, uint64_t items) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(done, items);
}

void Progress::Draw(uint64_t done, uint64_t items) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = label_;
  if (total_ > 0) line += fmt::format("  {:3.0f}%", 100.0 * static_cast<double>(done) / static_cast<double>(total_));
  if (total_ > 0 || items > 0)
    line += fmt::format("  {} {}", HumanCount(static_cast<double>(items)), unit_);
  if (seconds > 0.2) {
    line += fmt::format("  {}/s", HumanCount(static_cast<double>(items) / seconds));
    if (total_ > 0 && done > 0 && done < total_) {
      auto eta = static_cast<uint64_t>(seconds * static_cast<double>(total_ - done) / static_cast<double>(done));
      line += fmt::format("  ETA {}:{:02}", eta / 60, eta % 60);
    }
  }
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

StepProgress::StepProgress(std::string label, bool quiet)
    : label_(std::move(label)),
      quiet_(quiet),
      fn_([this](std::string_view step, uint64_t done, uint64_t total) {
        Report(step, done, total);
      }) {
  line_.emplace(label_, 0, quiet_);
  line_->Update(0, 0);
}

StepProgress::~StepProgress() { line_->Finish(); }

void StepProgress::Report(std::string_view step, uint64_t done, uint64_t total) {
  const auto now = std::chrono::steady_clock::now();
  if (step != step_) {
    line_->Finish();
    step_ = step;
    step_started_ = now;
    line_.emplace(label_ + ": " + step_, total, quiet_, "records");
  }
  line_->Update(done, done);
  if (total > 0 && done == total) {
    steps_.emplace_back(step_, std::chrono::duration<double>(now - step_started_).count());
  }
}

}  // namespace trafnet::engine
