// Checks that run before yaml-cpp builds a node tree: the bytes are UTF-8
// text, and the YAML, walked as a stream of parser events, stays within the
// limits of limits.h once its aliases are expanded.
//
// yaml-cpp resolves an alias to the very node its anchor names, so a 1 KB
// file whose aliases repeat aliases is a small tree in memory but an
// exponential one to anything that walks it (the loader builds one operator
// per mapping entry it visits). The event stream is the one place that still
// knows where each alias is written, so the sizes are counted here: every
// anchored node records the size of its subtree, and each alias adds that
// size at its own line and column.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include "netcook/scene/limits.h"
#include "netcook/scene/yaml_support.h"

namespace netcook::scene_detail {

namespace {

// Length of the UTF-8 sequence at `i` and its code point, or 0 when the
// bytes there are not well-formed UTF-8 (overlong forms, surrogates and
// code points past U+10FFFF included).
std::size_t decode_utf8(const std::string& s, std::size_t i, std::uint32_t* code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    *code_point = b0;
    return 1;
  }
  std::size_t length = 0;
  std::uint32_t cp = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) length = 2, cp = b0 & 0x1F, min = 0x80;
  else if ((b0 & 0xF0) == 0xE0) length = 3, cp = b0 & 0x0F, min = 0x800;
  else if ((b0 & 0xF8) == 0xF0) length = 4, cp = b0 & 0x07, min = 0x10000;
  else return 0;
  if (i + length > s.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *code_point = cp;
  return length;
}

// C0 and C1 controls and DEL: never part of a scene (YAML allows only tab,
// line feed, carriage return and NEL), and never printed raw, since a
// terminal acts on them.
bool is_control(std::uint32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F ||
         (cp >= 0x80 && cp <= 0x9F && cp != 0x85);
}

std::string hex_byte(unsigned char b) {
  static const char digits[] = "0123456789ABCDEF";
  return std::string("0x") + digits[b >> 4] + digits[b & 0xF];
}

std::string code_point_name(std::uint32_t cp) {
  std::ostringstream out;
  out << "U+" << std::uppercase << std::hex;
  out.width(4);
  out.fill('0');
  out << cp;
  return out.str();
}

// Where a limit was crossed, thrown out of the parser's callbacks.
struct LimitExceeded {
  YAML::Mark mark;
  std::string message;
};

// Walks the event stream of one YAML stream (all of its documents) and
// throws LimitExceeded at the first node past a limit.
class ExpansionCounter : public YAML::EventHandler {
 public:
  // yaml-cpp 0.7 can loop forever on some malformed input (an indented
  // block sequence followed by a less indented ',': "  - a\n ,\n"), emitting
  // null events at one position without reading on. A real document has at
  // most a few events per byte, so a budget proportional to its size ends
  // the loop (found by the fuzzer; tests/data/bad/yaml_cpp_parser_loop.yaml).
  explicit ExpansionCounter(std::size_t source_bytes) : event_budget_(16 * source_bytes + 1024) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    step(mark);
    // Anchors belong to their document.
    anchors_.clear();
    stack_.clear();
    comp_levels_ = 0;
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    step(mark);
    leaf(mark, anchor, false, "");
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    step(mark);
    leaf(mark, anchor, true, value);
  }

  void OnAnchor(const YAML::Mark&, const std::string& name) override { pending_anchor_name_ = name; }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    step(mark);
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) return;  // yaml-cpp reports unknown anchors itself
    const Subtree& a = found->second;
    const std::string name = "alias '*" + a.name + "'";
    if (!stack_.empty() && stack_.back().is_map && stack_.back().expect_key) {
      // An alias as a mapping key: never the key `ops`, but an operator
      // name when the mapping is an `ops:` one.
      stack_.back().key_is_ops = false;
      stack_.back().key_mark = mark;
      if (stack_.back().is_ops) add_operators(1, mark, "this operator");
    }
    if (!a.complete)
      throw LimitExceeded{mark, name + " refers to a node that contains it (the alias would repeat forever)"};
    alias_nodes_ += a.nodes;
    if (alias_nodes_ > kMaxAliasExpansion)
      throw LimitExceeded{mark, name + " expands the scene past " + std::to_string(kMaxAliasExpansion) +
                                    " YAML nodes repeated through aliases (the limit; is it an alias bomb?)"};
    if (static_cast<int>(stack_.size()) + a.height > kMaxYamlDepth)
      throw LimitExceeded{mark, name + " nests the YAML more than " + std::to_string(kMaxYamlDepth) +
                                    " levels deep (the limit)"};
    const bool is_ops = value_of_ops_key();
    const std::uint64_t operators = a.operators + (is_ops ? a.entries : 0);
    const int comp_height = a.comp_height + (is_ops ? 1 : 0);
    check_component_depth(comp_levels_ + comp_height, mark, name + " nests");
    add_operators(operators, mark, name);
    child_done(Subtree{true, a.name, a.nodes, a.height, comp_height, operators, 0});
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    step(mark);
    open(mark, anchor, false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    step(mark);
    open(mark, anchor, true);
  }
  void OnMapEnd() override { close(); }

 private:
  // What a node stands for once its aliases are expanded.
  struct Subtree {
    bool complete = false;     // false while an anchored collection is still open
    std::string name;          // the anchor's name, for messages
    std::uint64_t nodes = 1;   // YAML nodes, itself included
    int height = 0;            // collection levels below and including it (0: a scalar)
    int comp_height = 0;       // `ops:` mappings nested in it, itself included
    std::uint64_t operators = 0;  // entries of `ops:` mappings in it, itself included
    std::uint64_t entries = 0;    // a mapping's own entries
  };
  struct Open {
    YAML::Mark mark;
    YAML::anchor_t anchor = 0;
    bool is_map = false;
    bool expect_key = true;   // a mapping's next child is a key
    bool key_is_ops = false;  // its last key was the scalar `ops`
    YAML::Mark key_mark;
    bool is_ops = false;      // it is the value of an `ops` key: its keys are operators
    Subtree subtree;
  };

  void step(const YAML::Mark& mark) {
    if (event_budget_-- == 0)
      throw LimitExceeded{mark, "YAML syntax error: the parser stops advancing here (malformed YAML)"};
  }

  // True when the node about to start is the value of an `ops:` key.
  bool value_of_ops_key() const {
    return !stack_.empty() && stack_.back().is_map && !stack_.back().expect_key && stack_.back().key_is_ops;
  }

  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, bool scalar, const std::string& value) {
    if (!stack_.empty() && stack_.back().is_map && stack_.back().expect_key) {
      Open& map = stack_.back();
      map.key_is_ops = scalar && value == "ops";
      map.key_mark = mark;
      if (map.is_ops) add_operators(1, mark, "this operator");
    }
    Subtree s;
    s.complete = true;
    remember(anchor, s);
    child_done(s);
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    if (static_cast<int>(stack_.size()) >= kMaxYamlDepth)
      throw LimitExceeded{mark, "the YAML is nested more than " + std::to_string(kMaxYamlDepth) +
                                    " levels deep here (the limit)"};
    Open o;
    o.mark = mark;
    o.anchor = anchor;
    o.is_map = is_map;
    o.is_ops = is_map && value_of_ops_key();
    if (!stack_.empty() && stack_.back().is_map && stack_.back().expect_key) {
      // A collection as a mapping key (`? [a]`) is never `ops`.
      stack_.back().key_is_ops = false;
      stack_.back().key_mark = mark;
    }
    if (o.is_ops) {
      ++comp_levels_;
      check_component_depth(comp_levels_, stack_.back().key_mark, "this 'ops:' nests");
    }
    if (anchor) {
      Subtree pending;
      pending.name = take_anchor_name();
      anchors_[anchor] = pending;  // incomplete: an alias to it from inside is a loop
    }
    o.subtree.name = anchor ? anchors_[anchor].name : "";
    stack_.push_back(std::move(o));
  }

  void close() {
    Open o = std::move(stack_.back());
    stack_.pop_back();
    Subtree s = o.subtree;
    s.complete = true;
    s.height += 1;
    if (o.is_ops) {
      --comp_levels_;
      s.comp_height += 1;
      s.operators += s.entries;
    }
    if (o.anchor) anchors_[o.anchor] = s;
    // Seen from an alias, the anchored node is not an `ops:` value itself
    // (the alias's own position decides that), so record it without.
    if (o.anchor && o.is_ops) {
      Subtree& stored = anchors_[o.anchor];
      stored.comp_height -= 1;
      stored.operators -= s.entries;
    }
    child_done(s);
  }

  // Folds a finished child into the collection around it.
  void child_done(const Subtree& child) {
    if (stack_.empty()) return;
    Open& parent = stack_.back();
    Subtree& p = parent.subtree;
    p.nodes += child.nodes;
    p.height = std::max(p.height, child.height);
    p.comp_height = std::max(p.comp_height, child.comp_height);
    p.operators += child.operators;
    if (parent.is_map) {
      if (parent.expect_key) ++p.entries;
      parent.expect_key = !parent.expect_key;
    }
  }

  void remember(YAML::anchor_t anchor, const Subtree& s) {
    if (!anchor) return;
    Subtree named = s;
    named.name = take_anchor_name();
    anchors_[anchor] = named;
  }

  std::string take_anchor_name() {
    std::string name = pending_anchor_name_;
    pending_anchor_name_.clear();
    return name;
  }

  // `levels` counts `ops:` mappings, the root's own included.
  void check_component_depth(int levels, const YAML::Mark& mark, const std::string& what) {
    if (levels - 1 > kMaxComponentDepth)
      throw LimitExceeded{mark, what + " components more than " + std::to_string(kMaxComponentDepth) +
                                    " deep inside the root (the limit)"};
  }

  void add_operators(std::uint64_t n, const YAML::Mark& mark, const std::string& what) {
    operators_ += n;
    if (operators_ > kMaxSceneOperators)
      throw LimitExceeded{mark, what + " brings the scene past " + std::to_string(kMaxSceneOperators) +
                                    " operators (the limit for one scene)"};
  }

  std::size_t event_budget_;
  std::unordered_map<YAML::anchor_t, Subtree> anchors_;
  std::vector<Open> stack_;
  std::string pending_anchor_name_;
  int comp_levels_ = 0;
  std::uint64_t alias_nodes_ = 0;
  std::uint64_t operators_ = 0;
};

}  // namespace

bool check_scene_text(const std::string& source, Reporter& r) {
  // Positions count bytes from 0, as yaml-cpp's marks do.
  int line = 0, column = 0;
  for (std::size_t i = 0; i < source.size();) {
    std::uint32_t cp = 0;
    const std::size_t length = decode_utf8(source, i, &cp);
    YAML::Mark mark;
    mark.pos = static_cast<int>(std::min<std::size_t>(i, std::numeric_limits<int>::max()));
    mark.line = line;
    mark.column = column;
    if (length == 0) {
      r.error(r.at(mark), "invalid UTF-8 (byte " + hex_byte(static_cast<unsigned char>(source[i])) +
                              "): a scene file is UTF-8 text");
      return false;
    }
    if (is_control(cp)) {
      r.error(r.at(mark), "control character " + code_point_name(cp) +
                              " is not allowed in a scene file (is it a text file?)");
      return false;
    }
    if (cp == '\n') {
      ++line;
      column = 0;
    } else {
      column += static_cast<int>(length);
    }
    i += length;
  }

  std::istringstream in(source);
  YAML::Parser parser(in);
  ExpansionCounter counter(source.size());
  try {
    while (parser.HandleNextDocument(counter)) {
    }
  } catch (const LimitExceeded& e) {
    r.error(r.at(e.mark), e.message);
    return false;
  } catch (const YAML::DeepRecursion& e) {
    r.error(r.at(e.mark), "the YAML is nested too deep here");
    return false;
  } catch (const YAML::Exception& e) {
    report_yaml_syntax_error(source, e, r);
    return false;
  }
  return true;
}

std::string printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    const std::size_t length = decode_utf8(text, i, &cp);
    if (length == 0) {
      out += "\\x" + hex_byte(static_cast<unsigned char>(text[i])).substr(2);
      ++i;
      continue;
    }
    if (is_control(cp) || cp == '\n' || cp == '\r' || cp == '\t') {
      if (cp == '\n') out += "\\n";
      else if (cp == '\t') out += "\\t";
      else if (cp == '\r') out += "\\r";
      else if (cp < 0x80) out += "\\x" + hex_byte(static_cast<unsigned char>(cp)).substr(2);
      else out += "\\u" + code_point_name(cp).substr(2);
    } else {
      out.append(text, i, length);
    }
    i += length;
  }
  return out;
}

}  // namespace netcook::scene_detail
