#include "netcook/grading/reports.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace netcook::grading {

using nlohmann::json;

namespace {

std::string points(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string indent(const std::string& text, const std::string& pad) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out += pad + line + "\n";
  return out;
}

std::string run_line(const SubmissionGrade& g) {
  std::string s = "sandbox: " + g.mechanism;
  if (!g.problem.empty()) return s + "; not run: " + g.problem;
  char buf[64];
  std::snprintf(buf, sizeof buf, "; ran %.2f s", g.seconds);
  s += buf;
  if (!g.run_note.empty()) s += "; stopped: " + g.run_note;
  return s;
}

std::string dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string terminal_report(const Exercise& exercise, const SubmissionGrade& g) {
  std::string out = g.submission + (exercise.title.empty() ? "" : "  (" + exercise.title + ")") + "\n";
  std::size_t width = 5;
  for (const auto& c : g.checks) width = std::max(width, c.name.size());
  for (const auto& c : g.checks) {
    std::string score = points(c.score) + "/" + points(c.max_score);
    out += "  " + c.name + std::string(width - c.name.size() + 2, ' ') +
           std::string(score.size() < 9 ? 9 - score.size() : 0, ' ') + score + (c.score >= c.max_score ? "  ok" : "") +
           "\n";
    if (!c.feedback.empty() && c.score < c.max_score) out += indent(c.feedback, "      ");
  }
  const std::string total = points(g.score) + "/" + points(g.max_score);
  out += "  total" + std::string(width - 5 + 2, ' ') + std::string(total.size() < 9 ? 9 - total.size() : 0, ' ') +
         total + "\n";
  if (!g.run_error.empty()) out += "  error:\n" + indent(g.run_error, "    ");
  out += "  " + run_line(g) + "\n";
  return out;
}

std::string gradescope_results(const Exercise& exercise, const SubmissionGrade& g) {
  json j;
  j["score"] = g.score;
  j["execution_time"] = g.seconds;
  j["output"] = (exercise.title.empty() ? std::string() : exercise.title + "\n") + run_line(g) + "\n" +
                (g.run_error.empty() ? "" : "\nThe error that ended your run:\n" + g.run_error + "\n") +
                (g.output.empty() ? "" : "\nWhat your code printed:\n" + g.output);
  j["output_format"] = "text";
  j["stdout_visibility"] = "visible";
  j["visibility"] = "visible";
  json tests = json::array();
  for (const auto& c : g.checks) {
    json t;
    t["name"] = c.name;
    t["score"] = c.score;
    t["max_score"] = c.max_score;
    t["status"] = c.score >= c.max_score ? "passed" : "failed";
    t["output"] = c.feedback;
    t["output_format"] = "text";
    t["visibility"] = c.visibility;
    t["tags"] = json::array({c.kind});
    tests.push_back(t);
  }
  j["tests"] = tests;
  j["extra_data"] = {{"sandbox", g.mechanism}, {"run", g.run_end}, {"max_score", g.max_score}};
  return dump(j);
}

std::string json_report(const Exercise& exercise, const std::vector<SubmissionGrade>& grades) {
  json j;
  j["exercise"] = exercise.file;
  j["title"] = exercise.title;
  j["max_score"] = exercise.max_score();
  json subs = json::array();
  for (const auto& g : grades) {
    json s;
    s["submission"] = g.submission;
    s["score"] = g.score;
    s["max_score"] = g.max_score;
    s["sandbox"] = g.mechanism;
    s["run"] = g.run_end;
    s["run_note"] = g.run_note;
    s["problem"] = g.problem;
    s["seconds"] = g.seconds;
    s["output"] = g.output;
    s["error"] = g.run_error;
    json checks = json::array();
    for (const auto& c : g.checks)
      checks.push_back({{"name", c.name},
                        {"kind", c.kind},
                        {"score", c.score},
                        {"max_score", c.max_score},
                        {"visibility", c.visibility},
                        {"feedback", c.feedback},
                        {"grader_problem", c.grader_problem}});
    s["checks"] = checks;
    subs.push_back(s);
  }
  j["submissions"] = subs;
  return dump(j);
}

std::string csv_report(const Exercise& exercise, const std::vector<SubmissionGrade>& grades) {
  std::string out = "submission";
  for (const auto& c : exercise.checks) out += "," + csv_field(c.name);
  out += ",total,max_score,sandbox,run\n";
  for (const auto& g : grades) {
    out += csv_field(g.submission);
    for (const auto& c : g.checks) out += "," + points(c.score);
    out += "," + points(g.score) + "," + points(g.max_score) + "," + csv_field(g.mechanism) + "," +
           csv_field(g.run_end) + "\n";
  }
  return out;
}

}  // namespace netcook::grading
