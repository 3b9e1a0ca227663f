// What a graded run observed, and the worker that observes it.
//
// The grader never runs a submission's code in its own process: it starts
// `netcook grade-worker` in the sandbox, which loads the base scene with the
// submission applied, runs frames 1..last in order and writes, as JSON
// lines on a pipe, what the checks need: each frame's printed output, the
// parameter values and channels asked for at the frames asked for, every
// operator (path, type, inputs), the images image checks compare (raw float
// files in its work folder), and the error that ended the run (a load error,
// or a Python traceback naming the student's file and line). Lines are
// written as frames complete, so a run killed at frame 50 (time limit,
// memory) still counts frames 1..49.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace netcook::grading {

// What one worker run is asked to do (sent as JSON on its command line).
struct WorkerJob {
  std::string scene;                            // the scene to load (the base, or the submission's own)
  std::vector<std::string> texts;               // DAT=FILE: each file becomes that DAT's text (and its origin)
  int last_frame = 1;                           // frames 1..last_frame run, in order
  std::set<int> record_frames;                  // where parameters and channels are recorded
  std::vector<std::string> parameters;          // OP.PAR
  std::vector<std::string> channel_ops;         // CHOPs whose channels are recorded
  std::map<std::string, std::set<int>> images;  // TOP -> frames whose images are written
  std::string image_dir;                        // relative to the worker's working folder
  std::size_t output_bytes = 1 << 20;           // printed output kept (the rest counted, dropped)
  int threads = 1;
  std::string work_dir;                // the audit hook's allowed folder ("" = none installed)
  std::vector<std::string> read_only;  // what the audit hook lets it read besides (the scene's folder)
};
std::string encode_job(const WorkerJob& job);
WorkerJob decode_job(const std::string& text);  // throws std::runtime_error

// Runs the job in this process (which must own a running interpreter with
// `td` importable) and writes the record to `record_fd`. Never throws for
// anything the submission does.
void run_worker(const WorkerJob& job, int record_fd);

struct ObservedOperator {
  std::string path, name, type;
  std::vector<std::string> inputs;  // names
};

struct Observations {
  bool loaded = false;
  std::string load_error;  // diagnostics when the scene/submission did not load
  int frames_completed = 0;
  bool finished = false;  // the worker reached its end
  struct Failure {
    int frame = 0;
    std::string message, traceback;
  };
  std::optional<Failure> failure;     // a Python exception or cook error ended the run
  std::string stopped;                // what the sandbox says ended it early ("" = nothing)
  std::map<int, std::string> output;  // frame -> what it printed
  bool output_truncated = false;
  // OP.PAR -> frame -> value (a number, or text for strings and menus).
  struct Value {
    bool is_number = true;
    double number = 0;
    std::string text;
    std::string display() const;
  };
  std::map<std::string, std::map<int, Value>> parameters;
  std::map<std::string, std::string> parameter_problems;  // OP.PAR -> why it has no values
  // CHOP -> frame -> channel name -> value (the first sample).
  std::map<std::string, std::map<int, std::vector<std::pair<std::string, double>>>> channels;
  std::map<std::string, std::string> channel_problems;
  std::vector<ObservedOperator> operators;
  std::map<std::string, std::map<int, std::string>> images;  // TOP -> frame -> file (absolute once parsed)
  std::string record_json;                                   // the record as one JSON object, for Python checks
};

// Parses the worker's JSON lines (a damaged or cut-off last line is
// ignored: the run ended there). `image_base` makes image paths absolute.
Observations parse_record(const std::string& lines, const std::string& image_base);

// Raw image files the worker writes for image checks: "NCRAW1", width,
// height, then width*height*4 floats (RGBA), native byte order.
void write_raw_image(const std::string& path, const float* rgba, int width, int height, std::ptrdiff_t row_floats);
std::vector<float> read_raw_image(const std::string& path, int& width, int& height);  // throws std::runtime_error

}  // namespace netcook::grading
