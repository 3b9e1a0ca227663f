// netcook farm submit SCENE [--frames R] [--chunks N | --chunk-size F] [--partition P] [--time T]
//                           [--mem M] [--cpus-per-task C] [--sbatch-arg ARG]... [--set ...] [--text ...]
//                           [--dry-run]
// netcook farm status JOB
// netcook farm resume JOB
//
// Renders on a Slurm cluster (docs/farm.md). The CLI parses arguments, checks
// the scene through a Session (nothing cooks) and calls src/netcook/farm.
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "embedded_python.h"
#include "netcook/farm/farm_job.h"
#include "netcook/io/io_error.h"
#include "netcook/session/session.h"
#include "progress.h"

namespace netcook::cli {

namespace {

namespace fs = std::filesystem;
using namespace netcook::farm;

struct SubmitArgs {
  std::string scene;
  std::string frames;
  int chunks = 0;
  int chunk_size = 0;
  std::string partition, time, mem;
  int cpus_per_task = 0;
  std::vector<std::string> sbatch_args;
  std::vector<std::string> sets, texts;
  bool dry_run = false;
};

std::string this_executable() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("netcook") : self.string();
}

// Settings in their precedence: project file, environment, command line.
FarmSettings gather_settings(const SubmitArgs& args, std::string* project_file) {
  FarmSettings settings;
  std::error_code ec;
  *project_file = find_project_file(fs::absolute(args.scene, ec).parent_path().string());
  if (!project_file->empty()) settings = read_project_settings(*project_file);
  settings = merge_settings(settings, read_environment_settings());
  FarmSettings given;
  if (!args.partition.empty()) given.partition = args.partition;
  if (!args.time.empty()) given.time = args.time;
  if (!args.mem.empty()) given.mem = args.mem;
  if (args.cpus_per_task > 0) given.cpus_per_task = args.cpus_per_task;
  if (args.chunks > 0) given.chunks = args.chunks;
  if (args.chunk_size > 0) given.chunk_size = args.chunk_size;
  given.sbatch_args = args.sbatch_args;
  return merge_settings(settings, given);
}

std::string job_summary(const FarmJob& job, const Submission& sub) {
  std::string text;
  if (!sub.array_job.empty())
    text += "array job " + sub.array_job + " (" + count_of(static_cast<long long>(sub.chunks.size()), "chunk") +
            " of " + std::to_string(job.chunks) + ", frames " + job.frames + ")";
  if (!sub.encode_job.empty())
    text += std::string(text.empty() ? "" : ", ") + "encode job " + sub.encode_job +
            (sub.array_job.empty() ? "" : " (after the array)");
  return text;
}

// A path as the user would type it into a shell.
std::string typed(const std::string& path) {
  if (path.find_first_of(" '\"$`\\!*?&;|<>()[]{}#~") == std::string::npos) return path;
  std::string out = "'";
  for (char c : path) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void print_watch_hint(const FarmJob& job, const Submission& sub) {
  std::string ids = sub.array_job;
  if (!sub.encode_job.empty()) ids += (ids.empty() ? "" : ",") + sub.encode_job;
  std::cout << "  watch:  netcook farm status " << typed(job.folder) << "\n";
  std::cout << "          squeue -j " << ids << "\n";
  std::cout << "  logs:   " << job.logs() << "/\n";
}

int run_submit(const SubmitArgs& args) {
  EmbeddedPython python;
  FarmJob job;
  std::unique_ptr<Session> session;
  try {
    std::string project_file;
    const FarmSettings settings = gather_settings(args, &project_file);
    SessionOptions options;
    options.sets = args.sets;
    options.texts = args.texts;
    options.warn = print_warning;
    session = std::make_unique<Session>(args.scene, options);  // loads and checks; nothing cooks
    SubmitRequest request;
    request.scene = args.scene;
    if (!args.frames.empty()) request.frames = args.frames;
    request.sets = args.sets;
    request.texts = args.texts;
    request.settings = settings;
    request.netcook = this_executable();
    job = plan_job(session->scene(), request);
    if (args.dry_run) {
      std::cout << "# netcook farm submit --dry-run: nothing written, nothing submitted.\n";
      std::cout << "# job folder: " << job.folder << "\n";
      if (!project_file.empty()) std::cout << "# project file: " << project_file << "\n";
      for (const auto& source : settings.sources) std::cout << "# setting: " << source << "\n";
      std::cout << "# sbatch --array=1-" << job.chunks << " " << job.render_script() << "\n";
      std::cout << "# ---- " << job.render_script() << "\n" << render_script_text(job);
      if (job.movie()) {
        std::cout << "# sbatch --dependency=afterok:ARRAY_JOB " << job.encode_script() << "\n";
        std::cout << "# ---- " << job.encode_script() << "\n" << encode_script_text(job);
        std::cout << "# ---- " << job.encode_scene() << "\n" << encode_scene_text(job, session->scene());
      }
      return 0;
    }
  } catch (const SceneError& e) {
    return report_bad_input(e);
  } catch (const std::runtime_error& e) {
    return report_bad_input(e);
  }
  try {
    write_job_files(job, session->scene());
  } catch (const std::exception& e) {
    std::cerr << "netcook: error: " << e.what() << "\n";
    return 1;
  }
  try {
    std::vector<int> all;
    for (int k = 1; k <= job.chunks; ++k) all.push_back(k);
    const Submission sub = submit_chunks(job, all, true);
    std::cout << "netcook farm: submitted " << job.name << ": " << job_summary(job, sub) << "\n";
    print_watch_hint(job, sub);
  } catch (const std::exception& e) {
    std::cerr << "netcook: error: " << e.what() << "\n";
    if (job.submissions.empty()) {
      std::error_code ec;
      fs::remove_all(job.folder, ec);  // nothing was submitted: leave nothing behind
    } else {
      std::cerr << "netcook: the chunks are queued (array job " << job.submissions.back().array_job
                << "); 'netcook farm resume " << typed(job.folder) << "' submits the encode job\n";
    }
    return 1;
  }
  return 0;
}

std::string frames_label(const std::vector<int>& frames) {
  if (frames.empty()) return "no frames";
  return describe_frames(frames, 3);
}

int run_status(const std::string& folder) {
  FarmJob job;
  try {
    job = load_job(folder);
  } catch (const std::exception& e) {
    return report_bad_input(e);
  }
  const JobStatus status = job_status(job);
  std::cout << "netcook farm: job " << job.name << " (" << job.scene << ", frames " << job.frames << ")\n";
  std::cout << "frames on disk: " << status.frames_done << " of " << status.frames_total << "\n";
  bool failed = false, queued = false;
  auto print_tail = [](const std::string& log, const std::vector<std::string>& tail) {
    if (tail.empty()) return;
    std::cout << "    last lines of " << log << ":\n";
    for (const auto& line : tail) std::cout << "    | " << line << "\n";
  };
  for (const auto& c : status.chunks) {
    std::cout << "chunk " << c.chunk << "/" << job.chunks << "  frames " << frames_label(c.frames) << ": "
              << c.frames_done << "/" << c.frames.size() << " on disk, " << chunk_state_name(c.state);
    if (!c.job_id.empty() || !c.detail.empty()) {
      std::cout << " (";
      if (!c.job_id.empty()) std::cout << "job " << c.job_id << (c.slurm_state.empty() ? "" : " " + c.slurm_state);
      if (!c.detail.empty()) std::cout << (c.job_id.empty() ? "" : ": ") << c.detail;
      std::cout << ")";
    }
    std::cout << "\n";
    if (c.state == ChunkState::Failed || c.state == ChunkState::Missing) failed = true;
    if (c.state == ChunkState::Pending || c.state == ChunkState::Running) queued = true;
    print_tail(c.log, c.log_tail);
  }
  if (status.encode.needed) {
    const EncodeStatus& e = status.encode;
    std::string movies;
    for (const FarmOutput* movie : job.movies()) movies += (movies.empty() ? "" : ", ") + movie->path;
    std::cout << "encode " << movies << ": " << chunk_state_name(e.state);
    if (!e.job_id.empty() || !e.detail.empty()) {
      std::cout << " (";
      if (!e.job_id.empty()) std::cout << "job " << e.job_id << (e.slurm_state.empty() ? "" : " " + e.slurm_state);
      if (!e.detail.empty()) std::cout << (e.job_id.empty() ? "" : ": ") << e.detail;
      std::cout << ")";
    }
    std::cout << "\n";
    if (e.state == ChunkState::Failed || e.state == ChunkState::Missing) failed = true;
    if (e.state == ChunkState::Pending || e.state == ChunkState::Running) queued = true;
    print_tail(e.log, e.log_tail);
  }
  if (status.complete()) {
    std::cout << "complete\n";
    return 0;
  }
  if (failed) {
    std::cout << "some parts failed: 'netcook farm resume " << typed(job.folder)
              << "' resubmits them (finished frames are kept)\n";
    return 1;
  }
  (void)queued;
  std::cout << "in progress\n";
  return 3;
}

int run_resume(const std::string& folder) {
  FarmJob job;
  try {
    job = load_job(folder);
  } catch (const std::exception& e) {
    return report_bad_input(e);
  }
  try {
    const JobStatus status = job_status(job);
    const auto sub = resume_job(job, status);
    if (!sub) {
      std::cout << "netcook farm: nothing to resume in " << job.name << ": "
                << (status.complete() ? "the job is complete" : "its parts are queued or running") << "\n";
      return 0;
    }
    std::cout << "netcook farm: resubmitted " << job.name << ": " << job_summary(job, *sub) << "\n";
    print_watch_hint(job, *sub);
  } catch (const std::exception& e) {
    std::cerr << "netcook: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

// `farm` takes extras, to name an unknown farm command itself; so whatever a
// farm command did not recognise is checked here, before it runs.
bool reject_extras(CLI::App* farm, CLI::App* cmd, int& status) {
  auto extras = cmd->remaining();
  for (const auto& extra : farm->remaining()) extras.push_back(extra);
  if (extras.empty()) return false;
  std::vector<std::string> spellings;
  for (const CLI::Option* opt : cmd->get_options())
    for (const auto& name : opt->get_lnames()) spellings.push_back("--" + name);
  const std::string label = "netcook farm " + cmd->get_name();
  for (const auto& extra : extras) {
    if (extra.size() > 1 && extra[0] == '-') {
      const std::string name = extra.substr(0, extra.find('='));
      std::cerr << "netcook: error: " << label << " has no option '" << name << "'" << did_you_mean(name, spellings);
    } else {
      std::cerr << "netcook: error: " << label << ": unexpected argument '" << extra << "'";
    }
    std::cerr << " (see '" << label << " --help')\n";
  }
  status = 2;
  return true;
}

}  // namespace

void add_farm_command(CLI::App& app, int& status) {
  CLI::App* farm = app.add_subcommand("farm", "Render on a Slurm cluster: submit, status, resume (docs/farm.md).");
  // No or an unknown farm command: said here, with "did you mean".
  farm->require_subcommand(0, 1);
  farm->allow_extras();
  farm->callback([farm, &status] {
    if (!farm->get_subcommands().empty()) return;  // the command ran (or refused its extras)
    const std::vector<std::string> names{"submit", "status", "resume"};
    const auto extras = farm->remaining();
    if (extras.empty())
      std::cerr << "netcook: error: netcook farm needs a command: submit, status or resume (see 'netcook farm --help')\n";
    else
      std::cerr << "netcook: error: unknown farm command '" << extras.front() << "'"
                << did_you_mean(extras.front(), names) << " (commands: submit, status, resume)\n";
    status = 2;
  });

  auto args = std::make_shared<SubmitArgs>();
  CLI::App* submit = farm->add_subcommand(
      "submit", "Check the scene, then submit it to Slurm as a job array of chunks (and a movie's encode job)");
  submit->add_option("scene", args->scene, "Scene file (YAML, scene format 1)")->required();
  submit->add_option("--frames,-f", args->frames, "Frames (as netcook render --frames; default: the scene's)");
  CLI::Option* chunks =
      submit->add_option("--chunks", args->chunks, "Split the frames into N array tasks")->check(CLI::PositiveNumber);
  submit->add_option("--chunk-size", args->chunk_size, "Frames per array task (default 25)")
      ->check(CLI::PositiveNumber)
      ->excludes(chunks);
  submit->add_option("--partition", args->partition, "Slurm partition (sbatch --partition)");
  submit->add_option("--time", args->time, "Time limit per task (sbatch --time: 30, 1:00:00, 1-0)");
  submit->add_option("--mem", args->mem, "Memory per task (sbatch --mem: 4G, 500M)");
  submit->add_option("--cpus-per-task", args->cpus_per_task, "CPUs per task, also netcook's --threads")
      ->check(CLI::PositiveNumber);
  submit->add_option("--sbatch-arg", args->sbatch_args, "Another sbatch option for every job, e.g. --account=vfx")
      ->allow_extra_args(false);
  submit->add_option("--set", args->sets, "Override a parameter: OP.PAR=VALUE (passed to every task)");
  submit->add_option("--text", args->texts, "Replace a DAT's text with a file's: DAT=FILE (passed to every task)");
  submit->add_flag("--dry-run", args->dry_run, "Print the batch scripts and what would be submitted; write nothing");
  submit->footer(
      "Settings also come from the farm: section of netcook.yaml (in the scene's folder or above) and from\n"
      "NETCOOK_FARM_PARTITION, _TIME, _MEM, _CPUS_PER_TASK, _SBATCH_ARGS, _CHUNKS, _CHUNK_SIZE, _NETCOOK;\n"
      "the command line wins over the environment, which wins over the project file.\n"
      "Examples:\n"
      "  netcook farm submit shot.yaml --chunks 20 --partition render --time 2:00:00 --mem 8G\n"
      "  netcook farm submit shot.yaml --frames 1-1000 --chunk-size 50 --set blur1.size=8 --dry-run");
  submit->callback([args, farm, submit, &status] {
    if (!reject_extras(farm, submit, status)) status = run_submit(*args);
  });

  auto job = std::make_shared<std::string>();
  CLI::App* status_cmd = farm->add_subcommand(
      "status", "Frames done from the files on disk, Slurm's task states, failed tasks with their logs' tails");
  status_cmd->add_option("job", *job, "The job folder submit printed (OUTDIR/.netcook-farm/NAME)")->required();
  status_cmd->footer("Exit status: 0 complete, 1 some parts failed (netcook farm resume), 2 not a farm job, 3 in progress.");
  status_cmd->callback([job, farm, status_cmd, &status] {
    if (!reject_extras(farm, status_cmd, status)) status = run_status(*job);
  });

  auto resume_job_folder = std::make_shared<std::string>();
  CLI::App* resume = farm->add_subcommand(
      "resume", "Resubmit the chunks that failed or went missing (finished frames are kept), and the encode job");
  resume->add_option("job", *resume_job_folder, "The job folder submit printed (OUTDIR/.netcook-farm/NAME)")
      ->required();
  resume->callback([resume_job_folder, farm, resume, &status] {
    if (!reject_extras(farm, resume, status)) status = run_resume(*resume_job_folder);
  });
}

}  // namespace netcook::cli
