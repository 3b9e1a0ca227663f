#include "netcook/core/network.h"

#include <functional>
#include <stdexcept>

#include "netcook/core/registry.h"

namespace netcook {

Network::Network() {
  const OperatorType* base = Registry::instance().find("baseCOMP");
  if (!base) throw std::logic_error("baseCOMP is not registered");
  auto root = base->create(*base, "", nullptr, *this);
  root_.reset(static_cast<CompOperator*>(root.release()));
}

Network::~Network() = default;

Operator& Network::create(const std::string& type_name, const std::string& name, CompOperator& parent) {
  const OperatorType* type = Registry::instance().find(type_name);
  if (!type) throw std::invalid_argument("unknown operator type '" + type_name + "'");
  return parent.add_child(type->create(*type, name, &parent, *this));
}

Operator* Network::resolve(const std::string& path, const CompOperator& from) const {
  if (path.empty()) return nullptr;
  const Operator* at = path[0] == '/' ? root_.get() : &from;
  std::size_t pos = path[0] == '/' ? 1 : 0;
  while (pos <= path.size()) {
    std::size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    const std::string part = path.substr(pos, next - pos);
    pos = next + 1;
    if (part.empty() || part == ".") {
      if (next == path.size()) break;
      continue;
    }
    if (part == "..") {
      at = at->parent();
      if (!at) return nullptr;
      continue;
    }
    const auto* comp = dynamic_cast<const CompOperator*>(at);
    if (!comp) return nullptr;
    at = comp->child(part);
    if (!at) return nullptr;
  }
  return const_cast<Operator*>(at);
}

Operator* Network::find_by_id(int id) const {
  if (root_->id() == id) return root_.get();
  for (Operator* op : all_operators())
    if (op->id() == id) return op;
  return nullptr;
}

std::vector<Operator*> Network::all_operators() const {
  std::vector<Operator*> out;
  std::function<void(const CompOperator&)> walk = [&](const CompOperator& comp) {
    for (const auto& child : comp.children()) {
      out.push_back(child.get());
      if (const auto* c = dynamic_cast<const CompOperator*>(child.get())) walk(*c);
    }
  };
  walk(*root_);
  return out;
}

void Network::set_frame(double frame) {
  frame_ = frame;
  ++epoch_;
}

void Network::end_frame_pulses() {
  if (pending_value_pulses <= 0) return;
  for (Operator* op : all_operators())
    for (const auto& p : op->parameters())
      if (p->pending_restore()) p->end_frame(absolute_frame);
}

}  // namespace netcook
