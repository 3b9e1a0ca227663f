// A render farm job: one scene rendered as a Slurm job array, plus a
// dependent job encoding each movie output (docs/farm.md).
//
// Layout, next to the scene's first output (OUTDIR/.netcook-farm/NAME/):
//   job.json     the record: scene, frames, chunks, outputs, overrides,
//                settings, and every submission's job ids
//   render.sh    the array's batch script: task K runs
//                `netcook render SCENE --chunk K/N --skip-existing --progress log ...`
//   encode.sh    the encode job's script (scenes with movie outputs)
//   encode.yaml  the scene it renders: a moviefileinTOP per movie reading
//                its frames, written with the movie output's settings
//   frames/      each movie's frames as NAME.####.exr, 32-bit float
//                (`render --movies-as-frames`: exactly what the video
//                encoder would have been given)
//   logs/        chunk-K.JOBID.log per task, encode.JOBID.log, and a
//                NAME.JOBID.exit file holding each finished script's status
//
// Chunk K's frames are frame_range_chunk(frames, K, N): the same frames
// `netcook render --chunk K/N` renders, byte-identical to a full render
// (pre-roll, spec rule 5), so any chunk may run on any node, again and again.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "netcook/farm/farm_settings.h"
#include "netcook/scene/scene.h"

namespace netcook::farm {

struct FarmOutput {
  std::string op;              // the TOP's path (/project1/null1)
  std::string path;            // the scene's output, absolute
  std::string frames_pattern;  // what the tasks write, absolute: `path`, or an EXR sequence for a movie
  bool movie = false;
};

struct Submission {
  std::string array_job;     // the array's job id ("" when only the encode job was submitted)
  std::vector<int> chunks;   // the tasks it holds
  std::string encode_job;    // "" when none
};

struct FarmJob {
  std::string name;
  std::string folder;   // absolute
  std::string cwd;      // where `farm submit` ran: relative paths (--text, outputs) are read from there
  std::string scene;    // absolute
  std::string netcook;  // the executable the nodes run
  std::string frames;   // the frames, as --frames takes them
  int frame_count = 0;
  int chunks = 1;
  std::vector<std::string> sets, texts;
  FarmSettings settings;
  std::vector<FarmOutput> outputs;
  std::vector<Submission> submissions;

  std::string record_path() const { return folder + "/job.json"; }
  std::string logs() const { return folder + "/logs"; }
  std::string render_script() const { return folder + "/render.sh"; }
  std::string encode_script() const { return folder + "/encode.sh"; }
  std::string encode_scene() const { return folder + "/encode.yaml"; }
  std::string frames_folder() const { return folder + "/frames"; }
  const FarmOutput* movie() const;  // the first movie output; null when none
  std::vector<const FarmOutput*> movies() const;
  FrameRange range() const;
  FrameRange chunk_frames(int chunk) const { return frame_range_chunk(range(), chunk, chunks); }
};

struct SubmitRequest {
  std::string scene;  // as given
  std::optional<std::string> frames;  // --frames, else the scene's
  std::vector<std::string> sets, texts;
  FarmSettings settings;  // merged (farm_settings.h)
  std::string netcook;    // default executable for the nodes (this one)
};

// The job for `scene` (loaded and checked by the caller, overrides applied):
// chunks, outputs, and the folder it will use (not created). Throws
// SceneError for what cannot be farmed (no outputs; two movies with one
// file name). More chunks than frames are capped to the frame count.
FarmJob plan_job(const Scene& scene, const SubmitRequest& request);

// The files of the job folder, as text.
std::string render_script_text(const FarmJob& job);
std::string encode_script_text(const FarmJob& job);
// The encode job's scene; needs the scene for the movie's rate and settings.
std::string encode_scene_text(const FarmJob& job, const Scene& scene);
std::string record_text(const FarmJob& job);

// Creates the job folder (taking the next free NAME-2, NAME-3... when
// another submit took the name meanwhile), writes render.sh, encode.sh,
// encode.yaml and job.json. Throws IoError.
void write_job_files(FarmJob& job, const Scene& scene);

// Submits `chunks` (none: only the encode job) and, for a movie, the encode job after them
// (afterok). Records the submission in job.json. Throws std::runtime_error
// (sbatch's message) when Slurm refuses; the submission is then not recorded.
// `waits_for`: more job ids ("ARRAY_K") the encode job waits for (tasks of
// earlier submissions still queued).
Submission submit_chunks(FarmJob& job, const std::vector<int>& chunks, bool encode,
                         const std::vector<std::string>& waits_for = {});

// Reads OUTDIR/.netcook-farm/NAME (the folder) or its job.json. Throws
// std::runtime_error when it is not a farm job.
FarmJob load_job(const std::string& folder_or_record);
void save_record(const FarmJob& job);

enum class ChunkState { Done, Pending, Running, Failed, Missing };
const char* chunk_state_name(ChunkState state);

struct ChunkStatus {
  int chunk = 0;
  std::vector<int> frames;
  int frames_done = 0;           // complete on disk
  ChunkState state = ChunkState::Missing;
  std::string slurm_state;       // Slurm's word for the latest task, "" when forgotten
  std::string detail;            // why it failed: exit status, Slurm's reason
  std::string job_id;            // "ARRAY_K" of the latest task
  std::string log;               // its log file
  std::vector<std::string> log_tail;
};

struct EncodeStatus {
  bool needed = false;
  ChunkState state = ChunkState::Missing;
  std::string slurm_state, detail, job_id, log;
  std::vector<std::string> log_tail;
};

struct JobStatus {
  int frames_total = 0, frames_done = 0;
  std::vector<ChunkStatus> chunks;
  EncodeStatus encode;
  bool complete() const;
};

// Frames from the files on disk, task states from scontrol and the exit
// files, log tails (`tail_lines` each) for what failed.
JobStatus job_status(const FarmJob& job, int tail_lines = 12);

// Resubmits the chunks that failed or went missing (--skip-existing keeps
// their finished frames) and, when the movie is not encoded yet, the encode
// job (cancelling a pending one whose dependency can no longer be met).
// Returns the submission; nullopt when nothing needed resubmitting.
std::optional<Submission> resume_job(FarmJob& job, const JobStatus& status);

}  // namespace netcook::farm
