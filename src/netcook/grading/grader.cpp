#include "netcook/grading/grader.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "netcook/grading/observation.h"
#include "netcook/sandbox/sandbox.h"

namespace netcook::grading {

namespace fs = std::filesystem;

namespace {

// What a run may read besides its work folder: the base scene file and
// what the exercise lists as readable; never the scene's whole folder, which
// may hold solutions.
// Symbolic links resolved: the sandbox binds each path as it is, and a
// link along the way would lead nowhere inside it.
std::string real_path(const std::string& path) {
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(path, ec);
  return ec ? path : real.string();
}

std::vector<std::string> readable_paths(const Exercise& exercise) {
  std::vector<std::string> paths;
  if (!exercise.scene.empty()) paths.push_back(real_path(exercise.scene));
  for (const auto& p : exercise.readable) paths.push_back(real_path(p));
  return paths;
}

// Copies the submission's files into `work` under their own names (so a
// traceback says `script1.py:12`); returns the job's texts or scene, or a
// problem for the student when the submission lacks what the exercise needs.
struct Prepared {
  std::vector<std::string> texts;
  std::string scene;
  std::string problem;
};

Prepared prepare(const Exercise& exercise, const std::string& submission, const fs::path& work) {
  Prepared p;
  std::error_code ec;
  const bool folder = fs::is_directory(submission, ec);
  auto copy_in = [&](const fs::path& from, const std::string& name) -> bool {
    fs::copy_file(from, work / name, fs::copy_options::overwrite_existing, ec);
    if (ec) p.problem = "cannot read " + from.string() + ": " + ec.message();
    return !ec;
  };
  switch (exercise.kind) {
    case SubmissionKind::Dat: {
      const std::string dat = exercise.dats[0];
      fs::path file = submission;
      if (folder) {
        file = fs::path(submission) / (dat + ".py");
        if (!fs::exists(file, ec)) {
          // A folder holding one .py (Gradescope keeps the student's file name).
          std::vector<fs::path> py;
          for (const auto& e : fs::directory_iterator(submission, ec))
            if (e.is_regular_file() && e.path().extension() == ".py") py.push_back(e.path());
          if (py.size() != 1) {
            p.problem =
                "the submission has no " + dat + ".py" + (py.empty() ? "" : " (and more than one other .py file)");
            return p;
          }
          file = py[0];
        }
      }
      const std::string name = file.filename().string();
      if (copy_in(file, name)) p.texts.push_back(dat + "=" + name);
      break;
    }
    case SubmissionKind::Dats: {
      if (!folder) {
        p.problem = "the submission must be a folder of " + exercise.dat_files[0] + ", ... (one file per DAT)";
        return p;
      }
      std::vector<std::string> missing;
      for (std::size_t i = 0; i < exercise.dats.size(); ++i) {
        const std::string& name = exercise.dat_files[i];
        const fs::path file = fs::path(submission) / name;
        if (!fs::exists(file, ec))
          missing.push_back(name);
        else if (copy_in(file, name))
          p.texts.push_back(exercise.dats[i] + "=" + name);
      }
      if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        p.problem = "the submission lacks " + list;
      }
      break;
    }
    case SubmissionKind::Scene: {
      fs::path file = submission;
      if (folder) {
        std::vector<fs::path> yaml;
        for (const auto& e : fs::directory_iterator(submission, ec))
          if (e.is_regular_file() && (e.path().extension() == ".yaml" || e.path().extension() == ".yml"))
            yaml.push_back(e.path());
        if (yaml.size() != 1) {
          p.problem =
              yaml.empty() ? "the submission has no scene (.yaml) file" : "the submission has more than one .yaml file";
          return p;
        }
        file = yaml[0];
      }
      // Relative to the run's working folder (its work folder): errors
      // then name the student's file, not the grader's folder.
      if (copy_in(file, file.filename().string())) p.scene = file.filename().string();
      break;
    }
  }
  return p;
}

struct RunOutcome {
  Observations observations;
  sandbox::Result result;
};

RunOutcome run_in_sandbox(const Exercise& exercise, const WorkerJob& base_job, const Prepared& prepared,
                          const fs::path& work, const GradeOptions& options) {
  WorkerJob job = base_job;
  job.scene = prepared.scene.empty() ? real_path(exercise.scene) : prepared.scene;
  job.texts = prepared.texts;
  job.work_dir = work.string();
  job.read_only = readable_paths(exercise);

  sandbox::Spec spec;
  spec.argv = {options.netcook, "grade-worker", "--job", encode_job(job)};
  spec.work_dir = work;
  for (const auto& p : job.read_only) spec.read_only.emplace_back(p);
  const auto& l = exercise.limits;
  spec.limits.wall_seconds = l.time_seconds;
  spec.limits.cpu_seconds = l.cpu_seconds > 0 ? l.cpu_seconds : l.time_seconds;
  spec.limits.memory_bytes = l.memory_bytes;
  spec.limits.file_size_bytes = l.file_size_bytes;
  spec.limits.output_bytes = l.output_bytes;
  spec.limits.open_files = l.open_files;
  spec.limits.processes = 1;
  spec.env = {
      {"LANG", "C.UTF-8"}, {"OMP_NUM_THREADS", std::to_string(exercise.threads)}, {"PYTHONDONTWRITEBYTECODE", "1"}};
  spec.result_fd_in_child = 3;

  RunOutcome out;
  out.result = sandbox::run(spec);
  out.observations = parse_record(out.result.record, work.string());
  const auto& r = out.result;
  const bool clean = r.end == sandbox::Result::End::Exited && r.exit_status == 0;
  if (!clean) {
    out.observations.stopped = r.reason.empty() ? sandbox::end_name(r.end) : r.reason;
    if (!out.observations.loaded && out.observations.load_error.empty()) {
      // Nothing came back: the worker died before loading (say why, with
      // the end of what it wrote on stderr).
      std::string tail =
          r.stderr_text.size() > 2000 ? r.stderr_text.substr(r.stderr_text.size() - 2000) : r.stderr_text;
      out.observations.load_error = out.observations.stopped + (tail.empty() ? "" : "\n" + tail);
    }
  } else if (!out.observations.finished) {
    out.observations.stopped = "the run ended without its record (exit status 0 before the last frame)";
  }
  return out;
}

std::string printed_output(const Observations& obs, std::size_t cap) {
  std::string text;
  for (const auto& [frame, out] : obs.output) {
    if (text.size() >= cap) break;
    text += out;
  }
  if (text.size() > cap)
    text = text.substr(0, cap) + "\n[output cut at " + std::to_string(cap) + " bytes]\n";
  else if (obs.output_truncated)
    text += "\n[more output was printed than the exercise keeps]\n";
  return text;
}

fs::path make_work_root(const GradeOptions& options) {
  std::string base = options.work_root;
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp && *tmp ? tmp : "/tmp";
  }
  std::string pattern = (fs::path(base) / "netcook-grade-XXXXXX").string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) throw std::runtime_error("cannot make a work folder under " + base);
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(buf.data(), ec);
  return ec ? fs::path(buf.data()) : real;
}

}  // namespace

WorkerJob job_for(const Exercise& exercise) {
  WorkerJob job;
  job.last_frame = exercise.last_frame();
  job.output_bytes = exercise.limits.output_bytes;
  job.threads = exercise.threads;
  job.image_dir = "images";
  std::set<std::string> pars, chops;
  for (const auto& c : exercise.checks) {
    const std::vector<int>& frames = c.frames.empty() ? exercise.frames : c.frames;
    if (const auto* p = std::get_if<ParameterCheck>(&c.what)) {
      pars.insert(p->op + "." + p->par);
      job.record_frames.insert(frames.begin(), frames.end());
    } else if (const auto* ch = std::get_if<ChannelCheck>(&c.what)) {
      chops.insert(ch->op);
      job.record_frames.insert(frames.begin(), frames.end());
    } else if (const auto* im = std::get_if<ImageCheck>(&c.what)) {
      job.images[im->op].insert(frames.begin(), frames.end());
    } else if (std::holds_alternative<PythonCheck>(c.what)) {
      // A Python check may look at anything: record every parameter and
      // channel named anywhere, at every frame run.
      for (int f = 1; f <= job.last_frame; ++f) job.record_frames.insert(f);
    }
  }
  job.parameters.assign(pars.begin(), pars.end());
  job.channel_ops.assign(chops.begin(), chops.end());
  return job;
}

std::vector<SubmissionGrade> grade(const Exercise& exercise, const std::vector<std::string>& submissions,
                                   const GradeOptions& options) {
  if (options.netcook.empty() || ::access(options.netcook.c_str(), X_OK) != 0)
    throw std::runtime_error("cannot run the grading worker '" + options.netcook + "'");
  const fs::path root = make_work_root(options);
  struct Cleanup {
    fs::path root;
    bool keep;
    ~Cleanup() {
      std::error_code ec;
      if (!keep) fs::remove_all(root, ec);
    }
  } cleanup{root, options.keep_work};
  ::chmod(root.c_str(), 0700);
  const WorkerJob job = job_for(exercise);

  // The reference solution runs once, in the same pool as the submissions
  // (slot 0), so a single submission does not wait for it.
  const fs::path reference_work = root / "reference";
  fs::create_directories(reference_work);
  const Prepared reference_files = prepare(exercise, exercise.solution, reference_work);
  if (!reference_files.problem.empty()) throw std::runtime_error("the reference solution: " + reference_files.problem);

  const std::size_t runs = submissions.size() + 1;
  std::vector<SubmissionGrade> grades(submissions.size());
  std::atomic<std::size_t> next{0}, done{0};
  std::vector<RunOutcome> outcomes(runs);
  std::vector<std::string> problems(runs);
  std::vector<std::exception_ptr> errors(runs);
  auto worker = [&] {
    for (std::size_t i; (i = next++) < runs;) {
      try {
        if (i == 0) {
          outcomes[0] = run_in_sandbox(exercise, job, reference_files, reference_work, options);
          continue;
        }
        const fs::path work = root / ("submission-" + std::to_string(i));
        fs::create_directories(work);
        ::chmod(work.c_str(), 0700);
        const Prepared files = prepare(exercise, submissions[i - 1], work);
        if (!files.problem.empty())
          problems[i] = files.problem;
        else
          outcomes[i] = run_in_sandbox(exercise, job, files, work, options);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  int jobs = options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  jobs = std::max(1, std::min<int>(jobs, static_cast<int>(runs)));
  std::vector<std::thread> threads;
  for (int t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  if (errors[0]) std::rethrow_exception(errors[0]);
  const RunOutcome& reference = outcomes[0];
  {
    const auto& obs = reference.observations;
    std::string why;
    if (!obs.loaded)
      why = "it did not load:\n" + obs.load_error;
    else if (obs.failure)
      why = "it failed at frame " + std::to_string(obs.failure->frame) + ": " + obs.failure->message + "\n" +
            obs.failure->traceback;
    else if (!obs.stopped.empty())
      why = obs.stopped;
    if (!why.empty())
      throw std::runtime_error("the reference solution " + exercise.solution + " does not run cleanly: " + why);
  }

  // Scoring on this thread (Python checks need the interpreter).
  const std::string mechanism = sandbox::mechanism_name(reference.result.mechanism);
  for (std::size_t i = 0; i < submissions.size(); ++i) {
    const std::size_t slot = i + 1;
    if (errors[slot]) std::rethrow_exception(errors[slot]);
    SubmissionGrade& g = grades[i];
    g.submission = submissions[i];
    g.max_score = exercise.max_score();
    if (!problems[slot].empty()) {
      g.problem = problems[slot];
      g.mechanism = mechanism;
      g.run_end = "not-run";
      Observations none;
      none.load_error = problems[slot];
      g.checks = evaluate_checks(exercise, none, reference.observations);
    } else {
      const auto& o = outcomes[slot];
      g.mechanism = sandbox::mechanism_name(o.result.mechanism);
      g.run_end = sandbox::end_name(o.result.end);
      g.seconds = o.result.wall_seconds;
      g.run_note = o.observations.stopped;
      g.output = printed_output(o.observations, 64 * 1024);
      const auto& obs = o.observations;
      if (!obs.load_error.empty())
        g.run_error = obs.load_error;
      else if (obs.failure)
        g.run_error = obs.failure->message + (obs.failure->traceback.empty() ? "" : "\n" + obs.failure->traceback);
      g.checks = evaluate_checks(exercise, o.observations, reference.observations);
    }
    for (const auto& c : g.checks) g.score += c.score;
    g.score = std::round(g.score * 1e4) / 1e4;
    if (options.finished) options.finished(g, ++done, submissions.size());
  }
  return grades;
}

}  // namespace netcook::grading
