#include "netcook/farm/farm_job.h"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "netcook/core/json_text.h"
#include "netcook/farm/slurm.h"
#include "netcook/io/io_error.h"
#include "netcook/io/output_spec.h"
#include "netcook/io/text_file.h"

namespace netcook::farm {

namespace fs = std::filesystem;

namespace {

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  return fs::absolute(fs::path(path), ec).lexically_normal().string();
}

// 'text' for sh: safe for every byte.
std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

// An #SBATCH value: bare when plain, else double-quoted (sbatch reads quotes
// in its script options).
std::string sbatch_value(const std::string& text) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("/._-:%=+,@", c);
  });
  if (plain && !text.empty()) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string json_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + json_string(items[i]);
  return out + "]";
}

std::string json_ints(const std::vector<int>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + std::to_string(items[i]);
  return out + "]";
}

// The range as --frames reads it.
std::string frames_text(const FrameRange& range) {
  if (!range.list.empty()) {
    std::string out;
    for (std::size_t i = 0; i < range.list.size(); ++i) out += (i ? "," : "") + std::to_string(range.list[i]);
    return out;
  }
  std::string out = std::to_string(range.first);
  if (range.last != range.first || range.step != 1) out += "-" + std::to_string(range.last);
  if (range.step != 1) out += "x" + std::to_string(range.step);
  return out;
}

// "1-4", "2,3,7-9": Slurm's --array syntax.
std::string array_spec(std::vector<int> tasks) {
  std::sort(tasks.begin(), tasks.end());
  std::string out;
  for (std::size_t i = 0; i < tasks.size();) {
    std::size_t j = i;
    while (j + 1 < tasks.size() && tasks[j + 1] == tasks[j] + 1) ++j;
    out += (out.empty() ? "" : ",") + std::to_string(tasks[i]);
    if (j > i) out += "-" + std::to_string(tasks[j]);
    i = j + 1;
  }
  return out;
}

bool regular_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::vector<std::string> tail_of(const std::string& path, int lines) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> all;
  std::string line;
  while (std::getline(in, line)) {
    all.push_back(line);
    if (all.size() > static_cast<std::size_t>(lines) * 4) all.erase(all.begin(), all.end() - lines);
  }
  if (all.size() > static_cast<std::size_t>(lines)) all.erase(all.begin(), all.end() - lines);
  return all;
}

std::optional<int> read_exit_file(const std::string& path) {
  std::ifstream in(path);
  int status = 0;
  if (in >> status) return status;
  return std::nullopt;
}

std::string chunk_log(const FarmJob& job, int chunk, const std::string& array) {
  return job.logs() + "/chunk-" + std::to_string(chunk) + "." + array + ".log";
}
std::string chunk_exit(const FarmJob& job, int chunk, const std::string& array) {
  return job.logs() + "/chunk-" + std::to_string(chunk) + "." + array + ".exit";
}
std::string encode_log(const FarmJob& job, const std::string& id) { return job.logs() + "/encode." + id + ".log"; }
std::string encode_exit(const FarmJob& job, const std::string& id) { return job.logs() + "/encode." + id + ".exit"; }

// Slurm's states, as netcook farm counts them.
ChunkState state_of(const std::string& slurm) {
  if (slurm == "PENDING" || slurm == "REQUEUED" || slurm == "REQUEUE_HOLD" || slurm == "REQUEUE_FED" ||
      slurm == "SUSPENDED" || slurm == "RESV_DEL_HOLD" || slurm == "CONFIGURING")
    return ChunkState::Pending;
  if (slurm == "RUNNING" || slurm == "COMPLETING" || slurm == "STAGE_OUT" || slurm == "SIGNALING" ||
      slurm == "RESIZING")
    return ChunkState::Running;
  if (slurm == "COMPLETED") return ChunkState::Done;
  return ChunkState::Failed;
}

std::string sbatch_lines(const FarmJob& job, const std::string& name, const std::string& output) {
  std::string s;
  s += "#SBATCH --job-name=" + sbatch_value(name) + "\n";
  s += "#SBATCH --chdir=" + sbatch_value(job.cwd) + "\n";
  s += "#SBATCH --output=" + sbatch_value(output) + "\n";
  const FarmSettings& f = job.settings;
  if (f.partition) s += "#SBATCH --partition=" + sbatch_value(*f.partition) + "\n";
  if (f.time) s += "#SBATCH --time=" + sbatch_value(*f.time) + "\n";
  if (f.mem) s += "#SBATCH --mem=" + sbatch_value(*f.mem) + "\n";
  if (f.cpus_per_task) s += "#SBATCH --cpus-per-task=" + std::to_string(*f.cpus_per_task) + "\n";
  for (const auto& arg : f.sbatch_args) s += "#SBATCH " + arg + "\n";
  return s;
}

// Every task uses the CPUs Slurm gave it: --cpus-per-task, else one.
const char* kThreadsArgument = "--threads \"${SLURM_CPUS_PER_TASK:-1}\"";

}  // namespace

const FarmOutput* FarmJob::movie() const {
  for (const auto& out : outputs)
    if (out.movie) return &out;
  return nullptr;
}

std::vector<const FarmOutput*> FarmJob::movies() const {
  std::vector<const FarmOutput*> out;
  for (const auto& o : outputs)
    if (o.movie) out.push_back(&o);
  return out;
}

FrameRange FarmJob::range() const {
  std::string error;
  auto parsed = parse_frame_range(frames, &error);
  if (!parsed) throw std::runtime_error(record_path() + ": bad frames '" + frames + "': " + error);
  return *parsed;
}

bool JobStatus::complete() const {
  for (const auto& c : chunks)
    if (c.state != ChunkState::Done) return false;
  return !encode.needed || encode.state == ChunkState::Done;
}

const char* chunk_state_name(ChunkState state) {
  switch (state) {
    case ChunkState::Done: return "done";
    case ChunkState::Pending: return "pending";
    case ChunkState::Running: return "running";
    case ChunkState::Failed: return "failed";
    case ChunkState::Missing: return "missing";
  }
  return "?";
}

FarmJob plan_job(const Scene& scene, const SubmitRequest& request) {
  FarmJob job;
  std::error_code ec;
  job.cwd = fs::current_path(ec).string();
  job.scene = absolute_path(request.scene);
  job.netcook = request.settings.netcook ? *request.settings.netcook : request.netcook;
  job.sets = request.sets;
  job.texts = request.texts;
  job.settings = request.settings;
  job.settings.netcook.reset();
  job.settings.chunks.reset();
  job.settings.chunk_size.reset();
  job.settings.sources.clear();

  FrameRange range = scene.frames;
  if (request.frames) {
    std::string error;
    auto parsed = parse_frame_range(*request.frames, &error);
    if (!parsed) throw SceneError(SourceLocation{"--frames", 0, 0}, error);
    range = *parsed;
  }
  job.frames = frames_text(range);
  job.frame_count = range.count();
  validate_scene_outputs(scene, job.frame_count);

  if (scene.outputs.empty())
    throw SceneError(SourceLocation{scene.file, 0, 0}, "the scene has no outputs: a farm job renders its outputs: "
                                                       "add an outputs: entry");
  const int size = request.settings.chunk_size.value_or(kDefaultChunkSize);
  int chunks = request.settings.chunks ? *request.settings.chunks : (job.frame_count + size - 1) / size;
  job.chunks = std::clamp(chunks, 1, std::max(job.frame_count, 1));

  const fs::path first_output = absolute_path(scene.outputs.front().spec.path_pattern);
  const fs::path farm_dir = first_output.parent_path() / ".netcook-farm";
  const std::string stem = fs::path(scene.file).stem().string();
  for (int n = 1;; ++n) {
    const std::string name = n == 1 ? stem : stem + "-" + std::to_string(n);
    if (!fs::exists(farm_dir / name, ec)) {
      job.name = name;
      job.folder = (farm_dir / name).string();
      break;
    }
  }

  std::vector<std::string> taken;
  for (const SceneOutput& out : scene.outputs) {
    FarmOutput farm_out;
    farm_out.op = out.op->path();
    farm_out.path = absolute_path(out.spec.path_pattern);
    farm_out.movie = out.spec.kind == OutputKind::Video;
    farm_out.frames_pattern = farm_out.path;
    if (farm_out.movie) {
      // As `render --movies-as-frames FOLDER` names them.
      std::string name = out.spec.path_pattern.substr(out.spec.path_pattern.find_last_of('/') + 1);
      name = name.substr(0, name.find_last_of('.'));
      farm_out.frames_pattern = job.frames_folder() + "/" + name + ".####.exr";
      if (std::find(taken.begin(), taken.end(), name) != taken.end())
        throw SceneError(out.where.file.empty() ? SourceLocation{scene.file, 0, 0} : out.where,
                         "two movie outputs are called '" + name +
                             "': a farm job renders each movie's frames as NAME.####.exr, so rename one");
      taken.push_back(name);
    }
    job.outputs.push_back(farm_out);
  }
  return job;
}

std::string render_script_text(const FarmJob& job) {
  std::string s = "#!/bin/sh\n";
  s += "# netcook farm job " + job.name + ": array task K renders chunk K/" + std::to_string(job.chunks) +
       " of the frames " + job.frames + "\n# of " + job.scene + ".\n";
  s += "# Submitted with sbatch --array=... by `netcook farm submit` and `netcook farm resume`.\n";
  s += sbatch_lines(job, "netcook-" + job.name, job.logs() + "/chunk-%a.%A.log");
  s += "\nchunk=$SLURM_ARRAY_TASK_ID\n";
  std::string command = shell_quote(job.netcook) + " render " + shell_quote(job.scene) + " --frames " +
                        shell_quote(job.frames) + " --chunk \"$chunk/" + std::to_string(job.chunks) +
                        "\" --skip-existing --progress log " + kThreadsArgument;
  for (const auto& set : job.sets) command += " \\\n  --set " + shell_quote(set);
  for (const auto& text : job.texts) command += " \\\n  --text " + shell_quote(text);
  if (job.movie()) command += " \\\n  --movies-as-frames " + shell_quote(job.frames_folder());
  s += command + "\n";
  s += "status=$?\n";
  s += "echo \"$status\" > " + shell_quote(job.logs() + "/chunk-") + "\"$chunk.$SLURM_ARRAY_JOB_ID.exit\"\n";
  s += "exit \"$status\"\n";
  return s;
}

std::string encode_script_text(const FarmJob& job) {
  const FarmOutput* movie = job.movie();
  if (!movie) return "";
  std::string s = "#!/bin/sh\n";
  s += "# netcook farm job " + job.name + ": encodes " + movie->path +
       (job.movies().size() > 1 ? " and the other movies" : "") + "\n# from the frames the array rendered (" +
       job.frames_folder() + ").\n";
  s += sbatch_lines(job, "netcook-" + job.name + "-encode", job.logs() + "/encode.%j.log");
  s += "\n" + shell_quote(job.netcook) + " render " + shell_quote(job.encode_scene()) + " --frames " +
       shell_quote(job.frames) + " --progress log " + kThreadsArgument + "\n";
  s += "status=$?\n";
  s += "echo \"$status\" > " + shell_quote(job.logs() + "/encode.") + "\"$SLURM_JOB_ID.exit\"\n";
  s += "exit \"$status\"\n";
  return s;
}

std::string encode_scene_text(const FarmJob& job, const Scene& scene) {
  if (!job.movie()) return "";
  const FrameRange range = job.range();
  char fps[64];
  std::snprintf(fps, sizeof fps, "%.17g", scene.network->fps);
  std::string s;
  s += "# netcook farm job " + job.name + ": the movies of " + job.scene + ",\n";
  s += "# encoded from the 32-bit float frames the array rendered, with the settings\n";
  s += "# of the scene's outputs (the encoder gets the pixels a local render gives it).\n";
  s += "# Run by encode.sh; by hand: netcook render encode.yaml --frames " + job.frames + "\n";
  s += "netcook: 1\n";
  s += "fps: " + std::string(fps) + "\n";
  s += "frames: " + std::to_string(range.first) + "-" + std::to_string(range.last) + "\n";
  std::string ops = "ops:\n", outputs = "outputs:\n";
  int n = 0;
  for (std::size_t i = 0; i < job.outputs.size() && i < scene.outputs.size(); ++i) {
    const FarmOutput& movie = job.outputs[i];
    if (!movie.movie) continue;
    const OutputSpec& spec = scene.outputs[i].spec;
    const std::string op = "frames" + std::to_string(++n);
    ops += "  " + op + ":\n";
    ops += "    type: moviefileinTOP\n";
    ops += "    par:\n";
    ops += "      file: " + json_string(movie.frames_pattern) + "\n";
    ops += "      playmode: specify\n";
    ops += "      imageindexing: filename\n";
    ops += "      index: {expr: \"me.time.frame\"}\n";
    outputs += "  - op: " + op + "\n";
    outputs += "    path: " + json_string(movie.path) + "\n";
    if (!spec.codec.empty()) outputs += "    codec: " + json_string(spec.codec) + "\n";
    if (spec.quality >= 0) outputs += "    quality: " + std::to_string(spec.quality) + "\n";
    if (!spec.preset.empty()) outputs += "    preset: " + json_string(spec.preset) + "\n";
    if (!spec.pixel_format.empty()) outputs += "    pixel_format: " + json_string(spec.pixel_format) + "\n";
    if (!spec.bitrate.empty()) outputs += "    bitrate: " + json_string(spec.bitrate) + "\n";
  }
  return s + ops + outputs;
}

std::string record_text(const FarmJob& job) {
  std::string s = "{\n";
  s += "  \"netcook_farm_job\": 1,\n";
  s += "  \"name\": " + json_string(job.name) + ",\n";
  s += "  \"folder\": " + json_string(job.folder) + ",\n";
  s += "  \"cwd\": " + json_string(job.cwd) + ",\n";
  s += "  \"scene\": " + json_string(job.scene) + ",\n";
  s += "  \"netcook\": " + json_string(job.netcook) + ",\n";
  s += "  \"frames\": " + json_string(job.frames) + ",\n";
  s += "  \"frame_count\": " + std::to_string(job.frame_count) + ",\n";
  s += "  \"chunks\": " + std::to_string(job.chunks) + ",\n";
  s += "  \"sets\": " + json_list(job.sets) + ",\n";
  s += "  \"texts\": " + json_list(job.texts) + ",\n";
  s += "  \"logs\": " + json_string(job.logs()) + ",\n";
  const FarmSettings& f = job.settings;
  s += "  \"settings\": {";
  std::vector<std::string> fields;
  if (f.partition) fields.push_back("\"partition\": " + json_string(*f.partition));
  if (f.time) fields.push_back("\"time\": " + json_string(*f.time));
  if (f.mem) fields.push_back("\"mem\": " + json_string(*f.mem));
  if (f.cpus_per_task) fields.push_back("\"cpus_per_task\": " + std::to_string(*f.cpus_per_task));
  fields.push_back("\"sbatch_args\": " + json_list(f.sbatch_args));
  for (std::size_t i = 0; i < fields.size(); ++i) s += (i ? ", " : "") + fields[i];
  s += "},\n";
  s += "  \"outputs\": [";
  for (std::size_t i = 0; i < job.outputs.size(); ++i) {
    const FarmOutput& o = job.outputs[i];
    s += std::string(i ? "," : "") + "\n    {\"op\": " + json_string(o.op) + ", \"path\": " + json_string(o.path) +
         ", \"frames_pattern\": " + json_string(o.frames_pattern) + ", \"movie\": " + (o.movie ? "true" : "false") +
         "}";
  }
  s += "\n  ],\n";
  s += "  \"submissions\": [";
  for (std::size_t i = 0; i < job.submissions.size(); ++i) {
    const Submission& sub = job.submissions[i];
    s += std::string(i ? "," : "") + "\n    {\"array_job\": " + json_string(sub.array_job) +
         ", \"chunks\": " + json_ints(sub.chunks) + ", \"encode_job\": " + json_string(sub.encode_job) + "}";
  }
  s += "\n  ]\n}\n";
  return s;
}

void write_job_files(FarmJob& job, const Scene& scene) {
  const fs::path farm_dir = fs::path(job.folder).parent_path();
  std::error_code ec;
  fs::create_directories(farm_dir, ec);
  if (ec) throw IoError("cannot create " + farm_dir.string() + ": " + ec.message());
  // mkdir is the lock: a name another submit took meanwhile is skipped.
  const std::string stem = fs::path(scene.file).stem().string();
  for (int n = 1;; ++n) {
    const std::string name = n == 1 ? stem : stem + "-" + std::to_string(n);
    const fs::path folder = farm_dir / name;
    if (::mkdir(folder.c_str(), 0777) == 0) {
      if (job.name != name) {
        // The planned name was taken: every path that held it moves along.
        const std::string old_folder = job.folder;
        job.name = name;
        job.folder = folder.string();
        for (auto& out : job.outputs)
          if (out.frames_pattern.rfind(old_folder + "/", 0) == 0)
            out.frames_pattern = job.folder + out.frames_pattern.substr(old_folder.size());
      }
      break;
    }
    if (errno != EEXIST) throw IoError("cannot create " + folder.string() + ": " + std::strerror(errno));
  }
  fs::create_directories(job.logs(), ec);
  if (ec) throw IoError("cannot create " + job.logs() + ": " + ec.message());
  write_file_atomically(job.render_script(), render_script_text(job));
  if (job.movie()) {
    write_file_atomically(job.encode_script(), encode_script_text(job));
    write_file_atomically(job.encode_scene(), encode_scene_text(job, scene));
  }
  save_record(job);
}

void save_record(const FarmJob& job) { write_file_atomically(job.record_path(), record_text(job)); }

Submission submit_chunks(FarmJob& job, const std::vector<int>& chunks, bool encode,
                         const std::vector<std::string>& waits_for) {
  Submission sub;
  if (!chunks.empty()) {
    sub.chunks = chunks;
    std::sort(sub.chunks.begin(), sub.chunks.end());
    sub.array_job = sbatch(job.render_script(), {"--array=" + array_spec(sub.chunks)});
  }
  if (encode && job.movie()) {
    std::vector<std::string> deps = waits_for;
    if (!sub.array_job.empty()) deps.push_back(sub.array_job);
    std::vector<std::string> args;
    if (!deps.empty()) {
      std::string dependency = "--dependency=afterok";
      for (const auto& d : deps) dependency += ":" + d;
      args.push_back(dependency);
    }
    try {
      sub.encode_job = sbatch(job.encode_script(), args);
    } catch (const std::exception&) {
      // Recorded all the same: the array is queued and `resume` submits the encode job.
      job.submissions.push_back(sub);
      save_record(job);
      throw;
    }
  }
  job.submissions.push_back(sub);
  save_record(job);
  return sub;
}

FarmJob load_job(const std::string& folder_or_record) {
  std::string record = folder_or_record;
  std::error_code ec;
  if (fs::is_directory(record, ec)) record = (fs::path(record) / "job.json").string();
  if (!regular_file(record))
    throw std::runtime_error(folder_or_record + " is not a farm job: give the folder `netcook farm submit` printed "
                                                "(OUTDIR/.netcook-farm/NAME) or its job.json");
  YAML::Node root;
  try {
    root = YAML::LoadFile(record);
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(record + ": not a farm job record (" + e.msg + ")");
  }
  if (!root.IsMap() || !root["netcook_farm_job"])
    throw std::runtime_error(record + ": not a farm job record (no \"netcook_farm_job\" key)");
  try {
    FarmJob job;
    job.name = root["name"].as<std::string>();
    job.folder = root["folder"].as<std::string>();
    job.cwd = root["cwd"].as<std::string>();
    job.scene = root["scene"].as<std::string>();
    job.netcook = root["netcook"].as<std::string>();
    job.frames = root["frames"].as<std::string>();
    job.frame_count = root["frame_count"].as<int>();
    job.chunks = root["chunks"].as<int>();
    for (const auto& s : root["sets"]) job.sets.push_back(s.as<std::string>());
    for (const auto& t : root["texts"]) job.texts.push_back(t.as<std::string>());
    const YAML::Node settings = root["settings"];
    if (settings["partition"]) job.settings.partition = settings["partition"].as<std::string>();
    if (settings["time"]) job.settings.time = settings["time"].as<std::string>();
    if (settings["mem"]) job.settings.mem = settings["mem"].as<std::string>();
    if (settings["cpus_per_task"]) job.settings.cpus_per_task = settings["cpus_per_task"].as<int>();
    for (const auto& a : settings["sbatch_args"]) job.settings.sbatch_args.push_back(a.as<std::string>());
    for (const auto& o : root["outputs"])
      job.outputs.push_back({o["op"].as<std::string>(), o["path"].as<std::string>(),
                             o["frames_pattern"].as<std::string>(), o["movie"].as<bool>()});
    for (const auto& s : root["submissions"]) {
      Submission sub;
      sub.array_job = s["array_job"].as<std::string>();
      for (const auto& c : s["chunks"]) sub.chunks.push_back(c.as<int>());
      sub.encode_job = s["encode_job"].as<std::string>();
      job.submissions.push_back(sub);
    }
    if (job.chunks < 1 || job.folder.empty()) throw std::runtime_error("no chunks");
    return job;
  } catch (const std::exception& e) {
    throw std::runtime_error(record + ": a damaged farm job record (" + e.what() + ")");
  }
}

JobStatus job_status(const FarmJob& job, int tail_lines) {
  JobStatus status;
  std::map<std::string, std::map<int, TaskState>> slurm;  // per job id
  auto states_of = [&](const std::string& id) -> const std::map<int, TaskState>& {
    auto it = slurm.find(id);
    if (it == slurm.end()) it = slurm.emplace(id, job_states(id)).first;
    return it->second;
  };
  for (int chunk = 1; chunk <= job.chunks; ++chunk) {
    ChunkStatus c;
    c.chunk = chunk;
    c.frames = job.chunk_frames(chunk).frames();
    for (int frame : c.frames) {
      bool all = true;
      for (const auto& out : job.outputs)
        if (!regular_file(expand_frame_path(out.frames_pattern, frame))) all = false;
      if (all) ++c.frames_done;
    }
    status.frames_total += static_cast<int>(c.frames.size());
    status.frames_done += c.frames_done;
    // The latest submission that ran this chunk.
    const Submission* latest = nullptr;
    for (const auto& sub : job.submissions)
      if (std::find(sub.chunks.begin(), sub.chunks.end(), chunk) != sub.chunks.end()) latest = &sub;
    if (latest) {
      c.job_id = latest->array_job + "_" + std::to_string(chunk);
      c.log = chunk_log(job, chunk, latest->array_job);
      const auto& states = states_of(latest->array_job);
      if (auto it = states.find(chunk); it != states.end()) {
        c.slurm_state = it->second.state;
        if (it->second.exit_code != "0:0" && !it->second.exit_code.empty())
          c.detail = "exit code " + it->second.exit_code;
        if (!it->second.reason.empty() && it->second.reason != "None")
          c.detail += (c.detail.empty() ? "" : ", ") + it->second.reason;
      }
    }
    const auto exit_status = latest ? read_exit_file(chunk_exit(job, chunk, latest->array_job)) : std::nullopt;
    if (c.frames_done == static_cast<int>(c.frames.size())) {
      c.state = ChunkState::Done;
    } else if (!c.slurm_state.empty() && state_of(c.slurm_state) != ChunkState::Done) {
      c.state = state_of(c.slurm_state);
    } else if (!latest) {
      c.state = ChunkState::Missing;
      c.detail = "never submitted";
    } else if (exit_status && *exit_status != 0) {
      c.state = ChunkState::Failed;
      c.detail = "netcook exited with status " + std::to_string(*exit_status);
    } else if (exit_status) {
      c.state = ChunkState::Missing;
      c.detail = "the task finished but frames are missing on disk (deleted since?)";
    } else if (regular_file(c.log)) {
      c.state = ChunkState::Failed;
      c.detail = c.slurm_state.empty() ? "the task stopped before netcook finished (killed, cancelled or timed out)"
                                       : c.detail;
    } else {
      c.state = ChunkState::Missing;
      c.detail = "Slurm no longer knows the task and it left no log";
    }
    if ((c.state == ChunkState::Failed || c.state == ChunkState::Missing) && regular_file(c.log))
      c.log_tail = tail_of(c.log, tail_lines);
    status.chunks.push_back(std::move(c));
  }

  if (job.movie()) {
    EncodeStatus& e = status.encode;
    e.needed = true;
    const Submission* latest = nullptr;
    for (const auto& sub : job.submissions)
      if (!sub.encode_job.empty()) latest = &sub;
    bool encoded = false;
    for (const auto& sub : job.submissions)
      if (!sub.encode_job.empty()) {
        const auto code = read_exit_file(encode_exit(job, sub.encode_job));
        if (code && *code == 0) encoded = true;
      }
    if (latest) {
      e.job_id = latest->encode_job;
      e.log = encode_log(job, latest->encode_job);
      const auto& states = states_of(latest->encode_job);
      if (auto it = states.find(0); it != states.end()) {
        e.slurm_state = it->second.state;
        if (!it->second.reason.empty() && it->second.reason != "None") e.detail = it->second.reason;
      }
    }
    bool movies_on_disk = true;
    for (const FarmOutput* movie : job.movies()) movies_on_disk = movies_on_disk && regular_file(movie->path);
    if (encoded && movies_on_disk) {
      e.state = ChunkState::Done;
    } else if (!e.slurm_state.empty() && state_of(e.slurm_state) != ChunkState::Done) {
      e.state = state_of(e.slurm_state);
    } else if (!latest) {
      e.state = ChunkState::Missing;
      e.detail = "never submitted";
    } else if (const auto code = read_exit_file(encode_exit(job, latest->encode_job)); code && *code != 0) {
      e.state = ChunkState::Failed;
      e.detail = "netcook exited with status " + std::to_string(*code);
    } else if (regular_file(e.log)) {
      e.state = ChunkState::Failed;
      if (e.detail.empty()) e.detail = "the job stopped before netcook finished (killed, cancelled or timed out)";
    } else {
      e.state = ChunkState::Missing;
      if (e.detail.empty()) e.detail = "Slurm no longer knows the job and it left no log";
    }
    if ((e.state == ChunkState::Failed || e.state == ChunkState::Missing) && regular_file(e.log))
      e.log_tail = tail_of(e.log, tail_lines);
  }
  return status;
}

std::optional<Submission> resume_job(FarmJob& job, const JobStatus& status) {
  std::vector<int> chunks;
  std::vector<std::string> waits_for;
  for (const auto& c : status.chunks) {
    if (c.state == ChunkState::Failed || c.state == ChunkState::Missing) chunks.push_back(c.chunk);
    if (c.state == ChunkState::Pending || c.state == ChunkState::Running) waits_for.push_back(c.job_id);
  }
  bool encode = false;
  if (status.encode.needed && status.encode.state != ChunkState::Done) {
    const bool queued = status.encode.state == ChunkState::Pending || status.encode.state == ChunkState::Running;
    // A queued encode job waiting for a failed task never starts: replaced.
    const bool stuck = status.encode.state == ChunkState::Pending &&
                       (!chunks.empty() || status.encode.detail.find("DependencyNeverSatisfied") != std::string::npos);
    if (stuck) scancel(status.encode.job_id);
    encode = !queued || stuck;
  }
  if (chunks.empty() && !encode) return std::nullopt;
  return submit_chunks(job, chunks, encode, waits_for);
}

}  // namespace netcook::farm
