#include "netcook/core/operator.h"

#include <stdexcept>

#include "netcook/core/hash.h"
#include "netcook/core/network.h"
#include "netcook/core/registry.h"

namespace netcook {

const char* to_string(Family f) {
  switch (f) {
    case Family::TOP: return "TOP";
    case Family::CHOP: return "CHOP";
    case Family::DAT: return "DAT";
    case Family::COMP: return "COMP";
  }
  return "?";
}

Operator::Operator(const OperatorType& type, std::string name, CompOperator* parent, Network& network)
    : type_(&type), name_(std::move(name)), parent_(parent), network_(&network), id_(network.allocate_id()) {
  parameters_.reserve(type.parameters.size());
  for (const auto& spec : type.parameters) parameters_.push_back(std::make_unique<Parameter>(spec, *this));
}

Operator::~Operator() = default;

const std::string& Operator::type_name() const { return type_->name; }
Family Operator::family() const { return type_->family; }

std::string Operator::path() const {
  if (!parent_) return "/";
  const std::string parent_path = parent_->path();
  return (parent_path == "/" ? "" : parent_path) + "/" + name_;
}

Parameter* Operator::find_parameter(const std::string& name) const {
  for (const auto& p : parameters_)
    if (p->name() == name) return p.get();
  for (const auto& p : parameters_)
    for (const auto& alias : p->spec().aliases)
      if (alias == name) return p.get();
  return nullptr;
}

Parameter& Operator::par(const std::string& name) const {
  Parameter* p = find_parameter(name);
  if (!p) throw std::logic_error(type_name() + " has no parameter '" + name + "'");
  return *p;
}

Parameter& Operator::add_custom_parameter(ParameterSpec spec) {
  if (find_parameter(spec.name)) throw std::invalid_argument(path() + " already has a parameter '" + spec.name + "'");
  custom_specs_.push_back(std::make_unique<ParameterSpec>(std::move(spec)));
  parameters_.push_back(std::make_unique<Parameter>(*custom_specs_.back(), *this));
  return *parameters_.back();
}

void Operator::remove_custom_parameters() {
  parameters_.resize(type_->parameters.size());
  custom_specs_.clear();
}

std::vector<std::string> Operator::parameter_names() const {
  std::vector<std::string> names;
  for (const auto& p : parameters_) names.push_back(p->name());
  return names;
}

std::vector<Operator*> Operator::outputs() const {
  std::vector<Operator*> out;
  for (Operator* op : network_->all_operators())
    for (Operator* in : op->inputs())
      if (in == this) {
        out.push_back(op);
        break;
      }
  return out;
}

std::vector<Operator*> Operator::operators_named(bool previous_frame) const {
  std::vector<Operator*> refs;
  if (!parent_) return refs;
  for (const auto& p : parameters_) {
    if (p->spec().type != ParType::OpRef || p->spec().reads_previous_frame != previous_frame) continue;
    const std::string path = to_display_string(p->eval());
    Operator* target = path.empty() ? nullptr : network_->resolve(path, *parent_);
    // Naming itself is a cycle within a frame, but a Feedback TOP may read
    // its own previous output.
    if (target && (target != this || previous_frame)) refs.push_back(target);
  }
  return refs;
}

std::vector<Operator*> Operator::referenced_operators() const { return operators_named(false); }

std::vector<Operator*> Operator::previous_frame_references() const { return operators_named(true); }

const Image* TopOperator::input_image(std::size_t i) const {
  const auto* top = dynamic_cast<const TopOperator*>(input(i));
  return top ? top->image().get() : nullptr;
}

const ChannelSet* ChopOperator::input_channels(std::size_t i) const {
  const auto* chop = dynamic_cast<const ChopOperator*>(input(i));
  return chop ? chop->channels().get() : nullptr;
}

void DatOperator::set_text(std::string text) {
  text_ = std::move(text);
  is_table_ = false;
  table_.clear();
  ++text_version_;
}

void DatOperator::set_table(Table table) {
  table_ = std::move(table);
  is_table_ = true;
  text_.clear();
  for (const auto& row : table_) {
    for (std::size_t c = 0; c < row.size(); ++c) text_ += (c ? "\t" : "") + row[c];
    text_ += "\n";
  }
  ++text_version_;
}

void DatOperator::hash_extra(Hasher& h) const { h.add(text_); }

Operator* CompOperator::child(const std::string& name) const {
  auto found = by_name_.find(name);
  return found == by_name_.end() ? nullptr : found->second;
}

Operator& CompOperator::add_child(std::unique_ptr<Operator> child) {
  by_name_.emplace(child->name(), child.get());  // the first of a name wins, as before
  children_.push_back(std::move(child));
  return *children_.back();
}

}  // namespace netcook
