// Frame ranges: "A-B", "A-BxSTEP" and "N" (the single frame N), as the
// scene's `frames:` and the command line's --frames give them.
#include <cctype>
#include <cstdlib>
#include <string>

#include "netcook/scene/scene.h"

namespace netcook {

std::vector<int> FrameRange::frames() const {
  std::vector<int> out;
  if (step <= 0 || last < first) return out;
  out.reserve(static_cast<std::size_t>(count()));
  for (long long f = first; f <= last; f += step) out.push_back(static_cast<int>(f));
  return out;
}

namespace {

// Reads an optionally signed integer at `pos` (at most 9 digits, so any
// value fits an int with room for arithmetic).
bool read_int(const std::string& s, std::size_t& pos, int* out) {
  std::size_t i = pos;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  const std::size_t start = i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == start || i - start > 9) return false;
  const int v = std::atoi(s.substr(start, i - start).c_str());
  *out = negative ? -v : v;
  pos = i;
  return true;
}

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

}  // namespace

std::optional<FrameRange> parse_frame_range(const std::string& text, std::string* error) {
  const std::string s = trim(text);
  auto fail = [&](const std::string& why) -> std::optional<FrameRange> {
    if (error) *error = why;
    return std::nullopt;
  };
  const std::string bad =
      "bad frame range '" + s + "': expected A-B, A-BxSTEP or N (e.g. 1-240, 1-240x2, 12)";
  FrameRange r;
  std::size_t pos = 0;
  if (!read_int(s, pos, &r.first)) return fail(bad);
  r.last = r.first;
  if (pos < s.size()) {
    if (s[pos] != '-') return fail(bad);
    ++pos;
    if (!read_int(s, pos, &r.last)) return fail(bad);
    if (pos < s.size()) {
      if (s[pos] != 'x' && s[pos] != 'X') return fail(bad);
      ++pos;
      if (!read_int(s, pos, &r.step) || pos != s.size()) return fail(bad);
      if (r.step <= 0) return fail("bad frame range '" + s + "': the step must be at least 1");
    }
  }
  if (r.last < r.first)
    return fail("bad frame range '" + s + "': it ends (" + std::to_string(r.last) +
                ") before it starts (" + std::to_string(r.first) + ")");
  if (r.count() > kMaxFrameCount)
    return fail("bad frame range '" + s + "': more than " + std::to_string(kMaxFrameCount) +
                " frames");
  return r;
}

}  // namespace netcook
