#include "netcook/grading/observation.h"

#include <pybind11/embed.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "netcook/core/errors.h"
#include "netcook/core/network.h"
#include "netcook/core/operator.h"
#include "netcook/core/parameter.h"
#include "netcook/core/value.h"
#include "netcook/session/session.h"

namespace netcook::grading {

namespace py = pybind11;
using nlohmann::json;

std::string encode_job(const WorkerJob& job) {
  json j;
  j["scene"] = job.scene;
  j["texts"] = job.texts;
  j["last_frame"] = job.last_frame;
  j["record_frames"] = job.record_frames;
  j["parameters"] = job.parameters;
  j["channel_ops"] = job.channel_ops;
  j["images"] = job.images;
  j["image_dir"] = job.image_dir;
  j["output_bytes"] = job.output_bytes;
  j["threads"] = job.threads;
  j["work_dir"] = job.work_dir;
  j["read_only"] = job.read_only;
  return j.dump();
}

WorkerJob decode_job(const std::string& text) {
  try {
    const json j = json::parse(text);
    WorkerJob job;
    job.scene = j.at("scene").get<std::string>();
    job.texts = j.at("texts").get<std::vector<std::string>>();
    job.last_frame = j.at("last_frame").get<int>();
    job.record_frames = j.at("record_frames").get<std::set<int>>();
    job.parameters = j.at("parameters").get<std::vector<std::string>>();
    job.channel_ops = j.at("channel_ops").get<std::vector<std::string>>();
    job.images = j.at("images").get<std::map<std::string, std::set<int>>>();
    job.image_dir = j.at("image_dir").get<std::string>();
    job.output_bytes = j.at("output_bytes").get<std::size_t>();
    job.threads = j.at("threads").get<int>();
    job.work_dir = j.at("work_dir").get<std::string>();
    job.read_only = j.at("read_only").get<std::vector<std::string>>();
    return job;
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("grade-worker: malformed job: ") + e.what());
  }
}

// Raw images ------------------------------------------------------------------

namespace {
constexpr char kRawMagic[8] = {'N', 'C', 'R', 'A', 'W', '1', '\n', '\0'};
}

void write_raw_image(const std::string& path, const float* rgba, int width, int height, std::ptrdiff_t row_floats) {
  const std::string temp = path + ".tmp";
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + temp + ": " + std::strerror(errno));
  bool ok = std::fwrite(kRawMagic, 1, sizeof kRawMagic, f) == sizeof kRawMagic;
  const std::int32_t size[2] = {width, height};
  ok = ok && std::fwrite(size, sizeof size, 1, f) == 1;
  for (int y = 0; ok && y < height; ++y)
    ok = std::fwrite(rgba + y * row_floats, sizeof(float), static_cast<std::size_t>(width) * 4, f) ==
         static_cast<std::size_t>(width) * 4;
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    throw std::runtime_error("cannot write " + path);
  }
}

std::vector<float> read_raw_image(const std::string& path, int& width, int& height) {
  std::ifstream in(path, std::ios::binary);
  char magic[sizeof kRawMagic];
  std::int32_t size[2] = {0, 0};
  if (!in.read(magic, sizeof magic) || std::memcmp(magic, kRawMagic, sizeof magic) != 0 ||
      !in.read(reinterpret_cast<char*>(size), sizeof size) || size[0] <= 0 || size[1] <= 0 || size[0] > 65536 ||
      size[1] > 65536)
    throw std::runtime_error("not an image the worker wrote: " + path);
  std::vector<float> pixels(static_cast<std::size_t>(size[0]) * size[1] * 4);
  if (!in.read(reinterpret_cast<char*>(pixels.data()), static_cast<std::streamsize>(pixels.size() * sizeof(float))))
    throw std::runtime_error("image cut short: " + path);
  width = size[0];
  height = size[1];
  return pixels;
}

// The worker ----------------------------------------------------------------------

namespace {

// One JSON line on the record pipe; a failed write (the grader gone) ends
// the worker: nobody is listening.
void emit(int fd, const json& line) {
  const std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(3);
    done += static_cast<std::size_t>(n);
  }
}

json value_json(const ParValue& v) {
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  if (std::holds_alternative<bool>(v)) return std::get<bool>(v) ? 1.0 : 0.0;
  const double d = as_double(v);
  if (!std::isfinite(d)) return to_display_string(v);
  return d;
}

// Captures what scripts print, per frame, up to a byte budget for the run.
const char* kCaptureSource = R"(
class NetcookGradeCapture:
    def __init__(self, budget):
        self.parts = []
        self.budget = budget
        self.dropped = 0
    def write(self, s):
        s = str(s)
        if self.budget <= 0:
            self.dropped += len(s)
            return len(s)
        kept = s[:self.budget]
        self.budget -= len(kept)
        self.dropped += len(s) - len(kept)
        self.parts.append(kept)
        return len(s)
    def flush(self):
        pass
    def take(self):
        text = ''.join(self.parts)
        self.parts = []
        return text
)";

}  // namespace

void run_worker(const WorkerJob& job, int record_fd) {
  py::dict scope;
  scope["__builtins__"] = py::module_::import("builtins");
  py::exec(kCaptureSource, scope);
  py::object capture = scope["NetcookGradeCapture"](job.output_bytes);
  py::module_ sys = py::module_::import("sys");
  sys.attr("stdout") = capture;

  std::unique_ptr<Session> session;
  try {
    SessionOptions options;
    options.texts = job.texts;
    options.threads = job.threads;
    options.warn = [](const std::string&) {};
    session = std::make_unique<Session>(job.scene, options);
  } catch (const SceneError& e) {
    emit(record_fd, json{{"kind", "load_error"}, {"message", e.what()}});
    emit(record_fd, json{{"kind", "end"}});
    return;
  } catch (const std::exception& e) {
    emit(record_fd, json{{"kind", "load_error"}, {"message", e.what()}});
    emit(record_fd, json{{"kind", "end"}});
    return;
  }

  Network& network = session->network();
  const CompOperator& project = network.project() ? *network.project() : network.root();
  json ops = json::array();
  for (Operator* op : network.all_operators()) {
    json inputs = json::array();
    for (Operator* in : op->inputs()) inputs.push_back(in ? in->name() : "");
    ops.push_back({{"path", op->path()}, {"name", op->name()}, {"type", op->type_name()}, {"inputs", inputs}});
  }
  emit(record_fd, json{{"kind", "loaded"}, {"operators", ops}});

  // Resolve what is recorded once; a name the submission's network lacks
  // is reported once, not per frame.
  struct Watched {
    std::string key;
    Operator* op = nullptr;
    Parameter* par = nullptr;
  };
  std::vector<Watched> parameters, chops;
  for (const auto& key : job.parameters) {
    const auto dot = key.rfind('.');
    Watched w{key};
    w.op = network.resolve(key.substr(0, dot), project);
    std::string problem;
    if (!w.op)
      problem = "there is no operator '" + key.substr(0, dot) + "'";
    else if (!(w.par = w.op->find_parameter(key.substr(dot + 1))))
      problem = key.substr(0, dot) + " has no parameter '" + key.substr(dot + 1) + "'" +
                did_you_mean(key.substr(dot + 1), w.op->parameter_names());
    if (!problem.empty())
      emit(record_fd, json{{"kind", "missing"}, {"what", "parameter"}, {"key", key}, {"message", problem}});
    else
      parameters.push_back(w);
  }
  for (const auto& name : job.channel_ops) {
    Watched w{name};
    w.op = network.resolve(name, project);
    std::string problem;
    if (!w.op)
      problem = "there is no operator '" + name + "'";
    else if (w.op->family() != Family::CHOP)
      problem = "'" + name + "' is " + with_article(w.op->type_name()) + ", not a CHOP";
    if (!problem.empty())
      emit(record_fd, json{{"kind", "missing"}, {"what", "channel"}, {"key", name}, {"message", problem}});
    else
      chops.push_back(w);
  }
  std::map<std::string, Operator*> image_ops;
  for (const auto& [name, frames] : job.images) {
    Operator* op = network.resolve(name, project);
    if (!op || op->family() != Family::TOP)
      emit(record_fd, json{{"kind", "missing"},
                           {"what", "image"},
                           {"key", name},
                           {"message", op ? "'" + name + "' is " + with_article(op->type_name()) + ", not a TOP"
                                          : "there is no operator '" + name + "'"}});
    else
      image_ops[name] = op;
  }
  if (!image_ops.empty()) std::filesystem::create_directories(job.image_dir);

  for (int frame = 1; frame <= job.last_frame; ++frame) {
    std::vector<Operator*> cook_ops;
    const bool record = job.record_frames.count(frame) > 0;
    if (record)
      for (const auto& w : chops) cook_ops.push_back(w.op);
    std::vector<std::pair<std::string, Operator*>> images_now;
    for (const auto& [name, op] : image_ops)
      if (job.images.at(name).count(frame)) {
        cook_ops.push_back(op);
        images_now.emplace_back(name, op);
      }
    // Nothing to look at: cook the root (nothing), not every TOP and CHOP;
    // the frame's scripts and stateful operators run either way.
    if (cook_ops.empty()) cook_ops.push_back(&network.root());
    json line{{"kind", "frame"}, {"frame", frame}};
    try {
      const auto cooked = session->cook(frame, cook_ops);
      if (record) {
        json pars = json::object();
        for (const auto& w : parameters) pars[w.key] = value_json(w.par->eval());
        line["parameters"] = pars;
        json channels = json::object();
        for (const auto& w : chops) {
          json values = json::array();
          if (const auto* set = static_cast<ChopOperator*>(w.op)->channels().get())
            for (const auto& c : set->channels)
              values.push_back({c.name, c.samples.empty() ? 0.0 : static_cast<double>(c.samples[0])});
          channels[w.key] = values;
        }
        line["channels"] = channels;
      }
      json images = json::object();
      for (const auto& [name, op] : images_now) {
        const auto& image = static_cast<TopOperator*>(op)->image();
        if (!image) continue;
        const ConstImageView v = image->view();
        std::string file = job.image_dir + "/" + std::to_string(images.size()) + "_" + std::to_string(frame) + ".raw";
        write_raw_image(file, v.data, v.width, v.height, v.stride);
        images[name] = file;
      }
      if (!images.empty()) line["images"] = images;
    } catch (const ScriptError& e) {
      line["output"] = capture.attr("take")().cast<std::string>();
      emit(record_fd, line);
      emit(record_fd, json{{"kind", "failure"}, {"frame", frame}, {"message", e.what()}, {"traceback", e.traceback()}});
      emit(record_fd, json{{"kind", "end"}, {"dropped", capture.attr("dropped").cast<std::size_t>()}});
      return;
    } catch (const std::exception& e) {
      line["output"] = capture.attr("take")().cast<std::string>();
      emit(record_fd, line);
      emit(record_fd, json{{"kind", "failure"}, {"frame", frame}, {"message", e.what()}, {"traceback", ""}});
      emit(record_fd, json{{"kind", "end"}, {"dropped", capture.attr("dropped").cast<std::size_t>()}});
      return;
    }
    line["output"] = capture.attr("take")().cast<std::string>();
    line["done"] = true;
    emit(record_fd, line);
  }
  emit(record_fd, json{{"kind", "end"}, {"dropped", capture.attr("dropped").cast<std::size_t>()}});
}

// Parsing --------------------------------------------------------------------------

std::string Observations::Value::display() const {
  if (!is_number) return "'" + text + "'";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", number);
  return buf;
}

Observations parse_record(const std::string& lines, const std::string& image_base) {
  Observations obs;
  json record{{"loaded", false}, {"frames", json::object()}, {"operators", json::array()}};
  std::istringstream in(lines);
  std::string text;
  while (std::getline(in, text)) {
    json line;
    try {
      line = json::parse(text);
    } catch (const json::exception&) {
      break;  // cut off where the run ended
    }
    if (!line.is_object() || !line.contains("kind")) break;
    const std::string kind = line.value("kind", "");
    if (kind == "load_error") {
      obs.load_error = line.value("message", "");
      record["load_error"] = obs.load_error;
    } else if (kind == "loaded") {
      obs.loaded = true;
      record["loaded"] = true;
      for (const auto& op : line.at("operators")) {
        ObservedOperator o;
        o.path = op.value("path", "");
        o.name = op.value("name", "");
        o.type = op.value("type", "");
        o.inputs = op.value("inputs", std::vector<std::string>{});
        obs.operators.push_back(o);
      }
      record["operators"] = line.at("operators");
    } else if (kind == "missing") {
      const std::string what = line.value("what", ""), key = line.value("key", ""), message = line.value("message", "");
      if (what == "parameter")
        obs.parameter_problems[key] = message;
      else if (what == "channel")
        obs.channel_problems[key] = message;
      else if (what == "image")
        obs.channel_problems["image:" + key] = message;
    } else if (kind == "frame") {
      const int frame = line.value("frame", 0);
      obs.output[frame] = line.value("output", "");
      json frame_record{{"output", obs.output[frame]}};
      if (line.contains("parameters")) {
        for (auto it = line["parameters"].begin(); it != line["parameters"].end(); ++it) {
          Observations::Value v;
          if (it->is_number())
            v.number = it->get<double>();
          else
            v.is_number = false, v.text = it->is_string() ? it->get<std::string>() : it->dump();
          obs.parameters[it.key()][frame] = v;
        }
        frame_record["parameters"] = line["parameters"];
      }
      if (line.contains("channels")) {
        json chans = json::object();
        for (auto it = line["channels"].begin(); it != line["channels"].end(); ++it) {
          auto& values = obs.channels[it.key()][frame];
          json named = json::object();
          for (const auto& pair : *it) {
            values.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<double>());
            named[pair.at(0).get<std::string>()] = pair.at(1);
          }
          chans[it.key()] = named;
        }
        frame_record["channels"] = chans;
      }
      if (line.contains("images"))
        for (auto it = line["images"].begin(); it != line["images"].end(); ++it)
          obs.images[it.key()][frame] = (std::filesystem::path(image_base) / it->get<std::string>()).string();
      if (line.value("done", false)) obs.frames_completed = frame;
      record["frames"][std::to_string(frame)] = frame_record;
    } else if (kind == "failure") {
      Observations::Failure f;
      f.frame = line.value("frame", 0);
      f.message = line.value("message", "");
      f.traceback = line.value("traceback", "");
      obs.failure = f;
      record["failure"] = {{"frame", f.frame}, {"message", f.message}, {"traceback", f.traceback}};
    } else if (kind == "end") {
      obs.finished = true;
      obs.output_truncated = line.value("dropped", 0) > 0;
    }
  }
  record["frames_completed"] = obs.frames_completed;
  record["finished"] = obs.finished;
  obs.record_json = record.dump(-1, ' ', false, json::error_handler_t::replace);
  return obs;
}

}  // namespace netcook::grading
