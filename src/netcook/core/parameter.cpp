#include "netcook/core/parameter.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "netcook/core/network.h"
#include "netcook/core/operator.h"
#include "netcook/core/registry.h"

namespace netcook {

namespace {

std::string lower_no_spaces(const std::string& text) {
  std::string out;
  for (char c : text)
    if (c != ' ' && c != '_' && c != '-') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Candidates (what a user may type) and the names they stand for; a hint
// is "'name'" or "'name' (Label)" when a label brought it up.
struct Candidate {
  std::string typed;
  std::string name;
  std::string label;  // non-empty when `typed` came from a label
};

std::string suggest(const std::string& key, const std::vector<Candidate>& candidates) {
  std::vector<std::string> typed;
  for (const auto& c : candidates) typed.push_back(c.typed);
  std::vector<std::string> picked;
  std::string out;
  for (const auto& near : nearest_names(lower_no_spaces(key), typed, 6)) {
    for (const auto& c : candidates) {
      if (c.typed != near || std::find(picked.begin(), picked.end(), c.name) != picked.end()) continue;
      picked.push_back(c.name);
      out += std::string(out.empty() ? "" : "|") + "'" + c.name + "'" + (c.label.empty() ? "" : " (" + c.label + ")");
    }
    if (picked.size() >= 3) break;
  }
  if (picked.empty()) return "";
  // "'a'|'b'|'c'" -> "'a', 'b' or 'c'"
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t bar = out.find('|'); bar != std::string::npos; bar = out.find('|', start)) {
    parts.push_back(out.substr(start, bar - start));
    start = bar + 1;
  }
  parts.push_back(out.substr(start));
  std::string text = "; did you mean ";
  for (std::size_t i = 0; i < parts.size(); ++i)
    text += (i == 0 ? "" : i + 1 == parts.size() ? " or " : ", ") + parts[i];
  return text + "?";
}

// Words other tools (and TouchDesigner's other operators) use for a
// parameter netcook names differently.
const std::vector<std::pair<const char*, const char*>>& parameter_synonyms() {
  static const std::vector<std::pair<const char*, const char*>> synonyms{
      {"rate", "frequency"}, {"freq", "frequency"},   {"speed", "frequency"}, {"amplitude", "amp"},
      {"gain", "amp"},       {"radius", "size"},      {"width", "resolutionw"}, {"height", "resolutionh"},
      {"wave", "wavetype"},  {"shape", "wavetype"},   {"scale", "s"},         {"translate", "t"},
      {"rotate", "rotate"},  {"opacity", "opacity"},  {"color", "color"},     {"colour", "color"}};
  return synonyms;
}

// Near names and labels of a menu's entries: "; did you mean 'normal' (Gaussian)?".
std::string suggest_menu(const ParameterSpec& spec, const std::string& token) {
  std::vector<Candidate> candidates;
  for (const auto& e : spec.menu) candidates.push_back({e.name, e.name, ""});
  for (const auto& [alias, target] : spec.menu_aliases) candidates.push_back({alias, target, ""});
  for (const auto& e : spec.menu)
    if (!e.label.empty()) candidates.push_back({lower_no_spaces(e.label), e.name, e.label});
  return suggest(token, candidates);
}

}  // namespace

}  // namespace netcook

namespace netcook {

const char* to_string(ParType t) {
  switch (t) {
    case ParType::Float: return "float";
    case ParType::Int: return "int";
    case ParType::Toggle: return "toggle";
    case ParType::Menu: return "menu";
    case ParType::String: return "string";
    case ParType::OpRef: return "op";
    case ParType::Pulse: return "pulse";
  }
  return "?";
}

std::vector<std::string> ParameterSpec::menu_names() const {
  std::vector<std::string> names;
  for (const auto& e : menu) names.push_back(e.name);
  return names;
}

int ParameterSpec::menu_index(const std::string& token) const {
  for (std::size_t i = 0; i < menu.size(); ++i)
    if (menu[i].name == token) return static_cast<int>(i);
  for (const auto& [alias, target] : menu_aliases)
    if (alias == token) return menu_index(target);
  // The label the UI shows ("Gaussian"), as TouchDesigner's menus accept.
  for (std::size_t i = 0; i < menu.size(); ++i)
    if (!menu[i].label.empty() && menu[i].label == token) return static_cast<int>(i);
  return -1;
}

std::string suggest_parameter(const std::string& key, const std::vector<ParameterSpec>& specs) {
  std::vector<Candidate> candidates;
  auto known = [&](const std::string& name) {
    for (const auto& s : specs)
      if (s.name == name || s.group == name) return true;
    return false;
  };
  for (const auto& s : specs) {
    if (!s.group.empty()) candidates.push_back({s.group, s.group, ""});
    candidates.push_back({s.name, s.name, ""});
    for (const auto& alias : s.aliases) candidates.push_back({alias, s.name, ""});
  }
  for (const auto& s : specs)
    if (!s.label.empty() && lower_no_spaces(s.label) != s.name)
      candidates.push_back({lower_no_spaces(s.label), s.name, s.label});
  for (const auto& [word, name] : parameter_synonyms())
    if (known(name) && word != std::string(name)) candidates.push_back({word, name, ""});
  return suggest(key, candidates);
}

namespace {
std::string quoted_list(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + ("'" + names[i] + "'");
  return s;
}

double clamp_to_spec(const ParameterSpec& spec, double x) {
  if (spec.min && x < *spec.min) x = *spec.min;
  if (spec.max && x > *spec.max) x = *spec.max;
  return x;
}
}  // namespace

std::optional<ParValue> convert_to_type(const ParameterSpec& spec, const ParValue& value,
                                        std::string* error) {
  auto fail = [&](const std::string& msg) -> std::optional<ParValue> {
    if (error) *error = msg;
    return std::nullopt;
  };
  const bool is_text = std::holds_alternative<std::string>(value);
  switch (spec.type) {
    case ParType::Float:
      if (is_text) return fail("parameter '" + spec.name + "' expects a number, not a string");
      if (!std::isfinite(as_double(value)))
        return fail("parameter '" + spec.name + "' expects a finite number");
      return ParValue(clamp_to_spec(spec, as_double(value)));
    case ParType::Pulse:
      if (is_text)
        return fail("parameter '" + spec.name + "' is a pulse; give true to pulse it on the first cook, or an "
                    "expression that is non-zero on the frames it pulses, not a string");
      if (!std::isfinite(as_double(value))) return fail("parameter '" + spec.name + "' expects a finite number");
      return ParValue(std::int64_t{as_double(value) != 0.0 ? 1 : 0});
    case ParType::Int: {
      if (is_text) return fail("parameter '" + spec.name + "' expects an integer, not a string");
      const double d = as_double(value);
      if (!std::isfinite(d)) return fail("parameter '" + spec.name + "' expects a finite number");
      // TouchDesigner rounds floats assigned to int parameters.
      return ParValue(static_cast<std::int64_t>(std::llround(clamp_to_spec(spec, d))));
    }
    case ParType::Toggle:
      if (is_text) {
        const auto& s = std::get<std::string>(value);
        if (s == "on" || s == "true" || s == "True") return ParValue(true);
        if (s == "off" || s == "false" || s == "False") return ParValue(false);
        return fail("parameter '" + spec.name + "' is a toggle; expected true or false, not '" + s + "'");
      }
      return ParValue(as_double(value) != 0.0);
    case ParType::Menu: {
      if (is_text) {
        const auto& s = std::get<std::string>(value);
        const int i = spec.menu_index(s);
        if (i < 0)
          return fail("'" + s + "' is not an entry of menu parameter '" + spec.name + "'" + suggest_menu(spec, s) +
                      " (allowed: " + quoted_list(spec.menu_names()) + ")");
        return ParValue(spec.menu[static_cast<std::size_t>(i)].name);
      }
      if (std::holds_alternative<double>(value) && as_double(value) != std::floor(as_double(value)))
        return fail("menu parameter '" + spec.name + "' takes an entry name or an integer index");
      const double d = as_double(value);
      if (d < 0 || d >= static_cast<double>(spec.menu.size()))
        return fail("menu index " + to_display_string(value) + " is out of range for '" + spec.name +
                    "' (0.." + std::to_string(spec.menu.size() - 1) + ": " +
                    quoted_list(spec.menu_names()) + ")");
      return ParValue(spec.menu[static_cast<std::size_t>(d)].name);
    }
    case ParType::String:
    case ParType::OpRef:
      if (is_text) return value;
      return ParValue(to_display_string(value));
  }
  return fail("unsupported parameter type");
}

namespace {
// Index of a (converted) menu value, -1 for other types.
int menu_index_of(const ParameterSpec& spec, const ParValue& v) {
  if (spec.type != ParType::Menu || !std::holds_alternative<std::string>(v)) return -1;
  return spec.menu_index(std::get<std::string>(v));
}
}  // namespace

Parameter::Parameter(const ParameterSpec& spec, Operator& owner)
    : spec_(&spec),
      owner_(&owner),
      constant_(spec.default_value),
      default_(spec.default_value),
      constant_menu_index_(menu_index_of(spec, spec.default_value)) {}

void Parameter::set_constant(const ParValue& value) {
  std::string error;
  auto converted = convert_to_type(*spec_, value, &error);
  if (!converted) throw std::invalid_argument(error);
  mode_ = ParameterMode::Constant;
  cached_epoch_ = 0;
  ++version_;
  forget_restore();  // a value set outright outlives a pulse in progress
  if (spec_->type == ParType::Pulse) {
    // A pulse holds no value: a non-zero one is a pulse.
    if (as_double(*converted) != 0.0) pulse();
    return;
  }
  constant_ = std::move(*converted);
  constant_menu_index_ = menu_index_of(*spec_, constant_);
}

void Parameter::pulse() {
  if (spec_->type != ParType::Pulse)
    throw std::invalid_argument("parameter '" + spec_->name + "' is a " + to_string(spec_->type) +
                                " parameter, not a pulse: pulse it with a value, par.pulse(value)");
  pulse_armed_ = true;
  armed_serial_ = ++owner_->network().pulse_serial;
  ++pulse_count_;
  ++version_;
}

void Parameter::pulse_value(const ParValue& value, int frames) {
  if (spec_->type == ParType::Pulse) {
    pulse();
    return;
  }
  const std::optional<PendingRestore> earlier = restore_;
  PendingRestore restore;
  restore.previous = earlier ? earlier->previous : constant_;
  restore.previous_was_expression = earlier ? earlier->previous_was_expression : mode_ == ParameterMode::Expression;
  set_constant(value);  // throws before anything changed when the value does not fit
  Network& net = owner_->network();
  restore.until_frame = frames <= 0 ? -1 : std::max<std::int64_t>(net.absolute_frame, 1) + frames - 1;
  restore.serial = ++net.pulse_serial;
  restore_ = std::move(restore);
  ++net.pending_value_pulses;
}

void Parameter::forget_restore() {
  if (!restore_) return;
  restore_.reset();
  --owner_->network().pending_value_pulses;
}

void Parameter::undo_value_pulse() {
  PendingRestore restore = std::move(*restore_);
  forget_restore();
  constant_ = std::move(restore.previous);
  constant_menu_index_ = menu_index_of(*spec_, constant_);
  mode_ = restore.previous_was_expression && expression_ ? ParameterMode::Expression : ParameterMode::Constant;
  cached_epoch_ = 0;
  ++version_;
}

void Parameter::consume_pulse(std::uint64_t serial) {
  if (pulse_armed_ && armed_serial_ <= serial) {
    pulse_armed_ = false;
    ++version_;
  }
  if (restore_ && restore_->until_frame < 0 && restore_->serial <= serial) undo_value_pulse();
}

void Parameter::end_frame(std::int64_t absolute_frame) {
  if (restore_ && restore_->until_frame >= 0 && absolute_frame >= restore_->until_frame) undo_value_pulse();
}

void Parameter::restore_pulse_state(bool armed, std::uint64_t count, std::optional<PendingRestore> restore) {
  pulse_armed_ = armed;
  armed_serial_ = 0;  // armed before anything that runs after the restore
  pulse_count_ = count;
  forget_restore();
  if (restore) {
    restore->serial = 0;
    restore_ = std::move(restore);
    ++owner_->network().pending_value_pulses;
  }
  cached_epoch_ = 0;
  ++version_;
}

void Parameter::set_expression(std::shared_ptr<Expression> expr) {
  forget_restore();
  expression_ = std::move(expr);
  mode_ = expression_ ? ParameterMode::Expression : ParameterMode::Constant;
  cached_epoch_ = 0;
  ++version_;
}

void Parameter::set_mode(ParameterMode mode) {
  if (mode == ParameterMode::Expression && !expression_)
    throw std::invalid_argument("parameter '" + spec_->name + "' has no expression");
  mode_ = mode;
  cached_epoch_ = 0;
  ++version_;
}

void Parameter::set_default(const ParValue& value) {
  default_ = value;
  constant_ = value;
  constant_menu_index_ = menu_index_of(*spec_, constant_);
  cached_epoch_ = 0;
  ++version_;
}

void Parameter::reset() {
  forget_restore();
  pulse_armed_ = false;
  constant_ = default_;
  constant_menu_index_ = menu_index_of(*spec_, constant_);
  mode_ = ParameterMode::Constant;
  cached_epoch_ = 0;
  ++version_;
}

const ParValue& Parameter::eval() {
  static const ParValue kPulsed{std::int64_t{1}};
  if (pulse_armed_) return kPulsed;
  if (mode_ == ParameterMode::Constant || !expression_) return constant_;
  Network& net = owner_->network();
  if (cached_epoch_ == net.epoch()) return cached_;
  if (!net.expressions) throw CookError("no expression engine to evaluate '" + spec_->name + "'");
  ParValue raw = net.expressions->evaluate(*expression_, *owner_, *spec_);
  std::string error;
  auto converted = convert_to_type(*spec_, raw, &error);
  if (!converted)
    throw CookError(owner_->path() + ": expression of parameter '" + spec_->name +
                    "' at frame " + to_display_string(ParValue(net.frame())) + ": " + error);
  cached_ = std::move(*converted);
  cached_menu_index_ = menu_index_of(*spec_, cached_);
  cached_epoch_ = net.epoch();
  return cached_;
}

int Parameter::eval_menu_index() {
  const ParValue& v = eval();
  return &v == &constant_ ? constant_menu_index_ : cached_menu_index_;
}

namespace par {
ParameterSpec real(std::string name, std::string label, double def, std::string help) {
  ParameterSpec s;
  s.name = std::move(name);
  s.label = std::move(label);
  s.type = ParType::Float;
  s.default_value = def;
  s.help = std::move(help);
  return s;
}
ParameterSpec integer(std::string name, std::string label, std::int64_t def, std::string help) {
  ParameterSpec s = real(std::move(name), std::move(label), 0, std::move(help));
  s.type = ParType::Int;
  s.default_value = def;
  return s;
}
ParameterSpec toggle(std::string name, std::string label, bool def, std::string help) {
  ParameterSpec s = real(std::move(name), std::move(label), 0, std::move(help));
  s.type = ParType::Toggle;
  s.default_value = def;
  return s;
}
ParameterSpec menu(std::string name, std::string label, std::vector<MenuEntry> entries,
                   std::string def, std::string help) {
  ParameterSpec s = real(std::move(name), std::move(label), 0, std::move(help));
  s.type = ParType::Menu;
  s.menu = std::move(entries);
  s.default_value = std::move(def);
  return s;
}
ParameterSpec text(std::string name, std::string label, std::string def, std::string help) {
  ParameterSpec s = real(std::move(name), std::move(label), 0, std::move(help));
  s.type = ParType::String;
  s.default_value = std::move(def);
  return s;
}
ParameterSpec op_ref(std::string name, std::string label, std::string help) {
  ParameterSpec s = text(std::move(name), std::move(label), "", std::move(help));
  s.type = ParType::OpRef;
  return s;
}
ParameterSpec pulse(std::string name, std::string label, std::string help) {
  ParameterSpec s = real(std::move(name), std::move(label), 0, std::move(help));
  s.type = ParType::Pulse;
  s.default_value = std::int64_t{0};
  return s;
}
}  // namespace par

// ---- Typed handles -------------------------------------------------------

Parameter& ParHandle::parameter(const Operator& op) const {
  // One pointer comparison: cheap next to the string search it replaces,
  // and it turns a handle of another operator type into an error instead
  // of a read of whatever parameter sits at the same index.
  if (op.type().parameter_set != owner_)
    throw std::logic_error("parameter handle '" + name_ + "' was declared for another operator type than " +
                           op.type_name());
  return *op.parameters()[index_];
}

int ParHandle::eval_menu_index(const Operator& op) const { return parameter(op).eval_menu_index(); }

const ParValue& ParHandle::eval_value(const Operator& op) const { return parameter(op).eval(); }

const ParValue& ParHandle::planned_value(const Operator& op) const { return parameter(op).planned(); }

int ParHandle::planned_menu_index(const Operator& op) const {
  const Parameter& p = parameter(op);
  return std::max(0, p.spec().menu_index(to_display_string(p.planned())));
}

ParameterBinding ParameterSet::binding_for(const ParameterSpec& s, ParType type) {
  ParameterBinding b;
  b.name = s.name;
  b.type = type;
  return b;
}

std::size_t ParameterSet::add(ParameterSpec spec, ParameterBinding binding) {
  binding.index = specs_.size();
  specs_.push_back(std::move(spec));
  bindings_.push_back(std::move(binding));
  return specs_.size() - 1;
}

void ParameterSet::clamp_spec(std::size_t index, std::optional<double> min, std::optional<double> max) {
  ParameterSpec& s = specs_[index];
  s.min = min;
  s.max = max;
  if (!min && !max) return;
  auto text = [](double v) { return to_display_string(ParValue(v)); };
  const std::string range = !max   ? "at least " + text(*min)
                            : !min ? "at most " + text(*max)
                                   : "[" + text(*min) + ", " + text(*max) + "]";
  s.help += " Clamped to " + range + " (scene, --set, scripts and expressions alike).";
}

}  // namespace netcook
