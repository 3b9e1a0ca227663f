// Operator state across frames, saved and restored as bytes.
//
// Stateful operators (LFO, timer, feedback, the Execute DATs' remembered
// values) write what they carry from one frame to the next with a
// StateWriter and read it back with a StateReader. A session's snapshot
// is these records plus the timeline position and every parameter, so a
// render resumed from a snapshot gives the bytes an uninterrupted render
// gives. The encoding is little-endian and private to one netcook build:
// a snapshot is a cache, not an interchange format.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "netcook/core/value.h"

namespace netcook {

class StateWriter {
 public:
  void f64(double v) { raw(&v, sizeof v); }
  void f32(float v) { raw(&v, sizeof v); }
  void i64(std::int64_t v) { raw(&v, sizeof v); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void boolean(bool v) { bytes_.push_back(v ? 1 : 0); }
  void str(const std::string& s) {
    u64(s.size());
    raw(s.data(), s.size());
  }
  void floats(const std::vector<float>& v) {
    u64(v.size());
    raw(v.data(), v.size() * sizeof(float));
  }
  void value(const ParValue& v) {
    bytes_.push_back(static_cast<char>(v.index()));
    std::visit([this](const auto& x) { write_one(x); }, v);
  }
  const std::string& bytes() const { return bytes_; }
  std::string take() { return std::move(bytes_); }

 private:
  void write_one(bool v) { boolean(v); }
  void write_one(std::int64_t v) { i64(v); }
  void write_one(double v) { f64(v); }
  void write_one(const std::string& v) { str(v); }
  void raw(const void* p, std::size_t n) { bytes_.append(static_cast<const char*>(p), n); }
  std::string bytes_;
};

// Throws std::runtime_error on a truncated or malformed record.
class StateReader {
 public:
  explicit StateReader(const std::string& bytes) : bytes_(bytes) {}
  double f64() { return get<double>(); }
  float f32() { return get<float>(); }
  std::int64_t i64() { return get<std::int64_t>(); }
  std::uint64_t u64() { return get<std::uint64_t>(); }
  bool boolean() { return get<char>() != 0; }
  std::string str() {
    const std::size_t n = length(1);
    std::string s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::vector<float> floats() {
    const std::size_t n = length(sizeof(float));
    std::vector<float> v(n);
    if (n) std::memcpy(v.data(), bytes_.data() + pos_, n * sizeof(float));
    pos_ += n * sizeof(float);
    return v;
  }
  ParValue value() {
    switch (get<char>()) {
      case 0: return boolean();
      case 1: return i64();
      case 2: return f64();
      case 3: return str();
    }
    throw std::runtime_error("state snapshot: bad value tag");
  }
  bool at_end() const { return pos_ == bytes_.size(); }

 private:
  template <class T>
  T get() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::size_t length(std::size_t element) {
    const std::uint64_t n = u64();
    if (n > (bytes_.size() - pos_) / element) throw std::runtime_error("state snapshot is truncated");
    return static_cast<std::size_t>(n);
  }
  void need(std::size_t n) const {
    if (bytes_.size() - pos_ < n) throw std::runtime_error("state snapshot is truncated");
  }
  const std::string& bytes_;
  std::size_t pos_ = 0;
};

}  // namespace netcook
