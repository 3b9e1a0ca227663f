#include "netcook/core/cooker.h"

#include <algorithm>
#include <functional>
#include <set>

#include "netcook/core/hash.h"
#include "netcook/core/registry.h"

namespace netcook {

void Cooker::cook(Operator& op) {
  std::vector<Operator*> stack;
  cook_recursive(op, stack);
}

void Cooker::cook_recursive(Operator& op, std::vector<Operator*>& stack) {
  auto& state = op.cook_state_;
  // A callback reading its own operator while it cooks sees the output as
  // built so far (scriptOp[0, 0] inside onCook).
  if (state.is_cooking) return;
  // A stateful operator steps exactly once per frame.
  if (op.is_stateful() && state.cooked_epoch == network_.epoch() && state.has_output) return;
  if (std::find(stack.begin(), stack.end(), &op) != stack.end()) {
    // The loader rejects cycles; a script can still request a cook from
    // inside a cook (op('x').cook() in a callback of x's input).
    throw CookError(op.path() + ": cook cycle at frame " + to_display_string(ParValue(network_.frame())));
  }
  Hasher h;
  std::vector<Operator*> references;
  try {
    h.add(op.type_name());
    for (const auto& p : op.parameters()) h.add(p->eval());
    references = op.referenced_operators();
  } catch (const CookError&) {
    throw;
  } catch (const std::exception& e) {
    throw CookError(op.path() + " at frame " + to_display_string(ParValue(network_.frame())) + ": " + e.what());
  }
  stack.push_back(&op);
  for (Operator* in : op.inputs()) cook_recursive(*in, stack);
  for (Operator* ref : references) cook_recursive(*ref, stack);
  stack.pop_back();
  for (Operator* in : op.inputs()) h.add(in->cook_state_.output_hash);
  for (Operator* ref : references) h.add(ref->cook_state_.output_hash);
  if (op.depends_on_time() || op.is_stateful()) h.add(network_.frame());
  op.hash_extra(h);
  const std::uint64_t input_hash = h.value();

  state.cooked_frame = network_.frame();
  state.cooked_epoch = network_.epoch();
  if (state.has_output && input_hash == state.input_hash && !op.is_stateful()) return;

  CookContext ctx;
  ctx.frame = network_.frame();
  ctx.rate = network_.fps;
  ctx.nthreads = nthreads_;
  state.is_cooking = true;
  op.shares_output_hash_ = false;
  try {
    op.cook(ctx);
  } catch (const CookError&) {
    state.is_cooking = false;
    throw;
  } catch (const std::exception& e) {
    state.is_cooking = false;
    throw CookError(op.path() + " at frame " + to_display_string(ParValue(network_.frame())) + ": " + e.what());
  }
  state.is_cooking = false;
  state.input_hash = input_hash;
  if (!op.shares_output_hash_) state.output_hash = input_hash;
  state.has_output = true;
  ++state.total_cooks;
  ++cooks_performed_;
}

std::vector<Operator*> Cooker::stateful_upstream(const std::vector<Operator*>& targets) {
  std::vector<Operator*> out;
  std::set<Operator*> seen;
  std::function<void(Operator*)> visit = [&](Operator* op) {
    if (!seen.insert(op).second) return;
    for (Operator* in : op->inputs()) visit(in);
    if (op->is_stateful()) out.push_back(op);
  };
  for (Operator* t : targets) visit(t);
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

}  // namespace netcook
