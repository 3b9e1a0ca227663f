#include "netcook/io/writer_pool.h"

#include <algorithm>

namespace netcook {

WriterPool::WriterPool(int threads, size_t max_queued) : max_queued_(std::max<size_t>(1, max_queued)) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  workers_.reserve(threads);
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { run_worker(); });
}

WriterPool::~WriterPool() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  work_ready_.notify_all();
  space_ready_.notify_all();
  dropped.clear();
  for (auto& t : workers_) t.join();
}

void WriterPool::submit(std::function<void()> job) {
  std::unique_lock<std::mutex> lock(mutex_);
  space_ready_.wait(lock, [&] { return error_ || stopping_ || queue_.size() < max_queued_; });
  if (error_) std::rethrow_exception(error_);
  queue_.push_back(std::move(job));
  lock.unlock();
  work_ready_.notify_one();
}

void WriterPool::wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
  if (error_) std::rethrow_exception(error_);
}

std::exception_ptr WriterPool::first_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

void WriterPool::run_worker() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left to run
    std::function<void()> job = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    space_ready_.notify_one();

    std::exception_ptr failure;
    try {
      job();
    } catch (...) {
      failure = std::current_exception();
    }
    job = nullptr;  // release what the job owned before reporting it done

    lock.lock();
    if (failure && !error_) {
      error_ = failure;
      // Drop the waiting jobs: the render has failed. They are destroyed
      // outside the lock (a job may own a VideoWriter, whose destructor
      // removes files) and before wait() can return.
      std::deque<std::function<void()>> dropped;
      dropped.swap(queue_);
      space_ready_.notify_all();
      lock.unlock();
      dropped.clear();
      lock.lock();
    }
    --running_;
    if (queue_.empty() && running_ == 0) idle_.notify_all();
  }
}

}  // namespace netcook
