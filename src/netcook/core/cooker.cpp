#include "netcook/core/cooker.h"

#include <algorithm>
#include <unordered_set>

#include "netcook/core/hash.h"
#include "netcook/core/registry.h"

namespace netcook {

namespace {

std::string at_frame(const Network& net) { return " at frame " + to_display_string(ParValue(net.frame())); }

// A pulse is used by the cook that follows it (TouchDesigner's semantics):
// the pulses armed up to `serial` (Network::pulse_serial when the cook
// began) end here, also when the cook failed, so none fires twice. One
// armed during the cook (a Timer's onDone pulsing its own Start) waits for
// the next cook.
void consume_pulses(Operator& op, std::uint64_t serial) {
  for (const auto& p : op.parameters()) p->consume_pulse(serial);
}

}  // namespace

// An operator whose dependencies are being cooked: its parameter hash so
// far, what it depends on, and how many of those are done.
struct Cooker::Pending {
  Operator* op;
  Hasher hash;
  std::vector<Operator*> dependencies;  // inputs, then referenced operators
  std::size_t next = 0;
  std::uint64_t pulses_hashed = 0;  // Network::pulse_serial when the parameters were hashed
};

bool Cooker::needs_visit(Operator& op) const {
  const auto& state = op.cook_state_;
  // A callback reading its own operator while it cooks sees the output as
  // built so far (scriptOp[0, 0] inside onCook).
  if (state.is_cooking) return false;
  // A stateful operator steps exactly once per frame.
  return !(op.is_stateful() && state.cooked_epoch == network_.epoch() && state.has_output);
}

void Cooker::begin_visit(Operator& op, std::vector<Pending>& stack) {
  if (op.cook_state_.is_pending) {
    // The loader rejects wire cycles; operator references and scripts can
    // still ask for an operator that is waiting on itself.
    throw CookError(op.path() + ": cook cycle" + at_frame(network_));
  }
  Pending pending{&op, Hasher{}, {}, 0, network_.pulse_serial};
  try {
    pending.hash.add(op.type_name());
    for (const auto& p : op.parameters()) pending.hash.add(p->eval());
    pending.dependencies = op.inputs();
    for (Operator* ref : op.referenced_operators()) pending.dependencies.push_back(ref);
  } catch (const CookError&) {
    throw;
  } catch (const std::exception& e) {
    throw CookError(op.path() + at_frame(network_) + ": " + e.what());
  }
  op.cook_state_.is_pending = true;
  stack.push_back(std::move(pending));
}

void Cooker::finish_visit(Pending& pending) {
  Operator& op = *pending.op;
  auto& state = op.cook_state_;
  Hasher& h = pending.hash;
  for (Operator* dep : pending.dependencies) h.add(dep->cook_state_.output_hash);
  if (op.depends_on_time() || op.is_stateful()) h.add(network_.frame());
  op.hash_extra(h);
  const std::uint64_t input_hash = h.value();

  state.cooked_frame = network_.frame();
  state.cooked_epoch = network_.epoch();
  if (state.has_output && input_hash == state.input_hash && !op.is_stateful()) {
    consume_pulses(op, pending.pulses_hashed);  // the same parameters, pulses included, as last time
    return;
  }

  CookContext ctx;
  ctx.frame = network_.frame();
  ctx.rate = network_.fps;
  ctx.nthreads = nthreads_;
  state.is_cooking = true;
  op.shares_output_hash_ = false;
  const std::uint64_t pulses_seen = network_.pulse_serial;
  try {
    op.cook(ctx);
  } catch (const CookError&) {  // ScriptError included: it names its place
    state.is_cooking = false;
    consume_pulses(op, pulses_seen);
    throw;
  } catch (const std::exception& e) {
    state.is_cooking = false;
    consume_pulses(op, pulses_seen);
    throw CookError(op.path() + at_frame(network_) + ": " + e.what());
  }
  state.is_cooking = false;
  consume_pulses(op, pulses_seen);
  state.input_hash = input_hash;
  if (!op.shares_output_hash_) state.output_hash = input_hash;
  state.has_output = true;
  ++state.total_cooks;
  ++cooks_performed_;
}

void Cooker::cook(Operator& root) {
  if (!needs_visit(root)) return;
  std::vector<Pending> stack;
  try {
    begin_visit(root, stack);
    while (!stack.empty()) {
      Pending& top = stack.back();
      if (top.next < top.dependencies.size()) {
        Operator& dep = *top.dependencies[top.next++];
        if (needs_visit(dep)) begin_visit(dep, stack);  // invalidates `top`
        continue;
      }
      top.op->cook_state_.is_pending = false;
      Pending done = std::move(top);
      stack.pop_back();
      finish_visit(done);
    }
  } catch (...) {
    for (Pending& p : stack) p.op->cook_state_.is_pending = false;
    throw;
  }
}

std::vector<Operator*> Cooker::stateful_upstream(const std::vector<Operator*>& targets) {
  std::vector<Operator*> out;
  std::unordered_set<Operator*> seen;
  // Post-order (inputs before the operators that read them), iteratively.
  std::vector<std::pair<Operator*, std::size_t>> stack;
  for (Operator* t : targets) {
    if (!seen.insert(t).second) continue;
    stack.emplace_back(t, 0);
    while (!stack.empty()) {
      auto& [op, next] = stack.back();
      if (next < op->inputs().size()) {
        Operator* in = op->inputs()[next++];
        if (seen.insert(in).second) stack.emplace_back(in, 0);
        continue;
      }
      if (op->is_stateful()) out.push_back(op);
      stack.pop_back();
    }
  }
  return out;
}

void Cooker::cook_all(const std::vector<Operator*>& ops) {
  for (Operator* op : ops) cook(*op);
}

void Cooker::reset_state() {
  for (Operator* op : network_.all_operators()) {
    if (op->is_stateful()) {
      op->reset_state();
      op->cook_state_.has_output = false;
    }
  }
}

void Cooker::end_frame(const std::vector<Operator*>& stateful) {
  for (Operator* op : stateful) {
    const std::vector<Operator*> previous = op->previous_frame_references();
    if (previous.empty()) continue;
    for (Operator* ref : previous) cook(*ref);
    op->remember_frame();
  }
}

}  // namespace netcook
