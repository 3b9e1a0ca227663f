#include "progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>

namespace netcook::cli {

namespace {

int terminal_width(std::FILE* out) {
  winsize size{};
  if (ioctl(fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

std::string fixed(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

}  // namespace

std::string describe_frames(const std::vector<int>& frames, std::size_t max_parts) {
  std::vector<std::string> parts;
  std::size_t i = 0, shown = 0;
  while (i < frames.size()) {
    // The longest run from frames[i] with one step between its frames.
    std::size_t end = i + 1;
    const long long step = end < frames.size() ? static_cast<long long>(frames[end]) - frames[i] : 0;
    while (end < frames.size() && static_cast<long long>(frames[end]) - frames[end - 1] == step) ++end;
    const std::size_t length = end - i;
    if (parts.size() == max_parts) {
      parts.push_back("... (" + std::to_string(frames.size() - shown) + " more)");
      break;
    }
    if (length >= 3 || (length == 2 && step == 1)) {
      std::string part = std::to_string(frames[i]) + "-" + std::to_string(frames[end - 1]);
      if (step != 1) part += "x" + std::to_string(step);
      parts.push_back(part);
      shown += length;
      i = end;
    } else {
      parts.push_back(std::to_string(frames[i]));
      ++shown;
      ++i;
    }
  }
  std::string text;
  for (std::size_t p = 0; p < parts.size(); ++p) text += (p ? ", " : "") + parts[p];
  return text;
}

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return "--";
  const long long s = static_cast<long long>(seconds + 0.5);
  char text[32];
  if (s >= 3600) std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(text, sizeof text, "%lld:%02lld", s / 60, s % 60);
  return text;
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", u);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

ProgressReporter::ProgressReporter(ProgressMode mode, std::FILE* out, double log_interval_seconds)
    : mode_(mode), out_(out), log_interval_(log_interval_seconds) {}

void ProgressReporter::frame_done(const RenderProgress& p, const std::vector<std::string>& files) {
  if (mode_ == ProgressMode::None) return;
  const double fps = p.seconds > 0 ? p.done / p.seconds : 0.0;
  const double eta = fps > 0 ? (p.total - p.done) / fps : -1;
  if (mode_ == ProgressMode::Json) {
    std::string line = "{\"frame\":" + std::to_string(p.frame) + ",\"index\":" + std::to_string(p.done) +
                       ",\"total\":" + std::to_string(p.total) + ",\"seconds\":" + fixed(p.seconds, 3) +
                       ",\"fps\":" + fixed(fps, 3) + ",\"files\":[";
    for (std::size_t i = 0; i < files.size(); ++i) line += (i ? "," : "") + json_string(files[i]);
    line += "]}\n";
    std::fputs(line.c_str(), out_);
    std::fflush(out_);
    return;
  }
  const std::string writing = files.empty() ? std::string() : files.front() + (files.size() > 1 ? " ..." : "");
  if (mode_ == ProgressMode::Log) {
    if (last_logged_ >= 0 && p.seconds - last_logged_ < log_interval_ && p.done < p.total) return;
    last_logged_ = p.seconds;
    std::string line = "netcook: frame " + std::to_string(p.frame) + " (" + std::to_string(p.done) + "/" +
                       std::to_string(p.total) + "), " + fixed(fps, 1) + " frames/s, elapsed " +
                       format_duration(p.seconds) + ", ETA " + format_duration(eta);
    if (!writing.empty()) line += ", writing " + writing;
    std::fprintf(out_, "%s\n", line.c_str());
    std::fflush(out_);
    return;
  }
  std::string line = "netcook: " + std::to_string(p.done) + "/" + std::to_string(p.total) + " frame " +
                     std::to_string(p.frame) + "  " + fixed(fps, 1) + " fps  elapsed " + format_duration(p.seconds) +
                     "  ETA " + format_duration(eta);
  if (!writing.empty()) line += "  " + writing;
  // A line wider than the terminal wraps, and "\r" would then redraw only its last row.
  const std::size_t width = static_cast<std::size_t>(terminal_width(out_) - 1);
  if (line.size() > width) line.resize(width);
  std::fprintf(out_, "\r\033[K%s", line.c_str());
  std::fflush(out_);
  line_shown_ = true;
}

void ProgressReporter::before_script_output() {
  if (mode_ != ProgressMode::Live || !line_shown_) return;
  std::fputs("\r\033[K", out_);
  std::fflush(out_);
  line_shown_ = false;
}

void ProgressReporter::end() { before_script_output(); }

}  // namespace netcook::cli
