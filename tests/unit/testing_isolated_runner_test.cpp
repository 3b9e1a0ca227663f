// The isolated runner: each task in a forked process, its outcome whatever
// the task does (returns, throws, crashes, exits, hangs), N at a time.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <thread>

#include "netcook/testing/isolated_runner.h"

namespace netcook::testing {
namespace {

using Kind = IsolatedOutcome::Kind;

std::map<std::size_t, IsolatedOutcome> run_all(const std::vector<IsolatedTask>& tasks, int jobs) {
  std::map<std::size_t, IsolatedOutcome> outcomes;
  IsolatedRunOptions options;
  options.jobs = jobs;
  // This test binary has run OpenMP kernels already; the tasks use none.
  options.require_single_thread = false;
  options.finished = [&](std::size_t i, IsolatedOutcome&& o) { outcomes[i] = std::move(o); };
  run_isolated(tasks, options);
  return outcomes;
}

TEST(IsolatedRunner, EachOutcomeIsItsTasksAlone) {
  std::vector<IsolatedTask> tasks(6);
  tasks[0].work = [] { return std::string("hello from ") + std::to_string(::getpid()); };
  tasks[1].work = []() -> std::string { throw std::runtime_error("no luck"); };
  // SIGABRT, not SIGSEGV: AddressSanitizer builds turn a SIGSEGV into a
  // report and exit(1), an abort() they leave alone.
  tasks[2].work = []() -> std::string {
    std::abort();
  };
  tasks[3].work = []() -> std::string { ::_exit(7); };
  tasks[4].work = []() -> std::string {
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  };
  tasks[4].timeout_seconds = 0.3;
  tasks[5].work = [] { return std::string(1 << 20, 'x'); };  // larger than a pipe's buffer
  const auto out = run_all(tasks, 3);
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(out.at(0).kind, Kind::Finished);
  EXPECT_EQ(out.at(0).record.rfind("hello from ", 0), 0u);
  EXPECT_NE(out.at(0).record, "hello from " + std::to_string(::getpid()));  // another process
  EXPECT_EQ(out.at(1).kind, Kind::Threw);
  EXPECT_EQ(out.at(1).error, "no luck");
  EXPECT_EQ(out.at(2).kind, Kind::Crashed);
  EXPECT_EQ(out.at(2).signal, SIGABRT);
  EXPECT_EQ(out.at(3).kind, Kind::Exited);
  EXPECT_EQ(out.at(3).exit_status, 7);
  EXPECT_EQ(out.at(4).kind, Kind::TimedOut);
  EXPECT_GE(out.at(4).seconds, 0.3);
  EXPECT_EQ(out.at(5).kind, Kind::Finished);
  EXPECT_EQ(out.at(5).record.size(), std::size_t(1) << 20);
}

TEST(IsolatedRunner, RunsJobsAtATime) {
  // Each task sleeps 0.2 s; 6 of them 3 at a time take about 0.4 s, never
  // 1.2 s (generous bounds: the machine may be busy).
  std::vector<IsolatedTask> tasks(6);
  for (auto& t : tasks)
    t.work = [] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      return std::string("ok");
    };
  int most = 0, now = 0;
  IsolatedRunOptions options;
  options.jobs = 3;
  options.require_single_thread = false;
  options.started = [&](std::size_t) { most = std::max(most, ++now); };
  options.finished = [&](std::size_t, IsolatedOutcome&& o) {
    --now;
    EXPECT_EQ(o.kind, Kind::Finished);
  };
  run_isolated(tasks, options);
  EXPECT_EQ(most, 3);
  EXPECT_EQ(now, 0);
}

TEST(IsolatedRunner, RefusesToForkBesideOtherThreads) {
  std::atomic<bool> stop{false};
  std::thread other([&] {
    while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  EXPECT_GE(process_thread_count(), 2);
  std::vector<IsolatedTask> tasks(1);
  tasks[0].work = [] { return std::string("never"); };
  IsolatedRunOptions options;
  options.require_single_thread = true;
  try {
    run_isolated(tasks, options);
    ADD_FAILURE() << "forked beside another thread";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("already runs"), std::string::npos) << e.what();
  }
  stop = true;
  other.join();
}

TEST(IsolatedRunner, SignalDescriptions) {
  EXPECT_EQ(signal_description(SIGSEGV), "SIGSEGV (Segmentation fault)");
  EXPECT_EQ(signal_description(SIGABRT), "SIGABRT (Aborted)");
}

TEST(RecordCoding, RoundTripsAndRejectsTruncation) {
  RecordWriter w;
  w.put(std::string("a\0b", 3));
  w.put(std::numeric_limits<double>::infinity());
  w.put(-42LL);
  w.put(true);
  const std::string bytes = w.take();
  RecordReader r(bytes);
  EXPECT_EQ(r.get_string(), std::string("a\0b", 3));
  EXPECT_TRUE(std::isinf(r.get_double()));
  EXPECT_EQ(r.get_int(), -42);
  EXPECT_TRUE(r.get_bool());
  EXPECT_THROW(r.get_int(), std::runtime_error);
  const std::string cut = bytes.substr(0, 5);
  RecordReader short_reader(cut);
  EXPECT_THROW(short_reader.get_string(), std::runtime_error);
}

}  // namespace
}  // namespace netcook::testing
