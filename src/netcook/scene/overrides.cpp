// Command-line overrides: --set OP.PAR=VALUE, --text DAT=FILE, --out [OP=]PATH
// and --bits / --compression.
//
// Both address operators relative to the project component, as `outputs:`
// does, and read values exactly as the scene's `par:` does (a YAML scalar,
// a list for a tuple, or {expr: "..."}). Their diagnostics carry the file
// "--set" / "--text" and no line, and name the assignment they concern.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "netcook/scene/scene.h"
#include "netcook/scene/yaml_support.h"

namespace netcook {

namespace {

// Command-line text may hold any bytes: the message prints it escaped.
[[noreturn]] void fail(const char* option, const std::string& message) {
  throw SceneError(SourceLocation{option, 0, 0}, scene_detail::printable(message));
}

// Every operator below `from`, as a path relative to it (suggestions).
std::vector<std::string> relative_paths(const CompOperator& from) {
  std::vector<std::string> out;
  const std::string base = from.path() + "/";
  for (const Operator* op : from.network().all_operators()) {
    const std::string p = op->path();
    if (p.compare(0, base.size(), base) == 0) out.push_back(p.substr(base.size()));
  }
  return out;
}

Operator& find_op(const Scene& scene, const char* option, const std::string& assignment,
                  const std::string& path) {
  if (!scene.network || !scene.network->project()) fail(option, "'" + assignment + "': no scene is loaded");
  const CompOperator& project = *scene.network->project();
  Operator* op = scene.network->resolve(path, project);
  if (!op)
    fail(option, "'" + assignment + "': no operator '" + path + "' in " + project.path() +
                     did_you_mean(path, relative_paths(project)));
  return *op;
}

}  // namespace

std::vector<Parameter*> apply_parameter_override(Scene& scene, const std::string& assignment) {
  const char* option = "--set";
  const auto eq = assignment.find('=');
  const std::string lhs = eq == std::string::npos ? assignment : assignment.substr(0, eq);
  const auto dot = lhs.rfind('.');
  if (eq == std::string::npos || dot == std::string::npos || dot == 0 || dot + 1 == lhs.size())
    fail(option, "'" + assignment + "': expected OP.PAR=VALUE (e.g. blur1.size=3)");
  const std::string op_path = lhs.substr(0, dot);
  const std::string par_name = lhs.substr(dot + 1);
  const std::string text = assignment.substr(eq + 1);
  Operator& op = find_op(scene, option, assignment, op_path);

  YAML::Node value;
  try {
    value = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    fail(option, "'" + assignment + "': cannot read the value '" + text + "': " + e.msg);
  }
  scene_detail::Reporter r(option, nullptr, false);
  std::vector<std::string> names;
  try {
    scene_detail::apply_par_entry(op, par_name, value, value, r, scene.network->expressions, &names);
  } catch (const YAML::Exception& e) {
    r.error(r.nowhere(), e.msg);
  }
  if (r.empty()) {
    // A new file: (Movie File In) is opened now, as the loader opens the scene's.
    if (auto problem = op.open_files()) r.error(r.nowhere(), problem->message);
  }
  if (r.empty()) {
    std::vector<Parameter*> set;
    for (const auto& name : names)
      if (Parameter* p = op.find_parameter(name)) set.push_back(p);
    return set;
  }
  std::vector<Diagnostic> diagnostics = r.sorted();
  for (auto& d : diagnostics) {
    if (d.where.file == option) d.message = "'" + assignment + "': " + d.message;
  }
  throw SceneError(std::move(diagnostics));
}

void apply_text_override(Scene& scene, const std::string& assignment) {
  const char* option = "--text";
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == assignment.size())
    fail(option, "'" + assignment + "': expected DAT=FILE (e.g. script1=script.py)");
  const std::string dat_path = assignment.substr(0, eq);
  const std::string file = assignment.substr(eq + 1);
  Operator& op = find_op(scene, option, assignment, dat_path);
  auto* dat = dynamic_cast<DatOperator*>(&op);
  if (!dat) fail(option, "'" + assignment + "': '" + dat_path + "' is " + with_article(op.type_name()) + ", not a DAT");
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    fail(option, "'" + assignment + "': cannot read '" + file + "': it is a directory");
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    fail(option, "'" + assignment + "': cannot read '" + file + "': " +
                     (errno ? std::strerror(errno) : "cannot open it"));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) fail(option, "'" + assignment + "': cannot read '" + file + "': read failed");
  try {
    dat->assign_text(ss.str(), file);
  } catch (const std::invalid_argument& e) {
    fail(option, "'" + assignment + "': " + file + ":" + e.what());
  }
  dat->text_origin = {file, 1, 1};
}

void replace_outputs(Scene& scene, const std::string& path, bool multi_frame) {
  OutputOverride out;
  out.path = path;
  replace_outputs(scene, out, multi_frame);
}

OutputOverride parse_out_argument(const Scene& scene, const std::string& argument) {
  OutputOverride out;
  out.path = argument;
  const std::size_t eq = argument.find('=');
  if (eq == std::string::npos) return out;
  const std::string head = argument.substr(0, eq);
  // OP=PATH when the text before '=' names an operator; a path that merely
  // holds '=' ("out/a=b.png") stays a path.
  const bool names_op = scene.network && scene.network->project() &&
                        scene.network->resolve(head, *scene.network->project());
  if (!names_op && (head.find('/') != std::string::npos || head.find('.') != std::string::npos)) return out;
  if (head.empty()) fail("--out", "'" + argument + "': give OP=PATH or PATH");
  find_op(scene, "--out", argument, head);  // unknown: "no operator ... did you mean"
  out.op = head;
  out.path = argument.substr(eq + 1);
  if (out.path.empty()) fail("--out", "'" + argument + "': no path after '='");
  return out;
}

void replace_outputs(Scene& scene, const OutputOverride& request, bool multi_frame) {
  TopOperator* top = nullptr;
  if (!request.op.empty()) {
    Operator& op = find_op(scene, "--out", request.op + "=" + request.path, request.op);
    top = dynamic_cast<TopOperator*>(&op);
    if (!top)
      fail("--out", "'" + request.op + "' is " + with_article(op.type_name()) + ": --out writes a TOP's image");
  } else if (!scene.outputs.empty()) {
    top = scene.outputs.back().op;
  } else {
    std::vector<TopOperator*> ends;
    for (Operator* op : scene.network->all_operators()) {
      auto* t = dynamic_cast<TopOperator*>(op);
      if (t && t->outputs().empty()) ends.push_back(t);
    }
    if (ends.size() != 1) {
      std::string names;
      for (auto* t : ends) names += (names.empty() ? "" : ", ") + t->path();
      throw SceneError(SourceLocation{"--out", 0, 0},
                       ends.empty() ? "the scene has no TOP to write"
                                    : "--out needs one TOP to write, and the scene has no outputs: and several "
                                      "TOPs that nothing reads (" + names + "); say which with --out OP=PATH");
    }
    top = ends.front();
  }
  SceneOutput out;
  out.op = top;
  try {
    out.spec = output_spec_for_path(request.path);
  } catch (const std::invalid_argument& e) {
    throw SceneError(SourceLocation{"--out", 0, 0}, e.what());
  }
  out.where = SourceLocation{"--out", 0, 0};
  if (auto error = validate_output(out.spec, multi_frame))
    throw SceneError(SourceLocation{"--out", 0, 0}, *error);
  scene.outputs.assign(1, out);
}

void set_png_filter(Scene& scene, const std::string& name) {
  const SourceLocation where{"--png-filter", 0, 0};
  bool any = false;
  for (SceneOutput& out : scene.outputs) {
    if (path_extension(out.spec.path_pattern) != "png") continue;
    OutputSpec spec = out.spec;
    spec.png_filter = name;
    // The name is checked as the scene's png_filter: key is.
    if (auto error = validate_output(spec, false)) throw SceneError(where, *error);
    out.spec = spec;
    any = true;
  }
  if (!any) throw SceneError(where, "no output is a PNG file (--png-filter applies to .png outputs)");
}

void apply_output_settings(Scene& scene, int bits, const std::string& compression, bool multi_frame) {
  for (SceneOutput& out : scene.outputs) {
    OutputSpec spec = out.spec;
    auto check = [&](const char* option) {
      if (auto error = validate_output(spec, multi_frame))
        throw SceneError(SourceLocation{option, 0, 0}, *error + " (writing " + spec.path_pattern + ")");
    };
    if (bits) {
      spec.bits = bits;
      check("--bits");
    }
    if (!compression.empty()) {
      spec.compression = compression;
      check("--compression");
    }
    out.spec = spec;
  }
}

}  // namespace netcook
