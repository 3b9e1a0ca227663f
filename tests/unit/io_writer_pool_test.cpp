// Writer pools: jobs complete, errors propagate and stop the queue, the
// queue bound holds, and an ordered lane keeps order.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "netcook/io/writer_pool.h"

namespace netcook {
namespace {

using namespace std::chrono_literals;

TEST(IoWriterPool, ManyJobsComplete) {
  WriterPool pool(4, 8);
  EXPECT_EQ(pool.threads(), 4);
  std::atomic<int> sum{0};
  for (int i = 1; i <= 1000; ++i) pool.submit([&sum, i] { sum += i; });
  pool.wait();
  EXPECT_EQ(sum.load(), 500500);
  EXPECT_FALSE(pool.first_error());
  // The pool is reusable after wait().
  pool.submit([&sum] { sum += 1; });
  pool.wait();
  EXPECT_EQ(sum.load(), 500501);
}

TEST(IoWriterPool, JobsOwnTheirData) {
  WriterPool pool(2, 2);
  std::weak_ptr<std::vector<float>> watch;
  std::atomic<float> seen{0};
  {
    auto frame = std::make_shared<const std::vector<float>>(16, 0.5f);
    watch = std::const_pointer_cast<std::vector<float>>(frame);
    pool.submit([frame, &seen] {
      std::this_thread::sleep_for(20ms);
      seen = (*frame)[7];
    });
  }
  pool.wait();
  EXPECT_EQ(seen.load(), 0.5f);
  EXPECT_TRUE(watch.expired());  // released once the job is done
}

TEST(IoWriterPool, FirstErrorPropagatesAndStopsTheQueue) {
  WriterPool pool(1, 100);
  std::atomic<int> ran{0};
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  pool.submit([gate] {
    gate.wait();
    throw std::runtime_error("disk full");
  });
  for (int i = 0; i < 10; ++i) pool.submit([&ran] { ++ran; });
  release.set_value();
  try {
    pool.wait();
    FAIL() << "expected the job's error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "disk full");
  }
  EXPECT_EQ(ran.load(), 0);  // waiting jobs were dropped
  ASSERT_TRUE(pool.first_error());
  EXPECT_THROW(pool.submit([] {}), std::runtime_error);
  EXPECT_THROW(pool.wait(), std::runtime_error);
}

TEST(IoWriterPool, SubmitBlocksWhenTheQueueIsFull) {
  WriterPool pool(1, 2);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> started{0};
  pool.submit([gate, &started] {
    ++started;
    gate.wait();
  });
  while (started.load() == 0) std::this_thread::sleep_for(1ms);
  pool.submit([] {});  // queued: 1
  pool.submit([] {});  // queued: 2 = max
  std::atomic<bool> submitted{false};
  std::thread producer([&] {
    pool.submit([] {});
    submitted = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(submitted.load());  // blocked on the bound
  release.set_value();
  producer.join();
  EXPECT_TRUE(submitted.load());
  pool.wait();
}

TEST(IoWriterPool, OrderedLaneKeepsOrder) {
  OrderedLane lane(3);
  std::vector<int> order;  // touched by the lane's one thread only
  for (int i = 0; i < 200; ++i)
    lane.submit([&order, i] {
      if (i % 17 == 0) std::this_thread::sleep_for(1ms);
      order.push_back(i);
    });
  lane.wait();
  ASSERT_EQ(order.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(order[i], i);
}

TEST(IoWriterPool, DestructionDropsWaitingJobs) {
  std::atomic<int> ran{0};
  std::atomic<int> started{0};
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::thread releaser;
  {
    WriterPool pool(1, 10);
    pool.submit([gate, &started] {
      ++started;
      gate.wait();
    });
    while (started.load() == 0) std::this_thread::sleep_for(1ms);
    for (int i = 0; i < 5; ++i) pool.submit([&ran] { ++ran; });
    // The destructor waits for the running job, which this thread ends.
    releaser = std::thread([&release] {
      std::this_thread::sleep_for(20ms);
      release.set_value();
    });
  }
  releaser.join();
  EXPECT_EQ(ran.load(), 0);
}

}  // namespace
}  // namespace netcook
