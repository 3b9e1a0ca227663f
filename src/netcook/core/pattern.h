// Name patterns, as TouchDesigner's parameters and op() take them.
//
// fnmatch-style and case-sensitive: `*` any run, `?` one character,
// `[abc]` / `[a-z]` / `[!a]` a set. Parameters such as a Select CHOP's
// channel names hold several patterns separated by spaces.
#pragma once

#include <string>
#include <vector>

namespace netcook {

bool name_matches(const std::string& pattern, const std::string& name);
// True when `name` matches any of the space-separated `patterns`.
bool matches_any(const std::string& name, const std::string& patterns);
std::vector<std::string> split_words(const std::string& text);
bool has_wildcard(const std::string& pattern);

}  // namespace netcook
