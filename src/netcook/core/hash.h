// Hasher: the 64-bit content hash behind cook caching.
//
// An operator's cook hash covers its type, every evaluated parameter value,
// its inputs' output hashes and, for operators that depend on time, the
// frame. Equal hash = equal result, so the cached output is reused.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "netcook/core/value.h"

namespace netcook {

class Hasher {
 public:
  Hasher& add(std::uint64_t v) {
    // splitmix64-style mixing of each word into the running state.
    state_ ^= v + 0x9e3779b97f4a7c15ULL + (state_ << 6) + (state_ >> 2);
    state_ = mix(state_);
    return *this;
  }
  Hasher& add(double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    return add(bits);
  }
  Hasher& add(const std::string& s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a over the bytes
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    return add(h).add(static_cast<std::uint64_t>(s.size()));
  }
  Hasher& add(const ParValue& v) {
    add(static_cast<std::uint64_t>(v.index()));
    if (auto b = std::get_if<bool>(&v)) return add(static_cast<std::uint64_t>(*b));
    if (auto i = std::get_if<std::int64_t>(&v)) return add(static_cast<std::uint64_t>(*i));
    if (auto d = std::get_if<double>(&v)) return add(*d);
    return add(std::get<std::string>(v));
  }
  std::uint64_t value() const { return state_; }

  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_ = 0x6a09e667f3bcc908ULL;
};

}  // namespace netcook
