// Text DAT: holds text, usually Python. With `run: start` or `run: frame`
// in the scene its text runs as a script (see python/script_runner.h).
#include "netcook/core/registry.h"

namespace netcook {

OperatorType text_dat_type() {
  OperatorType t;
  t.name = "textDAT";
  t.family = Family::DAT;
  t.label = "Text";
  t.summary =
      "Free-form text, from the scene's `text:` or `file:`. With `run: start` it runs as Python "
      "once before the first frame; with `run: frame` at the start of every frame, before "
      "anything of that frame cooks.";
  t.create = make_factory<DatOperator>();
  return t;
}

}  // namespace netcook
