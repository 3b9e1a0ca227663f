// Writer pools: encoding files overlaps cooking the next frames.
//
// The renderer cooks frame N+1 while frame N is being encoded. Each job is a
// closure that owns what it writes (capture a shared_ptr to an immutable
// image buffer, never a view of a buffer the cooker will reuse).
//
//   - WriterPool: a fixed set of threads taking jobs from one bounded FIFO
//     queue. Jobs start in submission order but may finish out of order, so
//     it suits image sequences, where each frame is its own file.
//   - OrderedLane: one thread, FIFO, so jobs run one after another in
//     submission order: the lane for a VideoWriter, whose frames must be
//     encoded in order. Use one lane per video output.
//
// Back-pressure: submit() blocks while `max_queued` jobs are waiting (jobs
// already running do not count), so at most threads + max_queued frames
// are alive in the writers whatever the cooking speed.
//
// Errors: the first exception thrown by a job is kept; jobs still waiting
// are then dropped (not run), and every later submit() or wait() rethrows
// that first exception. A failed render therefore stops writing quickly,
// and a VideoWriter owned by a dropped job is destroyed unfinished, which
// removes its temporary file.
//
// Sizing (what the renderer should do): one WriterPool for all image
// outputs with threads = std::thread::hardware_concurrency() (encoders
// are mostly single-threaded and wait on the disk, and the cooker's OpenMP
// threads are idle while it waits on submit()), max_queued = 2 * threads;
// one OrderedLane per video output with max_queued = 4 (libx264 runs its
// own threads). A 1920x1080 RGBA float frame is 33 MB, so a 16-thread pool
// holds at most about 48 frames, 1.6 GB; lower max_queued when memory is
// tight.
//
// Destruction drops jobs still waiting and joins the threads after the
// running jobs end; call wait() first to complete the work and see errors.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace netcook {

class WriterPool {
 public:
  // threads >= 1 (0 or less means one per hardware thread);
  // max_queued >= 1 (0 is taken as 1).
  WriterPool(int threads, size_t max_queued);
  ~WriterPool();
  WriterPool(const WriterPool&) = delete;
  WriterPool& operator=(const WriterPool&) = delete;

  // Queues `job`; blocks while max_queued jobs wait. Rethrows the first
  // error of an earlier job instead of queueing.
  void submit(std::function<void()> job);

  // Blocks until every submitted job has finished (or been dropped after an
  // error); rethrows the first error.
  void wait();

  // The first error of any job, or null.
  std::exception_ptr first_error() const;

  int threads() const { return static_cast<int>(workers_.size()); }
  size_t max_queued() const { return max_queued_; }

 private:
  void run_worker();

  size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;   // a job was queued, or stopping
  std::condition_variable space_ready_;  // a queue slot freed, or an error
  std::condition_variable idle_;         // nothing queued and nothing running
  std::deque<std::function<void()>> queue_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> workers_;
};

// One thread, jobs in submission order: see the header comment.
class OrderedLane {
 public:
  explicit OrderedLane(size_t max_queued = 4) : pool_(1, max_queued) {}

  void submit(std::function<void()> job) { pool_.submit(std::move(job)); }
  void wait() { pool_.wait(); }
  std::exception_ptr first_error() const { return pool_.first_error(); }

 private:
  WriterPool pool_;
};

}  // namespace netcook
