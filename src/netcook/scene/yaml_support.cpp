#include "netcook/scene/yaml_support.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <stdexcept>

#include "netcook/core/operator.h"
#include "netcook/core/registry.h"

namespace netcook::scene_detail {

SourceLocation Reporter::at(const YAML::Mark& mark) const {
  if (!has_lines_) return nowhere();
  if (mark.is_null() || mark.line < 0) return {file_, 1, 1};
  return {file_, mark.line + 1, std::max(0, mark.column) + 1};
}

SourceLocation Reporter::at(const YAML::Node& node, const YAML::Node& fallback) const {
  if (!node.IsDefined() || node.Mark().is_null()) return at(fallback);
  if (node.IsNull()) {
    // An explicit null (~, null) has its own mark; an empty value carries
    // the mark of the next token, often on a later line.
    const char c = char_at(node.Mark());
    if (c != '~' && c != 'n' && c != 'N') return at(fallback);
  }
  return at(node);
}

void Reporter::error(SourceLocation where, const std::string& message) {
  if (full()) return;
  where.file = printable(where.file);
  diagnostics_.push_back({std::move(where), printable(message)});
}

char Reporter::char_at(const YAML::Mark& mark) const {
  if (!source_ || mark.is_null() || mark.pos < 0) return '\0';
  const auto pos = static_cast<std::size_t>(mark.pos);
  return pos < source_->size() ? (*source_)[pos] : '\0';
}

SourceLocation Reporter::content_start(const YAML::Node& scalar) const {
  SourceLocation where = at(scalar);
  const char c = char_at(scalar.Mark());
  if (where.known() && (c == '"' || c == '\'')) ++where.column;
  return where;
}

std::vector<Diagnostic> Reporter::sorted() const {
  std::vector<Diagnostic> out = diagnostics_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.where.line != b.where.line) return a.where.line < b.where.line;
    return a.where.column < b.where.column;
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Diagnostic& a, const Diagnostic& b) {
                          return a.where.line == b.where.line && a.where.column == b.where.column &&
                                 a.message == b.message;
                        }),
            out.end());
  return out;
}

bool is_quoted_string(const YAML::Node& scalar) {
  const std::string& tag = scalar.Tag();
  return tag == "!" || tag == "tag:yaml.org,2002:str";
}

namespace {

bool parse_integer(const std::string& s, long long* out) {
  if (s.empty()) return false;
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  int base = 10;
  if (s.size() > i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) base = 16;
  const std::size_t digits = base == 16 ? i + 2 : i;
  if (digits >= s.size()) return false;
  for (std::size_t k = digits; k < s.size(); ++k) {
    const unsigned char c = static_cast<unsigned char>(s[k]);
    if (base == 10 ? !std::isdigit(c) : !std::isxdigit(c)) return false;
  }
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, base);
  if (errno == ERANGE || end != s.c_str() + s.size()) return false;
  *out = v;
  return true;
}

bool parse_decimal(const std::string& s, double* out) {
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF") {
    *out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") {
    *out = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN") {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  // Only the characters of a YAML decimal: strtod alone would also take
  // "inf", "nan" and hex floats, which YAML reads as strings.
  bool digit = false;
  for (const char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) digit = true;
    else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') return false;
  }
  if (!digit) return false;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return false;
  *out = v;
  return true;
}

bool is_bool_word(const std::string& s, bool* out) {
  if (s == "true" || s == "True" || s == "TRUE") return *out = true, true;
  if (s == "false" || s == "False" || s == "FALSE") return *out = false, true;
  return false;
}

}  // namespace

ParValue scalar_to_value(const YAML::Node& scalar) {
  const std::string& s = scalar.Scalar();
  if (is_quoted_string(scalar)) return s;
  bool b = false;
  if (is_bool_word(s, &b)) return b;
  long long i = 0;
  if (parse_integer(s, &i)) return static_cast<std::int64_t>(i);
  double d = 0;
  if (parse_decimal(s, &d)) return d;
  return s;
}

bool scalar_to_int(const YAML::Node& scalar, long long lo, long long hi, long long* out) {
  if (!scalar.IsScalar() || is_quoted_string(scalar)) return false;
  long long v = 0;
  if (!parse_integer(scalar.Scalar(), &v) || v < lo || v > hi) return false;
  *out = v;
  return true;
}

bool scalar_to_double(const YAML::Node& scalar, double* out) {
  if (!scalar.IsScalar() || is_quoted_string(scalar)) return false;
  long long i = 0;
  if (parse_integer(scalar.Scalar(), &i)) {
    *out = static_cast<double>(i);
    return true;
  }
  double d = 0;
  if (!parse_decimal(scalar.Scalar(), &d) || !std::isfinite(d)) return false;
  *out = d;
  return true;
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  const ParValue v = scalar_to_value(node);
  if (std::holds_alternative<bool>(v)) return "a boolean";
  if (std::holds_alternative<std::int64_t>(v) || std::holds_alternative<double>(v))
    return "the number " + node.Scalar();
  return "the string '" + node.Scalar() + "'";
}

namespace {

// Stands in for a compiled expression when the loader runs without an
// engine (`netcook validate`-style checks): evaluating it fails with a
// CookError from Parameter::eval.
class UncompiledExpression : public Expression {
 public:
  explicit UncompiledExpression(std::string source) : source_(std::move(source)) {}
  const std::string& source() const override { return source_; }

 private:
  std::string source_;
};

// Generators' resolutionw/resolutionh, the parameters `resolution:` sets.
const char* const kGeneratorSizeGroup = "resolution";

std::string generator_size_range() {
  return "whole numbers from 1 to " + std::to_string(kMaxResolution);
}

std::string member_list(const std::vector<const ParameterSpec*>& members) {
  std::string s;
  for (const auto* m : members) s += (s.empty() ? "" : " ") + m->name;
  return s;
}

// Sets one parameter from one value node (a scalar or {expr: ...}).
bool set_single(Parameter& p, const YAML::Node& value, const YAML::Node& key_node, Reporter& r,
                ExpressionEngine* engine) {
  const std::string& name = p.name();
  if (!value.IsDefined() || value.IsNull()) {
    r.error(r.at(value, key_node),
            "parameter '" + name + "' has no value (give a " + to_string(p.spec().type) +
                " value or {expr: \"...\"})");
    return false;
  }
  if (value.IsSequence()) {
    r.error(r.at(value), "parameter '" + name + "' takes one value, not a list");
    return false;
  }
  if (value.IsMap()) {
    // (A default YAML::Node is a defined null, and assigning to a bound
    // node writes through to the document: keep the found node in an
    // optional instead.)
    std::optional<YAML::Node> found;
    bool ok = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string k = it->first.IsScalar() ? it->first.Scalar() : "";
      if (k == "expr" && !found) {
        found.emplace(it->second);
      } else {
        r.error(r.at(it->first), "parameter '" + name +
                                     "': a mapping value must be {expr: \"python expression\"}" +
                                     (k.empty() ? "" : ", not a key '" + k + "'") +
                                     did_you_mean(k, {"expr"}));
        ok = false;
      }
    }
    if (!ok) return false;
    if (!found) {
      r.error(r.at(value), "parameter '" + name + "': a mapping value must be {expr: \"python expression\"}");
      return false;
    }
    const YAML::Node source = *found;
    if (!source.IsScalar() || source.Scalar().empty()) {
      r.error(r.at(source, value), "parameter '" + name + "': expr must be a non-empty string of Python, not " +
                                       describe(source));
      return false;
    }
    const SourceLocation where = r.content_start(source);
    try {
      std::shared_ptr<Expression> expr =
          engine ? engine->compile(source.Scalar(), where)
                 : std::make_shared<UncompiledExpression>(source.Scalar());
      p.set_expression(std::move(expr));
    } catch (const SceneError& e) {
      r.add(e.diagnostics());
      return false;
    } catch (const std::exception& e) {
      r.error(where, "parameter '" + name + "': " + e.what());
      return false;
    }
    return true;
  }
  if (p.spec().group == kGeneratorSizeGroup) {
    // Bounded like the scene's `resolution:`: a generator 100000 pixels wide
    // cooks gigabytes per frame (or fails to allocate them mid-render).
    double size = 0;
    if (scalar_to_double(value, &size) && (size < 1 || size > kMaxResolution)) {
      r.error(r.at(value), "parameter '" + name + "' is a generator size: " + generator_size_range() +
                               ", not " + value.Scalar());
      return false;
    }
  }
  try {
    p.set_constant(scalar_to_value(value));
  } catch (const std::exception& e) {
    r.error(r.at(value), e.what());
    return false;
  }
  return true;
}

}  // namespace

void report_yaml_syntax_error(const std::string& source, const YAML::Exception& e, Reporter& r) {
  // The last line up to the error whose indentation holds a tab: YAML
  // forbids tabs there, and yaml-cpp reports what it sees next instead.
  const int error_line = e.mark.is_null() ? -1 : e.mark.line;
  int line = 0;
  YAML::Mark tab_mark = YAML::Mark::null_mark();
  std::size_t start = 0;
  while (start <= source.size() && (error_line < 0 || line <= error_line)) {
    std::size_t end = source.find('\n', start);
    if (end == std::string::npos) end = source.size();
    for (std::size_t i = start; i < end && (source[i] == ' ' || source[i] == '\t'); ++i)
      if (source[i] == '\t') {
        tab_mark.line = line;
        tab_mark.column = static_cast<int>(i - start);
        tab_mark.pos = static_cast<int>(i);
        break;
      }
    if (end == source.size()) break;
    start = end + 1;
    ++line;
  }
  if (!tab_mark.is_null()) {
    r.error(r.at(tab_mark), "tabs are not allowed for indentation in YAML: indent with spaces (the parser said: " +
                                e.msg + ")");
    return;
  }
  static const std::pair<const char*, const char*> hints[] = {
      {"end of map not found", "a mapping ends where it should not: check this line's indentation against the "
                               "lines above, and that every '{' has its '}'"},
      {"end of sequence not found", "a list is not closed: check that every '[' has its ']'"},
      {"illegal map value", "a ':' where YAML expects none: quote a value that holds ': ' or '#'"},
      {"end of map flow not found", "a '{' has no matching '}'"},
      {"end of sequence flow not found", "a '[' has no matching ']'"},
      {"unknown escape character", "an unknown backslash escape in a double-quoted string: use single quotes"},
  };
  for (const auto& [text, hint] : hints)
    if (e.msg.find(text) != std::string::npos) {
      r.error(r.at(e.mark), "YAML syntax error: " + e.msg + "; " + hint);
      return;
    }
  r.error(r.at(e.mark), "YAML syntax error: " + e.msg);
}

bool apply_par_entry(Operator& op, const std::string& key, const YAML::Node& key_node,
                     const YAML::Node& value, Reporter& r, ExpressionEngine* engine,
                     std::vector<std::string>* set_names) {
  const OperatorType& type = op.type();
  auto note_set = [&](const std::string& name, const YAML::Node& where) {
    if (!set_names) return true;
    if (std::find(set_names->begin(), set_names->end(), name) != set_names->end()) {
      r.error(r.at(where), "parameter '" + name + "' of " + type.name + " '" + op.name() +
                               "' is set twice");
      return false;
    }
    set_names->push_back(name);
    return true;
  };

  if (const ParameterSpec* spec = type.find_parameter(key)) {
    Parameter* p = op.find_parameter(spec->name);
    if (!p) {
      r.error(r.at(key_node), type.name + " has no parameter '" + key + "'");
      return false;
    }
    if (!note_set(spec->name, key_node)) return false;
    return set_single(*p, value, key_node, r, engine);
  }

  std::vector<const ParameterSpec*> members;
  for (const auto& spec : type.parameters)
    if (spec.group == key) members.push_back(&spec);
  if (members.empty()) {
    r.error(r.at(key_node),
            type.name + " has no parameter '" + key + "'" + suggest_parameter(key, type.parameters));
    return false;
  }
  // One value (or one expression) for a whole tuple sets every member, as
  // TouchDesigner's UI fills a tuple from its first field: `s: 0.5` is
  // sx = sy = 0.5.
  if (value.IsScalar() || value.IsMap()) {
    bool ok = true;
    for (const ParameterSpec* member : members) {
      Parameter* p = op.find_parameter(member->name);
      if (!p || !note_set(member->name, key_node)) {
        ok = false;
        continue;
      }
      ok = set_single(*p, value, key_node, r, engine) && ok;
      if (!ok) break;  // one message for the one value
    }
    return ok;
  }
  if (!value.IsSequence() || value.size() != members.size()) {
    std::string got = value.IsSequence() ? "a list of " + std::to_string(value.size())
                                         : describe(value);
    r.error(r.at(value, key_node), "parameter '" + key + "' is a tuple of " +
                                       std::to_string(members.size()) + " (" + member_list(members) +
                                       "): give a list of " + std::to_string(members.size()) + " values" +
                                       (key == kGeneratorSizeGroup ? ", " + generator_size_range() : "") +
                                       ", not " + got);
    return false;
  }
  bool ok = true;
  for (std::size_t i = 0; i < members.size(); ++i) {
    Parameter* p = op.find_parameter(members[i]->name);
    if (!p || !note_set(members[i]->name, key_node)) {
      ok = false;
      continue;
    }
    ok = set_single(*p, value[i], key_node, r, engine) && ok;
  }
  return ok;
}

}  // namespace netcook::scene_detail
