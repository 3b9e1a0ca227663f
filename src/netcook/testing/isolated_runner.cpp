#include "netcook/testing/isolated_runner.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace netcook::testing {

namespace {

using Clock = std::chrono::steady_clock;

// Writes all of `bytes` to `fd`; false on failure.
bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// The child's side: run the task, send [tag byte][8-byte length][payload].
[[noreturn]] void run_child(const IsolatedTask& task, int fd) {
  char tag = 'R';
  std::string payload;
  try {
    payload = task.work();
  } catch (const std::exception& e) {
    tag = 'E';
    payload = e.what();
  } catch (...) {
    tag = 'E';
    payload = "unknown exception";
  }
  std::uint64_t size = payload.size();
  char header[9];
  header[0] = tag;
  std::memcpy(header + 1, &size, 8);
  const bool ok = write_all(fd, header, 9) && write_all(fd, payload.data(), payload.size());
  std::fflush(stdout);
  std::fflush(stderr);
  // _exit: the parent's atexit handlers and static destructors (the
  // interpreter's among them) are the parent's business.
  ::_exit(ok ? 0 : 3);
}

struct Running {
  std::size_t index = 0;
  pid_t pid = -1;
  int fd = -1;
  std::string bytes;
  Clock::time_point start;
  bool timed_out = false;
  bool eof = false;
};

IsolatedOutcome outcome_of(Running& r, int status) {
  IsolatedOutcome out;
  out.seconds = std::chrono::duration<double>(Clock::now() - r.start).count();
  bool complete = false;
  if (r.bytes.size() >= 9) {
    std::uint64_t size = 0;
    std::memcpy(&size, r.bytes.data() + 1, 8);
    complete = r.bytes.size() == 9 + size;
  }
  if (r.timed_out) {
    out.kind = IsolatedOutcome::Kind::TimedOut;
  } else if (WIFSIGNALED(status)) {
    out.kind = IsolatedOutcome::Kind::Crashed;
    out.signal = WTERMSIG(status);
  } else if (complete) {
    out.kind = r.bytes[0] == 'R' ? IsolatedOutcome::Kind::Finished : IsolatedOutcome::Kind::Threw;
    (r.bytes[0] == 'R' ? out.record : out.error) = r.bytes.substr(9);
  } else {
    out.kind = IsolatedOutcome::Kind::Exited;
    out.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  return out;
}

}  // namespace

int process_thread_count() {
  DIR* dir = ::opendir("/proc/self/task");
  if (!dir) return 0;
  int count = 0;
  while (const dirent* entry = ::readdir(dir))
    if (entry->d_name[0] != '.') ++count;
  ::closedir(dir);
  return count;
}

void run_isolated(const std::vector<IsolatedTask>& tasks, const IsolatedRunOptions& options) {
  if (options.require_single_thread && !tasks.empty()) {
    const int threads = process_thread_count();
    if (threads > 1)
      throw std::runtime_error("cannot fork the case processes: this process already runs " + std::to_string(threads) +
                               " threads (a thread pool started before forking; see isolated_runner.h)");
  }
  const std::size_t jobs = static_cast<std::size_t>(std::max(1, options.jobs));
  std::vector<Running> running;
  std::size_t next = 0;
  while (next < tasks.size() || !running.empty()) {
    // Start children up to `jobs`.
    while (next < tasks.size() && running.size() < jobs) {
      int fds[2];
      if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("cannot make a pipe: ") + std::strerror(errno));
      // Buffered output would otherwise be written twice, by both processes.
      std::fflush(stdout);
      std::fflush(stderr);
      const pid_t pid = ::fork();
      if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw std::runtime_error(std::string("cannot start a process: ") + std::strerror(errno));
      }
      if (pid == 0) {
        ::close(fds[0]);
        for (const auto& r : running) ::close(r.fd);
        // Default dispositions: a crash must be the child's own, and the
        // parent's Ctrl-C handling is not the child's.
        ::signal(SIGPIPE, SIG_DFL);
        run_child(tasks[next], fds[1]);
      }
      ::close(fds[1]);
      Running r;
      r.index = next;
      r.pid = pid;
      r.fd = fds[0];
      r.start = Clock::now();
      running.push_back(std::move(r));
      if (options.started) options.started(next);
      ++next;
    }

    // Wait for output, an end, or the nearest deadline.
    std::vector<pollfd> polls;
    int wait_ms = -1;
    const auto now = Clock::now();
    for (auto& r : running) {
      if (!r.eof) polls.push_back({r.fd, POLLIN, 0});
      const double timeout = tasks[r.index].timeout_seconds;
      if (timeout > 0 && !r.timed_out) {
        const double left = timeout - std::chrono::duration<double>(now - r.start).count();
        const int ms = std::max(0, static_cast<int>(std::ceil(left * 1000)));
        wait_ms = wait_ms < 0 ? ms : std::min(wait_ms, ms);
      }
    }
    if (polls.empty()) wait_ms = wait_ms < 0 ? 10 : std::min(wait_ms, 10);
    const int ready = ::poll(polls.data(), polls.size(), wait_ms);
    if (ready < 0 && errno != EINTR) throw std::runtime_error(std::string("poll failed: ") + std::strerror(errno));

    for (auto& r : running) {
      if (r.eof) continue;
      char buffer[65536];
      for (;;) {
        pollfd one{r.fd, POLLIN, 0};
        if (::poll(&one, 1, 0) <= 0) break;
        const ssize_t n = ::read(r.fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          r.eof = true;
          break;
        }
        r.bytes.append(buffer, static_cast<std::size_t>(n));
      }
    }
    // Deadlines.
    const auto after = Clock::now();
    for (auto& r : running) {
      const double timeout = tasks[r.index].timeout_seconds;
      if (timeout > 0 && !r.timed_out && std::chrono::duration<double>(after - r.start).count() >= timeout) {
        r.timed_out = true;
        ::kill(r.pid, SIGKILL);
      }
    }
    // Reap the children that ended (their pipe closed, or killed).
    for (std::size_t i = 0; i < running.size();) {
      Running& r = running[i];
      int status = 0;
      const pid_t done = (r.eof || r.timed_out) ? ::waitpid(r.pid, &status, r.timed_out ? 0 : WNOHANG)
                                                 : ::waitpid(r.pid, &status, WNOHANG);
      if (done == r.pid) {
        // Whatever is still in the pipe belongs to the record.
        char buffer[65536];
        ssize_t n;
        while (!r.timed_out && (n = ::read(r.fd, buffer, sizeof buffer)) > 0) r.bytes.append(buffer, static_cast<std::size_t>(n));
        ::close(r.fd);
        IsolatedOutcome out = outcome_of(r, status);
        const std::size_t index = r.index;
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
        if (options.finished) options.finished(index, std::move(out));
      } else {
        ++i;
      }
    }
  }
}

std::string signal_description(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  const char* text = sigdescr_np(signal);
  std::string out = abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
  if (text) out += std::string(" (") + text + ")";
  return out;
}

void RecordWriter::put(const std::string& s) {
  put(static_cast<long long>(s.size()));
  bytes_ += s;
}
void RecordWriter::put(double d) { bytes_.append(reinterpret_cast<const char*>(&d), sizeof d); }
void RecordWriter::put(long long n) { bytes_.append(reinterpret_cast<const char*>(&n), sizeof n); }

void RecordReader::need(std::size_t n) const {
  if (bytes_.size() - pos_ < n) throw std::runtime_error("a result record ended early");
}
std::string RecordReader::get_string() {
  const long long size = get_int();
  if (size < 0) throw std::runtime_error("a result record is malformed");
  need(static_cast<std::size_t>(size));
  std::string s = bytes_.substr(pos_, static_cast<std::size_t>(size));
  pos_ += static_cast<std::size_t>(size);
  return s;
}
double RecordReader::get_double() {
  need(sizeof(double));
  double d;
  std::memcpy(&d, bytes_.data() + pos_, sizeof d);
  pos_ += sizeof d;
  return d;
}
long long RecordReader::get_int() {
  need(sizeof(long long));
  long long n;
  std::memcpy(&n, bytes_.data() + pos_, sizeof n);
  pos_ += sizeof n;
  return n;
}

}  // namespace netcook::testing
