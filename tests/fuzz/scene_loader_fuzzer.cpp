// libFuzzer target for the scene loader (`make fuzz`).
//
// Any bytes given as a scene must come back as a Scene or as a SceneError
// whose every diagnostic has a line and column and prints as one line of
// text; anything else (a crash, a sanitizer report, an escaping exception
// such as bad_alloc, a timeout or the RSS limit) is a finding. No expression
// engine is given: expressions stay uncompiled, so no Python is needed and
// nothing is cooked.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "netcook/scene/scene.h"

namespace {

// A diagnostic libFuzzer should report: print it, then abort so the input
// is saved as a crash.
[[noreturn]] void finding(const char* what, const std::string& text) {
  std::fprintf(stderr, "scene_loader_fuzzer: %s: %s\n", what, text.c_str());
  std::abort();
}

void check_diagnostic(const netcook::Diagnostic& d) {
  const std::string line = d.format();
  if (!d.where.known()) finding("diagnostic without a position", line);
  for (const char c : line)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) finding("raw control byte in a diagnostic", line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const netcook::Scene scene = netcook::load_scene_from_string(text, "fuzz.yaml", nullptr);
    if (!scene.network || !scene.network->project()) finding("scene without a network", text);
  } catch (const netcook::SceneError& e) {
    if (e.diagnostics().empty()) finding("SceneError without diagnostics", text);
    for (const auto& d : e.diagnostics()) check_diagnostic(d);
  }
  return 0;
}
