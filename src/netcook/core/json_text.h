// JSON text written by hand (job files, test reports): a string literal.
#pragma once

#include <string>

namespace netcook {

// `text` as a JSON string literal, quotes included: `"` and `\` escaped,
// \n \r \t by name, other control characters as \u00XX; every other byte
// as it is (the caller makes sure the text is valid UTF-8).
std::string json_string(const std::string& text);

}  // namespace netcook
