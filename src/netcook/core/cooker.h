// Cooker: pull-based, cached cooking.
//
// cook(op) makes `op`'s output current for the network's frame: it cooks
// the inputs first, evaluates the parameters and hashes them with the
// inputs' output hashes (and the frame, for time-dependent operators). When
// the hash equals the last cook's, the cached output stands: an unchanged
// constant network cooks once per sequence, not once per frame. Stateful
// operators cook exactly once per frame.
//
// Cooking walks the dependencies with an explicit stack, not recursion, so
// a chain of any depth cooks (a 100,000-operator chain needs no more C++
// stack than one operator).
#pragma once

#include <cstdint>
#include <vector>

#include "netcook/core/network.h"

namespace netcook {

class Cooker {
 public:
  // `nthreads` is handed to every cook (CookContext::nthreads): 0 lets the
  // kernels use every core.
  explicit Cooker(Network& network, int nthreads = 0) : network_(network), nthreads_(nthreads) {}

  // Throws CookError naming the operator and frame on failure.
  void cook(Operator& op);

  // Every stateful operator `targets` depend on (inputs, transitively).
  static std::vector<Operator*> stateful_upstream(const std::vector<Operator*>& targets);
  // Cooks only `ops` (and what they read) at the current frame.
  void cook_all(const std::vector<Operator*>& ops);
  // Resets every stateful operator (timeline frame 1).
  void reset_state();
  // End of the current frame: cooks what operators read as "the previous
  // frame" (a Feedback TOP's `top`) and lets each remember it.
  void end_frame(const std::vector<Operator*>& stateful);

  int threads() const { return nthreads_; }
  std::int64_t cooks_performed() const { return cooks_performed_; }

 private:
  struct Pending;
  bool needs_visit(Operator& op) const;
  void begin_visit(Operator& op, std::vector<Pending>& stack);
  void finish_visit(Pending& pending);
  Network& network_;
  int nthreads_;
  std::int64_t cooks_performed_ = 0;
};

}  // namespace netcook
