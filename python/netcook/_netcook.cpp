// The `netcook` extension module: sessions for /usr/bin/python3 and Jupyter.
//
// The same engine as the CLI: this module calls init_td() to build `td`
// (registered as sys.modules["td"] so scene scripts import it as usual) and
// wraps Session. Python owns the interpreter here; the library never does.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>

#include "netcook/python/bindings.h"
#include "netcook/python/script_context.h"
#include "netcook/session/session.h"

namespace py = pybind11;
using namespace netcook;

namespace {

// A CHOP's channels: name -> float for one sample, else a float32 array.
py::dict channel_values(const ChannelSet& set) {
  py::dict out;
  for (const Channel& c : set.channels) {
    if (c.samples.size() == 1) {
      out[py::str(c.name)] = py::float_(c.samples.front());
    } else {
      py::array_t<float> samples(static_cast<py::ssize_t>(c.samples.size()));
      std::copy(c.samples.begin(), c.samples.end(), samples.mutable_data());
      out[py::str(c.name)] = samples;
    }
  }
  return out;
}

std::string scene_error_text(const SceneError& e) {
  std::string text;
  for (const auto& d : e.diagnostics()) text += (text.empty() ? "" : "\n") + d.format();
  return text;
}

SessionOptions options_from(const py::dict& set, const py::dict& text, int threads) {
  SessionOptions options;
  for (auto item : set) {
    std::string value;
    if (py::isinstance<py::bool_>(item.second)) value = item.second.cast<bool>() ? "true" : "false";
    else if (py::isinstance<py::str>(item.second)) value = py::repr(item.second).cast<std::string>();
    else value = py::str(item.second).cast<std::string>();
    options.sets.push_back(py::str(item.first).cast<std::string>() + "=" + value);
  }
  for (auto item : text)
    options.texts.push_back(py::str(item.first).cast<std::string>() + "=" + py::str(item.second).cast<std::string>());
  options.threads = threads;
  return options;
}

Operator& find_operator(Session& s, const std::string& name) {
  Network& net = s.network();
  const CompOperator& base = net.project() ? *net.project() : net.root();
  if (Operator* op = net.resolve(name, base)) return *op;
  std::vector<std::string> names;
  for (Operator* op : net.all_operators()) {
    if (op->name() == name) return *op;
    names.push_back(op->name());
  }
  throw py::key_error("no operator '" + name + "' in " + s.scene().file + did_you_mean(name, names));
}

}  // namespace

PYBIND11_MODULE(_netcook, m) {
  m.doc() = "netcook's engine: sessions over scene files";
  py::module_ td = m.def_submodule("td", "netcook's TouchDesigner-compatible scripting API");
  py_bindings::init_td(td);
  py::module_::import("sys").attr("modules")["td"] = td;

  static py::exception<SceneError> scene_error(m, "SceneError", PyExc_ValueError);
  static py::exception<CookError> render_error(m, "RenderError", PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const SceneError& e) {
      PyErr_SetString(scene_error.ptr(), scene_error_text(e).c_str());
    } catch (const Interrupted& e) {
      PyErr_SetString(interrupt_exception_type(), e.what());
    } catch (const ScriptError& e) {
      PyErr_SetString(render_error.ptr(), (e.traceback() + e.what()).c_str());
    } catch (const CookError& e) {
      PyErr_SetString(render_error.ptr(), e.what());
    }
  });

  py::class_<Session>(m, "_Session", py::dynamic_attr())
      .def(py::init([](const std::string& path, const py::dict& set, const py::dict& text, int threads) {
             auto session = std::make_unique<Session>(path, options_from(set, text, threads));
             session->check_memory(0);
             return session;
           }),
           py::arg("path"), py::arg("set") = py::dict(), py::arg("text") = py::dict(), py::arg("threads") = 0)
      .def_static("from_string",
                  [](const std::string& yaml, const std::string& name, const py::dict& set, const py::dict& text,
                     int threads) { return Session::from_string(yaml, name, options_from(set, text, threads)); },
                  py::arg("yaml"), py::arg("name") = "<string>", py::arg("set") = py::dict(),
                  py::arg("text") = py::dict(), py::arg("threads") = 0)
      .def_property_readonly("file", [](Session& s) { return s.scene().file; })
      .def_property_readonly("frame", &Session::frame)
      .def_property_readonly("frames", [](Session& s) { return s.scene().frames.frames(); })
      // (first, last, step); step None when the scene's frames are a list.
      .def_property_readonly("frame_span", [](Session& s) {
        const FrameRange& r = s.scene().frames;
        return py::make_tuple(r.first, r.last, r.list.empty() ? py::object(py::int_(r.step)) : py::object(py::none()));
      })
      .def_property_readonly("fps", [](Session& s) { return s.network().fps; })
      .def_property_readonly("threads", &Session::threads)
      .def("op", [](Session& s, const std::string& name) { return py_bindings::wrap(&find_operator(s, name)); })
      .def("cook",
           [](Session& s, int frame, const std::vector<std::string>& names) {
             std::vector<Operator*> ops;
             for (const auto& n : names) ops.push_back(&find_operator(s, n));
             py::list out;
             for (const CookedOutput& o : s.cook(frame, ops)) {
               py::object value = py::none();
               if (o.image) value = py_bindings::image_array(o.image, false);
               else if (o.channels) value = channel_values(*o.channels);
               out.append(py::make_tuple(o.op->path(), o.op->name(), value));
             }
             return out;
           },
           py::arg("frame"), py::arg("ops") = std::vector<std::string>{})
      .def("render",
           [](Session& s, const py::object& frames, bool write, const py::object& progress, bool keep) {
             RenderRequest request;
             if (!frames.is_none()) {
               std::string error;
               auto range = parse_frame_range(py::str(frames).cast<std::string>(), &error);
               if (!range) throw py::value_error("frames: " + error);
               validate_scene_outputs(s.scene(), range->count());
               request.frames = range;
             }
             FileSink files(s.threads());
             MemorySink memory;
             if (write) request.sinks.push_back(&files);
             if (keep) request.sinks.push_back(&memory);
             // Ctrl-C (Jupyter's interrupt button) stops the render after the
             // current frame and raises KeyboardInterrupt here.
             std::atomic<bool> interrupted{false};
             request.cancel = &interrupted;
             request.progress = [&](const RenderProgress& p) {
               if (!progress.is_none()) {
                 try {
                   progress(p.frame, p.done, p.total);
                 } catch (py::error_already_set& e) {
                   // Ctrl-C while the callback ran: an interrupt like any
                   // other, not a failed frame.
                   if (!e.matches(PyExc_KeyboardInterrupt)) throw;
                   e.restore();
                   interrupted = true;
                   return;
                 }
               }
               if (PyErr_CheckSignals() != 0) interrupted = true;
             };
             // Movies cut short (an interrupt or a failure) are kept as
             // NAME.partial.EXT: [(path, frames)] for the wrapper to report,
             // whether this returns or raises.
             const auto partial_movies = [&files] {
               py::list out;
               for (const auto& movie : files.partial_movies()) out.append(py::make_tuple(movie.path, movie.frames));
               return out;
             };
             const RenderResult result = s.render(request);
             py::setattr(py::cast(&s), "_partial_movies", partial_movies());
             if (interrupted && PyErr_Occurred()) throw py::error_already_set();
             if (result.failure) {
               const RenderFailure& f = *result.failure;
               if (f.kind == RenderFailure::Kind::Script) throw ScriptError(f.message, f.traceback);
               throw CookError(f.message);
             }
             py::dict stats;
             stats["frames"] = result.frames_rendered;
             stats["seconds"] = result.seconds;
             stats["cooks"] = result.cooks;
             stats["files"] = files.files_written();
             stats["partial_movies"] = partial_movies();
             py::list kept;
             for (const RenderedFrame& f : memory.frames) {
               py::dict images;
               for (std::size_t i = 0; i < f.images.size(); ++i)
                 if (f.images[i]) images[py::str(s.scene().outputs[i].op->path())] = py_bindings::image_array(f.images[i], false);
               kept.append(py::make_tuple(f.frame, images));
             }
             stats["kept"] = kept;
             return stats;
           },
           py::arg("frames") = py::none(), py::arg("write") = true, py::arg("progress") = py::none(),
           py::arg("keep") = false)
      .def("snapshot", [](Session& s) { return py::bytes(s.snapshot().bytes); })
      .def("restore",
           [](Session& s, const py::bytes& data) {
             try {
               s.restore(Snapshot{data.cast<std::string>()});
             } catch (const std::runtime_error& e) {
               throw py::value_error(e.what());
             }
           })
      .def("outputs", [](Session& s) {
        py::list out;
        for (const auto& o : s.scene().outputs) out.append(py::make_tuple(o.op->path(), o.spec.path_pattern));
        return out;
      })
      .def("operators", [](Session& s) {
        py::list out;
        for (Operator* op : s.network().all_operators()) {
          py::list inputs;
          for (Operator* in : op->inputs()) inputs.append(in->path());
          py::dict pars;
          for (const auto& p : op->parameters()) pars[py::str(p->name())] = py_bindings::to_python(p->eval());
          py::dict entry;
          entry["path"] = op->path();
          entry["type"] = op->type_name();
          entry["inputs"] = inputs;
          entry["par"] = pars;
          out.append(entry);
        }
        return out;
      });
}
