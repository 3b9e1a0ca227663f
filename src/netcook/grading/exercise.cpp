#include "netcook/grading/exercise.h"

#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "netcook/scene/scene.h"
#include "netcook/scene/yaml_support.h"

namespace netcook::grading {

namespace fs = std::filesystem;
using scene_detail::describe;
using scene_detail::Reporter;

const char* Check::kind() const {
  static const char* names[] = {"output", "parameter", "channel", "operator", "image", "python"};
  return names[what.index()];
}

double Exercise::max_score() const {
  double total = 0;
  for (const auto& c : checks) total += c.points;
  return total;
}

int Exercise::last_frame() const {
  int last = frames.empty() ? 1 : frames.back();
  for (const auto& c : checks)
    if (!c.frames.empty()) last = std::max(last, c.frames.back());
  return last;
}

namespace {

const std::vector<std::string> kTopKeys = {"netcook-exercise", "title",  "scene",    "submission", "solution",
                                           "frames",           "limits", "readable", "threads",    "checks"};
const std::vector<std::string> kSubmissionKeys = {"dat", "dats", "scene"};
const std::vector<std::string> kLimitKeys = {"time", "cpu", "memory", "output", "file_size", "open_files"};
const std::vector<std::string> kCheckKinds = {"output", "parameter", "channel", "operator", "image", "python"};
const std::vector<std::string> kCommonCheckKeys = {"name", "points", "visibility", "frames"};
const std::vector<std::string> kVisibilities = {"visible", "hidden", "after_due_date", "after_published"};
const std::vector<std::string> kOutputKeys = {"regex", "whole", "numbers", "tolerance"};
const std::vector<std::string> kParameterKeys = {"par", "expected", "tolerance"};
const std::vector<std::string> kChannelKeys = {"op", "channel", "expected", "tolerance"};
const std::vector<std::string> kOperatorKeys = {"op", "type", "inputs"};
const std::vector<std::string> kImageKeys = {"op",       "fail",     "failpercent", "hardfail", "allowfailures",
                                             "min_psnr", "min_ssim", "max_flip"};
const std::vector<std::string> kPythonKeys = {"file", "function"};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool is_regular_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}
bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool valid_dat_name(const std::string& name) {
  if (name.empty() || name.size() > 200) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// "2G", "512M", "64k" or a plain number of bytes.
std::optional<std::uint64_t> parse_bytes(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::size_t end = 0;
  double value = 0;
  try {
    value = std::stod(text, &end);
  } catch (...) {
    return std::nullopt;
  }
  std::string unit = text.substr(end);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.pop_back();
  if (!unit.empty() && unit.back() == 'i') unit.pop_back();
  double scale = 1;
  if (unit == "")
    scale = 1;
  else if (unit == "k" || unit == "K")
    scale = 1024.0;
  else if (unit == "m" || unit == "M")
    scale = 1024.0 * 1024;
  else if (unit == "g" || unit == "G")
    scale = 1024.0 * 1024 * 1024;
  else
    return std::nullopt;
  const double bytes = value * scale;
  if (!std::isfinite(bytes) || bytes < 1 || bytes > 1e18) return std::nullopt;
  return static_cast<std::uint64_t>(bytes);
}

class ExerciseReader {
 public:
  ExerciseReader(const std::string& path, const std::string& source) : source_(source), r_(path, &source_, true) {
    exercise_.file = path;
    std::error_code ec;
    fs::path abs = fs::absolute(fs::path(path), ec);
    base_ = (ec ? fs::path(path) : abs).parent_path().lexically_normal();
    exercise_.directory = base_.string();
  }

  Exercise read() {
    if (!scene_detail::check_scene_text(source_, r_)) throw_if_errors();
    YAML::Node doc;
    try {
      doc = YAML::Load(source_);
    } catch (const YAML::Exception& e) {
      scene_detail::report_yaml_syntax_error(source_, e, r_);
      throw_if_errors();
    }
    if (!doc.IsMap()) {
      r_.error(r_.at(doc),
               "an exercise is a YAML mapping (netcook-exercise: 1, scene: ..., submission: ..., checks: ...), not " +
                   describe(doc));
      throw_if_errors();
    }
    // Copies share yaml-cpp nodes; assignment would write into them.
    std::optional<YAML::Node> submission, submission_key, solution, solution_key, checks, checks_key;
    bool have_version = false;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      const YAML::Node key = it->first, v = it->second;
      if (!key.IsScalar()) {
        r_.error(r_.at(key), "a key must be a name, not " + describe(key));
        continue;
      }
      const std::string k = key.Scalar();
      if (k == "netcook-exercise") {
        have_version = true;
        long long version = 0;
        if (!scene_detail::scalar_to_int(v, INT_MIN, INT_MAX, &version) || version != 1)
          r_.error(r_.at(v, key), "netcook-exercise: the format version must be the number 1, not " + describe(v));
      } else if (k == "title") {
        if (!v.IsScalar())
          r_.error(r_.at(v, key), "title must be text, not " + describe(v));
        else
          exercise_.title = v.Scalar();
      } else if (k == "scene") {
        if (!v.IsScalar() || v.Scalar().empty()) {
          r_.error(r_.at(v, key), "scene must be a scene file's name, not " + describe(v));
          continue;
        }
        exercise_.scene = resolve(v.Scalar());
        if (!is_regular_file(exercise_.scene))
          r_.error(r_.at(v), "scene file '" + v.Scalar() + "' not found (looked for " + exercise_.scene + ")");
      } else if (k == "submission") {
        submission.emplace(v);
        submission_key.emplace(key);
      } else if (k == "solution") {
        solution.emplace(v);
        solution_key.emplace(key);
      } else if (k == "frames") {
        exercise_.frames = read_frames(v, key);
      } else if (k == "limits") {
        read_limits(v, key);
      } else if (k == "readable") {
        if (!v.IsSequence()) {
          r_.error(r_.at(v, key),
                   "readable must be a list of files or folders a submission may read, not " + describe(v));
          continue;
        }
        for (const auto& item : v) {
          if (!item.IsScalar() || item.Scalar().empty()) {
            r_.error(r_.at(item, key), "readable: each entry is a file or folder, not " + describe(item));
            continue;
          }
          const std::string path = resolve(item.Scalar());
          struct stat st {};
          if (::stat(path.c_str(), &st) != 0)
            r_.error(r_.at(item), "readable: '" + item.Scalar() + "' not found (looked for " + path + ")");
          else
            exercise_.readable.push_back(path);
        }
      } else if (k == "threads") {
        long long n = 0;
        if (!scene_detail::scalar_to_int(v, 1, 64, &n))
          r_.error(r_.at(v, key), "threads must be a whole number from 1 to 64, not " + describe(v));
        else
          exercise_.threads = static_cast<int>(n);
      } else if (k == "checks") {
        checks.emplace(v);
        checks_key.emplace(key);
      } else {
        r_.error(r_.at(key),
                 "unknown key '" + k + "'" + did_you_mean(k, kTopKeys) + " (allowed: " + join(kTopKeys) + ")");
      }
    }
    if (!have_version) r_.error(r_.at(doc), "missing 'netcook-exercise: 1' (the exercise format version) at the top");
    if (submission)
      read_submission(*submission, *submission_key);
    else
      r_.error(r_.at(doc), "missing 'submission:' (dat: DAT, dats: [DAT, ...] or scene: true)");
    if (exercise_.kind != SubmissionKind::Scene && exercise_.scene.empty() && submission)
      r_.error(r_.at(doc), "missing 'scene:' (the base scene whose DATs the submission fills in)");
    if (solution)
      read_solution(*solution, *solution_key);
    else
      r_.error(r_.at(doc), "missing 'solution:' (the reference solution, in the submission's form)");
    if (exercise_.frames.empty()) {
      // The base scene's frames: read its `frames:` without loading it all.
      exercise_.frames = scene_frames();
    }
    if (checks && checks->IsSequence() && checks->size() > 0) {
      for (const auto& c : *checks) read_check(c);
    } else {
      r_.error(checks ? r_.at(*checks, *checks_key) : r_.at(doc),
               "'checks:' must be a list of checks, each with a name, points and one of: " + join(kCheckKinds));
    }
    throw_if_errors();
    return std::move(exercise_);
  }

 private:
  void throw_if_errors() {
    if (!r_.empty()) throw SceneError(r_.sorted());
  }
  std::string resolve(const std::string& path) const { return (base_ / fs::path(path)).lexically_normal().string(); }

  std::vector<int> scene_frames() {
    const std::string scene = exercise_.kind == SubmissionKind::Scene ? exercise_.solution : exercise_.scene;
    try {
      YAML::Node doc = YAML::LoadFile(scene);
      if (doc.IsMap() && doc["frames"] && doc["frames"].IsScalar()) {
        std::string error;
        if (auto range = parse_frame_range(doc["frames"].Scalar(), &error)) return range->frames();
      }
    } catch (const std::exception&) {
      // Reported when the scene loads; 1-120 meanwhile.
    }
    return FrameRange{1, 120, 1}.frames();
  }

  std::vector<int> read_frames(const YAML::Node& v, const YAML::Node& key) {
    std::set<int> frames;
    auto item = [&](const YAML::Node& n) {
      std::string error;
      if (!n.IsScalar()) {
        r_.error(r_.at(n, key),
                 "frames are a number, a range such as 1-120 or 1-120x10, or a list of them, not " + describe(n));
        return;
      }
      auto range = parse_frame_range(n.Scalar(), &error);
      if (!range) {
        r_.error(r_.at(n, key), "frames: " + error);
        return;
      }
      for (int f : range->frames()) {
        if (f < 1) {
          r_.error(r_.at(n, key),
                   "frames: a submission runs from frame 1; frame " + std::to_string(f) + " is never reached");
          return;
        }
        frames.insert(f);
      }
      if (frames.size() > 100000) r_.error(r_.at(n, key), "frames: more than 100000 frames");
    };
    if (v.IsSequence()) {
      if (v.size() == 0) r_.error(r_.at(v, key), "frames: the list is empty");
      for (const auto& n : v) item(n);
    } else {
      item(v);
    }
    return {frames.begin(), frames.end()};
  }

  bool number(const YAML::Node& v, const YAML::Node& key, double lo, double* out, const std::string& what) {
    double d = 0;
    if (!scene_detail::scalar_to_double(v, &d) || d < lo) {
      r_.error(r_.at(v, key), key.Scalar() + " must be " + what + ", not " + describe(v));
      return false;
    }
    *out = d;
    return true;
  }

  void read_limits(const YAML::Node& v, const YAML::Node& key) {
    if (!v.IsMap()) {
      r_.error(r_.at(v, key), "limits must be a mapping (" + join(kLimitKeys) + "), not " + describe(v));
      return;
    }
    auto& l = exercise_.limits;
    for (auto it = v.begin(); it != v.end(); ++it) {
      const YAML::Node k = it->first, value = it->second;
      const std::string name = k.IsScalar() ? k.Scalar() : "";
      if (name == "time" || name == "cpu") {
        double d = 0;
        if (number(value, k, 0, &d, "a number of seconds > 0") && d > 0)
          (name == "time" ? l.time_seconds : l.cpu_seconds) = d;
        else if (d == 0 && scene_detail::scalar_to_double(value, &d))
          r_.error(r_.at(value), name + " must be a number of seconds > 0, not 0");
      } else if (name == "memory" || name == "output" || name == "file_size") {
        auto bytes = value.IsScalar() ? parse_bytes(value.Scalar()) : std::nullopt;
        if (!bytes) {
          r_.error(r_.at(value, k), name + " must be a size such as 2G, 512M or 64k, not " + describe(value));
          continue;
        }
        (name == "memory" ? l.memory_bytes : name == "output" ? l.output_bytes : l.file_size_bytes) = *bytes;
      } else if (name == "open_files") {
        long long n = 0;
        if (!scene_detail::scalar_to_int(value, 16, 100000, &n))
          r_.error(r_.at(value, k), name + " must be a whole number from 16 to 100000, not " + describe(value));
        else
          l.open_files = static_cast<int>(n);
      } else {
        r_.error(r_.at(k), "unknown limit '" + name + "'" + did_you_mean(name, kLimitKeys) +
                               " (allowed: " + join(kLimitKeys) + ")");
      }
    }
  }

  void read_submission(const YAML::Node& v, const YAML::Node& key) {
    if (!v.IsMap() || v.size() != 1) {
      r_.error(r_.at(v, key),
               "submission is one of {dat: DAT}, {dats: [DAT, ...]} or {scene: true}, not " + describe(v));
      return;
    }
    const YAML::Node k = v.begin()->first, value = v.begin()->second;
    const std::string name = k.IsScalar() ? k.Scalar() : "";
    if (name == "dat") {
      exercise_.kind = SubmissionKind::Dat;
      if (!value.IsScalar() || !valid_dat_name(value.Scalar()))
        r_.error(r_.at(value, k), "dat: is a DAT's name (e.g. script1), not " + describe(value));
      else
        exercise_.dats = {value.Scalar()};
    } else if (name == "dats") {
      exercise_.kind = SubmissionKind::Dats;
      if (value.IsMap() && value.size() > 0) {  // DAT: FILE (the file's name in a submission folder)
        for (auto it = value.begin(); it != value.end(); ++it) {
          const YAML::Node d = it->first, f = it->second;
          const bool plain_name = f.IsScalar() && !f.Scalar().empty() && f.Scalar().find('/') == std::string::npos &&
                                  f.Scalar() != "." && f.Scalar() != "..";
          if (!d.IsScalar() || !valid_dat_name(d.Scalar()))
            r_.error(r_.at(d, k), "dats: each key is a DAT's name, not " + describe(d));
          else if (!plain_name)
            r_.error(r_.at(f, d),
                     "dats: " + d.Scalar() + "'s file is a file name (e.g. " + d.Scalar() + ".py), not " + describe(f));
          else
            exercise_.dats.push_back(d.Scalar()), exercise_.dat_files.push_back(f.Scalar());
        }
        return;
      }
      if (!value.IsSequence() || value.size() == 0) {
        r_.error(
            r_.at(value, k),
            "dats: is a list of DAT names (each supplied as NAME.py) or a mapping DAT: FILE, not " + describe(value));
        return;
      }
      for (const auto& d : value) {
        if (!d.IsScalar() || !valid_dat_name(d.Scalar()))
          r_.error(r_.at(d, k), "dats: each entry is a DAT's name, not " + describe(d));
        else
          exercise_.dats.push_back(d.Scalar()), exercise_.dat_files.push_back(d.Scalar() + ".py");
      }
    } else if (name == "scene") {
      exercise_.kind = SubmissionKind::Scene;
      if (!value.IsScalar() || value.Scalar() != "true")
        r_.error(r_.at(value, k), "scene: true (the submission is a whole scene file), not " + describe(value));
    } else {
      r_.error(r_.at(k), "unknown submission kind '" + name + "'" + did_you_mean(name, kSubmissionKeys) +
                             " (allowed: " + join(kSubmissionKeys) + ")");
    }
  }

  void read_solution(const YAML::Node& v, const YAML::Node& key) {
    if (!v.IsScalar() || v.Scalar().empty()) {
      r_.error(r_.at(v, key), "solution must be a file (a .py, a scene) or a folder of NAME.py, not " + describe(v));
      return;
    }
    exercise_.solution = resolve(v.Scalar());
    const bool folder = exercise_.kind == SubmissionKind::Dats;
    if (folder ? !is_directory(exercise_.solution) : !is_regular_file(exercise_.solution)) {
      r_.error(r_.at(v), std::string("solution ") + (folder ? "folder" : "file") + " '" + v.Scalar() +
                             "' not found (looked for " + exercise_.solution + ")");
      return;
    }
    if (folder)
      for (const auto& file : exercise_.dat_files)
        if (!is_regular_file(exercise_.solution + "/" + file))
          r_.error(r_.at(v),
                   "solution folder '" + v.Scalar() + "' has no " + file + " (one file per DAT of submission: dats:)");
  }

  Expected read_expected(const YAML::Node& v, const YAML::Node& key) {
    Expected e;
    double d = 0;
    if (v.IsScalar() && !scene_detail::is_quoted_string(v) && v.Scalar() == "reference") {
      e.kind = Expected::Kind::Reference;
    } else if (scene_detail::scalar_to_double(v, &d)) {
      e.kind = Expected::Kind::Number;
      e.number = d;
    } else if (v.IsScalar()) {
      e.kind = Expected::Kind::Text;
      e.text = v.Scalar();
    } else {
      r_.error(r_.at(v, key), "expected is a number, a text, or reference (the solution's value), not " + describe(v));
    }
    return e;
  }

  std::string op_name(const YAML::Node& v, const YAML::Node& key) {
    if (!v.IsScalar() || v.Scalar().empty()) {
      r_.error(r_.at(v, key), key.Scalar() + " must be an operator's name or path, not " + describe(v));
      return "";
    }
    return v.Scalar();
  }

  void read_check(const YAML::Node& node) {
    Check c;
    c.where = r_.at(node);
    if (!node.IsMap()) {
      r_.error(r_.at(node), "a check is a mapping (name, points, visibility, and one of: " + join(kCheckKinds) +
                                "), not " + describe(node));
      return;
    }
    std::optional<YAML::Node> body_value, body_key_value;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key = it->first, v = it->second;
      const std::string k = key.IsScalar() ? key.Scalar() : "";
      if (k == "name") {
        if (!v.IsScalar() || v.Scalar().empty())
          r_.error(r_.at(v, key), "name must be text, not " + describe(v));
        else
          c.name = v.Scalar();
      } else if (k == "points") {
        number(v, key, 0, &c.points, "a number of points >= 0");
      } else if (k == "visibility") {
        if (!v.IsScalar() || std::find(kVisibilities.begin(), kVisibilities.end(), v.Scalar()) == kVisibilities.end())
          r_.error(r_.at(v, key),
                   "visibility must be one of " + join(kVisibilities) + ", not " +
                       (v.IsScalar() ? "'" + v.Scalar() + "'" + did_you_mean(v.Scalar(), kVisibilities) : describe(v)));
        else
          c.visibility = v.Scalar();
      } else if (k == "frames") {
        c.frames = read_frames(v, key);
      } else if (std::find(kCheckKinds.begin(), kCheckKinds.end(), k) != kCheckKinds.end()) {
        if (body_value) {
          r_.error(r_.at(key),
                   "a check has one kind; this one has both '" + body_key_value->Scalar() + "' and '" + k + "'");
          continue;
        }
        body_value.emplace(v);
        body_key_value.emplace(key);
      } else {
        std::vector<std::string> all = kCommonCheckKeys;
        all.insert(all.end(), kCheckKinds.begin(), kCheckKinds.end());
        r_.error(r_.at(key), "unknown check key '" + k + "'" + did_you_mean(k, all) + " (allowed: " + join(all) + ")");
      }
    }
    if (c.name.empty()) r_.error(r_.at(node), "the check needs a 'name:' (what the student sees)");
    for (const auto& other : exercise_.checks)
      if (!c.name.empty() && other.name == c.name) r_.error(r_.at(node), "two checks are named '" + c.name + "'");
    if (!body_value) {
      r_.error(r_.at(node), "the check needs one of: " + join(kCheckKinds));
      return;
    }
    const YAML::Node body = *body_value, body_key = *body_key_value;
    if (!body.IsMap()) {
      r_.error(r_.at(body, body_key), body_key.Scalar() + ": must be a mapping of its settings, not " + describe(body));
      return;
    }
    const std::string kind = body_key.Scalar();
    const std::vector<std::string>& allowed = kind == "output"      ? kOutputKeys
                                              : kind == "parameter" ? kParameterKeys
                                              : kind == "channel"   ? kChannelKeys
                                              : kind == "operator"  ? kOperatorKeys
                                              : kind == "image"     ? kImageKeys
                                                                    : kPythonKeys;
    for (auto it = body.begin(); it != body.end(); ++it) {
      const std::string k = it->first.IsScalar() ? it->first.Scalar() : "";
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
        r_.error(r_.at(it->first), "unknown key '" + k + "' in " + kind + ":" + did_you_mean(k, allowed) +
                                       " (allowed: " + join(allowed) + ")");
    }
    auto get = [&](const char* name) {
      for (auto it = body.begin(); it != body.end(); ++it)
        if (it->first.IsScalar() && it->first.Scalar() == name) return std::make_pair(it->first, it->second);
      return std::make_pair(YAML::Node(YAML::NodeType::Undefined), YAML::Node(YAML::NodeType::Undefined));
    };
    auto need = [&](const char* name, const char* what) {
      auto kv = get(name);
      if (!kv.second.IsDefined()) r_.error(r_.at(body_key), kind + ": needs '" + name + "' (" + what + ")");
      return kv;
    };
    auto read_tolerance = [&](double* out) {
      auto [k, v] = get("tolerance");
      if (v.IsDefined()) number(v, k, 0, out, "a number >= 0");
    };
    if (kind == "output") {
      OutputCheck o;
      auto [rk, rv] = get("regex");
      auto [nk, nv] = get("numbers");
      if (rv.IsDefined()) {
        if (!rv.IsScalar())
          r_.error(r_.at(rv, rk), "regex must be a regular expression, not " + describe(rv));
        else {
          o.regex = rv.Scalar();
          try {
            std::regex check(o.regex);
          } catch (const std::regex_error& e) {
            r_.error(r_.at(rv), "invalid regular expression '" + o.regex + "': " + e.what());
          }
        }
      }
      if (nv.IsDefined()) {
        o.numbers = true;
        if (nv.IsSequence()) {
          for (const auto& n : nv) {
            double d = 0;
            if (!scene_detail::scalar_to_double(n, &d))
              r_.error(r_.at(n, nk), "numbers: each entry is a number, not " + describe(n));
            else
              o.numbers_expected.push_back(d);
          }
        } else if (!(nv.IsScalar() && nv.Scalar() == "reference")) {
          r_.error(r_.at(nv, nk),
                   "numbers is reference (the solution's numbers at the same frame) or a list of numbers, not " +
                       describe(nv));
        }
      }
      if (!rv.IsDefined() && !nv.IsDefined()) r_.error(r_.at(body_key), "output: needs 'regex' or 'numbers' (or both)");
      auto [wk, wv] = get("whole");
      if (wv.IsDefined()) {
        if (wv.IsScalar() && (wv.Scalar() == "true" || wv.Scalar() == "false"))
          o.whole = wv.Scalar() == "true";
        else
          r_.error(r_.at(wv, wk), "whole must be true or false, not " + describe(wv));
      }
      read_tolerance(&o.tolerance);
      c.what = o;
    } else if (kind == "parameter") {
      ParameterCheck p;
      auto [pk, pv] = need("par", "OP.PAR, e.g. blur1.size");
      if (pv.IsDefined()) {
        const std::string s = pv.IsScalar() ? pv.Scalar() : "";
        const auto dot = s.rfind('.');
        if (dot == std::string::npos || dot == 0 || dot + 1 == s.size())
          r_.error(r_.at(pv, pk), "par must be OP.PAR (e.g. blur1.size), not " + describe(pv));
        else
          p.op = s.substr(0, dot), p.par = s.substr(dot + 1);
      }
      auto [ek, ev] = need("expected", "a number, a text, or reference");
      if (ev.IsDefined()) p.expected = read_expected(ev, ek);
      read_tolerance(&p.tolerance);
      c.what = p;
    } else if (kind == "channel") {
      ChannelCheck ch;
      auto [ok, ov] = need("op", "the CHOP");
      if (ov.IsDefined()) ch.op = op_name(ov, ok);
      auto [ck, cv] = get("channel");
      if (cv.IsDefined()) {
        if (!cv.IsScalar())
          r_.error(r_.at(cv, ck), "channel must be a channel's name, not " + describe(cv));
        else
          ch.channel = cv.Scalar();
      }
      auto [ek, ev] = need("expected", "a number or reference");
      if (ev.IsDefined()) ch.expected = read_expected(ev, ek);
      if (ch.expected.kind == Expected::Kind::Text)
        r_.error(r_.at(ev), "a channel's expected value is a number or reference, not text");
      read_tolerance(&ch.tolerance);
      c.what = ch;
    } else if (kind == "operator") {
      OperatorCheck o;
      auto [ok, ov] = need("op", "the operator's name or path");
      if (ov.IsDefined()) o.op = op_name(ov, ok);
      auto [tk, tv] = get("type");
      if (tv.IsDefined()) {
        if (!tv.IsScalar())
          r_.error(r_.at(tv, tk), "type must be an operator type (e.g. blurTOP), not " + describe(tv));
        else
          o.type = tv.Scalar();
      }
      auto [ik, iv] = get("inputs");
      if (iv.IsDefined()) {
        o.inputs.emplace();
        if (!iv.IsSequence())
          r_.error(r_.at(iv, ik), "inputs must be a list of operator names, in order, not " + describe(iv));
        else
          for (const auto& n : iv) o.inputs->push_back(op_name(n, ik));
      }
      c.what = o;
    } else if (kind == "image") {
      ImageCheck im;
      auto [ok, ov] = need("op", "the TOP whose image is compared");
      if (ov.IsDefined()) im.op = op_name(ov, ok);
      auto& t = im.thresholds;
      t.fail = 0.004;  // one 8-bit step: what a student can see
      for (auto it = body.begin(); it != body.end(); ++it) {
        const YAML::Node k = it->first, v = it->second;
        const std::string n = k.IsScalar() ? k.Scalar() : "";
        double d = 0;
        if (n == "fail")
          number(v, k, 0, &t.fail, "a number >= 0");
        else if (n == "failpercent")
          number(v, k, 0, &t.failpercent, "a percentage >= 0");
        else if (n == "hardfail")
          number(v, k, 0, &t.hardfail, "a number >= 0");
        else if (n == "allowfailures" && number(v, k, 0, &d, "a whole number >= 0"))
          t.allowfailures = static_cast<std::int64_t>(d);
        else if (n == "min_psnr" && number(v, k, -1e300, &d, "a number of dB"))
          t.min_psnr = d;
        else if (n == "min_ssim" && number(v, k, -1, &d, "a number from -1 to 1"))
          t.min_ssim = d;
        else if (n == "max_flip" && number(v, k, 0, &d, "a number from 0 to 1"))
          t.max_flip = d;
      }
      t.warn = t.fail;
      c.what = im;
    } else {
      PythonCheck p;
      auto [fk, fv] = need("file", "the teacher's Python file defining check(result)");
      if (fv.IsDefined()) {
        if (!fv.IsScalar() || fv.Scalar().empty())
          r_.error(r_.at(fv, fk), "file must be a Python file's name, not " + describe(fv));
        else {
          p.file = resolve(fv.Scalar());
          if (!is_regular_file(p.file))
            r_.error(r_.at(fv), "check file '" + fv.Scalar() + "' not found (looked for " + p.file + ")");
        }
      }
      auto [nk, nv] = get("function");
      if (nv.IsDefined()) {
        if (!nv.IsScalar() || !valid_dat_name(nv.Scalar()))
          r_.error(r_.at(nv, nk), "function must be a Python function's name, not " + describe(nv));
        else
          p.function = nv.Scalar();
      }
      c.what = p;
    }
    exercise_.checks.push_back(std::move(c));
  }

  std::string source_;
  Reporter r_;
  fs::path base_;
  Exercise exercise_;
};

}  // namespace

Exercise load_exercise_from_string(const std::string& yaml, const std::string& path) {
  return ExerciseReader(path, yaml).read();
}

Exercise load_exercise(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || is_directory(path))
    throw SceneError(SourceLocation{path, 0, 0}, "cannot read the exercise file '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return load_exercise_from_string(ss.str(), path);
}

}  // namespace netcook::grading
