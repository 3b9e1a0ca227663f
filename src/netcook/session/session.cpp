#include "netcook/session/session.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <unordered_map>

#include "netcook/core/state.h"
#include "netcook/io/io_error.h"
#include "netcook/python/script_context.h"

namespace netcook {

namespace {

constexpr const char* kSnapshotMagic = "netcook-snapshot-2";  // 2: pulse state per parameter

// Mutes script output while alive (pre-roll), restoring it on any exit.
class MutedOutput {
 public:
  explicit MutedOutput(ScriptContext& context) : context_(context) { context_.set_output_muted(true); }
  ~MutedOutput() { context_.set_output_muted(false); }
  MutedOutput(const MutedOutput&) = delete;
  MutedOutput& operator=(const MutedOutput&) = delete;

 private:
  ScriptContext& context_;
};

// Observes script output while alive (a render), on any exit.
class ObservedOutput {
 public:
  ObservedOutput(ScriptContext& context, const std::function<void()>& before_output) : context_(context) {
    if (before_output) context_.set_output_observer(before_output);
    active_ = static_cast<bool>(before_output);
  }
  ~ObservedOutput() {
    try {
      if (active_) context_.set_output_observer(nullptr);
    } catch (...) {  // the interpreter is failing already; the render reports why
    }
  }
  ObservedOutput(const ObservedOutput&) = delete;
  ObservedOutput& operator=(const ObservedOutput&) = delete;

 private:
  ScriptContext& context_;
  bool active_ = false;
};

}  // namespace

Session::Session(const std::string& scene_path, const SessionOptions& options)
    : Session(scene_path, nullptr, options) {}

std::unique_ptr<Session> Session::from_string(const std::string& yaml, const std::string& name,
                                              const SessionOptions& options) {
  return std::unique_ptr<Session>(new Session(name, &yaml, options));
}

Session::Session(const std::string& name, const std::string* yaml, const SessionOptions& options)
    : context_(std::make_unique<ScriptContext>()), warn_(options.warn) {
  context_->set_warning_handler([this](const std::string& message) { warn(message); });
  scene_ = yaml ? load_scene_from_string(*yaml, name, context_.get()) : load_scene(name, context_.get());
  for (const auto& s : options.sets)
    for (Parameter* p : apply_parameter_override(scene_, s)) context_->note_command_line_value(*p, "--set " + s);
  for (const auto& t : options.texts) apply_text_override(scene_, t);
  check_scripts();
  check_execute_dats();
  Network& net = *scene_.network;
  cooker_ = std::make_unique<Cooker>(net, options.threads);
  context_->attach(net, *cooker_);
  net.timeline_start = 1;
  net.timeline_end = scene_.frames.last;
  stateful_ = Cooker::stateful_upstream(net.all_operators());
  for (Operator* op : net.all_operators())
    if (auto* dat = dynamic_cast<DatOperator*>(op)) dats_.push_back(dat);
  for (const auto& script : scene_.scripts) run_modes_[script.dat] = script.run;
  initial_state_ = snapshot().bytes;
}

void Session::warn(const std::string& message) {
  if (warn_) warn_(message);
  else warnings_.push_back(message);
}

namespace {

bool is_execute_dat(const Operator& op) {
  const std::string& type = op.type_name();
  return op.family() == Family::DAT && type.size() >= 10 && type.compare(type.size() - 10, 10, "executeDAT") == 0;
}

// The DAT a Script operator's callbacks parameter names (a constant one;
// empty = the sibling "<name>_callbacks"), as script_callbacks_dat finds it.
DatOperator* constant_callbacks_dat(Operator& op) {
  Parameter* callbacks = op.find_parameter("callbacks");
  if (!callbacks || callbacks->spec().type != ParType::OpRef || callbacks->mode() != ParameterMode::Constant)
    return nullptr;
  std::string path = to_display_string(callbacks->constant());
  if (path.empty()) path = op.name() + "_callbacks";
  if (!op.parent()) return nullptr;
  return dynamic_cast<DatOperator*>(op.network().resolve(path, *op.parent()));
}

}  // namespace

void Session::check_scripts() const {
  std::vector<const DatOperator*> code;
  auto add = [&](const DatOperator* dat) {
    if (dat && std::find(code.begin(), code.end(), dat) == code.end()) code.push_back(dat);
  };
  for (const auto& script : scene_.scripts)
    if (script.run != RunMode::Never) add(script.dat);
  for (Operator* op : scene_.network->all_operators()) {
    if (is_execute_dat(*op)) add(static_cast<DatOperator*>(op));
    else add(constant_callbacks_dat(*op));
  }
  std::vector<Diagnostic> errors;
  for (const DatOperator* dat : code)
    if (auto error = context_->check_syntax(*dat)) errors.push_back(std::move(*error));
  if (!errors.empty()) throw SceneError(std::move(errors));
}

void Session::check_execute_dats() {
  for (Operator* op : scene_.network->all_operators()) {
    if (!is_execute_dat(*op)) continue;
    auto* dat = static_cast<DatOperator*>(op);
    if (dat->text().find("def ") == std::string::npos) continue;
    std::vector<std::string> toggles;
    bool any_on = false, active = true;
    for (const auto& p : op->parameters()) {
      if (p->spec().type != ParType::Toggle || p->mode() != ParameterMode::Constant) {
        if (p->spec().type == ParType::Toggle) any_on = true;  // an expression may switch it on
        continue;
      }
      const ParValue& value = p->constant();
      const bool on = std::holds_alternative<bool>(value) ? std::get<bool>(value) : as_double(value) != 0;
      if (p->name() == "active") active = on;
      else {
        toggles.push_back(p->name());
        any_on = any_on || on;
      }
    }
    if (any_on || !active || toggles.empty()) continue;
    // Suggest the toggle of a callback the text defines (onFrameStart ->
    // framestart), the longest name found.
    std::string text = dat->text(), suggestion = toggles.front();
    for (auto& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::size_t best = 0;
    for (const auto& t : toggles)
      if (t.size() > best && text.find(t + "(") != std::string::npos) suggestion = t, best = t.size();
    std::string list;
    for (std::size_t i = 0; i < toggles.size(); ++i)
      list += (i == 0 ? "" : i + 1 == toggles.size() ? " or " : ", ") + toggles[i];
    auto at = scene_.locations.find(op);
    const std::string where =
        at != scene_.locations.end() && at->second.known() ? at->second.file + ":" + std::to_string(at->second.line) +
                                                                 ":" + std::to_string(at->second.column) + ": "
                                                           : scene_.file + ": ";
    warn(where + "warning: " + op->type_name() + " '" + op->name() + "' has callbacks but none of " + list +
         " is on, so none of them runs (switch one on: par: {" + suggestion + ": true})");
  }
}

Session::~Session() {
  // Python objects that refer to the network are emptied before it goes.
  if (context_) context_->detach();
}

// Timeline ------------------------------------------------------------------

void Session::start() {
  Network& net = *scene_.network;
  net.set_frame(1);
  net.absolute_frame = 0;
  cooker_->reset_state();
  context_->reset_state();  // operator storage and run() queue, as at a render's start
  started_ = true;
  frame_ = 0;
  for (DatOperator* dat : dats_) {
    auto mode = run_modes_.find(dat);
    if (mode != run_modes_.end() && mode->second == RunMode::Start) context_->run_script(*dat);
    dat->on_timeline(TimelineEvent::Start, 1, *context_, *cooker_);
  }
}

void Session::begin_frame(int frame) {
  if (watchdog_) watchdog_->frame_started();
  Network& net = *scene_.network;
  net.set_frame(frame);
  ++net.absolute_frame;
  context_->run_delayed(net.absolute_frame, /*end_of_frame=*/false);
  for (DatOperator* dat : dats_) {
    auto mode = run_modes_.find(dat);
    if (mode != run_modes_.end() && mode->second == RunMode::Frame) context_->run_script(*dat);
    dat->on_timeline(TimelineEvent::FrameStart, frame, *context_, *cooker_);
  }
  for (DatOperator* dat : dats_) dat->on_timeline(TimelineEvent::WatchChannels, frame, *context_, *cooker_);
  for (DatOperator* dat : dats_) dat->on_timeline(TimelineEvent::WatchParameters, frame, *context_, *cooker_);
  // Every stateful operator steps every frame, wired to an output or not:
  // one read only by an expression or a script must still have lived
  // through the frames before.
  cooker_->cook_all(stateful_);
}

void Session::end_frame(int frame) {
  cooker_->end_frame(stateful_);
  for (DatOperator* dat : dats_) dat->on_timeline(TimelineEvent::FrameEnd, frame, *context_, *cooker_);
  context_->run_delayed(scene_.network->absolute_frame, /*end_of_frame=*/true);
  scene_.network->end_frame_pulses();
  context_->flush_output();
  frame_ = frame;
}

void Session::advance_to(int frame) {
  if (started_ && frame <= frame_) {
    // Starting over: the scene's own parameters and texts, fresh modules.
    restore_bytes(initial_state_);
    started_ = false;
  }
  if (!started_) start();
  if (frame_ + 1 < frame) {
    MutedOutput muted(*context_);
    for (int f = frame_ + 1; f < frame; ++f) {
      if (watchdog_ && watchdog_->should_stop()) return;
      begin_frame(f);
      end_frame(f);
    }
  }
  begin_frame(frame);
}

RenderResult Session::render(const RenderRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  const FrameRange range = request.frames ? *request.frames : scene_.frames;
  scene_.network->timeline_end = std::max(range.last, scene_.frames.last);
  const std::int64_t cooks_before = cooker_->cooks_performed();
  RenderResult result;
  Watchdog watchdog(request.cancel, request.timeout_seconds, request.frame_timeout_seconds);
  watchdog_ = &watchdog;
  ObservedOutput observed(*context_, request.before_script_output);
  auto stop = [&] { return watchdog.should_stop(); };
  // After a failure or a stop: the sinks discard partial work; what went
  // wrong first is what the result reports, not a sink's later complaint.
  auto abandon_sinks = [&] {
    for (FrameSink* sink : request.sinks) {
      try {
        sink->finish(false);
      } catch (...) {
      }
    }
  };
  auto fail = [&](RenderFailure::Kind kind, const std::string& message, std::string traceback = {}) {
    result.failure = RenderFailure{kind, message, std::move(traceback)};
    abandon_sinks();
  };
  try {
    for (FrameSink* sink : request.sinks) sink->begin(scene_);
    for (int frame : range.frames()) {
      if (stop()) break;
      advance_to(frame);
      if (stop()) break;
      RenderedFrame rendered;
      rendered.frame = frame;
      for (const SceneOutput& out : scene_.outputs) {
        cooker_->cook(*out.op);
        rendered.images.push_back(out.op->image());
        if (out.audio) cooker_->cook(*out.audio);
        rendered.audio.push_back(out.audio ? out.audio->channels() : nullptr);
      }
      // The frame's end (Execute DATs' onFrameEnd) before the sinks see it:
      // a render stopped there drops the frame in flight instead of writing
      // a frame it does not count. The images are immutable, so nothing the
      // frame's end does changes them.
      end_frame(frame);
      for (FrameSink* sink : request.sinks) sink->consume(rendered);
      ++result.frames_rendered;
      if (request.progress) request.progress({frame, result.frames_rendered, range.count(), elapsed()});
    }
    result.stopped = watchdog.reason();
    for (FrameSink* sink : request.sinks) sink->finish(result.stopped == StopReason::None);
  } catch (const Interrupted& e) {
    result.stopped = watchdog.reason() == StopReason::None ? StopReason::Cancelled : watchdog.reason();
    result.stopped_in = e.what();
    abandon_sinks();
  } catch (const ScriptError& e) {
    fail(RenderFailure::Kind::Script, e.what(), e.traceback());
  } catch (const IoError& e) {
    fail(RenderFailure::Kind::Write, e.what());
  } catch (const std::exception& e) {
    fail(RenderFailure::Kind::Cook, e.what());
  }
  watchdog_ = nullptr;
  result.cooks = cooker_->cooks_performed() - cooks_before;
  result.seconds = elapsed();
  return result;
}

std::vector<CookedOutput> Session::cook(int frame, const std::vector<Operator*>& ops) {
  const bool current = started_ && frame == frame_;
  if (!current) advance_to(frame);
  std::vector<Operator*> wanted = ops;
  if (wanted.empty())
    for (Operator* op : scene_.network->all_operators())
      if (op->family() == Family::TOP || op->family() == Family::CHOP) wanted.push_back(op);
  std::vector<CookedOutput> outputs;
  for (Operator* op : wanted) {
    cooker_->cook(*op);
    CookedOutput out;
    out.op = op;
    if (auto* top = dynamic_cast<TopOperator*>(op)) out.image = top->image();
    if (auto* chop = dynamic_cast<ChopOperator*>(op)) out.channels = chop->channels();
    outputs.push_back(std::move(out));
  }
  if (!current) end_frame(frame);
  return outputs;
}

void Session::inspect_at(int frame) {
  // As a render sees the frame: the frames before it pre-rolled, then this
  // frame's scripts and callbacks run, its stateful operators stepped.
  // What scripts print is not the tree's.
  MutedOutput muted(*context_);
  advance_to(frame);
}

// Memory ----------------------------------------------------------------------

Session::MemoryEstimate Session::estimate_frame_memory() const {
  MemoryEstimate estimate;
  std::unordered_map<const Operator*, std::pair<int, int>> planned;
  // Inputs before the TOPs that read them, without recursion (any depth).
  std::vector<std::pair<const Operator*, std::size_t>> stack;
  for (const Operator* root : scene_.network->all_operators()) {
    if (root->family() != Family::TOP || planned.count(root)) continue;
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
      auto& [op, next] = stack.back();
      if (next < op->inputs().size()) {
        const Operator* in = op->inputs()[next++];
        if (in->family() == Family::TOP && !planned.count(in)) stack.emplace_back(in, 0);
        continue;
      }
      const auto* top = static_cast<const TopOperator*>(op);
      std::pair<int, int> input{0, 0};
      if (const Operator* first = op->input(0); first && planned.count(first)) input = planned[first];
      const std::pair<int, int> size = top->planned_size(input);
      planned[op] = size;
      const std::uint64_t bytes = std::uint64_t(std::max(size.first, 0)) * std::uint64_t(std::max(size.second, 0)) *
                                  Image::kChannels * sizeof(float);
      if (top->owns_output()) estimate.bytes += bytes;
      estimate.bytes += bytes * top->planned_kept_images();
      if (!estimate.largest || bytes > std::uint64_t(estimate.largest_size.first) * estimate.largest_size.second *
                                           Image::kChannels * sizeof(float)) {
        estimate.largest = top;
        estimate.largest_size = size;
      }
      stack.pop_back();
    }
  }
  const int threads = cooker_->threads() > 0 ? cooker_->threads()
                                             : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (const SceneOutput& out : scene_.outputs) {
    if (out.spec.kind != OutputKind::Image) continue;
    const auto size = planned.count(out.op) ? planned[out.op] : std::pair<int, int>{0, 0};
    estimate.bytes += std::uint64_t(3 * threads) * size.first * size.second * Image::kChannels * sizeof(float);
  }
  return estimate;
}

void Session::check_memory(std::uint64_t limit_bytes) const {
  if (limit_bytes == 0) {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page <= 0) return;
    limit_bytes = std::uint64_t(pages) * std::uint64_t(page) / 2;
  }
  const MemoryEstimate e = estimate_frame_memory();
  if (e.bytes <= limit_bytes) return;
  auto gib = [](std::uint64_t b) {
    char text[32];
    const double mib = double(b) / (1024.0 * 1024.0);
    if (mib < 1024) std::snprintf(text, sizeof text, "%.1f MiB", mib);
    else std::snprintf(text, sizeof text, "%.1f GiB", mib / 1024.0);
    return std::string(text);
  };
  std::string message = "a frame of this scene needs about " + gib(e.bytes) + " of memory, more than the limit of " +
                        gib(limit_bytes) + " (--max-memory; default: half the machine's memory)";
  if (e.largest)
    message += "; the largest image is " + e.largest->path() + " at " + std::to_string(e.largest_size.first) + "x" +
               std::to_string(e.largest_size.second);
  // At the largest image's operator: the one to make smaller.
  auto where = e.largest ? scene_.locations.find(e.largest) : scene_.locations.end();
  throw SceneError(where != scene_.locations.end() ? where->second : SourceLocation{scene_.file, 0, 0}, message);
}

// Snapshots -------------------------------------------------------------------

Snapshot Session::snapshot() const {
  const Network& net = *scene_.network;
  StateWriter w;
  w.str(kSnapshotMagic);
  w.i64(frame_);
  w.boolean(started_);
  w.i64(net.absolute_frame);
  const std::vector<Operator*> ops = net.all_operators();
  w.u64(ops.size());
  for (const Operator* op : ops) {
    w.str(op->path());
    w.u64(op->parameters().size());
    for (const auto& p : op->parameters()) {
      w.str(p->name());
      w.boolean(p->mode() == ParameterMode::Expression);
      w.value(p->constant());
      w.str(p->expression() ? p->expression()->source() : std::string());
      w.boolean(p->pulse_armed());
      w.u64(p->pulse_count());
      const auto& restore = p->pending_restore();
      w.boolean(restore.has_value());
      if (restore) {
        w.value(restore->previous);
        w.boolean(restore->previous_was_expression);
        w.i64(restore->until_frame);
      }
    }
    if (const auto* dat = dynamic_cast<const DatOperator*>(op)) {
      w.boolean(dat->is_table());
      w.u64(dat->is_table() ? dat->table().size() : 0);
      if (dat->is_table())
        for (const auto& row : dat->table()) {
          w.u64(row.size());
          for (const auto& cell : row) w.str(cell);
        }
      else
        w.str(dat->text());
    }
    StateWriter state;
    if (op->is_stateful()) op->save_state(state);
    w.str(state.bytes());
  }
  // Operator storage and delayed run() scripts, pickled.
  w.str(context_->save_state());
  return Snapshot{w.take()};
}

void Session::restore(const Snapshot& snapshot) { restore_bytes(snapshot.bytes); }

void Session::restore_bytes(const std::string& bytes) {
  Network& net = *scene_.network;
  StateReader r(bytes);
  try {
    if (r.str() != kSnapshotMagic) throw std::runtime_error("not a netcook snapshot");
    const int frame = static_cast<int>(r.i64());
    const bool started = r.boolean();
    const std::int64_t absolute_frame = r.i64();
    const std::vector<Operator*> ops = net.all_operators();
    if (r.u64() != ops.size()) throw std::runtime_error("the snapshot was taken of another network");
    for (Operator* op : ops) {
      if (r.str() != op->path()) throw std::runtime_error("the snapshot was taken of another network");
      for (std::uint64_t n = r.u64(); n > 0; --n) {
        const std::string name = r.str();
        const bool expression = r.boolean();
        const ParValue constant = r.value();
        const std::string source = r.str();
        const bool pulse_armed = r.boolean();
        const std::uint64_t pulse_count = r.u64();
        std::optional<Parameter::PendingRestore> restore;
        if (r.boolean()) {
          restore.emplace();
          restore->previous = r.value();
          restore->previous_was_expression = r.boolean();
          restore->until_frame = r.i64();
        }
        Parameter* p = op->find_parameter(name);
        if (!p) continue;  // a custom parameter made by a script that has not run here
        if (p->constant() != constant || p->mode() == ParameterMode::Expression) p->set_constant(constant);
        if (expression) {
          if (!p->expression() || p->expression()->source() != source)
            p->set_expression(context_->compile(source, SourceLocation{op->path() + "." + name, 0, 0}));
          p->set_mode(ParameterMode::Expression);
        }
        p->restore_pulse_state(pulse_armed, pulse_count, std::move(restore));
      }
      if (auto* dat = dynamic_cast<DatOperator*>(op)) {
        const bool is_table = r.boolean();
        const std::uint64_t rows = r.u64();
        if (is_table) {
          DatOperator::Table table;
          for (std::uint64_t i = 0; i < rows; ++i) {
            table.emplace_back();
            for (std::uint64_t c = r.u64(); c > 0; --c) table.back().push_back(r.str());
          }
          if (!dat->is_table() || dat->table() != table) dat->set_table(std::move(table));
        } else {
          std::string text = r.str();
          if (dat->is_table() || dat->text() != text) dat->set_text(std::move(text));
        }
      }
      const std::string state = r.str();
      if (op->is_stateful()) {
        StateReader op_state(state);
        op->restore_state(op_state);
        op->cook_state().has_output = false;
      }
    }
    const std::string python_state = r.str();
    if (!r.at_end()) throw std::runtime_error("the snapshot has trailing bytes");
    context_->restore_state(python_state);
    frame_ = frame;
    started_ = started;
    net.absolute_frame = absolute_frame;
    net.set_frame(std::max(1, frame));
  } catch (const SceneError& e) {
    throw std::runtime_error(std::string("cannot restore the snapshot: ") + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("cannot restore the snapshot: ") + e.what());
  }
  // DAT modules hold Python state a snapshot cannot carry: import afresh.
  context_->forget_modules();
}

}  // namespace netcook
