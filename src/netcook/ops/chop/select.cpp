// Select CHOP: picks channels of its input by name patterns, optionally
// renaming them.
//
// The source is the CHOP wired into input 1 or, with nothing wired, the
// CHOP named by the `chop` parameter (TouchDesigner's way to select from an
// unwired CHOP). Operator references are dependencies the cooker follows
// like wires, so the referenced CHOP is current when this one cooks.
#include <memory>
#include <stdexcept>

#include "netcook/core/network.h"
#include "netcook/core/pattern.h"
#include "netcook/core/registry.h"

namespace netcook {
namespace {

// renamefrom token `from` with at most one '*': the text that '*' matched in
// `name`; false when `name` does not match.
bool match_star(const std::string& from, const std::string& name, std::string* star) {
  const auto at = from.find('*');
  if (at == std::string::npos || from.find('*', at + 1) != std::string::npos) {
    star->clear();
    return name_matches(from, name);
  }
  const std::string pre = from.substr(0, at), post = from.substr(at + 1);
  if (name.size() < pre.size() + post.size()) return false;
  if (!name_matches(pre, name.substr(0, pre.size()))) return false;
  if (!name_matches(post, name.substr(name.size() - post.size()))) return false;
  *star = name.substr(pre.size(), name.size() - pre.size() - post.size());
  return true;
}

std::string rename(const std::string& name, const std::vector<std::string>& from, const std::vector<std::string>& to) {
  for (std::size_t j = 0; j < from.size() && j < to.size(); ++j) {
    std::string star;
    if (!match_star(from[j], name, &star)) continue;
    std::string out = to[j];
    if (const auto at = out.find('*'); at != std::string::npos) out.replace(at, 1, star);
    return out;
  }
  return name;
}

struct SelectParameters : ParameterSet {
  OpRefPar chop = op_ref("chop", "CHOP",
                         "The source CHOP when nothing is wired (a path resolved like op(); it cooks first, "
                         "like a wire).");
  StringPar channames = text("channames", "Channel Names", "*",
                             "Space-separated patterns (fnmatch: * any run, ? one character, [a-z] a set). The "
                             "result lists, for each pattern in the order given, the input channels it matches in "
                             "input order; a channel matched by two patterns appears twice, a pattern matching "
                             "nothing adds nothing.");
  StringPar renamefrom = text("renamefrom", "Rename From", "",
                              "Space-separated patterns; a selected channel matching the j-th one (the first that "
                              "matches) is renamed to the j-th Rename To word.");
  StringPar renameto = text("renameto", "Rename To", "",
                            "Space-separated new names, paired with Rename From by position. A '*' here is "
                            "replaced by the text the single '*' of the Rename From pattern matched "
                            "(renamefrom 'chan*' renameto 'v*': chan2 -> v2); patterns with other wildcards "
                            "rename to the word as written. Unpaired patterns leave names unchanged.");
};

const SelectParameters& pars() {
  static const SelectParameters p{};
  return p;
}

class SelectChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  void cook(const CookContext&) override {
    const ChannelSet* in = input_channels(0);
    if (!in) {
      // The cooker turns these into a CookError naming the path and frame.
      const std::string path = pars().chop.eval(*this);
      if (path.empty()) throw std::runtime_error("nothing to select from: wire a CHOP into input 1 or set chop");
      const auto* source = dynamic_cast<const ChopOperator*>(network().resolve(path, *parent()));
      if (!source) throw std::runtime_error("chop '" + path + "' is not a CHOP");
      in = source->channels().get();
      if (!in) throw std::runtime_error("chop '" + path + "' has no channels");
    }
    auto out = std::make_shared<ChannelSet>();
    out->rate = in->rate;
    out->start = in->start;
    const auto from = split_words(pars().renamefrom.eval(*this));
    const auto to = split_words(pars().renameto.eval(*this));
    for (const std::string& pattern : split_words(pars().channames.eval(*this))) {
      for (const Channel& c : in->channels) {
        if (!name_matches(pattern, c.name)) continue;
        out->channels.push_back(Channel{rename(c.name, from, to), c.samples});
      }
    }
    set_channels(std::move(out));
  }
};

}  // namespace

OperatorType select_chop_type() {
  OperatorType t;
  t.name = "selectCHOP";
  t.family = Family::CHOP;
  t.label = "Select";
  t.summary =
      "Selects channels by name patterns from the CHOP wired into input 1, or with nothing wired "
      "from the CHOP the `chop` parameter names, then renames them.";
  t.min_inputs = 0;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<SelectChop>();
  return t;
}

}  // namespace netcook
