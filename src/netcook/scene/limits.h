// The loader's limits: how much one scene file may ask netcook to build.
//
// A scene is untrusted input (a render farm loads whatever it is given), and
// YAML lets a 1 KB file describe billions of nodes through aliases, or nest
// deeper than any stack. Every limit lives here, named, so the loader, the
// docs (docs/scene-format.md, "Limits") and the tests agree on one number.
// Each is far above what a hand-written or generated network needs and far
// below what exhausts a machine; docs/decisions.md (2026-11-27) gives the
// measurements behind them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace netcook {

// Operators in one scene, counting those that aliases repeat. Measured on
// 2 cores (docs/decisions.md): a generated 100,000-operator chain (the size
// the project promises to load) takes about 3 s of CPU and 400 MB, most of
// it yaml-cpp's; 250,000 is 2.5 times that promise at about 1 GB, the most
// a render node should spend just building a network.
constexpr std::uint64_t kMaxSceneOperators = 250000;

// Components nested inside the root (`ops:` inside `ops:`). TouchDesigner
// projects rarely go beyond ten; path resolution and the loader recurse once
// per level.
constexpr int kMaxComponentDepth = 100;

// YAML collections nested inside each other, aliases expanded. Above the
// 2 * kMaxComponentDepth + 3 levels the deepest allowed COMP network takes,
// so the component limit speaks first for nested COMPs, and below the 498
// levels where yaml-cpp 0.7's own recursion guard (2000 calls, about four
// per level) stops with nothing better than "bad file".
constexpr int kMaxYamlDepth = 400;

// YAML nodes that aliases (`*name`) add to the document, each alias counting
// the whole subtree it repeats. Every operator takes at least four nodes
// (name, body, `type`, its value), so for aliased COMPs the operator limit
// speaks first, with the clearer message; this one bounds the other bombs
// (lists of lists of parameters). Sharing a `par:` block or copying a COMP a
// few hundred times stays far below; a bomb crosses it at the alias that
// does, after microseconds of parsing.
constexpr std::uint64_t kMaxAliasExpansion = 4000000;

// Generator sizes (`resolution:` and each generator's resolutionw/h).
constexpr long long kMaxResolution = 32768;

// The longest range a scene or --frames may ask for.
constexpr int kMaxFrameCount = 10000000;

// Bytes read from a scene file, and from a DAT's `file:`. A million-operator
// scene is about 40 MB of YAML; the caps keep `netcook render /dev/zero`
// (or `file: /dev/zero`) from reading until memory runs out.
constexpr std::size_t kMaxSceneFileBytes = std::size_t{256} << 20;
constexpr std::size_t kMaxDatFileBytes = std::size_t{64} << 20;

// Diagnostics reported for one scene: past this the rest are noise, and
// computing "did you mean" for each of a million broken wires would hang.
constexpr std::size_t kMaxDiagnostics = 100;

}  // namespace netcook
