// td time objects: me.time (the timeline) and absTime (frames cooked by this run).
#include "netcook/core/network.h"
#include "netcook/python/bindings.h"

namespace netcook::py_bindings {

namespace {
// absTime: counts the frames this run has cooked, from 1; never loops.
struct AbsoluteTime {
  py::object timeline;  // the network's Python object (see checked())
  Network& network() const { return checked<Network>(timeline); }
};
}  // namespace

py::object wrap_absolute_time(Network& network) {
  return py::cast(AbsoluteTime{py::cast(&network, py::return_value_policy::reference)});
}

void init_time(py::module_& m) {
  // me.time: frame 1 is 0 seconds whatever range is rendered.
  py::class_<Network>(m, "timeCOMP")
      .def_property_readonly("frame", &Network::frame)
      .def_property_readonly("seconds", &Network::seconds)
      .def_property_readonly("rate", [](Network& n) { return n.fps; })
      .def_property_readonly("start", [](Network& n) { return n.timeline_start; })
      .def_property_readonly("end", [](Network& n) { return n.timeline_end; })
      .def_property_readonly("fraction", [](Network& n) { return n.timeline_end > 0 ? n.frame() / n.timeline_end : 0.0; })
      .def_property_readonly("play", [](Network&) { return true; })
      .def("__repr__", [](Network& n) { return "<time frame=" + to_display_string(ParValue(n.frame())) + ">"; });

  py::class_<AbsoluteTime>(m, "AbsTime")
      .def_property_readonly("frame", [](AbsoluteTime& a) { return static_cast<double>(a.network().absolute_frame); })
      .def_property_readonly("seconds", [](AbsoluteTime& a) {
        return static_cast<double>(a.network().absolute_frame - 1) / a.network().fps;
      })
      .def_property_readonly("step", [](AbsoluteTime&) { return 1.0; })
      .def_property_readonly("stepSeconds", [](AbsoluteTime& a) { return 1.0 / a.network().fps; });
}

}  // namespace netcook::py_bindings
