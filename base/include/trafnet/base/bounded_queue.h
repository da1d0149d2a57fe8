// A bounded hand-over of work items from one producer thread to one consumer thread: the
// producer blocks while `capacity` items wait, the consumer blocks while none does. Used to
// run reading (of files, of RocksDB) a few batches ahead of the code that uses the batches.
#ifndef TRAFNET_BASE_BOUNDED_QUEUE_H_
#define TRAFNET_BASE_BOUNDED_QUEUE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace trafnet {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

  // Producer: waits for room, then queues `item`. False (item dropped) once the consumer has
  // called Stop: the producer should give up.
  bool Push(T item) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || items_.size() < capacity_; });
    if (stopped_) return false;
    items_.push_back(std::move(item));
    changed_.notify_all();
    return true;
  }
  // Producer: no more items will come.
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }

  // Consumer: the next item, or nothing once the queue is closed and empty.
  std::optional<T> Pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    changed_.notify_all();
    return item;
  }
  // Consumer: wants no more items; a producer waiting in Push returns false.
  void Stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<T> items_;
  bool closed_ = false;
  bool stopped_ = false;
};

}  // namespace trafnet

#endif  // TRAFNET_BASE_BOUNDED_QUEUE_H_
