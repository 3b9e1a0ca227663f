#include "netcook/farm/farm_settings.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "netcook/core/errors.h"

namespace netcook::farm {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kFarmKeys = {"partition", "time",       "mem",    "cpus_per_task",
                                            "sbatch_args", "chunks", "chunk_size", "netcook"};

SourceLocation at(const std::string& file, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return {file, 1, 1};
  return {file, mark.line + 1, mark.column + 1};
}

std::optional<int> positive_int(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  const int value = std::stoi(text);
  if (value < 1) return std::nullopt;
  return value;
}

}  // namespace

std::string find_project_file(const std::string& scene_dir) {
  std::error_code ec;
  fs::path dir = fs::absolute(scene_dir.empty() ? fs::path(".") : fs::path(scene_dir), ec).lexically_normal();
  while (true) {
    const fs::path candidate = dir / "netcook.yaml";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (!dir.has_parent_path() || dir.parent_path() == dir) return "";
    dir = dir.parent_path();
  }
}

FarmSettings read_project_settings(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::ParserException& e) {
    throw SceneError(SourceLocation{path, e.mark.line + 1, e.mark.column + 1}, e.msg);
  } catch (const YAML::Exception& e) {
    throw SceneError(SourceLocation{path, 0, 0}, std::string("cannot read the project file: ") + e.what());
  }
  FarmSettings settings;
  if (!root.IsMap() || !root["farm"]) return settings;
  const YAML::Node farm = root["farm"];
  if (!farm.IsMap()) throw SceneError(at(path, farm), "farm: must be a mapping of cluster settings (partition: ..., mem: ...)");
  std::vector<Diagnostic> errors;
  auto fail = [&](const YAML::Node& node, const std::string& message) { errors.push_back({at(path, node), message}); };
  for (const auto& entry : farm) {
    const std::string key = entry.first.as<std::string>("");
    const YAML::Node& value = entry.second;
    const std::string where = path + ":" + std::to_string(at(path, entry.first).line);
    if (std::find(kFarmKeys.begin(), kFarmKeys.end(), key) == kFarmKeys.end()) {
      fail(entry.first, "unknown farm setting '" + key + "'" + did_you_mean(key, kFarmKeys));
      continue;
    }
    if (key == "sbatch_args") {
      if (!value.IsSequence()) {
        fail(value, "sbatch_args must be a list of sbatch options, e.g. [--account=vfx, --qos=high]");
        continue;
      }
      for (const auto& item : value) {
        if (!item.IsScalar()) fail(item, "each sbatch_args entry must be one sbatch option (text)");
        else settings.sbatch_args.push_back(item.Scalar());
      }
      settings.sources.push_back("sbatch_args from " + where);
      continue;
    }
    if (!value.IsScalar() || value.Scalar().empty()) {
      fail(value.IsNull() ? entry.first : value, key + " needs a value");
      continue;
    }
    const std::string text = value.Scalar();
    if (key == "cpus_per_task" || key == "chunks" || key == "chunk_size") {
      const auto number = positive_int(text);
      if (!number) {
        fail(value, key + " must be a whole number of 1 or more, not '" + text + "'");
        continue;
      }
      if (key == "cpus_per_task") settings.cpus_per_task = number;
      else if (key == "chunks") settings.chunks = number;
      else settings.chunk_size = number;
    } else if (key == "partition") {
      settings.partition = text;
    } else if (key == "time") {
      settings.time = text;
    } else if (key == "mem") {
      settings.mem = text;
    } else if (key == "netcook") {
      settings.netcook = text;
    }
    settings.sources.push_back(key + " from " + where);
  }
  if (settings.chunks && settings.chunk_size)
    errors.push_back({at(path, farm["chunk_size"]), "give chunks or chunk_size, not both"});
  if (!errors.empty()) throw SceneError(errors);
  return settings;
}

FarmSettings read_environment_settings() {
  FarmSettings settings;
  auto get = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (!value || !*value) return std::nullopt;
    return std::string(value);
  };
  auto number = [&](const char* name) -> std::optional<int> {
    const auto text = get(name);
    if (!text) return std::nullopt;
    const auto value = positive_int(*text);
    if (!value)
      throw SceneError(SourceLocation{name, 0, 0}, "expected a whole number of 1 or more, not '" + *text + "'");
    settings.sources.push_back(std::string(name));
    return value;
  };
  auto text = [&](const char* name) {
    auto value = get(name);
    if (value) settings.sources.push_back(std::string(name));
    return value;
  };
  settings.partition = text("NETCOOK_FARM_PARTITION");
  settings.time = text("NETCOOK_FARM_TIME");
  settings.mem = text("NETCOOK_FARM_MEM");
  settings.netcook = text("NETCOOK_FARM_NETCOOK");
  settings.cpus_per_task = number("NETCOOK_FARM_CPUS_PER_TASK");
  settings.chunks = number("NETCOOK_FARM_CHUNKS");
  settings.chunk_size = number("NETCOOK_FARM_CHUNK_SIZE");
  if (settings.chunks && settings.chunk_size)
    throw SceneError(SourceLocation{"NETCOOK_FARM_CHUNK_SIZE", 0, 0},
                     "set NETCOOK_FARM_CHUNKS or NETCOOK_FARM_CHUNK_SIZE, not both");
  if (auto args = text("NETCOOK_FARM_SBATCH_ARGS")) {
    std::istringstream words(*args);
    std::string word;
    while (words >> word) settings.sbatch_args.push_back(word);
  }
  return settings;
}

FarmSettings merge_settings(const FarmSettings& base, const FarmSettings& over) {
  FarmSettings out = base;
  if (over.partition) out.partition = over.partition;
  if (over.time) out.time = over.time;
  if (over.mem) out.mem = over.mem;
  if (over.cpus_per_task) out.cpus_per_task = over.cpus_per_task;
  if (over.netcook) out.netcook = over.netcook;
  if (over.chunks || over.chunk_size) {
    out.chunks = over.chunks;
    out.chunk_size = over.chunk_size;
  }
  out.sbatch_args.insert(out.sbatch_args.end(), over.sbatch_args.begin(), over.sbatch_args.end());
  out.sources.insert(out.sources.end(), over.sources.begin(), over.sources.end());
  return out;
}

}  // namespace netcook::farm
