// FrameEvents: the Python that runs at timeline events, in a fixed order.
//
// start():         run: start scripts and Execute DATs' onStart(), in
//                  document order (depth first).
// frame_start(f):  run: frame scripts and Execute DATs' onFrameStart(f), in
//                  document order; then CHOP Execute DATs (which cook their
//                  CHOP); then Parameter Execute DATs. All before the frame's
//                  outputs cook, so what they set is what this frame cooks.
// frame_end(f):    Execute DATs' onFrameEnd(f), after the outputs cooked.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "netcook/scene/scene.h"

namespace netcook {

class PythonRuntime;

class FrameEvents {
 public:
  FrameEvents(Scene& scene, PythonRuntime& python);
  ~FrameEvents();
  void start();
  void frame_start(int frame);
  void frame_end(int frame);

 private:
  struct Watch;
  void run_chop_executes();
  void run_parameter_executes();
  Scene& scene_;
  PythonRuntime& python_;
  std::vector<DatOperator*> dats_;  // every DAT, document order
  std::map<DatOperator*, RunMode> run_modes_;
  std::map<DatOperator*, std::unique_ptr<Watch>> watches_;
};

}  // namespace netcook
