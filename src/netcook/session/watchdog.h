// Watchdog: stops a render that must stop, even inside a runaway script.
//
// Between frames a render checks its cancel flag; a script in an endless
// loop never gets there. While a render runs, a watchdog thread watches the
// cancel flag and the deadlines (whole render, current frame). When one
// trips it records why, and if Python code is running it raises td.Interrupt
// inside it (PyThreadState_SetAsyncExc, taken with the GIL at Python's next
// thread switch, within milliseconds), so the script stops with its frame
// and operator named. Kernels are short: they finish their frame.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace netcook {

enum class StopReason { None, Cancelled, Timeout, FrameTimeout };

class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;
  // Zero seconds: no such limit. `cancel` may be null.
  Watchdog(const std::atomic<bool>* cancel, double timeout_seconds, double frame_timeout_seconds);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // A new frame begins: its deadline starts now.
  void frame_started();
  // Why the render must stop (None while it may go on).
  StopReason reason() const { return reason_.load(); }
  // Checks the flag and the deadlines now (the render does, between frames,
  // so a cancel is seen at once); true when the render must stop.
  bool should_stop();

 private:
  void run();
  void trip(StopReason why);
  const std::atomic<bool>* cancel_;
  const double timeout_, frame_timeout_;
  const Clock::time_point started_;
  std::atomic<Clock::rep> frame_started_;
  std::atomic<StopReason> reason_{StopReason::None};
  unsigned long main_thread_;  // Python's id of the rendering thread
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace netcook
