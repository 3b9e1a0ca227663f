// Which SIMD instruction set the kernels run with on this machine.
//
// Every kernel is compiled for several x86 targets (SSSE3 .. AVX-512) and
// picks the best one the CPU supports at run time (Highway dynamic
// dispatch). Results are identical on every target wherever a kernel
// promises bit exactness, but a golden mismatch is easier to trace when
// reports name the target, so `--version` prints this.
#pragma once

namespace netcook {

// Highway's name of the target the kernels dispatch to, e.g. "AVX3" or
// "AVX2". Never null; the string is static.
const char* simd_target_name();

}  // namespace netcook
