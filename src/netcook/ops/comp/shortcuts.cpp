#include "netcook/ops/comp/shortcuts.h"

#include <cctype>
#include <set>

#include "netcook/core/network.h"

namespace netcook::comp_shortcuts {
namespace {

std::string block_name(int i, const char* suffix) { return "iop" + std::to_string(i) + suffix; }

std::string string_par(const Operator& op, const std::string& name) {
  Parameter* p = op.find_parameter(name);
  return p ? to_display_string(p->eval()) : std::string();
}

// What a script can write after `iop.`: a Python identifier (ASCII, as
// TouchDesigner's names are).
bool is_python_name(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

// The component an operator's relative lookups start from: a COMP's own
// (its internal operators are its children), any other operator's parent.
const CompOperator* enclosing(const Operator& from) {
  if (from.family() == Family::COMP) return static_cast<const CompOperator*>(&from);
  return from.parent();
}

template <class Visit>
void for_each_internal_op(const CompOperator& comp, Visit visit) {
  for (int i = 0; i < kInternalOpBlocks; ++i) {
    const std::string shortcut = string_par(comp, block_name(i, "shortcut"));
    if (!shortcut.empty()) visit(i, shortcut, string_par(comp, block_name(i, "op")));
  }
}

}  // namespace

ShortcutsPage::ShortcutsPage(ParameterSet& set)
    : parentshortcut(set.text("parentshortcut", "Parent Shortcut", "",
                              "A name for this component usable anywhere inside it: parent.NAME is the nearest "
                              "enclosing component with that parentshortcut.")),
      opshortcut(set.text("opshortcut", "Global OP Shortcut", "",
                          "A name for this component usable anywhere in the scene: op.NAME.")) {
  for (int i = 0; i < kInternalOpBlocks; ++i) {
    iop_shortcut.push_back(set.text(block_name(i, "shortcut"), "Internal OP Shortcut " + std::to_string(i),
                 "",
                 "A name usable anywhere inside this component: iop.NAME is the operator " + block_name(i, "op") +
                     " names and ipar.NAME its parameters (the nearest component declaring NAME wins)."));
    iop_op.push_back(set.op_ref(block_name(i, "op"), "Internal OP " + std::to_string(i),
                   "The operator " + block_name(i, "shortcut") +
                       " stands for, resolved inside this component (`geo1` and `./geo1` are its child "
                       "geo1; `../x` and `/project1/x` as usual)."));
  }
}

std::optional<Operator::FileProblem> ShortcutComp::open_files() {
  for (const char* name : {"parentshortcut", "opshortcut"}) {
    const std::string value = string_par(*this, name);
    if (!value.empty() && !is_python_name(value))
      return FileProblem{name, std::string(name) + " '" + value +
                                   "' is not a name a script can write (letters, digits and _, not starting "
                                   "with a digit)"};
  }
  std::set<std::string> seen;
  std::optional<FileProblem> problem;
  for_each_internal_op(*this, [&](int i, const std::string& shortcut, const std::string& path) {
    if (problem) return;
    const std::string par = block_name(i, "shortcut");
    if (!is_python_name(shortcut))
      problem = FileProblem{par, par + " '" + shortcut +
                                     "' is not a name a script can write (letters, digits and _, not starting "
                                     "with a digit)"};
    else if (!seen.insert(shortcut).second)
      problem = FileProblem{par, "internal OP shortcut '" + shortcut + "' is declared twice on " + this->path()};
    else if (path.empty())
      problem = FileProblem{par, par + " '" + shortcut + "' has no operator: set " + block_name(i, "op")};
  });
  return problem;
}

CompOperator* find_parent_shortcut(const Operator& from, const std::string& name) {
  for (CompOperator* c = from.parent(); c; c = c->parent())
    if (string_par(*c, "parentshortcut") == name) return c;
  return nullptr;
}

CompOperator* find_global_shortcut(const Network& network, const std::string& name) {
  for (Operator* op : network.all_operators())
    if (op->family() == Family::COMP && string_par(*op, "opshortcut") == name) return static_cast<CompOperator*>(op);
  return nullptr;
}

std::optional<InternalOp> find_internal_op(const Operator& from, const std::string& name) {
  for (const CompOperator* c = enclosing(from); c; c = c->parent()) {
    std::optional<InternalOp> found;
    for_each_internal_op(*c, [&](int, const std::string& shortcut, const std::string& path) {
      if (!found && shortcut == name) found = InternalOp{c, path, path.empty() ? nullptr : c->network().resolve(path, *c)};
    });
    if (found) return found;
  }
  return std::nullopt;
}

std::vector<std::string> parent_shortcut_names(const Operator& from) {
  std::vector<std::string> names;
  for (const CompOperator* c = from.parent(); c; c = c->parent())
    if (std::string s = string_par(*c, "parentshortcut"); !s.empty()) names.push_back(s);
  return names;
}

std::vector<std::string> global_shortcut_names(const Network& network) {
  std::vector<std::string> names;
  for (const Operator* op : network.all_operators())
    if (op->family() == Family::COMP)
      if (std::string s = string_par(*op, "opshortcut"); !s.empty()) names.push_back(s);
  return names;
}

std::vector<std::string> internal_op_names(const Operator& from) {
  std::vector<std::string> names;
  for (const CompOperator* c = enclosing(from); c; c = c->parent())
    for_each_internal_op(*c, [&](int, const std::string& shortcut, const std::string&) { names.push_back(shortcut); });
  return names;
}

}  // namespace netcook::comp_shortcuts
