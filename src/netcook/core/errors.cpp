#include "netcook/core/errors.h"

#include <algorithm>
#include <cctype>

namespace netcook {

std::string Diagnostic::format() const {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.known()) out += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
    out += ": ";
  }
  out += "error: " + message;
  return out;
}

static std::string join_messages(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) {
    if (!s.empty()) s += "\n";
    s += d.format();
  }
  return s;
}

SceneError::SceneError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_messages(diagnostics)), diagnostics_(std::move(diagnostics)) {}

SceneError::SceneError(SourceLocation where, const std::string& message)
    : SceneError(std::vector<Diagnostic>{{std::move(where), message}}) {}

namespace {
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Optimal string alignment distance (Levenshtein plus adjacent swaps).
std::size_t edit_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}
}  // namespace

std::vector<std::string> nearest_names(const std::string& name,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max_results) {
  const std::string key = lower(name);
  // A name that differs only in case has exactly one right answer.
  std::vector<std::string> same_letters;
  for (const auto& c : candidates)
    if (lower(c) == key) same_letters.push_back(c);
  if (!same_letters.empty()) return same_letters;
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& c : candidates) {
    const std::string lc = lower(c);
    std::size_t dist = edit_distance(key, lc);
    // A prefix match ("bright" for "brightness1") is as good as a near miss.
    if (key.size() >= 3 && (lc.rfind(key, 0) == 0 || key.rfind(lc, 0) == 0)) dist = std::min<std::size_t>(dist, 1);
    const std::size_t allowed = std::max<std::size_t>(1, std::min(key.size(), lc.size()) / 3 + 1);
    if (dist <= allowed) scored.emplace_back(dist, c);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (const auto& s : scored) {
    if (std::find(out.begin(), out.end(), s.second) != out.end()) continue;
    out.push_back(s.second);
    if (out.size() == max_results) break;
  }
  return out;
}

std::string with_article(const std::string& noun) {
  const std::string low = lower(noun.substr(0, 2));
  const auto is_vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; };
  if (low.empty()) return "a " + noun;
  if (is_vowel(low[0])) return "an " + noun;
  // Two consonants no English word starts with ("lfoCHOP"): read letter by
  // letter, and these letters' names start with a vowel sound ("an el").
  static const char* const onsets[] = {"bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "ph", "pl",
                                       "pr", "sc", "sh", "sk", "sl", "sm", "sn", "sp", "st", "sw", "th", "tr",
                                       "tw", "wh", "wr"};
  const bool spelled = low.size() == 2 && !is_vowel(low[1]) && low[1] != 'y' &&
                       std::none_of(std::begin(onsets), std::end(onsets), [&](const char* o) { return low == o; });
  const bool vowel_sound = spelled && std::string("fhlmnrsx").find(low[0]) != std::string::npos;
  return (vowel_sound ? "an " : "a ") + noun;
}

std::string count_of(long long n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural.empty() ? singular + "s" : plural);
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  const auto near = nearest_names(name, candidates);
  if (near.empty()) return "";
  std::string s = "; did you mean ";
  for (std::size_t i = 0; i < near.size(); ++i) {
    if (i > 0) s += (i + 1 == near.size()) ? " or " : ", ";
    s += "'" + near[i] + "'";
  }
  return s + "?";
}

}  // namespace netcook
