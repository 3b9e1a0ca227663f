// netcook_sandbox_driver: runs one program through netcook::sandbox::run()
// and prints the Result as JSON, for tests/sandbox/*.py and
// bench/sandbox_overhead.py.
//
//   netcook_sandbox_driver [--mechanism auto|namespaces|seccomp|plain]
//       [--cpu S] [--wall S] [--memory BYTES] [--file-size BYTES]
//       [--output BYTES] [--open-files N] [--processes N] [--read-only PATH]...
//       [--env NAME=VALUE]... [--repeat N] --work DIR -- PROGRAM ARGS...
//
// --mechanism plain: fork + exec + wait, no sandbox (the benchmark's
// baseline). --repeat N: runs it N times and prints the mean ms per run.
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include "netcook/sandbox/sandbox.h"

namespace sb = netcook::sandbox;

namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c >= 0x80) {
          // Bytes, not text: \u00XX keeps the JSON valid whatever was printed.
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

int usage(const std::string& problem) {
  std::cerr << "netcook_sandbox_driver: " << problem << "\n";
  return 2;
}

double plain_run(const sb::Spec& spec) {
  std::vector<char*> argv;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  sb::Spec spec;
  std::string mechanism = "auto";
  int repeat = 0;
  int i = 1;
  for (; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (i + 1 >= argc) return usage(a + " needs a value");
    const std::string v = argv[++i];
    if (a == "--mechanism") mechanism = v;
    else if (a == "--cpu") spec.limits.cpu_seconds = std::stod(v);
    else if (a == "--wall") spec.limits.wall_seconds = std::stod(v);
    else if (a == "--memory") spec.limits.memory_bytes = std::stoull(v);
    else if (a == "--file-size") spec.limits.file_size_bytes = std::stoull(v);
    else if (a == "--output") spec.limits.output_bytes = std::stoull(v);
    else if (a == "--open-files") spec.limits.open_files = std::stoi(v);
    else if (a == "--processes") spec.limits.processes = std::stoi(v);
    else if (a == "--read-only") spec.read_only.emplace_back(v);
    else if (a == "--work") spec.work_dir = v;
    else if (a == "--repeat") repeat = std::stoi(v);
    else if (a == "--env") {
      const auto eq = v.find('=');
      if (eq == std::string::npos) return usage("--env needs NAME=VALUE");
      spec.env[v.substr(0, eq)] = v.substr(eq + 1);
    } else return usage("unknown option " + a);
  }
  for (; i < argc; ++i) spec.argv.emplace_back(argv[i]);
  if (spec.argv.empty()) return usage("no program after --");

  try {
    if (repeat > 0) {
      double total = 0;
      for (int r = 0; r < repeat; ++r) {
        if (mechanism == "plain") {
          total += plain_run(spec);
        } else {
          const auto m = mechanism == "namespaces" ? sb::Mechanism::Namespaces
                         : mechanism == "seccomp"  ? sb::Mechanism::SeccompRlimits
                                                   : sb::available_mechanism();
          const sb::Result res = sb::run(spec, m);
          if (res.end != sb::Result::End::Exited || res.exit_status != 0) {
            std::cerr << "run failed: " << res.reason << "\n" << res.stderr_text;
            return 1;
          }
          total += res.wall_seconds;
        }
      }
      std::printf("{\"mechanism\": \"%s\", \"runs\": %d, \"ms_per_run\": %.3f}\n", mechanism.c_str(), repeat,
                  1000.0 * total / repeat);
      return 0;
    }
    const sb::Result r = mechanism == "namespaces" ? sb::run(spec, sb::Mechanism::Namespaces)
                         : mechanism == "seccomp"  ? sb::run(spec, sb::Mechanism::SeccompRlimits)
                                                   : sb::run(spec);
    std::ostringstream out;
    out << "{\"end\": " << json_string(sb::end_name(r.end)) << ", \"exit_status\": " << r.exit_status
        << ", \"signal\": " << r.signal << ", \"stdout\": " << json_string(r.stdout_text)
        << ", \"stderr\": " << json_string(r.stderr_text) << ", \"record\": " << json_string(r.record)
        << ", \"output_truncated\": " << (r.output_truncated ? "true" : "false")
        << ", \"wall_seconds\": " << r.wall_seconds << ", \"cpu_seconds\": " << r.cpu_seconds
        << ", \"mechanism\": " << json_string(sb::mechanism_name(r.mechanism))
        << ", \"landlock\": " << (r.landlock ? "true" : "false")
        << ", \"reason\": " << json_string(r.reason) << "}\n";
    std::cout << out.str();
  } catch (const std::exception& e) {
    std::cerr << "netcook_sandbox_driver: " << e.what() << "\n";
    return 3;
  }
  return 0;
}
