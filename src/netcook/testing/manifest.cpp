#include "netcook/testing/manifest.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "netcook/scene/scene.h"
#include "netcook/scene/yaml_support.h"

namespace netcook::testing {

namespace fs = std::filesystem;
using scene_detail::describe;
using scene_detail::Reporter;

namespace {

const std::vector<std::string> kTopKeys = {"netcook-tests", "defaults", "cases"};
const std::vector<std::string> kCaseKeys = {
    "scene",   "frames",        "set",       "text",     "compare",  "golden",  "format",
    "fail",    "warn",          "failpercent", "warnpercent", "hardfail", "hardwarn", "allowfailures",
    "min_psnr", "min_ssim",     "max_flip",  "ssim",     "flip",     "timeout", "expect_stdout"};
// `scene` and `golden` name one case's files: a default would be a mistake.
const std::vector<std::string> kDefaultsKeys = {
    "frames",  "set",      "text",     "compare",  "format",   "fail",     "warn",
    "failpercent", "warnpercent", "hardfail", "hardwarn", "allowfailures", "min_psnr", "min_ssim",
    "max_flip", "ssim",    "flip",     "timeout",  "expect_stdout"};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool valid_case_name(const std::string& name) {
  if (name.empty() || name.size() > 200 || name[0] == '.' || name[0] == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

// A YAML value back as the text `--set OP.PAR=VALUE` reads (flow style).
std::string emit_flow(const YAML::Node& value) {
  if (value.IsScalar()) {
    if (scene_detail::is_quoted_string(value)) {
      YAML::Emitter e;
      e << YAML::DoubleQuoted << value.Scalar();
      return e.c_str();
    }
    return value.Scalar();
  }
  YAML::Emitter e;
  e << YAML::Flow << value;
  return e.c_str();
}

// The value under `name` in a mapping (undefined when absent), without
// yaml-cpp's operator[], which makes a temporary node on a miss.
YAML::Node find_key(const YAML::Node& map, const std::string& name) {
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == name) return it->second;
  return YAML::Node(YAML::NodeType::Undefined);
}
bool has_key(const YAML::Node& map, const std::string& name) {
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == name) return true;
  return false;
}

class ManifestReader {
 public:
  ManifestReader(const std::string& path, const std::string& source, double default_timeout)
      : source_(source), r_(path, &source_, true), default_timeout_(default_timeout) {
    manifest_.file = path;
    std::error_code ec;
    fs::path abs = fs::absolute(fs::path(path), ec);
    base_ = (ec ? fs::path(path) : abs).parent_path().lexically_normal();
  }

  Manifest read() {
    if (!scene_detail::check_scene_text(source_, r_)) throw_if_errors();
    std::vector<YAML::Node> docs;
    try {
      docs = YAML::LoadAll(source_);
    } catch (const YAML::Exception& e) {
      r_.error(r_.at(e.mark), "YAML syntax error: " + e.msg);
      throw_if_errors();
    }
    if (docs.empty() || docs[0].IsNull()) {
      r_.error(r_.at(YAML::Mark::null_mark()), "the manifest is empty; it needs at least 'netcook-tests: 1' and 'cases:'");
      throw_if_errors();
    }
    if (docs.size() > 1) {
      r_.error(r_.at(docs[1]), "a test manifest holds one YAML document; remove the second '---'");
      throw_if_errors();
    }
    const YAML::Node& doc = docs[0];
    if (!doc.IsMap()) {
      r_.error(r_.at(doc), "a test manifest is a YAML mapping (netcook-tests: 1, defaults: ..., cases: ...), not " +
                               describe(doc));
      throw_if_errors();
    }
    bool have_version = false, have_cases = false;
    YAML::Node defaults, cases, cases_key;
    YAML::Node defaults_key;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      const YAML::Node key = it->first;
      const YAML::Node v = it->second;
      if (!key.IsScalar()) {
        r_.error(r_.at(key), "a key must be a name, not " + describe(key));
        continue;
      }
      const std::string k = key.Scalar();
      if (k == "netcook-tests") {
        have_version = true;
        long long version = 0;
        if (!scene_detail::scalar_to_int(v, INT_MIN, INT_MAX, &version))
          r_.error(r_.at(v, key), "netcook-tests: the format version must be the number 1, not " + describe(v));
        else if (version != 1)
          r_.error(r_.at(v), "unsupported test manifest version " + std::to_string(version) +
                                 " (this netcook reads version 1)");
      } else if (k == "defaults") {
        defaults = v;
        defaults_key = key;
      } else if (k == "cases") {
        cases = v;
        cases_key = key;
        have_cases = true;
      } else {
        r_.error(r_.at(key), "unknown top-level key '" + k + "'" + did_you_mean(k, kTopKeys) +
                                 " (allowed: " + join(kTopKeys) + ")");
      }
    }
    if (!have_version)
      r_.error(r_.at(doc), "missing 'netcook-tests: 1' (the manifest format version) at the top");

    TestCase base;
    base.timeout_seconds = default_timeout_;
    if (defaults.IsDefined() && !defaults.IsNull()) {
      if (!defaults.IsMap())
        r_.error(r_.at(defaults, defaults_key), "defaults must be a mapping of case keys, not " + describe(defaults));
      else
        read_case_keys(base, defaults, /*in_defaults=*/true);
    }
    if (!have_cases || cases.IsNull()) {
      r_.error(have_cases ? r_.at(cases, cases_key) : r_.at(doc),
               "missing 'cases:' (a mapping from case name to scene, frames, ...)");
    } else if (!cases.IsMap()) {
      r_.error(r_.at(cases, cases_key), "cases must be a mapping from case name to its settings, not " + describe(cases));
    } else {
      std::set<std::string> seen;
      for (auto it = cases.begin(); it != cases.end(); ++it) {
        const YAML::Node key = it->first;
        const YAML::Node v = it->second;
        if (!key.IsScalar() || !valid_case_name(key.Scalar())) {
          r_.error(r_.at(key), "a case name is letters, digits, '_', '-' and '.', not " +
                                   (key.IsScalar() ? "'" + key.Scalar() + "'" : describe(key)));
          continue;
        }
        if (!seen.insert(key.Scalar()).second) {
          r_.error(r_.at(key), "case '" + key.Scalar() + "' is defined twice");
          continue;
        }
        TestCase c = base;
        c.name = key.Scalar();
        c.manifest = manifest_.file;
        c.where = r_.at(key);
        if (!v.IsMap()) {
          r_.error(r_.at(v, key), "case '" + c.name + "' must be a mapping (scene: ..., frames: ...), not " + describe(v));
          continue;
        }
        read_case_keys(c, v, /*in_defaults=*/false);
        if (c.scene.empty() && !has_key(v, "scene"))
          r_.error(r_.at(key), "case '" + c.name + "' needs 'scene:' (the scene file to render)");
        if (c.golden_dir.empty()) c.golden_dir = (base_ / "golden" / c.name).string();
        manifest_.cases.push_back(std::move(c));
      }
    }
    throw_if_errors();
    return std::move(manifest_);
  }

 private:
  void throw_if_errors() {
    if (!r_.empty()) throw SceneError(r_.sorted());
  }

  std::string resolve(const std::string& path) const {
    return (base_ / fs::path(path)).lexically_normal().string();
  }

  bool read_number(const YAML::Node& v, const YAML::Node& key, const std::string& what, double lo, double* out) {
    double d = 0;
    if (!scene_detail::scalar_to_double(v, &d) || d < lo) {
      r_.error(r_.at(v, key), key.Scalar() + " must be " + what + ", not " + describe(v));
      return false;
    }
    *out = d;
    return true;
  }

  bool read_bool(const YAML::Node& v, const YAML::Node& key, bool* out) {
    if (v.IsScalar() && !scene_detail::is_quoted_string(v)) {
      if (v.Scalar() == "true") return *out = true, true;
      if (v.Scalar() == "false") return *out = false, true;
    }
    r_.error(r_.at(v, key), key.Scalar() + " must be true or false, not " + describe(v));
    return false;
  }

  // Adds frames from one scalar: N or A-B[xS].
  void read_frames_item(const YAML::Node& v, const YAML::Node& key, std::set<int>& frames) {
    if (!v.IsScalar()) {
      r_.error(r_.at(v, key), "frames are a number, a range such as 1-10 or 1-100x10, or a list of them, not " + describe(v));
      return;
    }
    std::string error;
    auto range = parse_frame_range(v.Scalar(), &error);
    if (!range) {
      r_.error(r_.at(v, key), "frames: " + error);
      return;
    }
    for (int f : range->frames()) frames.insert(f);
    if (frames.size() > static_cast<std::size_t>(kMaxFrameCount))
      r_.error(r_.at(v, key), "frames: more than " + std::to_string(kMaxFrameCount) + " frames in one case");
  }

  void read_case_keys(TestCase& c, const YAML::Node& map, bool in_defaults) {
    const auto& allowed = in_defaults ? kDefaultsKeys : kCaseKeys;
    const std::string where = in_defaults ? "defaults" : "case '" + c.name + "'";
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node key = it->first;
      const YAML::Node v = it->second;
      if (!key.IsScalar()) {
        r_.error(r_.at(key), "a key must be a name, not " + describe(key));
        continue;
      }
      const std::string k = key.Scalar();
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        std::string hint = did_you_mean(k, allowed);
        if (in_defaults && (k == "scene" || k == "golden")) hint = " (" + k + " belongs to each case, not defaults)";
        r_.error(r_.at(key), "unknown key '" + k + "' in " + where + hint);
        continue;
      }
      auto& t = c.thresholds;
      if (k == "scene") {
        if (!v.IsScalar() || v.Scalar().empty()) {
          r_.error(r_.at(v, key), "scene must be a file name, not " + describe(v));
          continue;
        }
        c.scene = resolve(v.Scalar());
        struct stat st {};
        if (::stat(c.scene.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
          r_.error(r_.at(v), "scene file '" + v.Scalar() + "' not found (looked for " + c.scene + ")");
      } else if (k == "golden") {
        if (!v.IsScalar() || v.Scalar().empty())
          r_.error(r_.at(v, key), "golden must be a folder name, not " + describe(v));
        else
          c.golden_dir = resolve(v.Scalar());
      } else if (k == "frames") {
        std::set<int> frames;
        if (v.IsSequence()) {
          if (v.size() == 0) r_.error(r_.at(v, key), "frames: the list is empty");
          for (const auto& item : v) read_frames_item(item, key, frames);
        } else {
          read_frames_item(v, key, frames);
        }
        c.frames.assign(frames.begin(), frames.end());
      } else if (k == "set") {
        if (!v.IsMap()) {
          r_.error(r_.at(v, key), "set must be a mapping OP.PAR: VALUE, not " + describe(v));
          continue;
        }
        for (auto s = v.begin(); s != v.end(); ++s) {
          if (!s->first.IsScalar() || s->first.Scalar().find('.') == std::string::npos) {
            r_.error(r_.at(s->first), "a set: key is OP.PAR (e.g. blur1.size), not " +
                                          (s->first.IsScalar() ? "'" + s->first.Scalar() + "'" : describe(s->first)));
            continue;
          }
          const std::string target = s->first.Scalar();
          // A case's entry replaces the default's for the same OP.PAR.
          c.sets.erase(std::remove_if(c.sets.begin(), c.sets.end(),
                                      [&](const std::string& a) { return a.rfind(target + "=", 0) == 0; }),
                       c.sets.end());
          c.sets.push_back(target + "=" + emit_flow(s->second));
        }
      } else if (k == "text") {
        if (!v.IsMap()) {
          r_.error(r_.at(v, key), "text must be a mapping DAT: FILE, not " + describe(v));
          continue;
        }
        for (auto s = v.begin(); s != v.end(); ++s) {
          if (!s->first.IsScalar() || !s->second.IsScalar() || s->second.Scalar().empty()) {
            r_.error(r_.at(s->first), "a text: entry is DAT: FILE");
            continue;
          }
          const std::string file = resolve(s->second.Scalar());
          struct stat st {};
          if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            r_.error(r_.at(s->second), "text file '" + s->second.Scalar() + "' not found (looked for " + file + ")");
            continue;
          }
          const std::string dat = s->first.Scalar();
          c.texts.erase(std::remove_if(c.texts.begin(), c.texts.end(),
                                       [&](const std::string& a) { return a.rfind(dat + "=", 0) == 0; }),
                        c.texts.end());
          c.texts.push_back(dat + "=" + file);
        }
      } else if (k == "compare") {
        c.compare.clear();
        if (v.IsScalar() && !v.Scalar().empty()) {
          c.compare.push_back(v.Scalar());
        } else if (v.IsSequence() && v.size() > 0) {
          for (const auto& item : v) {
            if (!item.IsScalar() || item.Scalar().empty())
              r_.error(r_.at(item, key), "compare: each entry is a TOP's name or path, not " + describe(item));
            else
              c.compare.push_back(item.Scalar());
          }
        } else {
          r_.error(r_.at(v, key), "compare must be a TOP name or a list of them, not " + describe(v));
        }
      } else if (k == "format") {
        const std::vector<std::string> formats = {"png", "exr"};
        if (v.IsScalar() && v.Scalar() == "png") c.format = GoldenFormat::Png16;
        else if (v.IsScalar() && v.Scalar() == "exr") c.format = GoldenFormat::Exr;
        else
          r_.error(r_.at(v, key), "format must be png (16-bit) or exr (float), not " +
                                      (v.IsScalar() ? "'" + v.Scalar() + "'" + did_you_mean(v.Scalar(), formats) : describe(v)));
      } else if (k == "fail") {
        read_number(v, key, "a number >= 0", 0, &t.fail);
      } else if (k == "warn") {
        read_number(v, key, "a number >= 0", 0, &t.warn);
      } else if (k == "failpercent") {
        read_number(v, key, "a percentage >= 0", 0, &t.failpercent);
      } else if (k == "warnpercent") {
        read_number(v, key, "a percentage >= 0", 0, &t.warnpercent);
      } else if (k == "hardfail") {
        read_number(v, key, "a number >= 0", 0, &t.hardfail);
      } else if (k == "hardwarn") {
        read_number(v, key, "a number >= 0", 0, &t.hardwarn);
      } else if (k == "allowfailures") {
        long long n = 0;
        if (!scene_detail::scalar_to_int(v, 0, LLONG_MAX, &n))
          r_.error(r_.at(v, key), "allowfailures must be a whole number >= 0, not " + describe(v));
        else
          t.allowfailures = n;
      } else if (k == "min_psnr") {
        double d = 0;
        if (read_number(v, key, "a number of dB", -1e300, &d)) t.min_psnr = d;
      } else if (k == "min_ssim") {
        double d = 0;
        if (read_number(v, key, "a number from -1 to 1", -1, &d)) t.min_ssim = d;
      } else if (k == "max_flip") {
        double d = 0;
        if (read_number(v, key, "a number from 0 to 1", 0, &d)) t.max_flip = d;
      } else if (k == "ssim") {
        read_bool(v, key, &c.ssim);
      } else if (k == "flip") {
        read_bool(v, key, &c.flip);
      } else if (k == "timeout") {
        double d = 0;
        if (read_number(v, key, "a number of seconds > 0", 0, &d)) {
          if (d <= 0) r_.error(r_.at(v), "timeout must be a number of seconds > 0, not " + describe(v));
          else c.timeout_seconds = d;
        }
      } else if (k == "expect_stdout") {
        c.expect_stdout.clear();
        std::vector<YAML::Node> items;
        if (v.IsScalar()) items.push_back(v);
        else if (v.IsSequence()) for (auto it = v.begin(); it != v.end(); ++it) items.push_back(static_cast<const YAML::Node&>(*it));
        else {
          r_.error(r_.at(v, key), "expect_stdout is a list of lines (a string, or {regex: PATTERN}), not " + describe(v));
          continue;
        }
        for (const auto& item : items) {
          ExpectedLine line;
          line.where = r_.at(item, key);
          const YAML::Node regex = item.IsMap() && item.size() == 1 ? find_key(item, "regex") : YAML::Node();
          if (item.IsScalar()) {
            line.text = item.Scalar();
          } else if (regex.IsDefined() && regex.IsScalar()) {
            line.text = regex.Scalar();
            line.regex = true;
            try {
              std::regex check(line.text);
            } catch (const std::regex_error& e) {
              r_.error(r_.at(regex), "expect_stdout: invalid regular expression '" + line.text + "': " + e.what());
              continue;
            }
          } else {
            r_.error(r_.at(item, key), "expect_stdout: each entry is a line (a string) or {regex: PATTERN}, not " +
                                           describe(item));
            continue;
          }
          c.expect_stdout.push_back(std::move(line));
        }
      }
    }
  }

  std::string source_;
  Reporter r_;
  double default_timeout_;
  fs::path base_;
  Manifest manifest_;
};

}  // namespace

Manifest load_manifest_from_string(const std::string& yaml, const std::string& path, double default_timeout) {
  return ManifestReader(path, yaml, default_timeout).read();
}

Manifest load_manifest(const std::string& path, double default_timeout) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SceneError(SourceLocation{path, 0, 0}, "cannot read the test manifest (no such file, or not readable)");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw SceneError(SourceLocation{path, 0, 0}, "cannot read the test manifest");
  return load_manifest_from_string(text.str(), path, default_timeout);
}

std::vector<std::string> find_manifests(const std::string& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec) && !name.empty() && name[0] == '.') {
      it.disable_recursion_pending();
      continue;
    }
    if (name == kManifestName && it->is_regular_file(ec)) found.push_back(it->path().lexically_normal().string());
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::string golden_file_name(const std::string& op_name, int frame, GoldenFormat format) {
  char number[32];
  std::snprintf(number, sizeof number, "%04d", frame);
  return op_name + "." + number + (format == GoldenFormat::Exr ? ".exr" : ".png");
}

}  // namespace netcook::testing
