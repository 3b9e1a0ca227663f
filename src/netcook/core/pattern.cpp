#include "netcook/core/pattern.h"

#include <sstream>

namespace netcook {

namespace {
bool glob_match(const char* p, const char* s) {
  for (; *p; ++p, ++s) {
    if (*p == '*') {
      while (*p == '*') ++p;
      if (!*p) return true;
      for (; *s; ++s)
        if (glob_match(p, s)) return true;
      return false;
    }
    if (!*s) return false;
    if (*p == '?') continue;
    if (*p == '[') {
      const char* q = p + 1;
      const bool negate = *q == '!' || *q == '^';
      if (negate) ++q;
      bool hit = false;
      const char* first = q;
      for (; *q && (*q != ']' || q == first); ++q) {
        if (q[1] == '-' && q[2] && q[2] != ']') {
          hit |= *s >= *q && *s <= q[2];
          q += 2;
        } else {
          hit |= *s == *q;
        }
      }
      if (*q != ']') {  // no closing bracket: a literal '['
        if (*s != '[') return false;
        continue;
      }
      if (hit == negate) return false;
      p = q;
      continue;
    }
    if (*p != *s) return false;
  }
  return !*s;
}
}  // namespace

bool name_matches(const std::string& pattern, const std::string& name) {
  return glob_match(pattern.c_str(), name.c_str());
}

bool matches_any(const std::string& name, const std::string& patterns) {
  for (const auto& p : split_words(patterns))
    if (name_matches(p, name)) return true;
  return false;
}

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool has_wildcard(const std::string& pattern) { return pattern.find_first_of("*?[") != std::string::npos; }

}  // namespace netcook
