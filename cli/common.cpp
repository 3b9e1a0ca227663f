#include <csignal>
#include <cstdio>
#include <iostream>
#include <regex>
#include <sstream>

#include "commands.h"
#include "netcook/core/errors.h"

#include <algorithm>

namespace netcook::cli {

namespace {
std::atomic<bool> g_interrupted{false};
volatile std::sig_atomic_t g_signal = 0;
}  // namespace

extern "C" void netcook_on_interrupt(int signal) {
  g_signal = signal;
  g_interrupted = true;
}

const std::atomic<bool>& interrupt_requested() { return g_interrupted; }
int interrupt_signal() { return g_signal; }

int report_bad_input(const std::exception& e) {
  if (const auto* scene_error = dynamic_cast<const SceneError*>(&e)) {
    for (const auto& d : scene_error->diagnostics()) std::cerr << d.format() << "\n";
  } else {
    std::cerr << "netcook: error: " << e.what() << "\n";
  }
  return 2;
}

namespace {

std::vector<std::string> subcommand_names(CLI::App& app) {
  std::vector<std::string> names;
  // Hidden commands (group "") are neither listed nor suggested.
  for (const CLI::App* sub : app.get_subcommands([](CLI::App* s) { return !s->get_group().empty(); }))
    names.push_back(sub->get_name());
  return names;
}

void print_short_usage(CLI::App& app, std::ostream& out) {
  out << "usage: netcook COMMAND [ARGS...]\n\ncommands:\n";
  std::size_t width = 0;
  for (const auto& name : subcommand_names(app)) width = std::max(width, name.size());
  for (const CLI::App* sub : app.get_subcommands([](CLI::App* s) { return !s->get_group().empty(); }))
    out << "  " << sub->get_name() << std::string(width + 2 - sub->get_name().size(), ' ') << sub->get_description()
        << "\n";
  out << "\n'netcook COMMAND --help' shows a command's options and examples; 'netcook --help' all of them.\n";
}

// Every spelling of the options of `cmd` ("--frames", "-f"), for suggestions.
std::vector<std::string> option_spellings(const CLI::App& cmd) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : cmd.get_options()) {
    for (const auto& l : opt->get_lnames()) out.push_back("--" + l);
    for (const auto& s : opt->get_snames()) out.push_back("-" + s);
  }
  return out;
}

// The subcommand the command line chose (the innermost: `farm submit`),
// else the app itself.
CLI::App& chosen_command(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands()) return chosen_command(*sub);
  return app;
}

std::string command_label(CLI::App& app, CLI::App& cmd) {
  if (&cmd == &app || !cmd.get_parent()) return "netcook";
  return command_label(app, *cmd.get_parent()) + " " + cmd.get_name();
}

// CLI11 names an option by all its spellings ("--frames,-f"): the first.
std::string first_spelling(const std::string& names) { return names.substr(0, names.find(',')); }

std::string values_word(long long n) { return count_of(n, "value"); }

}  // namespace

std::optional<int> check_command(CLI::App& app, int argc, char** argv) {
  if (argc < 2) {
    print_short_usage(app, std::cerr);
    return 2;
  }
  const std::string first = argv[1];
  if (first.empty() || first[0] == '-') return std::nullopt;  // --help, --version: CLI11's
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    if (sub->get_name() == first) return std::nullopt;  // hidden ones too
  const auto names = subcommand_names(app);
  std::string known;
  for (std::size_t i = 0; i < names.size(); ++i)
    known += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  std::cerr << "netcook: error: unknown command '" << first << "'" << did_you_mean(first, names)
            << " (commands: " << known << "; 'netcook --help' describes them)\n";
  return 2;
}

int report_parse_error(CLI::App& app, const CLI::ParseError& error) {
  CLI::App& cmd = chosen_command(app);
  const std::string label = command_label(app, cmd);
  const std::string what = error.what();
  const std::string help = " (see '" + label + " --help')";
  std::smatch m;
  std::string message;
  if (dynamic_cast<const CLI::ExtrasError*>(&error)) {
    // "The following argument(s) was/were not expected: a b"
    std::istringstream extras(what.substr(what.find(':') + 1));
    std::string item;
    const auto spellings = option_spellings(cmd);
    while (extras >> item) {
      if (!message.empty()) message += "\nnetcook: error: ";
      if (item.size() > 1 && item[0] == '-') {
        const std::string name = item.substr(0, item.find('='));
        message += label + " has no option '" + name + "'" + did_you_mean(name, spellings);
      } else {
        message += label + ": unexpected argument '" + item + "'";
        const auto subs = subcommand_names(app);
        if (&cmd == &app) message += did_you_mean(item, subs);
      }
    }
  } else if (std::regex_search(what, m, std::regex(R"(^(\S+): At Most (\d+) required but received (\d+))"))) {
    message = label + ": " + first_spelling(m[1]) + " takes " + values_word(std::stoll(m[2])) + ", not " +
              std::string(m[3]);
  } else if (std::regex_search(what, m, std::regex(R"(^(\S+): At least (\d+) required but received (\d+))"))) {
    message = label + ": " + first_spelling(m[1]) + " needs at least " + values_word(std::stoll(m[2])) +
              ", not " + std::string(m[3]);
  } else if (std::regex_search(what, m, std::regex(R"(^Expected (exactly|at least) (\d+) arguments? to (\S+), got (\d+))"))) {
    message = label + ": " + first_spelling(m[3]) + " needs " + (m[1] == "exactly" ? "" : "at least ") +
              values_word(std::stoll(m[2])) + ", got " + std::string(m[4]);
  } else if (std::regex_search(what, m, std::regex(R"(^(\S+): (\d+) required (.*) missing)"))) {
    message = label + ": " + first_spelling(m[1]) + " needs a value";
  } else if (std::regex_search(what, m, std::regex(R"(^(\S+) is required)"))) {
    message = label + ": missing " + first_spelling(m[1]) + (cmd.get_option_no_throw(m[1]) &&
                                                              cmd.get_option(m[1])->get_positional()
                                                          ? " (the " + std::string(m[1]) + " argument)"
                                                          : "");
  } else if (std::regex_search(what, m, std::regex(R"(^A subcommand is required|^Requires at least)"))) {
    print_short_usage(app, std::cerr);
    return 2;
  } else if (std::regex_search(what, m, std::regex(R"(^Could not convert: (\S+) = (.*))"))) {
    message = label + ": " + first_spelling(m[1]) + " expects a number, not '" + std::string(m[2]) + "'";
  } else if (std::regex_search(what, m, std::regex(R"(^The value (\S+) is not an allowed value for (\S+))"))) {
    message = label + ": " + first_spelling(m[2]) + " cannot be '" + std::string(m[1]) + "'";
  } else if (std::regex_search(what, m, std::regex(R"(^(\S+): [Vv]alue (\S+) not in range ([-0-9.e+]+) to ([-0-9.e+]+))"))) {
    // CLI11's range validators print DBL_MAX in full: say it in words.
    const double low = std::stod(m[3]), high = std::stod(m[4]);
    char range[64];
    if (high > 1e300) std::snprintf(range, sizeof range, "%g or more", low);
    else std::snprintf(range, sizeof range, "from %g to %g", low, high);
    message = label + ": " + first_spelling(m[1]) + " expects a number " + range + ", not '" + std::string(m[2]) + "'";
  } else if (std::regex_search(what, m, std::regex(R"(^(\S+) excludes (\S+))"))) {
    message = label + ": " + first_spelling(m[1]) + " and " + first_spelling(m[2]) + " cannot be used together";
  } else if (std::regex_search(what, m, std::regex(R"(^(\S+) requires (\S+))"))) {
    message = label + ": " + first_spelling(m[1]) + " needs " + first_spelling(m[2]);
  } else if (std::regex_search(what, m, std::regex(R"(^(-{1,2}[^:\s]+): (.*))"))) {
    // A validator's message ("--threads: Value -1 ..."): keep its text.
    std::string detail = m[2];
    if (!detail.empty()) detail[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(detail[0])));
    message = label + ": " + first_spelling(m[1]) + ": " + detail;
  } else {
    message = label + ": " + what;
  }
  std::cerr << "netcook: error: " << message << help << "\n";
  return 2;
}

void print_warning(const std::string& message) {
  const bool located = message.find(": warning: ") != std::string::npos || message.rfind("warning: ", 0) == 0;
  std::cerr << (located ? "" : "netcook: warning: ") << message << "\n";
}

void report_failure(const std::string& traceback, const std::string& message) {
  const std::string first_line = message.substr(0, message.find('\n'));
  const bool located = first_line.find(": error: ") != std::string::npos;
  std::cerr << traceback << (located ? "" : "netcook: error: ") << message << "\n";
}

}  // namespace netcook::cli
