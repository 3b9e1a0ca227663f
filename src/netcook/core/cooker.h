// Cooker: pull-based, cached cooking.
//
// cook(op) makes `op`'s output current for the network's frame: it cooks
// the inputs first, evaluates the parameters and hashes them with the
// inputs' output hashes (and the frame, for time-dependent operators). When
// the hash equals the last cook's, the cached output stands: an unchanged
// constant network cooks once per sequence, not once per frame. Stateful
// operators cook exactly once per frame.
#pragma once

#include <cstdint>
#include <vector>

#include "netcook/core/network.h"

namespace netcook {

class Cooker {
 public:
  explicit Cooker(Network& network, int nthreads = 0) : network_(network), nthreads_(nthreads) {}

  // Throws CookError naming the operator and frame on failure.
  void cook(Operator& op);

  // Every stateful operator `targets` depend on (inputs, transitively).
  static std::vector<Operator*> stateful_upstream(const std::vector<Operator*>& targets);
  // Cooks only `ops` (and what they read) at the current frame.
  void cook_all(const std::vector<Operator*>& ops);
  // Resets every stateful operator (timeline frame 1).
  void reset_state();

  std::int64_t cooks_performed() const { return cooks_performed_; }

 private:
  void cook_recursive(Operator& op, std::vector<Operator*>& stack);
  Network& network_;
  int nthreads_;
  std::int64_t cooks_performed_ = 0;
};

}  // namespace netcook
