// How long-running kernels report progress: `done` of `total` units of work (sources searched,
// removal steps). A kernel calls it one call at a time, never concurrently, with `done`
// increasing, from whichever of its threads finished the work; it must not throw. An empty
// function is never called.
#ifndef TRAFNET_ALGORITHMS_PROGRESS_H_
#define TRAFNET_ALGORITHMS_PROGRESS_H_

#include <cstdint>
#include <functional>

namespace trafnet::algorithms {

using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_PROGRESS_H_
