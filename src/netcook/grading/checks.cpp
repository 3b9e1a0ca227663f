#include "netcook/grading/checks.h"

#include <pybind11/embed.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "netcook/compare/image_compare.h"

namespace netcook::grading {

namespace py = pybind11;

namespace {

constexpr int kFramesShown = 3;  // failing frames spelled out in feedback

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string quote_line(std::string s) {
  if (s.size() > 120) s = s.substr(0, 117) + "...";
  return "'" + s + "'";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// Why frames past the last completed one have nothing to show.
std::string why_not_reached(const Observations& obs) {
  if (!obs.loaded) return "the submission did not load";
  if (obs.failure)
    return "the run stopped at frame " + std::to_string(obs.failure->frame) + ": " + obs.failure->message;
  if (!obs.stopped.empty())
    return (obs.frames_completed ? "the run stopped after frame " + std::to_string(obs.frames_completed)
                                 : std::string("the run stopped before frame 1 completed")) +
           ": " + obs.stopped;
  return "the run ended after frame " + std::to_string(obs.frames_completed);
}

// Frame-based scoring: counts the frames `judge` accepts, explains the
// first few it does not.
struct FrameTally {
  int right = 0, total = 0, wrong_shown = 0, wrong_more = 0, unreached = 0;
  std::string lines;
  void wrong(const std::string& why) {
    if (wrong_shown < kFramesShown) {
      lines += why + "\n";
      ++wrong_shown;
    } else {
      ++wrong_more;
    }
  }
};

std::string finish_tally(const FrameTally& t, const Observations& obs, const std::string& what) {
  std::string out;
  if (t.right == t.total)
    return "right at all " + std::to_string(t.total) + " frame" + (t.total == 1 ? "" : "s") + " checked" +
           (what.empty() ? "" : " (" + what + ")");
  out = std::to_string(t.right) + " of " + std::to_string(t.total) + " frames right\n" + t.lines;
  if (t.wrong_more)
    out += "... and " + std::to_string(t.wrong_more) + " more frame" + (t.wrong_more == 1 ? "" : "s") + "\n";
  if (t.unreached) {
    // The traceback is the run's, shown once beside the checks (run_error).
    out += std::to_string(t.unreached) + " frame" + (t.unreached == 1 ? " was" : "s were") +
           " not reached: " + why_not_reached(obs) + "\n";
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

bool reached(const Observations& obs, int frame) { return obs.loaded && frame <= obs.frames_completed; }

// A failing frame of a failed run is already counted as unreached.
bool unreached(FrameTally& t, const Observations& obs, int frame) {
  if (reached(obs, frame)) return false;
  // The failing frame itself printed and assigned up to its error: it is
  // judged on what it did unless there is nothing.
  ++t.unreached;
  return true;
}

std::string tolerance_text(double tolerance) { return tolerance > 0 ? " ± " + format_number(tolerance) : ""; }

std::string join_numbers(const std::vector<double>& v) {
  std::string s;
  for (double d : v) s += (s.empty() ? "" : ", ") + format_number(d);
  return s.empty() ? "no numbers" : s;
}

CheckResult output_check(const Check& c, const OutputCheck& o, const std::vector<int>& frames, const Observations& sub,
                         const Observations& ref) {
  CheckResult r;
  FrameTally t;
  std::regex pattern;
  if (!o.regex.empty()) pattern = std::regex(o.regex);
  for (int frame : frames) {
    ++t.total;
    if (unreached(t, sub, frame)) continue;
    const auto it = sub.output.find(frame);
    const std::string text = it == sub.output.end() ? "" : it->second;
    const auto lines = lines_of(text);
    bool ok = true;
    if (!o.regex.empty()) {
      if (o.whole) {
        std::string body = text;
        while (!body.empty() && body.back() == '\n') body.pop_back();
        if (!std::regex_match(body, pattern)) {
          ok = false;
          t.wrong("frame " + std::to_string(frame) + ": the output " +
                  (body.empty() ? std::string("was empty")
                                : "does not match: it begins " + quote_line(lines.empty() ? "" : lines[0])) +
                  ", expected output matching " + quote_line(o.regex));
        }
      } else if (lines.empty()) {
        ok = false;
        t.wrong("frame " + std::to_string(frame) + ": printed nothing, expected a line matching " +
                quote_line(o.regex));
      } else {
        for (const auto& line : lines)
          if (!std::regex_match(line, pattern)) {
            ok = false;
            t.wrong("frame " + std::to_string(frame) + ": printed " + quote_line(line) + ", expected a line matching " +
                    quote_line(o.regex));
            break;
          }
      }
    }
    if (ok && o.numbers) {
      std::vector<double> expected = o.numbers_expected;
      if (expected.empty()) {
        const auto rit = ref.output.find(frame);
        if (rit == ref.output.end()) {
          r.grader_problem = true;
          t.wrong("frame " + std::to_string(frame) +
                  ": the reference solution printed nothing here (a problem with the exercise)");
          continue;
        }
        expected = numbers_in(rit->second);
      }
      const auto got = numbers_in(text);
      bool same = got.size() == expected.size();
      for (std::size_t i = 0; same && i < got.size(); ++i)
        same = std::fabs(got[i] - expected[i]) <= o.tolerance + 1e-12;
      if (!same) {
        ok = false;
        t.wrong("frame " + std::to_string(frame) + ": printed " + join_numbers(got) + ", expected " +
                join_numbers(expected) + (o.tolerance > 0 ? " (each" + tolerance_text(o.tolerance) + ")" : ""));
      }
    }
    if (ok) ++t.right;
  }
  r.score = t.total ? c.points * t.right / t.total : 0;
  r.feedback = finish_tally(t, sub, "");
  return r;
}

// A parameter's or channel's value against what is expected at a frame.
template <typename Lookup>
CheckResult value_check(const Check& c, const std::vector<int>& frames, const Expected& expected, double tolerance,
                        const std::string& label, const std::string& problem, Lookup lookup, const Observations& sub,
                        const Observations& ref) {
  CheckResult r;
  if (sub.loaded && !problem.empty()) {
    r.feedback = problem;
    return r;
  }
  FrameTally t;
  for (int frame : frames) {
    ++t.total;
    if (unreached(t, sub, frame)) continue;
    const std::optional<Observations::Value> got = lookup(sub, frame);
    std::optional<Observations::Value> want;
    if (expected.kind == Expected::Kind::Reference) {
      want = lookup(ref, frame);
      if (!want) {
        r.grader_problem = true;
        t.wrong("frame " + std::to_string(frame) + ": the reference solution has no value for " + label +
                " (a problem with the exercise)");
        continue;
      }
    } else {
      Observations::Value v;
      v.is_number = expected.kind == Expected::Kind::Number;
      v.number = expected.number;
      v.text = expected.text;
      want = v;
    }
    if (!got) {
      t.wrong("frame " + std::to_string(frame) + ": " + label + " has no value");
      continue;
    }
    bool ok = false;
    if (want->is_number && got->is_number)
      ok = std::fabs(got->number - want->number) <= tolerance + 1e-12;
    else if (!want->is_number && !got->is_number)
      ok = got->text == want->text;
    if (ok)
      ++t.right;
    else
      t.wrong("frame " + std::to_string(frame) + ": " + label + " was " + got->display() + ", expected " +
              want->display() + (want->is_number ? tolerance_text(tolerance) : ""));
  }
  r.score = t.total ? c.points * t.right / t.total : 0;
  r.feedback = finish_tally(t, sub, label);
  return r;
}

const ObservedOperator* find_operator(const Observations& obs, const std::string& name) {
  for (const auto& op : obs.operators)
    if (name.find('/') != std::string::npos ? op.path == name : op.name == name) return &op;
  return nullptr;
}

std::string list_text(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return "[" + s + "]";
}

CheckResult operator_check(const Check& c, const OperatorCheck& o, const Observations& sub) {
  CheckResult r;
  if (!sub.loaded) {
    r.feedback = why_not_reached(sub) + ":\n" + sub.load_error;
    return r;
  }
  const ObservedOperator* op = find_operator(sub, o.op);
  if (!op) {
    std::vector<std::string> names;
    for (const auto& x : sub.operators) names.push_back(x.name);
    r.feedback = "there is no operator '" + o.op + "'" + did_you_mean(o.op, names);
    return r;
  }
  int conditions = 1, met = 1;
  std::vector<std::string> notes;
  if (!o.type.empty()) {
    ++conditions;
    if (op->type == o.type)
      ++met;
    else
      notes.push_back(o.op + " is " + with_article(op->type) + ", expected " + with_article(o.type));
  }
  if (o.inputs) {
    ++conditions;
    if (op->inputs == *o.inputs)
      ++met;
    else
      notes.push_back(o.op + "'s inputs are " + list_text(op->inputs) + ", expected " + list_text(*o.inputs));
  }
  r.score = c.points * met / conditions;
  if (notes.empty())
    r.feedback = o.op + " exists" + (o.type.empty() ? "" : " as " + with_article(o.type)) +
                 (o.inputs ? " wired from " + list_text(*o.inputs) : "");
  for (const auto& n : notes) r.feedback += (r.feedback.empty() ? "" : "\n") + n;
  return r;
}

CheckResult image_check(const Check& c, const ImageCheck& im, const std::vector<int>& frames, const Observations& sub,
                        const Observations& ref) {
  CheckResult r;
  const auto problem = sub.channel_problems.find("image:" + im.op);
  if (sub.loaded && problem != sub.channel_problems.end()) {
    r.feedback = problem->second;
    return r;
  }
  FrameTally t;
  compare::CompareOptions options;
  options.thresholds = im.thresholds;
  options.threads = 1;
  for (int frame : frames) {
    ++t.total;
    if (unreached(t, sub, frame)) continue;
    auto file_of = [&](const Observations& obs) -> std::string {
      const auto a = obs.images.find(im.op);
      if (a == obs.images.end()) return "";
      const auto b = a->second.find(frame);
      return b == a->second.end() ? "" : b->second;
    };
    const std::string mine = file_of(sub), theirs = file_of(ref);
    if (theirs.empty()) {
      r.grader_problem = true;
      t.wrong("frame " + std::to_string(frame) + ": the reference solution has no image of " + im.op +
              " (a problem with the exercise)");
      continue;
    }
    if (mine.empty()) {
      t.wrong("frame " + std::to_string(frame) + ": " + im.op + " has no image");
      continue;
    }
    try {
      int w1 = 0, h1 = 0, w2 = 0, h2 = 0;
      const auto a = read_raw_image(mine, w1, h1);
      const auto b = read_raw_image(theirs, w2, h2);
      const auto cmp =
          compare::compare_images(ConstImageView(a.data(), w1, h1, static_cast<std::ptrdiff_t>(w1) * 4, 4),
                                  ConstImageView(b.data(), w2, h2, static_cast<std::ptrdiff_t>(w2) * 4, 4), options);
      if (cmp.verdict == compare::Verdict::Fail)
        t.wrong("frame " + std::to_string(frame) + ": " + im.op + " differs from the solution's: " + cmp.reason);
      else
        ++t.right;
    } catch (const std::exception& e) {
      t.wrong("frame " + std::to_string(frame) + ": " + e.what());
    }
  }
  r.score = t.total ? c.points * t.right / t.total : 0;
  r.feedback = finish_tally(t, sub, im.op + " matches the solution's image");
  return r;
}

CheckResult python_check(const Check& c, const PythonCheck& p, const Observations& sub, const Observations& ref) {
  CheckResult r;
  try {
    py::dict scope;
    scope["__builtins__"] = py::module_::import("builtins");
    scope["__file__"] = p.file;
    scope["__name__"] = "netcook_grade_check";
    std::ifstream in(p.file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    py::object code = py::module_::import("builtins").attr("compile")(text.str(), p.file, "exec");
    py::module_::import("builtins").attr("exec")(code, scope);
    if (!scope.contains(p.function.c_str()))
      throw std::runtime_error(p.file + " defines no function '" + p.function + "'");
    py::module_ json = py::module_::import("json");
    py::dict result;
    result["submission"] = json.attr("loads")(sub.record_json);
    result["reference"] = json.attr("loads")(ref.record_json);
    result["check"] = py::dict(py::arg("name") = c.name, py::arg("points") = c.points);
    py::object answer = scope[p.function.c_str()](result);
    double fraction = 0;
    std::string message;
    if (py::isinstance<py::tuple>(answer) && py::len(answer) == 2) {
      py::tuple pair = answer.cast<py::tuple>();
      fraction = pair[0].cast<double>();
      message = py::str(pair[1]).cast<std::string>();
    } else {
      fraction = answer.cast<double>();
    }
    if (!std::isfinite(fraction)) throw std::runtime_error("the check returned a score that is not a number");
    r.score = c.points * std::clamp(fraction, 0.0, 1.0);
    r.feedback = message;
  } catch (const std::exception& e) {
    r.grader_problem = true;
    r.score = 0;
    r.feedback = std::string("the check function failed (a problem with the exercise, not your work): ") + e.what();
  }
  return r;
}

}  // namespace

std::vector<double> numbers_in(const std::string& text) {
  static const std::regex number(R"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)");
  std::vector<double> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it) {
    // A digit glued to a name (script1, chan1) is not a printed number.
    const auto pos = static_cast<std::size_t>(it->position());
    if (pos > 0 && (std::isalpha(static_cast<unsigned char>(text[pos - 1])) || text[pos - 1] == '_')) continue;
    out.push_back(std::strtod(it->str().c_str(), nullptr));
  }
  return out;
}

std::vector<CheckResult> evaluate_checks(const Exercise& exercise, const Observations& sub, const Observations& ref) {
  std::vector<CheckResult> results;
  for (const auto& c : exercise.checks) {
    const std::vector<int>& frames = c.frames.empty() ? exercise.frames : c.frames;
    CheckResult r;
    if (!sub.loaded && !std::holds_alternative<PythonCheck>(c.what)) {
      r.feedback = "the submission did not load" +
                   (sub.load_error.empty() ? (sub.stopped.empty() ? "" : ": " + sub.stopped) : ":\n" + sub.load_error);
    } else if (const auto* o = std::get_if<OutputCheck>(&c.what)) {
      r = output_check(c, *o, frames, sub, ref);
    } else if (const auto* p = std::get_if<ParameterCheck>(&c.what)) {
      const std::string key = p->op + "." + p->par;
      const auto problem = sub.parameter_problems.find(key);
      auto lookup = [key](const Observations& obs, int frame) -> std::optional<Observations::Value> {
        const auto a = obs.parameters.find(key);
        if (a == obs.parameters.end()) return std::nullopt;
        const auto b = a->second.find(frame);
        if (b == a->second.end()) return std::nullopt;
        return b->second;
      };
      r = value_check(c, frames, p->expected, p->tolerance, key,
                      problem == sub.parameter_problems.end() ? "" : problem->second, lookup, sub, ref);
    } else if (const auto* ch = std::get_if<ChannelCheck>(&c.what)) {
      const std::string label = ch->op + (ch->channel.empty() ? "[0]" : ":" + ch->channel);
      const auto problem = sub.channel_problems.find(ch->op);
      const std::string channel = ch->channel, op = ch->op;
      auto lookup = [op, channel](const Observations& obs, int frame) -> std::optional<Observations::Value> {
        const auto a = obs.channels.find(op);
        if (a == obs.channels.end()) return std::nullopt;
        const auto b = a->second.find(frame);
        if (b == a->second.end() || b->second.empty()) return std::nullopt;
        Observations::Value v;
        if (channel.empty())
          v.number = b->second[0].second;
        else {
          const auto it =
              std::find_if(b->second.begin(), b->second.end(), [&](const auto& x) { return x.first == channel; });
          if (it == b->second.end()) return std::nullopt;
          v.number = it->second;
        }
        return v;
      };
      r = value_check(c, frames, ch->expected, ch->tolerance, label,
                      problem == sub.channel_problems.end() ? "" : problem->second, lookup, sub, ref);
    } else if (const auto* op = std::get_if<OperatorCheck>(&c.what)) {
      r = operator_check(c, *op, sub);
    } else if (const auto* im = std::get_if<ImageCheck>(&c.what)) {
      r = image_check(c, *im, frames, sub, ref);
    } else if (const auto* py_check = std::get_if<PythonCheck>(&c.what)) {
      r = python_check(c, *py_check, sub, ref);
    }
    r.name = c.name;
    r.kind = c.kind();
    r.visibility = c.visibility;
    r.max_score = c.points;
    // Rounding: scores are shown with two decimals; keep them exact sums.
    r.score = std::round(r.score * 1e4) / 1e4;
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace netcook::grading
