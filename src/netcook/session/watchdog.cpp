#include "netcook/session/watchdog.h"

#include <Python.h>

#include "netcook/python/script_context.h"

namespace netcook {

Watchdog::Watchdog(const std::atomic<bool>* cancel, double timeout_seconds, double frame_timeout_seconds)
    : cancel_(cancel),
      timeout_(timeout_seconds),
      frame_timeout_(frame_timeout_seconds),
      started_(Clock::now()),
      frame_started_(Clock::now().time_since_epoch().count()),
      main_thread_(PyThread_get_thread_ident()) {
  if (cancel_ || timeout_ > 0 || frame_timeout_ > 0) thread_ = std::thread([this] { run(); });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  if (!thread_.joinable()) return;
  {
    // The watchdog may be waiting for the GIL to interrupt a script that
    // has just ended: let it have it, then drop what it raised too late.
    PyThreadState* saved = PyEval_SaveThread();
    thread_.join();
    PyEval_RestoreThread(saved);
  }
  PyThreadState_SetAsyncExc(main_thread_, nullptr);
}

void Watchdog::frame_started() { frame_started_ = Clock::now().time_since_epoch().count(); }

void Watchdog::trip(StopReason why) {
  StopReason expected = StopReason::None;
  if (!reason_.compare_exchange_strong(expected, why)) return;
  if (!python_is_running()) return;
  PyGILState_STATE gil = PyGILState_Ensure();
  // Re-checked under the GIL: the script may have ended meanwhile.
  if (python_is_running()) PyThreadState_SetAsyncExc(main_thread_, interrupt_exception_type());
  PyGILState_Release(gil);
}

bool Watchdog::should_stop() {
  using std::chrono::duration;
  if (reason() != StopReason::None) return true;
  const auto now = Clock::now();
  const auto frame_start = Clock::time_point(Clock::duration(frame_started_.load()));
  StopReason why = StopReason::None;
  if (cancel_ && cancel_->load()) why = StopReason::Cancelled;
  else if (timeout_ > 0 && duration<double>(now - started_).count() > timeout_) why = StopReason::Timeout;
  else if (frame_timeout_ > 0 && duration<double>(now - frame_start).count() > frame_timeout_)
    why = StopReason::FrameTimeout;
  if (why == StopReason::None) return false;
  trip(why);
  return true;
}

void Watchdog::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!done_) {
    wake_.wait_for(lock, std::chrono::milliseconds(20));
    if (done_ || reason() != StopReason::None) continue;
    lock.unlock();
    should_stop();
    lock.lock();
  }
}

}  // namespace netcook
