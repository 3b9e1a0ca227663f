// Cluster settings of `netcook farm submit`, from four places, later ones
// winning: defaults, the `farm:` section of the project file (netcook.yaml,
// the nearest one in the scene's folder or a folder above it), environment
// variables (NETCOOK_FARM_*), the command line. docs/farm.md lists them.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace netcook::farm {

struct FarmSettings {
  std::optional<std::string> partition;      // sbatch --partition
  std::optional<std::string> time;           // sbatch --time (Slurm's formats: 30, 1:00:00, 1-0)
  std::optional<std::string> mem;            // sbatch --mem (4G, 500M)
  std::optional<int> cpus_per_task;          // sbatch --cpus-per-task; also netcook's --threads
  std::vector<std::string> sbatch_args;      // more #SBATCH lines, e.g. --account=vfx
  std::optional<int> chunks;                 // how many array tasks...
  std::optional<int> chunk_size;             // ...or frames per task
  std::optional<std::string> netcook;        // the netcook the nodes run
  // Where each value came from, for --dry-run: "netcook.yaml:4", "NETCOOK_FARM_MEM", "--mem".
  std::vector<std::string> sources;
};

// Frames per task when neither chunks nor chunk_size is given anywhere.
constexpr int kDefaultChunkSize = 25;

// The project file for a scene in `scene_dir`: the nearest netcook.yaml in it
// or a folder above; "" when none.
std::string find_project_file(const std::string& scene_dir);

// The `farm:` section of `path` (an empty FarmSettings when it has none).
// Throws SceneError (FILE:LINE:COL, "did you mean" for a misspelt key) on
// bad YAML, unknown keys and wrong value types.
FarmSettings read_project_settings(const std::string& path);

// NETCOOK_FARM_PARTITION, _TIME, _MEM, _CPUS_PER_TASK, _SBATCH_ARGS (split at
// white space), _CHUNKS, _CHUNK_SIZE, _NETCOOK. Throws SceneError (the file
// is the variable's name) for a value of the wrong type.
FarmSettings read_environment_settings();

// `over` on top of `base`: each value `over` has replaces base's; sbatch
// arguments add up (base's first, so a later --account=... wins in sbatch).
// chunks and chunk_size are one choice: whichever `over` has replaces both.
FarmSettings merge_settings(const FarmSettings& base, const FarmSettings& over);

}  // namespace netcook::farm
