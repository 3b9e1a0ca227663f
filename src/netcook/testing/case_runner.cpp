#include "netcook/testing/case_runner.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "netcook/io/image_writer.h"
#include "netcook/session/session.h"
#include "netcook/testing/isolated_runner.h"

namespace netcook::testing {

namespace fs = std::filesystem;
using compare::Verdict;

const char* status_name(CaseStatus status) {
  switch (status) {
    case CaseStatus::Pass: return "pass";
    case CaseStatus::Warn: return "warn";
    case CaseStatus::Fail: return "fail";
    case CaseStatus::Error: return "error";
  }
  return "?";
}

namespace {

constexpr std::size_t kMaxOutput = 64 * 1024;

std::string read_file(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  std::string text(limit, '\0');
  in.read(text.data(), static_cast<std::streamsize>(limit));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

// The last `limit` bytes of a file.
std::string read_tail(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return {};
  const std::streamoff size = in.tellg();
  const std::streamoff start = std::max<std::streamoff>(0, size - static_cast<std::streamoff>(limit));
  in.seekg(start);
  std::string text(static_cast<std::size_t>(size - start), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return (start > 0 ? "...\n" : "") + text;
}

std::string frame_tag(const std::string& op, int frame) {
  char number[32];
  std::snprintf(number, sizeof number, "%04d", frame);
  return op + "." + number;
}

// A file name for an operator name or path ("/project1/a" -> "project1_a").
std::string file_stem(std::string name) {
  while (!name.empty() && name[0] == '/') name.erase(0, 1);
  for (char& c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) c = '_';
  return name;
}

// Rounds like the 16-bit PNG writer (clamp, NaN -> 0, nearest of 65535
// steps), so a result compares with its PNG golden as it would be stored.
std::vector<float> quantize_16(ConstImageView image) {
  std::vector<float> out(static_cast<std::size_t>(image.width) * image.height * image.channels);
  std::size_t i = 0;
  for (int y = 0; y < image.height; ++y) {
    const float* row = image.row(y);
    for (int x = 0; x < image.width * image.channels; ++x) {
      const float v = row[x];
      const float c = std::isnan(v) ? 0.0f : std::min(1.0f, std::max(0.0f, v));
      out[i++] = static_cast<float>(std::lround(c * 65535.0f)) * (1.0f / 65535.0f);
    }
  }
  return out;
}

void write_png8(const std::string& path, ConstImageView rgba) {
  OutputSpec spec = output_spec_for_path(path);
  spec.bits = 8;
  write_image(path, rgba, spec);
}

// Builds the lines of what --bless did, and writes the golden.
std::string bless_golden(const std::string& path, ConstImageView result, GoldenFormat format,
                         const ImageCheck& check, double fail_threshold) {
  OutputSpec spec = output_spec_for_path(path);
  spec.bits = format == GoldenFormat::Exr ? 32 : 16;
  // A PNG golden holding the same 16-bit values reads back within float
  // rounding of the quantized result, never half a step away.
  const double unchanged_below = format == GoldenFormat::Exr ? 0.0 : 0.25 / 65535.0;
  std::string note;
  char text[256];
  if (check.golden_missing) {
    note = "new";
  } else if (check.comparison.pixels > 0 && check.comparison.max_error <= unchanged_below) {
    return "unchanged";
  } else if (check.comparison.reason.find("size") != std::string::npos ||
             check.comparison.reason.find("channel") != std::string::npos) {
    note = "replaced: " + check.comparison.reason;
  } else {
    std::snprintf(text, sizeof text, "changed: %lld of %lld pixels differ by more than %g (fail), largest %.4g",
                  static_cast<long long>(check.comparison.over_fail), static_cast<long long>(check.comparison.pixels),
                  fail_threshold, check.comparison.max_error);
    note = text;
  }
  write_image(path, result, spec);
  return note;
}

struct LoadedGolden {
  std::vector<float> pixels;
  int width = 0, height = 0;
};

}  // namespace

CaseResult run_case(const TestCase& test, const CaseRunOptions& options) {
  CaseResult result;
  result.name = test.name;
  result.manifest = test.manifest;
  result.report_dir = "cases/" + file_stem(test.name);
  const auto start = std::chrono::steady_clock::now();
  const fs::path case_dir = fs::path(options.report_dir) / result.report_dir;
  std::error_code ec;
  fs::create_directories(case_dir, ec);
  const std::string stdout_path = (case_dir / "stdout.txt").string();
  const std::string stderr_path = (case_dir / "stderr.txt").string();
  if (options.capture_output) {
    std::fflush(stdout);
    std::fflush(stderr);
    const int out = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (out >= 0) ::dup2(out, STDOUT_FILENO), ::close(out);
    if (err >= 0) ::dup2(err, STDERR_FILENO), ::close(err);
  }
  auto finish = [&](CaseStatus status, std::string reason, std::string details = {}) {
    std::fflush(stdout);
    if (options.capture_output) result.output = read_file(stdout_path, kMaxOutput);
    result.status = status;
    result.reason = std::move(reason);
    result.details = std::move(details);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
  };

  SessionOptions session_options;
  session_options.sets = test.sets;
  session_options.texts = test.texts;
  session_options.threads = options.threads;
  std::unique_ptr<Session> session;
  std::vector<SceneOutput> compared;
  try {
    session = std::make_unique<Session>(test.scene, session_options);
    Scene& scene = session->scene();
    Network& network = session->network();
    if (test.compare.empty()) {
      for (const SceneOutput& out : scene.outputs)
        if (std::none_of(compared.begin(), compared.end(), [&](const SceneOutput& o) { return o.op == out.op; }))
          compared.push_back(out);
    } else {
      std::vector<std::string> tops;
      for (Operator* op : network.all_operators())
        if (dynamic_cast<TopOperator*>(op)) tops.push_back(op->name());
      for (const std::string& name : test.compare) {
        auto* op = dynamic_cast<TopOperator*>(network.resolve(name, *network.project()));
        if (!op)
          throw SceneError(test.where, "case '" + test.name + "': compare: no TOP '" + name + "' in " + test.scene +
                                           did_you_mean(name, tops));
        SceneOutput out;
        out.op = op;
        out.spec = output_spec_for_path(file_stem(name) + ".####.exr");
        compared.push_back(out);
      }
    }
    if (compared.empty())
      throw SceneError(test.where, "case '" + test.name + "': the scene has no outputs; say which TOPs to compare with compare:");
    // The session renders exactly the compared TOPs, into memory.
    scene.outputs = compared;
  } catch (const SceneError& e) {
    std::string details;
    for (const auto& d : e.diagnostics()) details += d.format() + "\n";
    const std::string first = e.diagnostics().empty() ? e.what() : e.diagnostics().front().format();
    return finish(CaseStatus::Error, "scene error: " + first, details);
  } catch (const std::exception& e) {
    return finish(CaseStatus::Error, std::string("could not load the scene: ") + e.what());
  }

  // Render: the frames in ascending runs of one step.
  std::vector<int> frames = test.frames.empty() ? session->scene().frames.frames() : test.frames;
  MemorySink memory;
  const auto deadline_start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < frames.size();) {
    std::size_t j = i + 1;
    while (j < frames.size() && frames[j] == frames[j - 1] + 1) ++j;
    RenderRequest request;
    request.frames = FrameRange{frames[i], frames[j - 1], 1};
    request.sinks = {&memory};
    const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - deadline_start).count();
    request.timeout_seconds = std::max(0.001, test.timeout_seconds - spent);
    const RenderResult rendered = session->render(request);
    result.frames_rendered += rendered.frames_rendered;
    if (rendered.failure) {
      const auto& f = *rendered.failure;
      const char* kind = f.kind == RenderFailure::Kind::Script ? "Python exception: "
                         : f.kind == RenderFailure::Kind::Write ? "write error: " : "cook error: ";
      return finish(CaseStatus::Error, kind + f.message, f.traceback);
    }
    if (rendered.stopped != StopReason::None) {
      char text[128];
      std::snprintf(text, sizeof text, "timed out after %g s", test.timeout_seconds);
      return finish(CaseStatus::Error, text + (rendered.stopped_in.empty() ? "" : " (stopped " + rendered.stopped_in + ")"));
    }
    i = j;
  }

  // Compare.
  compare::CompareOptions compare_options;
  compare_options.thresholds = test.thresholds;
  compare_options.ssim = test.ssim;
  compare_options.flip = test.flip;
  compare_options.threads = options.threads;
  std::vector<std::string> bless_lines;
  CaseStatus status = CaseStatus::Pass;
  std::string first_reason;
  int failing_frames = 0;
  try {
    for (const RenderedFrame& frame : memory.frames) {
      for (std::size_t k = 0; k < compared.size(); ++k) {
        const std::string name = test.compare.empty() ? compared[k].op->name() : test.compare[k];
        ImageCheck check;
        check.op = name;
        check.frame = frame.frame;
        const std::string stem = file_stem(name);
        check.golden = (fs::path(test.golden_dir) / golden_file_name(stem, frame.frame, test.format)).string();
        const ConstImageView raw = frame.images[k]->view();
        std::vector<float> quantized;
        ConstImageView result_view = raw;
        if (test.format == GoldenFormat::Png16) {
          quantized = quantize_16(raw);
          result_view = ConstImageView(quantized.data(), raw.width, raw.height,
                                       static_cast<std::ptrdiff_t>(raw.width) * raw.channels, raw.channels);
        }
        LoadedGolden golden;
        check.golden_missing = !fs::exists(check.golden, ec);
        if (check.golden_missing) {
          check.comparison.verdict = Verdict::Fail;
          check.comparison.reason = "no golden " + check.golden + " (write it with: netcook test --bless " + test.name + ")";
        } else {
          try {
            golden.pixels = read_image_rgba(check.golden, golden.width, golden.height);
          } catch (const std::exception& e) {
            check.comparison.verdict = Verdict::Fail;
            check.comparison.reason = std::string("cannot read the golden: ") + e.what();
            check.golden_missing = true;
          }
        }
        const ConstImageView golden_view(golden.pixels.data(), golden.width, golden.height,
                                         static_cast<std::ptrdiff_t>(golden.width) * 4, 4);
        if (!check.golden_missing) check.comparison = compare::compare_images(result_view, golden_view, compare_options);

        const std::string tag = frame_tag(stem, frame.frame);
        const std::string rel = result.report_dir + "/" + tag;
        check.result_png = rel + ".result.png";
        write_png8(options.report_dir + "/" + check.result_png, raw);
        const bool same_size = !check.golden_missing && golden.width == raw.width && golden.height == raw.height;
        if (check.comparison.verdict != Verdict::Pass) {
          if (!check.golden_missing) {
            check.golden_png = rel + ".golden.png";
            write_png8(options.report_dir + "/" + check.golden_png, golden_view);
          }
          if (same_size) {
            check.diff_scale = std::max(check.comparison.max_error, 1e-6);
            auto diff = compare::difference_heatmap(result_view, golden_view, check.diff_scale);
            check.diff_png = rel + ".diff.png";
            write_png8(options.report_dir + "/" + check.diff_png, diff->view());
          }
        }
        if (same_size && (test.flip || test.thresholds.max_flip) && check.comparison.verdict != Verdict::Pass) {
          auto flip = compare::flip_heatmap(result_view, golden_view);
          check.flip_png = rel + ".flip.png";
          write_png8(options.report_dir + "/" + check.flip_png, flip->view());
        }

        const bool bless = options.bless == BlessMode::All ||
                           (options.bless == BlessMode::Failed && check.comparison.verdict == Verdict::Fail);
        if (bless) {
          check.blessed = bless_golden(check.golden, result_view, test.format, check, test.thresholds.fail);
          if (check.blessed != "unchanged") {
            bless_lines.push_back(check.golden + ": " + check.blessed);
            check.comparison.verdict = Verdict::Pass;
            check.comparison.reason.clear();
          }
        }
        if (check.comparison.verdict == Verdict::Fail) {
          ++failing_frames;
          if (status != CaseStatus::Fail) first_reason = name + " frame " + std::to_string(frame.frame) + ": " + check.comparison.reason;
          status = CaseStatus::Fail;
        } else if (check.comparison.verdict == Verdict::Warn && status == CaseStatus::Pass) {
          status = CaseStatus::Warn;
          first_reason = name + " frame " + std::to_string(frame.frame) + ": " + check.comparison.reason;
        }
        result.images.push_back(std::move(check));
      }
    }
  } catch (const std::exception& e) {
    return finish(CaseStatus::Error, std::string("comparing the frames failed: ") + e.what());
  }
  if (failing_frames > 1) first_reason += " (and " + std::to_string(failing_frames - 1) + " more frames)";

  std::string details;
  for (const auto& line : bless_lines) details += "blessed " + line + "\n";

  // Expected script output, in order.
  if (!test.expect_stdout.empty()) {
    std::fflush(stdout);
    if (!options.capture_output) {
      return finish(CaseStatus::Error, "expect_stdout needs the case's output captured (run it through netcook test)",
                    details);
    }
    const std::string output = read_file(stdout_path, 64 * 1024 * 1024);
    std::vector<std::string> lines;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
    }
    std::size_t at = 0;
    for (const ExpectedLine& expected : test.expect_stdout) {
      const std::regex pattern = expected.regex ? std::regex(expected.text) : std::regex();
      bool found = false;
      for (; at < lines.size() && !found; ++at)
        found = expected.regex ? std::regex_match(lines[at], pattern) : lines[at] == expected.text;
      if (!found) {
        const std::string what = expected.regex ? "a line matching /" + expected.text + "/" : "the line '" + expected.text + "'";
        const std::string reason = "the scripts did not print " + what + " (" + expected.where.file + ":" +
                                   std::to_string(expected.where.line) + ")";
        if (status != CaseStatus::Fail) first_reason = reason;
        status = CaseStatus::Fail;
        details += reason + "\n";
        break;
      }
    }
  }
  return finish(status, status == CaseStatus::Pass ? std::string() : first_reason, details);
}

std::string encode_result(const CaseResult& r) {
  RecordWriter w;
  w.put(r.name);
  w.put(r.manifest);
  w.put(static_cast<long long>(r.status));
  w.put(r.reason);
  w.put(r.details);
  w.put(r.seconds);
  w.put(static_cast<long long>(r.frames_rendered));
  w.put(r.output);
  w.put(r.report_dir);
  w.put(static_cast<long long>(r.images.size()));
  for (const ImageCheck& c : r.images) {
    w.put(c.op);
    w.put(static_cast<long long>(c.frame));
    const auto& m = c.comparison;
    w.put(static_cast<long long>(m.verdict));
    w.put(m.reason);
    w.put(static_cast<long long>(m.pixels));
    w.put(static_cast<long long>(m.over_fail));
    w.put(static_cast<long long>(m.over_warn));
    w.put(m.max_error);
    w.put(static_cast<long long>(m.max_x));
    w.put(static_cast<long long>(m.max_y));
    w.put(static_cast<long long>(m.max_channel));
    w.put(m.mean_error);
    w.put(m.rms_error);
    w.put(m.psnr);
    w.put(m.ssim.has_value());
    w.put(m.ssim.value_or(0.0));
    w.put(m.flip_mean.has_value());
    w.put(m.flip_mean.value_or(0.0));
    w.put(c.golden);
    w.put(c.golden_missing);
    w.put(c.result_png);
    w.put(c.golden_png);
    w.put(c.diff_png);
    w.put(c.flip_png);
    w.put(c.diff_scale);
    w.put(c.blessed);
  }
  return w.take();
}

CaseResult decode_result(const std::string& bytes) {
  RecordReader rd(bytes);
  CaseResult r;
  r.name = rd.get_string();
  r.manifest = rd.get_string();
  r.status = static_cast<CaseStatus>(rd.get_int());
  r.reason = rd.get_string();
  r.details = rd.get_string();
  r.seconds = rd.get_double();
  r.frames_rendered = static_cast<int>(rd.get_int());
  r.output = rd.get_string();
  r.report_dir = rd.get_string();
  const long long n = rd.get_int();
  for (long long i = 0; i < n; ++i) {
    ImageCheck c;
    c.op = rd.get_string();
    c.frame = static_cast<int>(rd.get_int());
    auto& m = c.comparison;
    m.verdict = static_cast<Verdict>(rd.get_int());
    m.reason = rd.get_string();
    m.pixels = rd.get_int();
    m.over_fail = rd.get_int();
    m.over_warn = rd.get_int();
    m.max_error = rd.get_double();
    m.max_x = static_cast<int>(rd.get_int());
    m.max_y = static_cast<int>(rd.get_int());
    m.max_channel = static_cast<int>(rd.get_int());
    m.mean_error = rd.get_double();
    m.rms_error = rd.get_double();
    m.psnr = rd.get_double();
    const bool has_ssim = rd.get_bool();
    const double ssim = rd.get_double();
    if (has_ssim) m.ssim = ssim;
    const bool has_flip = rd.get_bool();
    const double flip = rd.get_double();
    if (has_flip) m.flip_mean = flip;
    c.golden = rd.get_string();
    c.golden_missing = rd.get_bool();
    c.result_png = rd.get_string();
    c.golden_png = rd.get_string();
    c.diff_png = rd.get_string();
    c.flip_png = rd.get_string();
    c.diff_scale = rd.get_double();
    c.blessed = rd.get_string();
    r.images.push_back(std::move(c));
  }
  return r;
}

std::vector<CaseResult> run_cases(const std::vector<TestCase>& cases, const RunCasesOptions& options) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int jobs = std::max(1, options.jobs);
  std::vector<IsolatedTask> tasks;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    CaseRunOptions run;
    run.report_dir = options.report_dir;
    run.bless = i < options.bless.size() ? options.bless[i] : BlessMode::None;
    run.threads = std::max(1, cores / jobs);
    run.capture_output = true;
    IsolatedTask task;
    const TestCase* test = &cases[i];
    task.work = [test, run] { return encode_result(run_case(*test, run)); };
    // The session stops itself at the timeout and names the script it
    // stopped; the kill is for a hang outside a render (a C-level loop).
    task.timeout_seconds = cases[i].timeout_seconds + 2;
    tasks.push_back(std::move(task));
  }
  std::vector<CaseResult> results(cases.size());
  std::size_t done = 0;
  IsolatedRunOptions isolated;
  isolated.jobs = jobs;
  isolated.started = [&](std::size_t i) {
    if (options.started) options.started(cases[i]);
  };
  isolated.finished = [&](std::size_t i, IsolatedOutcome&& outcome) {
    const TestCase& test = cases[i];
    CaseResult r;
    r.name = test.name;
    r.manifest = test.manifest;
    r.report_dir = "cases/" + file_stem(test.name);
    r.status = CaseStatus::Error;
    r.seconds = outcome.seconds;
    const std::string case_dir = options.report_dir + "/" + r.report_dir;
    const std::string stderr_tail = read_tail(case_dir + "/stderr.txt", 4096);
    char text[160];
    switch (outcome.kind) {
      case IsolatedOutcome::Kind::Finished:
        try {
          r = decode_result(outcome.record);
        } catch (const std::exception& e) {
          r.reason = std::string("internal error: ") + e.what();
        }
        break;
      case IsolatedOutcome::Kind::Threw:
        r.reason = "internal error: " + outcome.error;
        r.details = stderr_tail;
        break;
      case IsolatedOutcome::Kind::Crashed:
        r.reason = "the case's process crashed: " + signal_description(outcome.signal);
        r.details = stderr_tail;
        break;
      case IsolatedOutcome::Kind::TimedOut:
        std::snprintf(text, sizeof text, "timed out after %g s (its process was killed)", test.timeout_seconds);
        r.reason = text;
        r.details = stderr_tail;
        break;
      case IsolatedOutcome::Kind::Exited:
        std::snprintf(text, sizeof text, "the case's process exited with status %d before reporting a result",
                      outcome.exit_status);
        r.reason = text;
        r.details = stderr_tail;
        break;
    }
    if (outcome.kind != IsolatedOutcome::Kind::Finished) r.output = read_file(case_dir + "/stdout.txt", kMaxOutput);
    results[i] = std::move(r);
    ++done;
    if (options.finished) options.finished(results[i], done, cases.size());
  };
  run_isolated(tasks, isolated);
  return results;
}

}  // namespace netcook::testing
