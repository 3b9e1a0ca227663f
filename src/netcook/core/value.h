// ParValue: the value a parameter holds or evaluates to.
//
// TouchDesigner parameters are floats, ints, toggles, menus (a token), strings
// and operator references (a path string). One variant covers them all; each
// parameter converts whatever it is given to its own kind (convert_to_type).
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace netcook {

using ParValue = std::variant<bool, std::int64_t, double, std::string>;

inline bool is_number(const ParValue& v) { return !std::holds_alternative<std::string>(v); }

// Numeric view of a value: bools are 0/1, strings are 0.
inline double as_double(const ParValue& v) {
  if (auto d = std::get_if<double>(&v)) return *d;
  if (auto i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (auto b = std::get_if<bool>(&v)) return *b ? 1.0 : 0.0;
  return 0.0;
}

// Text as TouchDesigner shows it: 5.0 prints as "5", 0.25 as "0.25".
std::string to_display_string(const ParValue& v);

}  // namespace netcook
