// td.CHOP and td.Channel.
#include "netcook/python/bindings.h"

namespace netcook::py_bindings {

void init_chop(py::module_& m) { py::class_<ChopOperator, Operator>(m, "CHOP"); }

}  // namespace netcook::py_bindings
