// How `netcook render` reports progress on stderr: a live line on a
// terminal, a plain line every few seconds in logs, one JSON object per
// frame for tools, or nothing. Fed by the session's progress callback;
// the session itself never prints.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "netcook/session/session.h"

namespace netcook::cli {

enum class ProgressMode {
  Live,  // one line redrawn in place ("\r"), cut to the terminal's width
  Log,   // a plain line for the first frame, then at most every log_interval seconds
  Json,  // {"frame":..,"index":..,"total":..,"seconds":..,"fps":..,"files":[..]} per frame
  None,
};

class ProgressReporter {
 public:
  ProgressReporter(ProgressMode mode, std::FILE* out, double log_interval_seconds = 5.0);
  ProgressMode mode() const { return mode_; }
  // After each frame: `files` are the paths that frame writes.
  void frame_done(const RenderProgress& progress, const std::vector<std::string>& files);
  // Before a script prints: a live line is erased so the print starts on a
  // clean line; the next frame_done() draws it again.
  void before_script_output();
  // Erases a live line (the summary follows on a clean line).
  void end();

 private:
  ProgressMode mode_;
  std::FILE* out_;
  double log_interval_;
  double last_logged_ = -1;
  bool line_shown_ = false;
};

// Ascending frames as short ranges: "1-12", "1, 5, 10-12", "1-11x2"; after
// `max_parts` parts the rest is "... (N more)".
std::string describe_frames(const std::vector<int>& frames, std::size_t max_parts = 8);

// "1:05", "1:02:03"; "--" for a negative or unknown time.
std::string format_duration(double seconds);
// `text` as a JSON string literal, quotes included.
std::string json_string(const std::string& text);

}  // namespace netcook::cli
