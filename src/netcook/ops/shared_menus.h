// Menus that several operators share, each declared once with one
// token <-> enum mapping, so every operator reads a token the same way
// (before, blur and transform each mapped `extend` with their own fallback).
#pragma once

#include "netcook/core/parameter.h"
#include "netcook/kernels/blur.h"

namespace netcook::shared_menus {

// Edge rule of filters and resampling (Blur TOP, Transform TOP). Entry order
// is the menu index order scenes may use (`extend: 3` = zero).
inline const MenuMapping<ExtendMode>& extend() {
  static const MenuMapping<ExtendMode> menu{{ExtendMode::Hold, "hold", "Hold"},
                                            {ExtendMode::Repeat, "repeat", "Repeat"},
                                            {ExtendMode::Mirror, "mirror", "Mirror"},
                                            {ExtendMode::Zero, "zero", "Zero"}};
  return menu;
}

}  // namespace netcook::shared_menus
