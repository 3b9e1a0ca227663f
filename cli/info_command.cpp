// netcook info SCENE [--frame N]: the operator tree, types and evaluated
// parameter values as a render of frame N cooks with them: frames 1..N-1
// pre-rolled, then frame N's scripts and callbacks run (their output muted).
#include <functional>
#include <iostream>

#include "commands.h"
#include "embedded_python.h"
#include "netcook/core/registry.h"
#include "netcook/session/session.h"

namespace netcook::cli {

namespace {

struct InfoArgs {
  std::string scene;
  int frame = 1;
  std::vector<std::string> sets;
};

void print_operator(const Operator& op, int depth) {
  const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  std::cout << indent << op.name() << "  (" << op.type_name() << ")";
  if (!op.inputs().empty()) {
    std::cout << "  inputs:";
    for (const Operator* in : op.inputs()) std::cout << " " << in->path();
  }
  std::cout << "\n";
  for (const auto& p : op.parameters()) {
    std::cout << indent << "    " << p->name() << " = " << to_display_string(p->eval());
    if (p->mode() == ParameterMode::Expression) std::cout << "    [expr: " << p->expression()->source() << "]";
    std::cout << "\n";
  }
  if (const auto* dat = dynamic_cast<const DatOperator*>(&op)) {
    std::cout << indent << "    text: " << dat->text().size() << " characters\n";
  }
  if (const auto* comp = dynamic_cast<const CompOperator*>(&op))
    for (const auto& child : comp->children()) print_operator(*child, depth + 1);
}

int run_info(const InfoArgs& args) {
  EmbeddedPython python;
  std::unique_ptr<Session> session;
  try {
    SessionOptions options;
    options.sets = args.sets;
    options.warn = print_warning;
    session = std::make_unique<Session>(args.scene, options);
  } catch (const SceneError& e) {
    return report_bad_input(e);
  }
  const Scene& scene = session->scene();
  try {
    session->inspect_at(args.frame);
    const Network& net = *scene.network;
    std::cout << "scene " << scene.file << ": fps " << net.fps << ", frames ";
    if (!scene.frames.list.empty()) {
      for (std::size_t i = 0; i < scene.frames.list.size(); ++i) std::cout << (i ? "," : "") << scene.frames.list[i];
    } else {
      std::cout << scene.frames.first << "-" << scene.frames.last;
      if (scene.frames.step != 1) std::cout << "x" << scene.frames.step;
    }
    std::cout << ", resolution " << net.default_width << "x" << net.default_height << "\n"
              << "values at frame " << args.frame << " as a render cooks with them (frames before it pre-rolled, "
              << "its scripts run)\n";
    print_operator(*net.project(), 0);
    for (const auto& out : scene.outputs) std::cout << "output " << out.op->path() << " -> " << out.spec.path_pattern << "\n";
  } catch (const ScriptError& e) {
    report_failure(e.traceback(), e.what());
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "netcook: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

void add_info_command(CLI::App& app, int& status) {
  auto args = std::make_shared<InfoArgs>();
  CLI::App* cmd = app.add_subcommand("info", "Print a scene's operator tree with types and evaluated parameters.");
  cmd->add_option("scene", args->scene, "Scene file")->required();
  cmd->add_option("--frame", args->frame, "Show values as a render of frame N cooks with them: earlier frames pre-rolled, frame N's scripts run (default 1)");
  cmd->add_option("--set", args->sets, "Override a parameter: OP.PAR=VALUE");
  cmd->footer(
      "Examples:\n"
      "  netcook info scene.yaml                      the tree and values at frame 1\n"
      "  netcook info scene.yaml --frame 60           values as the render of frame 60 cooks with them\n"
      "  netcook info scene.yaml --set blur1.size=8   with an override, as `render --set` applies it");
  cmd->callback([args, &status] { status = run_info(*args); });
}

}  // namespace netcook::cli
