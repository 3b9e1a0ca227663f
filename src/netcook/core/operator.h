// Operators: the nodes of a network.
//
// Every operator has a type (from the registry), a name unique among its
// siblings, a parent COMP, parameters and input wires. The four families
// keep their output in their own base class: TopOperator an Image,
// ChopOperator a ChannelSet, DatOperator text, CompOperator its children.
// Concrete operators (ops/) implement cook(), which reads evaluated
// parameters and cooked inputs and sets the output.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "netcook/core/channels.h"
#include "netcook/core/image.h"
#include "netcook/core/parameter.h"

namespace netcook {

class CompOperator;
class Cooker;
class Network;
class ScriptHost;
class StateReader;
class StateWriter;
struct OperatorType;

enum class Family { TOP, CHOP, DAT, COMP };
const char* to_string(Family f);

// What a cook may read: the frame being cooked and the thread budget.
struct CookContext {
  double frame = 1;
  double rate = 60;
  double seconds() const { return (frame - 1) / rate; }
  int nthreads = 0;  // 0 = kernels' global default
};

class Operator {
 public:
  Operator(const OperatorType& type, std::string name, CompOperator* parent, Network& network);
  virtual ~Operator();
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;

  const OperatorType& type() const { return *type_; }
  const std::string& type_name() const;  // "noiseTOP"
  Family family() const;
  const std::string& name() const { return name_; }
  std::string path() const;  // "/project1/noise1"
  CompOperator* parent() const { return parent_; }
  Network& network() const { return *network_; }
  int id() const { return id_; }

  // Parameters, in declaration order.
  const std::vector<std::unique_ptr<Parameter>>& parameters() const { return parameters_; }
  // By script name or alias; nullptr when the type has no such parameter.
  Parameter* find_parameter(const std::string& name) const;
  Parameter& par(const std::string& name) const;  // throws std::logic_error if missing

  // Custom parameters (Script operators' onSetupParameters): appended
  // after the built-in ones; the operator owns their specs.
  Parameter& add_custom_parameter(ParameterSpec spec);
  void remove_custom_parameters();
  // All parameter specs, built-in then custom (for suggestions and docs).
  std::vector<std::string> parameter_names() const;

  // Wires, in input order.
  const std::vector<Operator*>& inputs() const { return inputs_; }
  void set_inputs(std::vector<Operator*> inputs) { inputs_ = std::move(inputs); }
  Operator* input(std::size_t i) const { return i < inputs_.size() ? inputs_[i] : nullptr; }
  // Operators whose inputs include this one, in document order.
  std::vector<Operator*> outputs() const;
  // Operators named by this one's operator-reference parameters (a Select
  // CHOP's `chop`, a Script operator's callbacks DAT), resolved like op()
  // from its parent. The cooker treats them as dependencies, like wires.
  std::vector<Operator*> referenced_operators() const;
  // Operators named by parameters that read the *previous* frame (a
  // Feedback TOP's `top`): not dependencies of this frame's cook, so a
  // loop through them is legal. At the end of every frame the cooker cooks
  // them and calls remember_frame(), which keeps what the next frame reads.
  std::vector<Operator*> previous_frame_references() const;

  // Cook interface --------------------------------------------------------
  // Reads the current frame directly (beyond parameter expressions), so it
  // must recook on every frame even when nothing else changed.
  virtual bool depends_on_time() const { return false; }
  // Remembers earlier frames (LFO, timer, feedback): reset at timeline frame
  // 1, stepped exactly once per frame, pre-rolled for ranges starting later.
  // save_state/restore_state carry exactly what reset_state clears, so a
  // session snapshot resumes with identical results.
  virtual bool is_stateful() const { return false; }
  virtual void reset_state() {}
  virtual void save_state(StateWriter&) const {}
  // Throws std::runtime_error on a malformed record.
  virtual void restore_state(StateReader&) {}
  // End of frame: previous_frame_references() have been cooked at this
  // frame; keep what the next frame needs from them.
  virtual void remember_frame() {}
  // Opens the files this operator reads (a Movie File In's movie) once its
  // parameters are set, so a missing or unreadable file is a scene error
  // before anything cooks. Returns nullopt when all is well, else the
  // parameter at fault and the message (naming the path).
  struct FileProblem {
    std::string parameter;
    std::string message;
  };
  virtual std::optional<FileProblem> open_files() { return std::nullopt; }
  // Mixes anything beyond parameters and inputs that changes the result.
  virtual void hash_extra(class Hasher&) const {}
  // Produces the output. Throws CookError (or any std::exception, which the
  // cooker wraps with the operator's path and the frame).
  virtual void cook(const CookContext& ctx) = 0;

  // Cook bookkeeping, maintained by the Cooker.
  struct CookState {
    std::uint64_t input_hash = 0;   // hash of what the last cook read
    std::uint64_t output_hash = 0;  // identifies the output (shared by pass-throughs)
    bool has_output = false;
    double cooked_frame = -1e300;  // frame of the last cook or cache check
    std::uint64_t cooked_epoch = 0;
    std::int64_t total_cooks = 0;
    bool is_cooking = false;
    bool is_pending = false;  // on a cook stack, waiting for its dependencies
  };
  CookState& cook_state() { return cook_state_; }
  const CookState& cook_state() const { return cook_state_; }

 protected:
  // Pass-throughs (Null) call this so downstream caches see the input's hash.
  void share_output_hash_with(const Operator& input) {
    cook_state_.output_hash = input.cook_state_.output_hash;
    shares_output_hash_ = true;
  }

 private:
  friend class Cooker;
  std::vector<Operator*> operators_named(bool previous_frame) const;
  const OperatorType* type_;
  std::string name_;
  CompOperator* parent_;
  Network* network_;
  int id_;
  std::vector<std::unique_ptr<Parameter>> parameters_;
  std::vector<std::unique_ptr<ParameterSpec>> custom_specs_;
  std::vector<Operator*> inputs_;
  CookState cook_state_;
  bool shares_output_hash_ = false;
};

class TopOperator : public Operator {
 public:
  using Operator::Operator;
  const std::shared_ptr<const Image>& image() const { return image_; }
  // The size the output will have, judged before anything cooks from
  // constant parameters (an expression counts as its default), given the
  // planned size of input 0 (0 x 0 without one): for the memory estimate a
  // session makes at load. Filters keep their input's size.
  virtual std::pair<int, int> planned_size(std::pair<int, int> input) const { return input; }
  // Whether the output is a buffer of its own (a Null passes its input's on).
  virtual bool owns_output() const { return true; }
  // Images of the planned output size this TOP keeps across frames as state
  // (a Cache TOP's cached frames), for the same estimate.
  virtual std::uint64_t planned_kept_images() const { return 0; }
  int width() const { return image_ ? image_->width() : 0; }
  int height() const { return image_ ? image_->height() : 0; }

 protected:
  void set_image(std::shared_ptr<const Image> image) { image_ = std::move(image); }
  // Hands `source`'s image on unchanged (the same buffer, no copy) with its
  // output hash, so operators downstream see no change.
  void pass_through(const TopOperator& source) {
    set_image(source.image());
    share_output_hash_with(source);
  }
  // The image of input `i` (cooked by the Cooker before cook() runs), or
  // nullptr when that input is not wired.
  const Image* input_image(std::size_t i) const;

 private:
  std::shared_ptr<const Image> image_;
};

class ChopOperator : public Operator {
 public:
  using Operator::Operator;
  const std::shared_ptr<const ChannelSet>& channels() const { return channels_; }

 protected:
  void set_channels(std::shared_ptr<const ChannelSet> c) { channels_ = std::move(c); }
  const ChannelSet* input_channels(std::size_t i) const;

 private:
  std::shared_ptr<const ChannelSet> channels_;
};

// Timeline events, in the order a frame sees them: Start once before the
// first frame; per frame FrameStart (run: frame scripts and Execute DATs, in
// document order), WatchChannels (CHOP Execute DATs), WatchParameters
// (Parameter Execute DATs), then the outputs cook, then FrameEnd.
enum class TimelineEvent { Start, FrameStart, WatchChannels, WatchParameters, FrameEnd };

class DatOperator : public Operator {
 public:
  using Operator::Operator;
  // Execute DATs call their callbacks here; `cooker` cooks what they watch.
  virtual void on_timeline(TimelineEvent, int /*frame*/, ScriptHost&, Cooker&) {}
  using Table = std::vector<std::vector<std::string>>;
  // The DAT's own text (scene `text:`/`file:`, or set by a script). A table
  // DAT's text is its cells, tab-separated, one row per line.
  const std::string& text() const { return text_; }
  void set_text(std::string text);
  // Replaces the content with `text` as this kind of DAT reads text: a text
  // DAT keeps it, a table DAT parses it as tab-separated rows (a script's
  // `dat.text = ...`, `--text DAT=FILE`; a `source_path` ending in .csv
  // means comma-separated). Throws std::invalid_argument, naming the line
  // and column, when a table cannot be read from it.
  virtual void assign_text(std::string text, const std::string& source_path = "") {
    (void)source_path;
    set_text(std::move(text));
  }
  std::uint64_t text_version() const { return text_version_; }
  // Table content: rows of cells. A text DAT reads as a one-column table
  // of its lines.
  bool is_table() const { return is_table_; }
  const Table& table() const { return table_; }
  void set_table(Table table);
  // Where the text came from, so script errors point into the scene file:
  // line 1 of the text is `text_origin.line`.
  SourceLocation text_origin;
  void hash_extra(Hasher& h) const override;
  void cook(const CookContext&) override {}

 private:
  std::string text_;
  std::uint64_t text_version_ = 0;
  bool is_table_ = false;
  Table table_;
};

class CompOperator : public Operator {
 public:
  using Operator::Operator;
  const std::vector<std::unique_ptr<Operator>>& children() const { return children_; }
  Operator* child(const std::string& name) const;
  Operator& add_child(std::unique_ptr<Operator> child);
  void cook(const CookContext&) override {}

 private:
  std::vector<std::unique_ptr<Operator>> children_;
  // By name, so path lookups stay fast in networks of any width.
  std::unordered_map<std::string, Operator*> by_name_;
};

}  // namespace netcook
