// td.OP and its family classes: operators as TouchDesigner's Python sees them.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "netcook/core/errors.h"
#include "netcook/core/network.h"
#include "netcook/core/pattern.h"
#include "netcook/core/registry.h"
#include "netcook/ops/script_ops.h"
#include "netcook/python/bindings.h"
#include "netcook/python/script_context.h"

namespace netcook::py_bindings {

namespace {

// Reading an output cooks the operator first, as in TouchDesigner.
void cook_now(Operator& op) { context_of(op).cooker().cook(op); }

py::list wrap_all(const std::vector<Operator*>& ops) {
  py::list out;
  for (Operator* op : ops) out.append(wrap(op));
  return out;
}

// A TOP's output size. Inside a Script TOP's own onCook the output is still
// being made: its size is then the one the cook will give (its input's or
// its resolution parameters'), as TouchDesigner's scriptOp.width is.
std::pair<int, int> top_size(TopOperator& t) {
  if (auto* script = dynamic_cast<ScriptTop*>(&t); script && script->cook_state().is_cooking)
    return script->output_size();
  cook_now(t);
  return {t.width(), t.height()};
}

// TOP.sample(x=, y=, u=, v=): one pixel, nearest, TouchDesigner's
// bottom-left origin; u, v in 0..1 across the image; outside: clamped to
// the edge.
py::tuple sample_pixel(TopOperator& t, const py::object& x, const py::object& y, const py::object& u,
                       const py::object& v) {
  if (!x.is_none() && !u.is_none()) throw py::type_error("sample(): give x or u, not both");
  if (!y.is_none() && !v.is_none()) throw py::type_error("sample(): give y or v, not both");
  cook_now(t);
  auto image = t.image();
  if (!image || image->width() == 0 || image->height() == 0) throw py::value_error(t.path() + " has no image to sample");
  const int w = image->width(), h = image->height();
  auto coordinate = [](const py::object& pixel, const py::object& unit, int size) {
    double at = 0;
    if (!pixel.is_none()) at = std::floor(pixel.cast<double>());
    else if (!unit.is_none()) at = std::floor(unit.cast<double>() * size);
    return static_cast<int>(std::clamp(at, 0.0, static_cast<double>(size - 1)));
  };
  const int px = coordinate(x, u, w);
  const int py_ = coordinate(y, v, h);
  // Rows are stored top first; y counts from the bottom.
  const float* p = image->data() + static_cast<std::size_t>(h - 1 - py_) * image->stride() + px * 4;
  return py::make_tuple(p[0], p[1], p[2], p[3]);
}

// TouchDesigner's numpyArray(): row 0 at the bottom.
py::array top_numpy_array(TopOperator& top) {
  cook_now(top);
  auto image = top.image();
  if (!image) return py::array_t<float>(std::vector<py::ssize_t>{0, 0, 4});
  return image_array(image, /*bottom_row_first=*/true);
}

// fetch()'s default when none is given: a KeyError then.
py::object missing_value() {
  static py::object sentinel = py::module_::import("builtins").attr("object")();
  return sentinel;
}

// errors()/warnings(): the op's messages (and its children's, with
// recurse), one per line, as TouchDesigner returns them.
std::string joined_messages(Operator& o, bool errors, bool recurse) {
  std::string out;
  std::function<void(Operator&)> add = [&](Operator& at) {
    for (const auto& m : context_of(at).op_messages(at, errors)) out += (out.empty() ? "" : "\n") + m;
    if (auto* comp = dynamic_cast<CompOperator*>(&at); comp && recurse)
      for (const auto& child : comp->children()) add(*child);
  };
  add(o);
  return out;
}

std::vector<std::string> attribute_names(const py::object& self) {
  std::vector<std::string> names;
  for (auto item : py::module_::import("builtins").attr("dir")(self.get_type())) {
    names.push_back(py::str(item));
  }
  return names;
}

}  // namespace

py::array image_array(const std::shared_ptr<const Image>& image, bool bottom_row_first) {
  auto* keep = new std::shared_ptr<const Image>(image);
  py::capsule owner(keep, [](void* p) { delete static_cast<std::shared_ptr<const Image>*>(p); });
  const auto row_bytes = static_cast<py::ssize_t>(image->stride() * sizeof(float));
  const float* first_row = image->data() + (bottom_row_first ? (image->height() - 1) * image->stride() : 0);
  py::array arr(py::dtype::of<float>(), {py::ssize_t(image->height()), py::ssize_t(image->width()), py::ssize_t(4)},
                {bottom_row_first ? -row_bytes : row_bytes, py::ssize_t(4 * sizeof(float)), py::ssize_t(sizeof(float))},
                first_row, owner);
  arr.attr("setflags")(py::arg("write") = false);
  return arr;
}

py::object wrap(Operator* op) {
  if (!op) return py::none();
  const auto policy = py::return_value_policy::reference;
  switch (op->family()) {
    case Family::TOP: return py::cast(static_cast<TopOperator*>(op), policy);
    case Family::CHOP: return py::cast(static_cast<ChopOperator*>(op), policy);
    case Family::DAT: return py::cast(static_cast<DatOperator*>(op), policy);
    case Family::COMP: return py::cast(static_cast<CompOperator*>(op), policy);
  }
  return py::cast(op, policy);
}

std::vector<Operator*> resolve_ops(const py::object& pattern, Operator* from, bool inside) {
  if (py::isinstance<Operator>(pattern)) return {&checked<Operator>(pattern)};
  ScriptContext* context = from ? &context_of(*from) : running_context();
  if (!context) throw py::value_error("op() outside a scene: use Session.op() to reach a session's operators");
  Network& net = context->network();
  if (py::isinstance<py::int_>(pattern)) {
    Operator* found = net.find_by_id(pattern.cast<int>());
    return found ? std::vector<Operator*>{found} : std::vector<Operator*>{};
  }
  const std::string path = py::str(pattern);
  const CompOperator* base = nullptr;
  if (from) {
    if (inside && from->family() == Family::COMP) base = static_cast<const CompOperator*>(from);
    else base = from->parent();
  }
  if (!base) base = net.project() ? net.project() : &net.root();
  // Wildcards (* ? [..]) match the last component against a COMP's children,
  // in network order, as TouchDesigner's op('noise*').
  const std::size_t slash = path.rfind('/');
  const std::string last = slash == std::string::npos ? path : path.substr(slash + 1);
  if (!has_wildcard(last)) {
    Operator* found = net.resolve(path, *base);
    return found ? std::vector<Operator*>{found} : std::vector<Operator*>{};
  }
  const CompOperator* dir = base;
  if (slash != std::string::npos) {
    const std::string head = slash == 0 ? "/" : path.substr(0, slash);
    dir = dynamic_cast<const CompOperator*>(net.resolve(head, *base));
  }
  std::vector<Operator*> found;
  if (!dir) return found;
  for (const auto& child : dir->children())
    if (name_matches(last, child->name())) found.push_back(child.get());
  return found;
}

Operator* resolve_op(const py::object& path_or_id, Operator* from, bool inside) {
  const auto found = resolve_ops(path_or_id, from, inside);
  if (found.empty()) {
    note_missing_op(py::str(path_or_id));
    return nullptr;
  }
  return found.front();
}

py::list resolve_all(const py::args& patterns, Operator* from, bool inside) {
  py::list out;
  std::vector<Operator*> seen;
  for (const auto& p : patterns) {
    std::vector<py::object> items;
    if (py::isinstance<py::str>(p)) {
      for (auto word : py::str(p).attr("replace")(",", " ").attr("split")())
        items.push_back(py::reinterpret_borrow<py::object>(word));
    } else {
      items.push_back(py::reinterpret_borrow<py::object>(p));
    }
    for (const auto& item : items)
      for (Operator* op : resolve_ops(item, from, inside))
        if (std::find(seen.begin(), seen.end(), op) == seen.end()) {
          seen.push_back(op);
          out.append(wrap(op));
        }
  }
  return out;
}

void init_op(py::module_& m) {
  py::class_<Operator> op(m, "OP");
  op.def_property_readonly("name", &Operator::name)
      .def_property_readonly("path", &Operator::path)
      .def_property_readonly("type", &Operator::type_name, "Type with family, as the tutorial prints it: 'noiseTOP'.")
      .def_property_readonly("OPType", &Operator::type_name)
      .def_property_readonly("family", [](Operator& o) { return std::string(to_string(o.family())); })
      .def_property_readonly("label", [](Operator& o) { return o.type().label; })
      .def_property_readonly("id", &Operator::id)
      .def_property_readonly("valid", [](Operator&) { return true; },
                             "False once the operator's session has ended (the object is then a td.GoneObject).")
      .def_property_readonly("isTOP", [](Operator& o) { return o.family() == Family::TOP; })
      .def_property_readonly("isCHOP", [](Operator& o) { return o.family() == Family::CHOP; })
      .def_property_readonly("isDAT", [](Operator& o) { return o.family() == Family::DAT; })
      .def_property_readonly("isCOMP", [](Operator& o) { return o.family() == Family::COMP; })
      .def_property_readonly("isCooking", [](Operator& o) { return o.cook_state().is_cooking; })
      .def_property_readonly("totalCooks", [](Operator& o) { return o.cook_state().total_cooks; })
      .def_property_readonly("par", [](Operator& o) { return ParCollection{wrap(&o)}; })
      .def_property_readonly("time", [](Operator& o) -> Network& { return o.network(); },
                             py::return_value_policy::reference)
      .def_property_readonly("inputs", [](Operator& o) { return wrap_all(o.inputs()); })
      .def_property_readonly("outputs", [](Operator& o) { return wrap_all(o.outputs()); })
      .def_property_readonly("children", [](Operator& o) {
        std::vector<Operator*> kids;
        if (auto* comp = dynamic_cast<CompOperator*>(&o))
          for (const auto& c : comp->children()) kids.push_back(c.get());
        return wrap_all(kids);
      })
      .def_property_readonly("numChildren", [](Operator& o) {
        auto* comp = dynamic_cast<CompOperator*>(&o);
        return comp ? comp->children().size() : std::size_t{0};
      })
      // me.parent() and me.parent.NAME; me.iop.NAME, me.ipar.NAME (bind_shortcuts.cpp).
      .def_property_readonly("parent", [](const py::object& self) { return parent_shortcut_of(self); })
      .def_property_readonly("iop", [](const py::object& self) { return iop_shortcut_of(self); })
      .def_property_readonly("ipar", [](const py::object& self) { return ipar_shortcut_of(self); })
      .def_property_readonly("digits", [](Operator& o) -> py::object {
        return py::module_::import("tdu").attr("digits")(o.name());
      }, "The number at the end of the name (noise12 -> 12), or None.")
      .def_property_readonly("base", [](Operator& o) -> py::object {
        return py::module_::import("tdu").attr("base")(o.name());
      }, "The name without its trailing number.")
      .def_property_readonly("storage", [](Operator& o) { return context_of(o).storage(o); },
                             "The operator's persistent dict (store/fetch); kept across frames and snapshots.")
      .def("store", [](Operator& o, const py::object& key, const py::object& value) {
        context_of(o).storage(o)[key] = value;
        return value;
      }, py::arg("key"), py::arg("value"))
      .def("fetch", [](Operator& o, const py::object& key, const py::object& def, bool search, bool storeDefault) {
        for (Operator* at = &o; at; at = search ? at->parent() : nullptr) {
          py::dict storage = context_of(*at).storage(*at);
          if (storage.contains(key)) return py::object(storage[key]);
        }
        if (def.ptr() == missing_value().ptr())
          throw py::key_error("fetch: no '" + std::string(py::str(key)) + "' in the storage of " + o.path() +
                              (search ? " or its parents" : ""));
        if (storeDefault) context_of(o).storage(o)[key] = def;
        return def;
      }, py::arg("key"), py::arg("default") = missing_value(), py::arg("search") = true,
         py::arg("storeDefault") = false)
      .def("unstore", [](Operator& o, py::args patterns) {
        py::dict storage = context_of(o).storage(o);
        std::vector<py::object> doomed;
        for (auto key : storage) {
          const std::string name = py::str(key.first);
          for (auto p : patterns)
            if (name_matches(py::str(p), name)) {
              doomed.push_back(py::reinterpret_borrow<py::object>(key.first));
              break;
            }
        }
        for (const auto& key : doomed) PyDict_DelItem(storage.ptr(), key.ptr());
      })
      .def("addError", [](Operator& o, const std::string& text) {
        try {
          context_of(o).add_op_message(o, true, text);
        } catch (const std::invalid_argument& e) {
          throw py::value_error(e.what());
        }
      })
      .def("addWarning", [](Operator& o, const std::string& text) {
        try {
          context_of(o).add_op_message(o, false, text);
        } catch (const std::invalid_argument& e) {
          throw py::value_error(e.what());
        }
      })
      .def("errors", [](Operator& o, bool recurse) { return joined_messages(o, true, recurse); },
           py::arg("recurse") = false, "addError() messages of the last cook, one per line ('' when none).")
      .def("warnings", [](Operator& o, bool recurse) { return joined_messages(o, false, recurse); },
           py::arg("recurse") = false)
      .def("scriptErrors", [](Operator& o, bool recurse) { return joined_messages(o, true, recurse); },
           py::arg("recurse") = false)
      .def("op", [](Operator& o, const py::object& path) { return wrap(resolve_op(path, &o, true)); })
      .def("ops", [](Operator& o, const py::args& patterns) { return resolve_all(patterns, &o, true); })
      .def("cook", [](Operator& o, bool force, bool /*recurse*/) {
        if (force) o.cook_state().has_output = false;
        cook_now(o);
      }, py::arg("force") = false, py::arg("recurse") = false)
      .def("findChildren", [](Operator& o, py::object type, py::object name, int maxDepth) {
        std::vector<Operator*> found;
        auto* comp = dynamic_cast<CompOperator*>(&o);
        if (!comp) return wrap_all(found);
        const std::string name_pattern = name.is_none() ? std::string() : py::str(name).cast<std::string>();
        std::function<void(CompOperator&, int)> walk = [&](CompOperator& c, int depth) {
          for (const auto& child : c.children()) {
            bool ok = true;
            if (!name.is_none()) ok = name_matches(name_pattern, child->name());
            if (ok && !type.is_none()) {
              const std::string wanted = py::isinstance<py::str>(type)
                                             ? type.cast<std::string>()
                                             : py::str(type.attr("__name__")).cast<std::string>();
              ok = child->type_name() == wanted || to_string(child->family()) == wanted;
            }
            if (ok) found.push_back(child.get());
            if (auto* sub = dynamic_cast<CompOperator*>(child.get()); sub && (maxDepth < 0 || depth < maxDepth))
              walk(*sub, depth + 1);
          }
        };
        walk(*comp, 1);
        return wrap_all(found);
      }, py::arg("type") = py::none(), py::arg("name") = py::none(), py::arg("maxDepth") = -1)
      .def("__getattr__", [](py::object self, const std::string& name) -> py::object {
        Operator& o = self.cast<Operator&>();
        throw py::attribute_error("'" + o.type_name() + "' object has no attribute '" + name + "'" +
                                  did_you_mean(name, attribute_names(self)));
      })
      .def("__repr__", [](Operator& o) { return "type:" + o.type_name() + " path:" + o.path(); })
      .def("__str__", [](Operator& o) { return o.path(); });

  py::class_<TopOperator, Operator>(m, "TOP")
      .def_property_readonly("width", [](TopOperator& t) { return top_size(t).first; })
      .def_property_readonly("height", [](TopOperator& t) { return top_size(t).second; })
      .def_property_readonly("aspect", [](TopOperator& t) {
        const auto [w, h] = top_size(t);
        return h ? static_cast<double>(w) / h : 0.0;
      })
      .def("numpyArray", [](TopOperator& t, bool, bool) { return top_numpy_array(t); },
           py::arg("delayed") = false, py::arg("writable") = false)
      .def("sample", [](TopOperator& t, py::object x, py::object y, py::object u, py::object v) {
        return sample_pixel(t, x, y, u, v);
      }, py::kw_only(), py::arg("x") = py::none(), py::arg("y") = py::none(), py::arg("u") = py::none(),
         py::arg("v") = py::none(),
         "The (r, g, b, a) of one pixel: x, y in pixels or u, v in 0..1 (mixable), from the bottom-left.");

  py::class_<DatOperator, Operator>(m, "DAT")
      .def_property("text", &DatOperator::text, [](DatOperator& d, std::string t) { d.assign_text(std::move(t)); });

  py::class_<CompOperator, Operator>(m, "COMP");
}

}  // namespace netcook::py_bindings
