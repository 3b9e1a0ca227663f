// The scene loader: YAML text -> a checked Scene (scene-format.md, v1).
//
// One pass collects every mistake it can find, each at the line and column
// of the YAML node it concerns, and throws them together as one SceneError
// sorted by position. Wires are resolved only after the whole tree exists,
// so an operator may name one defined later in the file or in another COMP.
#include "netcook/scene/scene.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <functional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "netcook/core/registry.h"
#include "netcook/core/table_text.h"
#include "netcook/io/video_writer.h"
#include "netcook/scene/yaml_support.h"

namespace netcook {

using scene_detail::describe;
using scene_detail::Reporter;

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTopLevelKeys = {"netcook", "fps",  "frames", "resolution",
                                                "root",    "ops", "outputs"};
const std::vector<std::string> kOutputKeys = {"op",      "path",   "bits",         "compression",
                                              "codec",   "quality", "png_filter",   "preset",
                                              "pixel_format", "bitrate",  "audio"};

bool valid_op_name(const std::string& name) {
  if (name.empty()) return false;
  const auto first = static_cast<unsigned char>(name[0]);
  if (!std::isalpha(first) && name[0] != '_') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string bad_name_message(const std::string& what, const std::string& name) {
  return "bad " + what + " '" + name +
         "': names use letters, digits and underscores and do not start with a digit";
}

std::string op_label(const Operator& op) { return op.type_name() + " '" + op.name() + "'"; }

// Iterates a mapping in document order. Keys must be scalars and unique
// (yaml-cpp keeps duplicate keys; TouchDesigner names must be unique). The
// keys seen are hashed: an `ops:` mapping may hold a hundred thousand names.
template <class Fn>
void for_each_entry(const YAML::Node& map, Reporter& r, const std::string& what, Fn fn) {
  std::unordered_map<std::string, int> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!key.IsScalar()) {
      r.error(r.at(key), "expected a " + what + " (a plain name) as the key here, not " + describe(key));
      continue;
    }
    const std::string& k = key.Scalar();
    const auto [first, is_new] = seen.emplace(k, r.at(key).line);
    if (!is_new) {
      r.error(r.at(key), "duplicate " + what + " '" + k + "' (first given on line " +
                             std::to_string(first->second) + ")");
      continue;
    }
    fn(k, key, value);
  }
}

// Reads at most `max_bytes`: a device or a pipe may never end.
std::string read_file(const std::string& path, std::size_t max_bytes, std::string* error) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    *error = "it is a directory";
    return {};
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = errno ? std::strerror(errno) : "cannot open it";
    return {};
  }
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      *error = "it is larger than " + std::to_string(max_bytes >> 20) + " MB (the limit)";
      return {};
    }
  }
  if (in.bad()) {
    *error = "read failed";
    return {};
  }
  error->clear();
  return text;
}

// Paths a user may have meant, written the way `path` is written: absolute
// paths for an absolute one, else paths relative to `from` (after any
// leading "../").
std::vector<std::string> path_candidates(const Network& net, const CompOperator& from,
                                         const std::string& path) {
  std::vector<std::string> out;
  if (!path.empty() && path[0] == '/') {
    for (const Operator* op : net.all_operators()) out.push_back(op->path());
    return out;
  }
  const CompOperator* base = &from;
  std::string prefix;
  std::size_t pos = 0;
  while (path.compare(pos, 3, "../") == 0 && base->parent()) {
    base = base->parent();
    prefix += "../";
    pos += 3;
  }
  std::function<void(const CompOperator&, const std::string&)> walk =
      [&](const CompOperator& comp, const std::string& rel) {
        for (const auto& child : comp.children()) {
          out.push_back(prefix + rel + child->name());
          if (const auto* c = dynamic_cast<const CompOperator*>(child.get()))
            walk(*c, rel + child->name() + "/");
        }
      };
  walk(*base, "");
  return out;
}

// An output path whose file name is only an extension (`out/.png`) or
// nothing (`out/`): std::filesystem reads `.png` as a name without an
// extension, so the writer refused it only after the frame was cooked.
// (A frame token counts as a name: `out/####.png` is fine.)
std::optional<std::string> file_name_problem(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const auto dot = name.find_last_of('.');
  if (name.empty() || dot == 0)
    return "output path '" + path + "' has no file name" +
           (name.empty() ? std::string() : " before '" + name + "'") + " (e.g. out/frame.####.png)";
  return std::nullopt;
}

std::string last_component(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Column (1-based) of the first non-blank character of 1-based `line`.
int line_indent_column(const std::string& source, int line) {
  std::size_t pos = 0;
  for (int l = 1; l < line && pos != std::string::npos; ++l) {
    pos = source.find('\n', pos);
    if (pos != std::string::npos) ++pos;
  }
  if (pos == std::string::npos || pos >= source.size()) return 1;
  int col = 1;
  while (pos < source.size() && source[pos] == ' ') ++pos, ++col;
  if (pos < source.size() && (source[pos] == '\n' || source[pos] == '\r')) return 1;
  return col;
}

class Loader {
 public:
  Loader(const std::string& source, std::string name, std::string directory, ExpressionEngine* engine)
      : source_(source), r_(name, &source_, true), engine_(engine) {
    scene_.file = std::move(name);
    scene_.directory = std::move(directory);
  }

  Scene load() {
    try {
      load_document();
    } catch (const SceneError&) {
      throw;
    } catch (const YAML::Exception& e) {
      r_.error(r_.at(e.mark), "YAML error: " + e.msg);
    } catch (const std::exception& e) {
      r_.error(r_.at(YAML::Mark::null_mark()), std::string("cannot load scene: ") + e.what());
    }
    if (!r_.empty()) throw SceneError(r_.sorted());
    return std::move(scene_);
  }

 private:
  struct OpRecord {
    Operator* op = nullptr;
    YAML::Node name_key;
    // Set when the scene gives `inputs:`. (A default YAML::Node is a defined
    // null, so presence needs its own flag.)
    bool has_inputs = false;
    // A misspelled key may well be `inputs`: then "needs 1 input" is noise.
    bool has_unknown_key = false;
    YAML::Node inputs_key;
    YAML::Node inputs;
    std::vector<YAML::Node> input_items;  // one per wire set, for cycle reports
  };

  void load_document() {
    // Encoding, nesting and alias expansion are checked on the text, before
    // yaml-cpp builds a tree that the loader would walk alias by alias.
    if (!scene_detail::check_scene_text(source_, r_)) return;
    std::vector<YAML::Node> docs;
    try {
      docs = YAML::LoadAll(source_);
    } catch (const YAML::Exception& e) {
      scene_detail::report_yaml_syntax_error(source_, e, r_);
      return;
    }
    if (docs.empty() || docs[0].IsNull()) {
      r_.error(r_.at(YAML::Mark::null_mark()), "the scene is empty; it needs at least 'netcook: 1'");
      return;
    }
    if (docs.size() > 1) {
      r_.error(r_.at(docs[1]), "a scene file holds one YAML document; remove the second '---'");
      return;
    }
    const YAML::Node& doc = docs[0];
    if (!doc.IsMap()) {
      r_.error(r_.at(doc), "a scene is a YAML mapping (netcook: 1, ops: ..., outputs: ...), not " +
                               describe(doc));
      return;
    }
    if (!read_top_level(doc)) return;

    scene_.network = std::make_unique<Network>();
    Network& net = *scene_.network;
    net.expressions = engine_;
    net.directory = scene_.directory.empty() ? "." : scene_.directory;
    net.fps = fps_;
    net.default_width = width_;
    net.default_height = height_;
    auto& project = static_cast<CompOperator&>(net.create("containerCOMP", root_name_, net.root()));
    net.set_project(&project);

    build_children(project, ops_, ops_key_);
    resolve_inputs();
    check_cycles();
    read_outputs();
  }

  // Returns false when the rest of the file cannot be read meaningfully
  // (an unsupported format version).
  bool read_top_level(const YAML::Node& doc) {
    bool have_version = false, version_ok = true;
    for_each_entry(doc, r_, "key", [&](const std::string& k, const YAML::Node& key, const YAML::Node& v) {
      if (k == "netcook") {
        have_version = true;
        long long version = 0;
        if (!scene_detail::scalar_to_int(v, INT_MIN, INT_MAX, &version)) {
          r_.error(r_.at(v, key), "netcook: the format version must be the number 1, not " + describe(v));
          version_ok = false;
        } else if (version != 1) {
          r_.error(r_.at(v), "unsupported scene format version " + std::to_string(version) +
                                 " (this netcook reads version 1)");
          version_ok = false;
        }
      } else if (k == "fps") {
        double fps = 0;
        if (!scene_detail::scalar_to_double(v, &fps) || fps <= 0)
          r_.error(r_.at(v, key), "fps must be a positive number, not " + describe(v));
        else
          fps_ = fps;
      } else if (k == "frames") {
        read_frames(v, key);
      } else if (k == "resolution") {
        read_resolution(v, key);
      } else if (k == "root") {
        if (!v.IsScalar() || !valid_op_name(v.Scalar()))
          r_.error(r_.at(v, key), v.IsScalar() ? bad_name_message("root name", v.Scalar())
                                               : "root must be a component name, not " + describe(v));
        else
          root_name_ = v.Scalar();
      } else if (k == "ops") {
        ops_ = v;
        ops_key_ = key;
      } else if (k == "outputs") {
        outputs_ = v;
        outputs_key_ = key;
      } else {
        r_.error(r_.at(key), "unknown top-level key '" + k + "'" + did_you_mean(k, kTopLevelKeys) +
                                 " (allowed: netcook, fps, frames, resolution, root, ops, outputs)");
      }
    });
    if (!have_version)
      r_.error(r_.at(doc), "missing 'netcook: 1' (the scene format version) at the top of the scene");
    return version_ok;
  }

  void read_resolution(const YAML::Node& v, const YAML::Node& key) {
    const std::string range = "whole numbers from 1 to " + std::to_string(kMaxResolution);
    if (!v.IsSequence() || v.size() != 2) {
      r_.error(r_.at(v, key), "resolution must be [width, height], two " + range + ", not " +
                                  (v.IsSequence() ? "a list of " + std::to_string(v.size()) : describe(v)));
      return;
    }
    long long size[2] = {0, 0};
    bool ok = true;
    for (std::size_t i = 0; i < 2; ++i) {
      const char* what = i == 0 ? "width" : "height";
      if (scene_detail::scalar_to_int(v[i], 1, kMaxResolution, &size[i])) continue;
      ok = false;
      long long any = 0;
      if (scene_detail::scalar_to_int(v[i], LLONG_MIN, LLONG_MAX, &any))
        r_.error(r_.at(v[i]), std::string("resolution ") + what + " " + v[i].Scalar() +
                                  " is out of range: generator sizes are " + range);
      else
        r_.error(r_.at(v[i], v), std::string("resolution ") + what + " must be one of the " + range +
                                     ", not " + describe(v[i]));
    }
    if (!ok) return;
    width_ = static_cast<int>(size[0]);
    height_ = static_cast<int>(size[1]);
  }

  void read_frames(const YAML::Node& v, const YAML::Node& key) {
    std::string text;
    if (v.IsScalar()) {
      text = v.Scalar();
    } else if (v.IsSequence() && (v.size() == 2 || v.size() == 3)) {
      long long a = 0, b = 0, step = 1;
      bool ok = scene_detail::scalar_to_int(v[0], -999999999, 999999999, &a) &&
                scene_detail::scalar_to_int(v[1], -999999999, 999999999, &b);
      if (v.size() == 3) ok = ok && scene_detail::scalar_to_int(v[2], -999999999, 999999999, &step);
      if (!ok) {
        r_.error(r_.at(v), "frames: a list must be [first, last] or [first, last, step] of whole numbers");
        return;
      }
      text = std::to_string(a) + "-" + std::to_string(b) + (v.size() == 3 ? "x" + std::to_string(step) : "");
    } else {
      r_.error(r_.at(v, key), "frames must be a range such as 1-240, 1-240x2, 12 or [1, 240], not " +
                                  describe(v));
      return;
    }
    std::string error;
    if (auto range = parse_frame_range(text, &error))
      scene_.frames = *range;
    else
      r_.error(r_.at(v), "frames: " + error);
  }

  void build_children(CompOperator& parent, const YAML::Node& ops, const YAML::Node& ops_key) {
    if (!ops.IsDefined() || ops.IsNull()) return;
    if (!ops.IsMap()) {
      r_.error(r_.at(ops, ops_key), "ops must be a mapping of operator names to operators, not " + describe(ops));
      return;
    }
    for_each_entry(ops, r_, "operator name", [&](const std::string& name, const YAML::Node& key, const YAML::Node& v) {
      if (!valid_op_name(name)) {
        r_.error(r_.at(key), bad_name_message("operator name", name));
        broken_names_.insert(name);
        return;
      }
      build_op(parent, name, key, v);
    });
  }

  void build_op(CompOperator& parent, const std::string& name, const YAML::Node& name_key,
                const YAML::Node& body) {
    if (!body.IsMap()) {
      r_.error(r_.at(body, name_key), "operator '" + name +
                                          "' must be a mapping with a type (e.g. {type: noiseTOP}), not " +
                                          describe(body));
      broken_names_.insert(name);
      return;
    }
    std::optional<YAML::Node> found_type;
    for (auto it = body.begin(); it != body.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == "type") {
        found_type.emplace(it->second);
        break;
      }
    if (!found_type) {
      r_.error(r_.at(name_key), "operator '" + name + "' has no type (add e.g. type: noiseTOP)");
      broken_names_.insert(name);
      return;
    }
    const YAML::Node type_node = *found_type;
    const std::vector<std::string> type_names = Registry::instance().names();
    if (!type_node.IsScalar()) {
      r_.error(r_.at(type_node, name_key), "type of '" + name + "' must be an operator type name, not " +
                                               describe(type_node));
      broken_names_.insert(name);
      return;
    }
    const std::string& type_name = type_node.Scalar();
    const OperatorType* type = Registry::instance().find(type_name);
    if (!type) {
      r_.error(r_.at(type_node), "unknown operator type '" + type_name + "'" + did_you_mean(type_name, type_names));
      broken_names_.insert(name);
      return;
    }
    Operator& op = scene_.network->create(type->name, name, parent);
    // The scene's resolution is the default of every generator, so a
    // parameter the scene does not set still follows `resolution:`.
    if (Parameter* w = op.find_parameter("resolutionw")) w->set_default(std::int64_t{width_});
    if (Parameter* h = op.find_parameter("resolutionh")) h->set_default(std::int64_t{height_});

    OpRecord record;
    record.op = &op;
    record.name_key = name_key;
    scene_.locations[&op] = r_.at(name_key);
    const Family family = op.family();
    std::vector<std::string> allowed = {"type", "inputs", "par"};
    if (family == Family::COMP) allowed.push_back("ops");
    if (family == Family::DAT) allowed.insert(allowed.end(), {"text", "file", "run"});
    const bool is_table_dat = op.type_name() == "tableDAT";
    if (is_table_dat) allowed.push_back("table");
    bool has_text = false;
    RunMode run = RunMode::Never;
    std::vector<std::string> set_names;
    std::unordered_map<std::string, YAML::Node> par_values;  // by script name, for open_files()
    const std::size_t record_index = records_.size();
    records_.push_back(record);

    for_each_entry(body, r_, "key", [&](const std::string& k, const YAML::Node& key, const YAML::Node& v) {
      if (k == "type") return;
      if (k == "inputs") {
        records_[record_index].has_inputs = true;
        records_[record_index].inputs_key = key;
        records_[record_index].inputs = v;
      } else if (k == "par") {
        if (!v.IsDefined() || v.IsNull()) return;
        if (!v.IsMap()) {
          r_.error(r_.at(v), "par must be a mapping of parameter names to values, not " + describe(v));
          return;
        }
        for_each_entry(v, r_, "parameter", [&](const std::string& pk, const YAML::Node& pkey, const YAML::Node& pv) {
          if (scene_detail::apply_par_entry(op, pk, pkey, pv, r_, engine_, &set_names))
            if (const ParameterSpec* spec = op.type().find_parameter(pk)) par_values[spec->name] = pv;
        });
      } else if (k == "ops") {
        if (family != Family::COMP) {
          r_.error(r_.at(key), "'ops' is only allowed on a COMP; '" + name + "' is " + with_article(op.type_name()));
          return;
        }
        build_children(static_cast<CompOperator&>(op), v, key);
      } else if (k == "table") {
        if (!is_table_dat) {
          r_.error(r_.at(key), "'table' is only allowed on a tableDAT; '" + name + "' is " +
                                   with_article(op.type_name()));
          return;
        }
        if (has_text) {
          r_.error(r_.at(key), "a tableDAT takes one of table:, text: or file:, not several");
          return;
        }
        has_text = true;
        read_table(static_cast<DatOperator&>(op), v, key);
      } else if (k == "text" || k == "file" || k == "run") {
        if (family != Family::DAT) {
          r_.error(r_.at(key), "'" + k + "' is only allowed on a DAT; '" + name + "' is " + with_article(op.type_name()));
          return;
        }
        auto& dat = static_cast<DatOperator&>(op);
        if (k == "run") {
          run = read_run(v, key);
        } else if (has_text) {
          r_.error(r_.at(key), is_table_dat ? "a tableDAT takes one of table:, text: or file:, not several"
                                            : "a DAT takes text: or file:, not both");
        } else {
          has_text = true;
          if (k == "text")
            read_text(dat, v, key);
          else
            read_text_file(dat, v, key);
        }
      } else {
        records_[record_index].has_unknown_key = true;
        std::string allowed_list;
        for (const auto& a : allowed) allowed_list += (allowed_list.empty() ? "" : ", ") + a;
        r_.error(r_.at(key), "unknown key '" + k + "' for " + op_label(op) + did_you_mean(k, allowed) +
                                 " (allowed: " + allowed_list + ")");
      }
    });
    if (run != RunMode::Never) scene_.scripts.push_back({static_cast<DatOperator*>(&op), run});
    if (auto problem = op.open_files()) {
      auto value = par_values.find(problem->parameter);
      r_.error(value != par_values.end() ? r_.at(value->second) : r_.at(name_key), problem->message);
    }
  }

  RunMode read_run(const YAML::Node& v, const YAML::Node& key) {
    const std::vector<std::string> modes = {"never", "start", "frame"};
    if (v.IsScalar()) {
      const std::string& s = v.Scalar();
      if (s == "never") return RunMode::Never;
      if (s == "start") return RunMode::Start;
      if (s == "frame") return RunMode::Frame;
      r_.error(r_.at(v), "run must be never, start or frame, not '" + s + "'" + did_you_mean(s, modes));
    } else {
      r_.error(r_.at(v, key), "run must be never, start or frame, not " + describe(v));
    }
    return RunMode::Never;
  }

  void read_text(DatOperator& dat, const YAML::Node& v, const YAML::Node& key) {
    if (!v.IsDefined() || v.IsNull()) {
      dat.assign_text("");
      dat.text_origin = r_.at(key);
      return;
    }
    if (!v.IsScalar()) {
      r_.error(r_.at(v), "text must be a string (use 'text: |' for several lines), not " + describe(v));
      return;
    }
    const char indicator = r_.char_at(v.Mark());
    if (indicator == '|' || indicator == '>') {
      // A block scalar's mark is its indicator; the text starts on the next line.
      SourceLocation where = r_.at(v);
      ++where.line;
      where.column = line_indent_column(source_, where.line);
      dat.text_origin = where;
    } else {
      dat.text_origin = r_.content_start(v);
    }
    assign_dat_text(dat, v.Scalar(), "", dat.text_origin);
  }

  // A DAT's text as that DAT reads it; a table that cannot be read from it
  // is an error at its line and column (`origin` is where line 1, column 1
  // of the text is).
  void assign_dat_text(DatOperator& dat, std::string text, const std::string& path, const SourceLocation& origin) {
    try {
      dat.assign_text(std::move(text), path);
    } catch (const std::invalid_argument& e) {
      // "LINE:COL: MESSAGE" within the text.
      const std::string what = e.what();
      int line = 1, column = 1;
      std::string message = what;
      if (std::sscanf(what.c_str(), "%d:%d:", &line, &column) == 2) message = what.substr(what.find(": ") + 2);
      SourceLocation where = origin;
      if (where.known()) {
        if (line > 1) {
          where.line += line - 1;
          where.column = origin.file == r_.file() ? line_indent_column(source_, where.line) + column - 1 : column;
        } else {
          where.column += column - 1;
        }
      }
      r_.error(where, std::string(dat.type_name() == "tableDAT" ? "table" : "text") + ": " + message);
    }
  }

  // `table:` of a Table DAT: a list of rows, each a list of scalars (or one
  // scalar, a row of one cell); `~` is an empty cell.
  void read_table(DatOperator& dat, const YAML::Node& v, const YAML::Node& key) {
    dat.text_origin = r_.at(key);
    if (!v.IsDefined() || v.IsNull()) {
      dat.set_table({});
      return;
    }
    if (!v.IsSequence()) {
      r_.error(r_.at(v, key), "table must be a list of rows (each a list of cells), not " + describe(v));
      return;
    }
    DatOperator::Table rows;
    bool ok = true;
    for (const YAML::Node& row : v) {
      std::vector<std::string> cells;
      if (row.IsNull()) {
        // `- ~` or `-`: an empty row
      } else if (row.IsScalar()) {
        cells.push_back(row.Scalar());
      } else if (row.IsSequence()) {
        for (const YAML::Node& cell : row) {
          if (cell.IsNull()) {
            cells.emplace_back();
          } else if (cell.IsScalar()) {
            cells.push_back(cell.Scalar());
          } else {
            r_.error(r_.at(cell, row), "a table cell must be a number, string or boolean, not " + describe(cell));
            ok = false;
          }
        }
      } else {
        r_.error(r_.at(row, v), "a table row must be a list of cells, not " + describe(row));
        ok = false;
      }
      rows.push_back(std::move(cells));
    }
    if (!ok) return;
    make_rectangular(rows);
    dat.set_table(std::move(rows));
  }

  void read_text_file(DatOperator& dat, const YAML::Node& v, const YAML::Node& key) {
    if (!v.IsScalar() || v.Scalar().empty()) {
      r_.error(r_.at(v, key), "file must be a path to a text file, not " + describe(v));
      return;
    }
    const std::string& given = v.Scalar();
    std::string path = given;
    if (fs::path(given).is_relative() && !scene_.directory.empty() && scene_.directory != ".")
      path = (fs::path(scene_.directory) / given).string();
    std::string error;
    std::string text = read_file(path, kMaxDatFileBytes, &error);
    if (!error.empty()) {
      r_.error(r_.at(v), "cannot read '" + path + "': " + error);
      return;
    }
    dat.text_origin = {path, 1, 1};
    assign_dat_text(dat, std::move(text), path, dat.text_origin);
  }

  void resolve_inputs() {
    Network& net = *scene_.network;
    for (auto& rec : records_) {
      Operator& op = *rec.op;
      const OperatorType& type = op.type();
      std::vector<YAML::Node> items;
      bool all_resolved = true;
      if (rec.has_inputs && !rec.inputs.IsNull()) {
        if (rec.inputs.IsScalar()) {
          items.push_back(rec.inputs);
        } else if (rec.inputs.IsSequence()) {
          for (const auto& item : rec.inputs) items.push_back(item);
        } else {
          r_.error(r_.at(rec.inputs), "inputs must be a list of operator paths, not " + describe(rec.inputs));
          all_resolved = false;
        }
      }
      std::vector<Operator*> wired;
      for (const auto& item : items) {
        if (!item.IsScalar()) {
          r_.error(r_.at(item, rec.inputs_key), "an input must be an operator path, not " + describe(item));
          all_resolved = false;
          continue;
        }
        const std::string& path = item.Scalar();
        Operator* in = scene_.network->resolve(path, *op.parent());
        if (!in) {
          all_resolved = false;
          // Already reported where it was defined (bad name, unknown type).
          if (broken_names_.count(last_component(path)) || r_.full()) continue;
          r_.error(r_.at(item), "no operator '" + path + "' (wired into " + op_label(op) + ")" +
                                    did_you_mean(path, path_candidates(net, *op.parent(), path)));
          continue;
        }
        if (in->family() != op.family()) {
          all_resolved = false;
          r_.error(r_.at(item), "cannot wire " + op_label(*in) + " into " + op_label(op) + ": a " +
                                    to_string(op.family()) + " takes only " + to_string(op.family()) +
                                    " inputs");
          continue;
        }
        wired.push_back(in);
        rec.input_items.push_back(item);
      }
      const int given = static_cast<int>(items.size());
      if (given > type.max_inputs) {
        const YAML::Node& extra = items[static_cast<std::size_t>(type.max_inputs)];
        r_.error(r_.at(extra, rec.inputs_key),
                 type.max_inputs == 0
                     ? op_label(op) + " takes no inputs"
                     : op_label(op) + " takes at most " + std::to_string(type.max_inputs) + " input" +
                           (type.max_inputs == 1 ? "" : "s") + ", not " + std::to_string(given));
      } else if (all_resolved && !rec.has_unknown_key && given < type.min_inputs) {
        const std::string n = std::to_string(type.min_inputs);
        r_.error(rec.has_inputs ? r_.at(rec.inputs_key) : r_.at(rec.name_key),
                 op_label(op) + " needs " + (type.min_inputs == type.max_inputs ? "" : "at least ") + n +
                     " input" + (type.min_inputs == 1 ? "" : "s") +
                     (given ? ", not " + std::to_string(given) : " (add inputs: [...])"));
      }
      op.set_inputs(std::move(wired));
    }
  }

  // Wires may not form a loop (a Feedback TOP's target is a parameter, not
  // a wire, so feedback loops never show up here).
  void check_cycles() {
    std::unordered_map<const Operator*, std::size_t> index;
    for (std::size_t i = 0; i < records_.size(); ++i) index[records_[i].op] = i;
    enum class Mark { White, Grey, Black };
    std::vector<Mark> mark(records_.size(), Mark::White);
    for (std::size_t start = 0; start < records_.size(); ++start) {
      if (mark[start] != Mark::White) continue;
      std::vector<std::pair<std::size_t, std::size_t>> stack{{start, 0}};  // record, next input
      mark[start] = Mark::Grey;
      while (!stack.empty()) {
        const std::size_t u = stack.back().first;
        const std::size_t i = stack.back().second;
        const auto& ins = records_[u].op->inputs();
        if (i >= ins.size()) {
          mark[u] = Mark::Black;
          stack.pop_back();
          continue;
        }
        ++stack.back().second;
        auto found = index.find(ins[i]);
        if (found == index.end()) continue;
        const std::size_t v = found->second;
        if (mark[v] == Mark::White) {
          mark[v] = Mark::Grey;
          stack.emplace_back(v, 0);
        } else if (mark[v] == Mark::Grey) {
          // The stack from v follows input wires: v <- ... <- u <- v. Print
          // it in the direction data flows.
          std::size_t k = 0;
          while (stack[k].first != v) ++k;
          std::string message = "cycle: " + records_[v].op->path();
          for (std::size_t j = stack.size(); j-- > k + 1;)
            message += " -> " + records_[stack[j].first].op->path();
          message += " -> " + records_[v].op->path();
          const auto& items = records_[u].input_items;
          r_.error(i < items.size() ? r_.at(items[i]) : r_.at(records_[u].name_key), message);
        }
      }
    }
  }

  void read_outputs() {
    if (!outputs_.IsDefined() || outputs_.IsNull()) return;
    if (!outputs_.IsSequence()) {
      r_.error(r_.at(outputs_, outputs_key_),
               "outputs must be a list of {op: ..., path: ...} entries, not " + describe(outputs_));
      return;
    }
    const bool multi_frame = scene_.frames.count() > 1;
    for (const auto& entry : outputs_) {
      if (!entry.IsMap()) {
        r_.error(r_.at(entry, outputs_key_),
                 "each output must be a mapping such as {op: null1, path: out/frame.####.png}, not " +
                     describe(entry));
        continue;
      }
      read_output(entry, multi_frame);
    }
  }

  void read_output(const YAML::Node& entry, bool multi_frame) {
    Network& net = *scene_.network;
    CompOperator& project = *net.project();
    std::unordered_map<std::string, YAML::Node> nodes;
    bool ok = true, unknown_key = false;
    for_each_entry(entry, r_, "key", [&](const std::string& k, const YAML::Node& key, const YAML::Node& v) {
      if (std::find(kOutputKeys.begin(), kOutputKeys.end(), k) == kOutputKeys.end()) {
        r_.error(r_.at(key), "unknown output key '" + k + "'" + did_you_mean(k, kOutputKeys) +
                                 " (allowed: op, path, bits, compression, codec, quality, png_filter, preset, pixel_format, bitrate, audio)");
        ok = false;
        unknown_key = true;
        return;
      }
      nodes[k] = v;
      if (!v.IsScalar()) {
        r_.error(r_.at(v, key), "output " + k + " must be a single value, not " + describe(v));
        ok = false;
      }
    });
    auto has = [&](const char* k) { return nodes.count(k) && nodes[k].IsScalar(); };
    if (!nodes.count("op") && !unknown_key) {
      r_.error(r_.at(entry), "output has no op: (the TOP to write)");
      ok = false;
    }
    if (!nodes.count("path") && !unknown_key) {
      r_.error(r_.at(entry), "output has no path: (the file to write)");
      ok = false;
    }
    SceneOutput out;
    if (has("op")) {
      const std::string& path = nodes["op"].Scalar();
      Operator* op = net.resolve(path, project);
      if (!op) {
        if (!broken_names_.count(last_component(path)))
          r_.error(r_.at(nodes["op"]), "output op: no operator '" + path + "' in " + project.path() +
                                           did_you_mean(path, path_candidates(net, project, path)));
        ok = false;
      } else if (op->family() != Family::TOP) {
        r_.error(r_.at(nodes["op"]), "output op '" + path + "' is " + with_article(op->type_name()) +
                                         "; only TOPs can be written to files");
        ok = false;
      } else {
        out.op = static_cast<TopOperator*>(op);
      }
    }
    if (has("path")) {
      const std::string& path = nodes["path"].Scalar();
      out.where = r_.at(nodes["path"]);
      out.spec.path_pattern = path;
      try {
        out.spec.kind = kind_for_path(path);
        if (auto problem = file_name_problem(path)) {
          r_.error(r_.at(nodes["path"]), *problem);
          ok = false;
        }
      } catch (const std::exception& e) {
        r_.error(r_.at(nodes["path"]), e.what());
        ok = false;
      }
    }
    if (has("bits")) {
      const YAML::Node& b = nodes["bits"];
      const std::string s = b.Scalar();
      if (s == "8" || s == "16" || s == "32")
        out.spec.bits = std::stoi(s);
      else if (s == "32f")
        out.spec.bits = 32;
      else {
        r_.error(r_.at(b), "bits must be 8, 16 or 32f, not '" + s + "'");
        ok = false;
      }
    }
    if (has("quality")) {
      long long q = 0;
      if (!scene_detail::scalar_to_int(nodes["quality"], 0, 100, &q)) {
        r_.error(r_.at(nodes["quality"]), "quality must be a whole number from 0 to 100, not " +
                                              describe(nodes["quality"]));
        ok = false;
      } else {
        out.spec.quality = static_cast<int>(q);
      }
    }
    if (has("compression")) out.spec.compression = nodes["compression"].Scalar();
    if (has("codec")) out.spec.codec = nodes["codec"].Scalar();
    if (has("png_filter")) {
      const YAML::Node& f = nodes["png_filter"];
      if (!f.IsScalar() || f.Scalar().empty()) {
        r_.error(r_.at(f), "png_filter must be adaptive, none, sub, up, average or paeth, not " + describe(f));
        ok = false;
      } else {
        out.spec.png_filter = f.Scalar();
      }
    }
    if (has("preset")) out.spec.preset = nodes["preset"].Scalar();
    if (has("pixel_format")) out.spec.pixel_format = nodes["pixel_format"].Scalar();
    if (has("bitrate")) out.spec.bitrate = nodes["bitrate"].Scalar();
    if (has("audio")) ok = read_output_audio(nodes["audio"], out) && ok;
    if (!ok) return;
    if (auto problem = validate_output(out.spec, multi_frame)) {
      // Point at the setting the message is about.
      SourceLocation where = out.where;
      for (const char* k : {"png_filter", "preset", "pixel_format", "bitrate", "bits", "compression", "codec", "quality"})
        if (nodes.count(k) && problem->find(k) != std::string::npos) {
          where = r_.at(nodes[k]);
          break;
        }
      r_.error(where, *problem);
      return;
    }
    scene_.outputs.push_back(std::move(out));
  }

  // `audio: CHOP`: a movie's sound track (docs/scene-format.md).
  bool read_output_audio(const YAML::Node& node, SceneOutput& out) {
    Network& net = *scene_.network;
    CompOperator& project = *net.project();
    const std::string& name = node.Scalar();
    if (name.empty()) {
      r_.error(r_.at(node), "output audio must name a CHOP (audio: audiofilein1)");
      return false;
    }
    if (!out.spec.path_pattern.empty()) {
      if (out.spec.kind != OutputKind::Video) {
        r_.error(r_.at(node), "audio: only movies (mp4, mov, mkv, webm) carry sound, not ." +
                                  path_extension(out.spec.path_pattern) + " images");
        return false;
      }
      if (auto problem = audio_track_problem(out.spec.path_pattern)) {
        r_.error(r_.at(node), *problem);
        return false;
      }
    }
    Operator* op = net.resolve(name, project);
    if (!op) {
      if (!broken_names_.count(last_component(name)))
        r_.error(r_.at(node), "output audio: no operator '" + name + "' in " + project.path() +
                                  did_you_mean(name, path_candidates(net, project, name)));
      return false;
    }
    if (op->family() != Family::CHOP) {
      r_.error(r_.at(node), "output audio '" + name + "' is " + with_article(op->type_name()) +
                                "; the sound of a movie comes from a CHOP");
      return false;
    }
    out.audio = static_cast<ChopOperator*>(op);
    return true;
  }

  std::string source_;
  Reporter r_;
  ExpressionEngine* engine_;
  Scene scene_;
  double fps_ = 60;
  int width_ = 256;
  int height_ = 256;
  std::string root_name_ = "project1";
  YAML::Node ops_, ops_key_, outputs_, outputs_key_;
  std::vector<OpRecord> records_;
  std::unordered_set<std::string> broken_names_;
};

std::string directory_of(const std::string& path) {
  const std::string dir = fs::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

}  // namespace

Scene load_scene(const std::string& path, ExpressionEngine* engine) {
  std::string error;
  const std::string text = read_file(path, kMaxSceneFileBytes, &error);
  if (!error.empty())
    throw SceneError(SourceLocation{scene_detail::printable(path), 0, 0}, "cannot read scene: " + error);
  return Loader(text, path, directory_of(path), engine).load();
}

Scene load_scene_from_string(const std::string& yaml, const std::string& name, ExpressionEngine* engine) {
  return Loader(yaml, name, directory_of(name), engine).load();
}

void validate_scene_outputs(const Scene& scene, int frame_count) {
  std::vector<Diagnostic> diagnostics;
  for (const auto& out : scene.outputs) {
    auto problem = file_name_problem(out.spec.path_pattern);
    if (!problem) problem = validate_output(out.spec, frame_count > 1);
    if (problem) diagnostics.push_back({out.where, scene_detail::printable(*problem)});
  }
  if (!diagnostics.empty()) throw SceneError(std::move(diagnostics));
}

}  // namespace netcook
