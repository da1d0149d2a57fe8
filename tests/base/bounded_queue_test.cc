#include "trafnet/base/bounded_queue.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace trafnet {
namespace {

TEST(BoundedQueueTest, HandsOverEveryItemInOrderThenEnds) {
  BoundedQueue<int> queue(2);
  std::thread producer([&] {
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(queue.Push(i));
    queue.Close();
  });
  std::vector<int> got;
  while (std::optional<int> item = queue.Pop()) got.push_back(*item);
  producer.join();
  ASSERT_EQ(got.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(got[i], i);
  EXPECT_FALSE(queue.Pop().has_value());  // closed and empty stays that way
}

TEST(BoundedQueueTest, StopReleasesAProducerWaitingForRoom) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.Push(1));
  bool pushed = true;
  std::thread producer([&] { pushed = queue.Push(2); });  // waits: the queue is full
  queue.Stop();
  producer.join();
  EXPECT_FALSE(pushed);
}

}  // namespace
}  // namespace trafnet
