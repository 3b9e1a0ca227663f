#include "netcook/python/frame_events.h"

#include <cmath>
#include <optional>

#include "netcook/core/pattern.h"
#include "netcook/core/registry.h"
#include "netcook/python/bindings.h"
#include "netcook/python/runtime.h"

namespace netcook {

namespace py = pybind11;
using py_bindings::call_dat_function;
using py_bindings::wrap;

// What a CHOP Execute or Parameter Execute DAT saw last frame.
struct FrameEvents::Watch {
  std::map<std::string, float> channel_values;
  std::map<std::string, ParValue> parameter_values;
  bool primed = false;
};

namespace {

Operator* resolve_from(DatOperator& dat, const std::string& path) {
  if (path.empty() || !dat.parent()) return nullptr;
  return dat.network().resolve(path, *dat.parent());
}

// Calls a callback with (par, prev) or (par, val, prev), by its arity.
void call_by_arity(PythonRuntime& python, DatOperator& dat, const char* function, const py::object& par,
                   const py::object& val, const py::object& prev) {
  try {
    py::object module = py_bindings::import_dat_module(dat);
    if (!py::hasattr(module, function)) return;
    py::object fn = module.attr(function);
    int arity = 3;
    if (py::hasattr(fn, "__code__")) arity = fn.attr("__code__").attr("co_argcount").cast<int>();
    PythonRuntime::Running running(python, &dat);
    if (arity == 2) fn(par, prev);
    else fn(par, val, prev);
  } catch (py::error_already_set& e) {
    e.restore();
    throw python.script_exception(dat, std::string(function) + "()");
  }
}

}  // namespace

FrameEvents::FrameEvents(Scene& scene, PythonRuntime& python) : scene_(scene), python_(python) {
  for (Operator* op : scene.network->all_operators())
    if (auto* dat = dynamic_cast<DatOperator*>(op)) dats_.push_back(dat);
  for (const auto& s : scene.scripts) run_modes_[s.dat] = s.run;
}

FrameEvents::~FrameEvents() = default;

void FrameEvents::start() {
  for (DatOperator* dat : dats_) {
    auto mode = run_modes_.find(dat);
    if (mode != run_modes_.end() && mode->second == RunMode::Start) python_.run_script(*dat);
    if (dat->type_name() == "executeDAT" && dat->eval_toggle("active") && dat->eval_toggle("start"))
      call_dat_function(*dat, "onStart", py::make_tuple());
  }
}

void FrameEvents::frame_start(int frame) {
  for (DatOperator* dat : dats_) {
    auto mode = run_modes_.find(dat);
    if (mode != run_modes_.end() && mode->second == RunMode::Frame) python_.run_script(*dat);
    if (dat->type_name() == "executeDAT" && dat->eval_toggle("active") && dat->eval_toggle("framestart"))
      call_dat_function(*dat, "onFrameStart", py::make_tuple(frame));
  }
  run_chop_executes();
  run_parameter_executes();
}

void FrameEvents::frame_end(int frame) {
  for (DatOperator* dat : dats_)
    if (dat->type_name() == "executeDAT" && dat->eval_toggle("active") && dat->eval_toggle("frameend"))
      call_dat_function(*dat, "onFrameEnd", py::make_tuple(frame));
}

void FrameEvents::run_chop_executes() {
  for (DatOperator* dat : dats_) {
    if (dat->type_name() != "chopexecuteDAT" || !dat->eval_toggle("active")) continue;
    auto* chop = dynamic_cast<ChopOperator*>(resolve_from(*dat, dat->eval_string("chop")));
    if (!chop) {
      if (dat->eval_string("chop").empty()) continue;
      throw CookError(dat->path() + ": chop '" + dat->eval_string("chop") + "' is not a CHOP");
    }
    python_.cooker().cook(*chop);
    auto& watch = watches_[dat];
    if (!watch) watch = std::make_unique<Watch>();
    const std::string patterns = dat->eval_string("channel");
    const ChannelSet* set = chop->channels().get();
    if (!set) continue;
    py::object chop_py = wrap(chop);
    for (const Channel& ch : set->channels) {
      if (ch.samples.empty() || !matches_any(ch.name, patterns)) continue;
      const int index = static_cast<int>(ch.samples.size()) - 1;
      const float value = ch.samples.back();
      const auto previous = watch->channel_values.find(ch.name);
      const bool first = previous == watch->channel_values.end() || !watch->primed;
      const float prev = first ? value : previous->second;
      watch->channel_values[ch.name] = value;
      const bool on = value > 0;
      py::object channel = chop_py[py::str(ch.name)];
      if (first) {
        if (on && dat->eval_toggle("whileon")) call_dat_function(*dat, "whileOn", py::make_tuple(channel, index, value, value));
        if (!on && dat->eval_toggle("whileoff")) call_dat_function(*dat, "whileOff", py::make_tuple(channel, index, value, value));
        continue;
      }
      const bool was_on = prev > 0;
      auto args = py::make_tuple(channel, index, value, prev);
      if (!was_on && on && dat->eval_toggle("offtoon")) call_dat_function(*dat, "onOffToOn", args);
      if (on && dat->eval_toggle("whileon")) call_dat_function(*dat, "whileOn", args);
      if (was_on && !on && dat->eval_toggle("ontooff")) call_dat_function(*dat, "onOnToOff", args);
      if (!on && dat->eval_toggle("whileoff")) call_dat_function(*dat, "whileOff", args);
      if (value != prev && dat->eval_toggle("valuechange")) call_dat_function(*dat, "onValueChange", args);
    }
    watch->primed = true;
  }
}

void FrameEvents::run_parameter_executes() {
  for (DatOperator* dat : dats_) {
    if (dat->type_name() != "parameterexecuteDAT" || !dat->eval_toggle("active")) continue;
    Operator* target = resolve_from(*dat, dat->eval_string("op"));
    if (!target) {
      if (dat->eval_string("op").empty()) continue;
      throw CookError(dat->path() + ": no operator '" + dat->eval_string("op") + "' to watch");
    }
    auto& watch = watches_[dat];
    if (!watch) watch = std::make_unique<Watch>();
    const std::string patterns = dat->eval_string("pars");
    for (const auto& p : target->parameters()) {
      if (!matches_any(p->name(), patterns)) continue;
      const ParValue value = p->eval();
      auto previous = watch->parameter_values.find(p->name());
      const bool changed = previous != watch->parameter_values.end() && previous->second != value;
      const ParValue prev = previous != watch->parameter_values.end() ? previous->second : value;
      watch->parameter_values[p->name()] = value;
      if (changed && dat->eval_toggle("valuechange"))
        call_by_arity(python_, *dat, "onValueChange",
                      py::cast(p.get(), py::return_value_policy::reference), py_bindings::to_python(value),
                      py_bindings::to_python(prev));
    }
  }
}

}  // namespace netcook
