#include "netcook/farm/slurm.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <regex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace netcook::farm {

CommandResult run_command(const std::vector<std::string>& argv) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  CommandResult result;
  if (spawned != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    if (spawned == ENOENT) {
      result.status = 127;
      result.err = argv[0] + ": command not found";
      return result;
    }
    throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(spawned));
  }
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  char buffer[4096];
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  return result;
}

namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

// "1-3,7" or "5" (an array's pending tasks) -> the task numbers.
std::vector<int> task_list(const std::string& text) {
  std::vector<int> tasks;
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    const std::string range = part.substr(0, part.find('%'));  // "1-4%2": at most 2 at a time
    const auto dash = range.find('-');
    try {
      if (dash == std::string::npos) {
        tasks.push_back(std::stoi(range));
      } else {
        const int first = std::stoi(range.substr(0, dash)), last = std::stoi(range.substr(dash + 1));
        for (int t = first; t <= last && tasks.size() < 1000000; ++t) tasks.push_back(t);
      }
    } catch (const std::exception&) {
    }
  }
  return tasks;
}

}  // namespace

std::string sbatch(const std::string& script, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"sbatch", "--parsable"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(script);
  const CommandResult r = run_command(argv);
  if (r.status == 127)
    throw std::runtime_error("sbatch not found: run netcook farm on a Slurm submit host (Slurm's commands in PATH)");
  const std::string out = trimmed(r.out);
  if (r.status != 0 || out.empty())
    throw std::runtime_error("sbatch refused the job: " + trimmed(r.err.empty() ? r.out : r.err));
  // --parsable prints "ID" or "ID;CLUSTER".
  return out.substr(0, out.find(';'));
}

std::map<int, TaskState> job_states(const std::string& array_id) {
  std::map<int, TaskState> states;
  const CommandResult r = run_command({"scontrol", "show", "job", "--oneliner", array_id});
  if (r.status != 0) return states;  // "Invalid job id specified": forgotten
  std::istringstream lines(r.out);
  std::string line;
  const std::regex field(R"((\w+)=(\S*))");
  while (std::getline(lines, line)) {
    std::map<std::string, std::string> fields;
    for (std::sregex_iterator it(line.begin(), line.end(), field), end; it != end; ++it)
      fields.emplace((*it)[1], (*it)[2]);
    if (!fields.count("JobState")) continue;
    TaskState state{fields["JobState"], fields["ExitCode"], fields["Reason"]};
    if (fields.count("ArrayTaskId") && !fields["ArrayTaskId"].empty())
      for (int task : task_list(fields["ArrayTaskId"])) states[task] = state;
    else
      states[0] = state;
  }
  return states;
}

bool scancel(const std::string& job_id) { return run_command({"scancel", job_id}).status == 0; }

}  // namespace netcook::farm
