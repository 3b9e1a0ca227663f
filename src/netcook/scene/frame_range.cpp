// Frame ranges: "A-B", "A-BxSTEP" and "N" (the single frame N), or a
// comma-separated list of them, as the scene's `frames:` and the command
// line's --frames give them.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

#include "netcook/scene/scene.h"

namespace netcook {

std::vector<int> FrameRange::frames() const {
  if (!list.empty()) return list;
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

namespace {

// One comma-separated part: "A-B", "A-BxSTEP" or "N".
std::optional<FrameRange> parse_frame_part(const std::string& s, const std::string& whole, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<FrameRange> {
    if (error) *error = why;
    return std::nullopt;
  };
  const std::string bad = "bad frame range '" + whole +
                          "': expected A-B, A-BxSTEP or N, or a list of them (e.g. 1-240, 1-240x2, 12, 1,5,10-20)";
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
      if (r.step <= 0) return fail("bad frame range '" + whole + "': the step must be at least 1");
    }
  }
  if (r.last < r.first)
    return fail("bad frame range '" + whole + "': " + s + " ends (" + std::to_string(r.last) + ") before it starts (" +
                std::to_string(r.first) + ")");
  return r;
}

}  // namespace

std::optional<FrameRange> parse_frame_range(const std::string& text, std::string* error) {
  const std::string s = trim(text);
  auto too_long = [&]() -> std::optional<FrameRange> {
    if (error) *error = "bad frame range '" + s + "': more than " + std::to_string(kMaxFrameCount) + " frames";
    return std::nullopt;
  };
  std::vector<FrameRange> parts;
  long long total = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = s.find(',', start);
    const std::string part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    // Spaces inside a part ("1 - 5") stay an error; around commas they are fine.
    const std::string trimmed = trim(part);
    auto r = parse_frame_part(trimmed.empty() ? part : trimmed, s, error);
    if (!r) return std::nullopt;
    total += r->count();
    if (total > kMaxFrameCount) return too_long();
    parts.push_back(*r);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (parts.size() == 1) return parts.front();
  FrameRange r;
  for (const FrameRange& part : parts) {
    const std::vector<int> frames = part.frames();
    r.list.insert(r.list.end(), frames.begin(), frames.end());
  }
  std::sort(r.list.begin(), r.list.end());
  r.list.erase(std::unique(r.list.begin(), r.list.end()), r.list.end());
  r.first = r.list.front();
  r.last = r.list.back();
  return r;
}

FrameRange frame_range_chunk(const FrameRange& range, int index, int count) {
  const long long n = range.count();
  const long long begin = n * (index - 1) / count, end = n * index / count;  // [begin, end) of the frames
  FrameRange chunk;
  if (end <= begin) {
    chunk.first = 1;
    chunk.last = 0;  // empty
    return chunk;
  }
  if (!range.list.empty()) {
    chunk.list.assign(range.list.begin() + begin, range.list.begin() + end);
    chunk.first = chunk.list.front();
    chunk.last = chunk.list.back();
    return chunk;
  }
  chunk.step = range.step;
  chunk.first = static_cast<int>(range.first + begin * range.step);
  chunk.last = static_cast<int>(range.first + (end - 1) * range.step);
  return chunk;
}

}  // namespace netcook
