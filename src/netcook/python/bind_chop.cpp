// td.CHOP and td.Channel: channel data as TouchDesigner's Python sees it.
//
// Reading a CHOP's data cooks it first (a no-op when it is current). A
// Channel is a small handle (owning CHOP, channel index) that re-reads the
// CHOP's channels on every access, so a Channel kept across frames follows
// the CHOP. Like a Par, a Channel behaves as its current value (the last
// sample) in arithmetic, comparisons, f-strings and casts.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <numeric>

#include "netcook/core/errors.h"
#include "netcook/core/pattern.h"
#include "netcook/ops/script_ops.h"
#include "netcook/python/bindings.h"
#include "netcook/python/script_context.h"

namespace netcook::py_bindings {

namespace {

// Holds the CHOP's Python object, so a Channel outliving its session fails
// cleanly (ReferenceError) like the CHOP itself.
struct ChannelRef {
  py::object owner;
  int index;
  ChopOperator& op() const { return checked<ChopOperator>(owner); }
};

// A Script CHOP inside its own onCook: the channels being built.
ScriptChop* building_script_chop(ChopOperator& chop) {
  auto* script = dynamic_cast<ScriptChop*>(&chop);
  return script && script->is_building() ? script : nullptr;
}

const ChannelSet& cooked_channels(ChopOperator& chop) {
  if (ScriptChop* script = building_script_chop(chop)) return script->building();
  // Any other CHOP read from inside its own cook (a callback it runs) shows
  // its last output; cooking it again there would recurse.
  if (!chop.cook_state().is_cooking) context_of(chop).cooker().cook(chop);
  static const ChannelSet empty;
  return chop.channels() ? *chop.channels() : empty;
}

const Channel& channel_of(const ChannelRef& ref) {
  const ChannelSet& set = cooked_channels(ref.op());
  if (ref.index < 0 || ref.index >= static_cast<int>(set.channels.size()))
    throw py::index_error("channel " + std::to_string(ref.index) + " of " + ref.op().path() +
                          " no longer exists (the CHOP has " + std::to_string(set.channels.size()) + " channels now)");
  return set.channels[static_cast<std::size_t>(ref.index)];
}

// The current value: the last sample (the frame being cooked, for
// time-sliced CHOPs); 0 for a channel without samples.
double current_value(const ChannelRef& ref) {
  const Channel& c = channel_of(ref);
  return c.samples.empty() ? 0.0 : static_cast<double>(c.samples.back());
}

py::object value_of(const ChannelRef& ref) { return py::float_(current_value(ref)); }

std::size_t sample_index(const Channel& c, const ChannelRef& ref, py::ssize_t i) {
  const auto n = static_cast<py::ssize_t>(c.samples.size());
  const py::ssize_t at = i < 0 ? i + n : i;
  if (at < 0 || at >= n)
    throw py::index_error("sample index " + std::to_string(i) + " out of range for channel '" + c.name + "' of " +
                          ref.op().path() + " (" + std::to_string(n) + " samples)");
  return static_cast<std::size_t>(at);
}

py::array_t<float> to_numpy(const std::vector<float>& v) {
  py::array_t<float> arr(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), arr.mutable_data());
  return arr;
}

// Samples written to a channel: only a Script CHOP's own channels, only
// during its onCook, as in TouchDesigner.
std::vector<float>& writable_samples(ChannelRef& r) {
  ScriptChop* script = building_script_chop(r.op());
  if (!script)
    throw py::attribute_error("channel samples of " + r.op().path() +
                              " can only be set by a Script CHOP's onCook");
  auto& chans = script->building().channels;
  if (r.index < 0 || r.index >= static_cast<int>(chans.size())) throw py::index_error("channel no longer exists");
  return chans[static_cast<std::size_t>(r.index)].samples;
}

std::vector<std::string> channel_names(const ChannelSet& set) {
  std::vector<std::string> names;
  for (const auto& c : set.channels) names.push_back(c.name);
  return names;
}

// Indices of the channels matching any of `patterns` (ints are indices,
// strings space-separated name patterns, core/pattern.h), in the order TouchDesigner
// gives them: pattern by pattern, channels in order, no repeats.
std::vector<int> match_channels(ChopOperator& chop, const py::args& patterns, bool case_sensitive) {
  const ChannelSet& set = cooked_channels(chop);
  const int n = static_cast<int>(set.channels.size());
  std::vector<int> out;
  auto add = [&](int i) {
    if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
  };
  if (patterns.empty()) {
    for (int i = 0; i < n; ++i) add(i);
    return out;
  }
  for (const auto& p : patterns) {
    if (py::isinstance<py::int_>(p)) {
      const int i = p.cast<int>();
      if (i >= 0 && i < n) add(i);
      continue;
    }
    std::vector<py::object> items;
    if (py::isinstance<py::str>(p)) {
      for (auto word : py::str(p).attr("split")()) items.push_back(py::reinterpret_borrow<py::object>(word));
    } else {
      for (auto item : p) items.push_back(py::reinterpret_borrow<py::object>(item));  // lists of patterns
    }
    for (const py::object& item : items) {
      if (py::isinstance<py::int_>(item)) {
        const int i = item.cast<int>();
        if (i >= 0 && i < n) add(i);
        continue;
      }
      std::string pattern = py::str(item);
      if (!case_sensitive) std::transform(pattern.begin(), pattern.end(), pattern.begin(), ::tolower);
      for (int i = 0; i < n; ++i) {
        std::string name = set.channels[static_cast<std::size_t>(i)].name;
        if (!case_sensitive) std::transform(name.begin(), name.end(), name.begin(), ::tolower);
        if (name_matches(pattern, name)) add(i);
      }
    }
  }
  return out;
}

ChannelRef channel_by_key(ChopOperator& chop, const py::object& key) {
  const ChannelSet& set = cooked_channels(chop);
  const int n = static_cast<int>(set.channels.size());
  if (py::isinstance<py::int_>(key)) {
    const int i = key.cast<int>();
    const int at = i < 0 ? i + n : i;
    if (at < 0 || at >= n)
      throw py::index_error("channel index " + std::to_string(i) + " out of range: " + chop.path() + " has " +
                            std::to_string(n) + " channel" + (n == 1 ? "" : "s"));
    return ChannelRef{wrap(&chop), at};
  }
  if (!py::isinstance<py::str>(key))
    throw py::type_error("CHOP channels are indexed by int or str, not " +
                         std::string(py::str(key.get_type().attr("__name__"))));
  const std::string name = key.cast<std::string>();
  for (int i = 0; i < n; ++i)
    if (set.channels[static_cast<std::size_t>(i)].name == name) return ChannelRef{wrap(&chop), i};
  const auto names = channel_names(set);
  std::string have;
  if (names.size() <= 8)
    for (const auto& c : names) have += (have.empty() ? "" : ", ") + c;
  throw py::key_error(chop.path() + " (" + chop.type_name() + ") has no channel '" + name + "'" +
                      did_you_mean(name, names) +
                      (names.empty()  ? "; it has no channels"
                       : have.empty() ? ""
                                      : "; channels: " + have));
}

}  // namespace

py::object wrap_channel(ChopOperator& chop, int index) { return py::cast(ChannelRef{wrap(&chop), index}); }

void init_chop(py::module_& m) {
  py::class_<ChannelRef> channel(m, "Channel");
  channel
      .def(
          "eval",
          [](ChannelRef& r, const py::object& index) -> double {
            if (index.is_none()) return current_value(r);
            const Channel& c = channel_of(r);
            return c.samples[sample_index(c, r, index.cast<py::ssize_t>())];
          },
          py::arg("index") = py::none(), "The sample at `index`; no index: the current value (the last sample).")
      .def_property(
          "vals",
          [](ChannelRef& r) {
            const Channel& c = channel_of(r);
            return std::vector<double>(c.samples.begin(), c.samples.end());
          },
          [](ChannelRef& r, const std::vector<double>& values) {
            auto& samples = writable_samples(r);
            samples.assign(values.begin(), values.end());
          },
          "All samples; settable in a Script CHOP's onCook.")
      .def(
          "copyNumpyArray",
          [](ChannelRef& r, const py::array_t<float, py::array::c_style | py::array::forcecast>& values) {
            auto& samples = writable_samples(r);
            samples.assign(values.data(), values.data() + values.size());
          },
          "Sets the samples from a 1-D array (Script CHOP onCook).")
      .def_property_readonly("name", [](ChannelRef& r) { return channel_of(r).name; })
      .def_property_readonly("index", [](ChannelRef& r) { return r.index; })
      .def_property_readonly("owner", [](ChannelRef& r) { return r.owner; })
      .def_property_readonly("valid",
                             [](ChannelRef& r) {
                               const ChannelSet& set = cooked_channels(r.op());
                               return r.index >= 0 && r.index < static_cast<int>(set.channels.size());
                             })
      .def(
          "numpyArray", [](ChannelRef& r) { return to_numpy(channel_of(r).samples); },
          "The samples as a 1-D float32 array (a copy).")
      .def("average",
           [](ChannelRef& r) {
             const Channel& c = channel_of(r);
             if (c.samples.empty()) return 0.0;
             return std::accumulate(c.samples.begin(), c.samples.end(), 0.0) / static_cast<double>(c.samples.size());
           })
      .def("min",
           [](ChannelRef& r) {
             const Channel& c = channel_of(r);
             return c.samples.empty() ? 0.0
                                      : static_cast<double>(*std::min_element(c.samples.begin(), c.samples.end()));
           })
      .def("max",
           [](ChannelRef& r) {
             const Channel& c = channel_of(r);
             return c.samples.empty() ? 0.0
                                      : static_cast<double>(*std::max_element(c.samples.begin(), c.samples.end()));
           })
      .def("__getitem__",
           [](ChannelRef& r, py::ssize_t i) -> double {
             const Channel& c = channel_of(r);
             return c.samples[sample_index(c, r, i)];
           })
      .def("__len__", [](ChannelRef& r) { return channel_of(r).samples.size(); })
      .def("__float__", [](ChannelRef& r) { return current_value(r); })
      .def("__repr__",
           [](ChannelRef& r) {
             return "Channel(name='" + channel_of(r).name + "', owner='" + r.op().path() +
                    "', value=" + std::string(py::repr(value_of(r))) + ")";
           })
      .def("__hash__",
           [](ChannelRef& r) { return py::hash(py::make_tuple(reinterpret_cast<std::intptr_t>(&r.op()), r.index)); });
  def_acts_as_value(channel, [](ChannelRef& r) { return value_of(r); });

  py::class_<ChopOperator, Operator>(m, "CHOP")
      .def_property_readonly("numChans", [](ChopOperator& c) { return cooked_channels(c).channels.size(); })
      .def_property_readonly("numSamples", [](ChopOperator& c) { return cooked_channels(c).num_samples(); })
      .def_property_readonly("rate", [](ChopOperator& c) { return cooked_channels(c).rate; })
      .def_property_readonly("start", [](ChopOperator& c) { return cooked_channels(c).start; })
      .def_property_readonly("end",
                             [](ChopOperator& c) {
                               const ChannelSet& set = cooked_channels(c);
                               return set.start + set.num_samples() - 1;
                             })
      .def_property_readonly("isTimeSlice", [](ChopOperator&) { return true; })
      .def(
          "chans",
          [](ChopOperator& c, const py::args& patterns, const py::kwargs& kwargs) {
            bool case_sensitive = true;
            if (kwargs.contains("caseSensitive")) case_sensitive = kwargs["caseSensitive"].cast<bool>();
            py::list out;
            for (int i : match_channels(c, patterns, case_sensitive)) out.append(py::cast(ChannelRef{wrap(&c), i}));
            return out;
          },
          "Channels matching any of the patterns (names with * ? [..], or indices); all without arguments. "
          "caseSensitive=False ignores case.")
      .def(
          "chan",
          [](ChopOperator& c, const py::args& patterns, const py::kwargs& kwargs) -> py::object {
            bool case_sensitive = true;
            if (kwargs.contains("caseSensitive")) case_sensitive = kwargs["caseSensitive"].cast<bool>();
            const auto found = match_channels(c, patterns, case_sensitive);
            if (found.empty()) return py::none();
            return py::cast(ChannelRef{wrap(&c), found.front()});
          },
          "The first channel matching the patterns, or None.")
      .def(
          "numpyArray",
          [](ChopOperator& c) {
            const ChannelSet& set = cooked_channels(c);
            const auto chans = static_cast<py::ssize_t>(set.channels.size());
            const auto samples = static_cast<py::ssize_t>(set.num_samples());
            py::array_t<float> arr({chans, samples});
            float* out = arr.mutable_data();
            for (const auto& ch : set.channels) {
              std::copy(ch.samples.begin(), ch.samples.begin() + std::min<py::ssize_t>(samples, ch.samples.size()),
                        out);
              out += samples;
            }
            return arr;
          },
          "Shape (numChans, numSamples), float32 (a copy).")
      .def("__getitem__", [](ChopOperator& c, const py::object& key) { return channel_by_key(c, key); })
      .def("__len__", [](ChopOperator& c) { return cooked_channels(c).channels.size(); })
      .def("__iter__", [](ChopOperator& c) {
        py::list out;
        for (std::size_t i = 0; i < cooked_channels(c).channels.size(); ++i)
          out.append(py::cast(ChannelRef{wrap(&c), static_cast<int>(i)}));
        return py::iter(out);
      });

  // scriptOp in a Script CHOP's onCook: edits the channels being built.
  auto building = [](ScriptChop& c) -> ChannelSet& {
    if (!c.is_building())
      throw py::attribute_error(c.path() + ": a Script CHOP's channels can only be changed in its onCook");
    return c.building();
  };
  py::class_<ScriptChop, ChopOperator>(m, "scriptCHOP")
      .def("clear", [building](ScriptChop& c) { building(c).channels.clear(); },
           "Removes every channel (keeps the sample count for the next appendChan).")
      .def(
          "appendChan",
          [building](ScriptChop& c, const py::object& name) {
            ChannelSet& set = building(c);
            Channel ch;
            ch.name = name.is_none() ? "chan" + std::to_string(set.channels.size() + 1) : py::str(name).cast<std::string>();
            ch.samples.assign(static_cast<std::size_t>(std::max(1, c.pending_num_samples())), 0.0f);
            set.channels.push_back(std::move(ch));
            return ChannelRef{wrap(&c), static_cast<int>(set.channels.size()) - 1};
          },
          py::arg("name") = py::none())
      .def_property(
          "numSamples", [](ScriptChop& c) { return cooked_channels(c).num_samples(); },
          [building](ScriptChop& c, int n) {
            if (n < 0) throw py::value_error("numSamples must be >= 0");
            c.set_pending_num_samples(n);
            for (auto& ch : building(c).channels) ch.samples.resize(static_cast<std::size_t>(n), 0.0f);
          })
      .def(
          "copyNumpyArray",
          [building](ScriptChop& c, const py::array_t<float, py::array::c_style | py::array::forcecast>& values,
                     const std::string& base_name) {
            if (values.ndim() != 2) throw py::value_error("copyNumpyArray expects shape (numChannels, numSamples)");
            ChannelSet& set = building(c);
            set.channels.clear();
            const auto chans = values.shape(0), samples = values.shape(1);
            for (py::ssize_t i = 0; i < chans; ++i) {
              Channel ch;
              ch.name = base_name + std::to_string(i + 1);
              ch.samples.assign(values.data() + i * samples, values.data() + (i + 1) * samples);
              set.channels.push_back(std::move(ch));
            }
            c.set_pending_num_samples(static_cast<int>(samples));
          },
          py::arg("array"), py::arg("baseName") = "chan");
}

}  // namespace netcook::py_bindings
