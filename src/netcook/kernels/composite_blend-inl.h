// The composite formulas of composite.h, written once over a math policy
// `m` (scalar floats or Highway vectors) so both perform the same
// operations in the same order. No include guard and no includes: included
// inside namespaces by composite.cpp, once per SIMD target (see there).
// NOLINT(build/header_guard)

template <class V>
struct Px {
  V r, g, b, a;
};

// The formulas of composite.h, once, over a math policy `m` (scalar floats
// or Highway vectors): the same operations in the same order for both.
template <class M, class V = typename M::V>
struct Blend {
  const M& m;

  V k(float c) const { return m.set(c); }
  V clamp01(V v) const { return m.min(m.max(v, k(0.0f)), k(1.0f)); }
  V lum(const Px<V>& p) const {
    return m.add(m.add(m.mul(k(0.3f), p.r), m.mul(k(0.59f), p.g)), m.mul(k(0.11f), p.b));
  }
  V union_alpha(const Px<V>& A, const Px<V>& B) const { return m.add(A.a, m.mul(B.a, m.sub(k(1.0f), A.a))); }

  template <class F>
  Px<V> rgba(const Px<V>& A, const Px<V>& B, F f) const {
    return {f(A.r, B.r), f(A.g, B.g), f(A.b, B.b), f(A.a, B.a)};
  }
  template <class F>
  Px<V> rgb_union(const Px<V>& A, const Px<V>& B, F f) const {
    return {f(A.r, B.r), f(A.g, B.g), f(A.b, B.b), union_alpha(A, B)};
  }
  Px<V> scaled(const Px<V>& P, V s) const { return {m.mul(P.r, s), m.mul(P.g, s), m.mul(P.b, s), m.mul(P.a, s)}; }
  Px<V> choose(typename M::Mask pick_a, const Px<V>& A, const Px<V>& B) const {
    return {m.sel(pick_a, A.r, B.r), m.sel(pick_a, A.g, B.g), m.sel(pick_a, A.b, B.b), m.sel(pick_a, A.a, B.a)};
  }

  V burn(V s, V b) const {
    const V v = m.sub(k(1.0f), m.min(k(1.0f), m.div(m.sub(k(1.0f), b), s)));
    return m.sel(m.eq(b, k(1.0f)), k(1.0f), m.sel(m.eq(s, k(0.0f)), k(0.0f), v));
  }
  V dodge(V s, V b) const {
    const V v = m.min(k(1.0f), m.div(b, m.sub(k(1.0f), s)));
    return m.sel(m.eq(b, k(0.0f)), k(0.0f), m.sel(m.eq(s, k(1.0f)), k(1.0f), v));
  }
  V hardlight(V s, V b, V pivot) const {
    const V low = m.mul(m.mul(k(2.0f), s), b);
    const V high = m.sub(k(1.0f), m.mul(m.mul(k(2.0f), m.sub(k(1.0f), s)), m.sub(k(1.0f), b)));
    return m.sel(m.le(pivot, k(0.5f)), low, high);
  }
  V softlight(V s, V b) const {
    const V d = m.sel(m.le(b, k(0.25f)), m.mul(m.add(m.mul(m.sub(m.mul(k(16.0f), b), k(12.0f)), b), k(4.0f)), b),
                      m.sqrt(b));
    const V low = m.sub(b, m.mul(m.mul(m.sub(k(1.0f), m.mul(k(2.0f), s)), b), m.sub(k(1.0f), b)));
    const V high = m.add(b, m.mul(m.sub(m.mul(k(2.0f), s), k(1.0f)), m.sub(d, b)));
    return m.sel(m.le(s, k(0.5f)), low, high);
  }
  V min3(const Px<V>& c) const { return m.min(m.min(c.r, c.g), c.b); }
  V max3(const Px<V>& c) const { return m.max(m.max(c.r, c.g), c.b); }
  Px<V> clip_color(Px<V> c) const {
    const V l = lum(c);
    const V n = min3(c);
    const auto low = m.lt(n, k(0.0f));
    const V fl = m.div(l, m.sub(l, n));
    c.r = m.sel(low, m.add(l, m.mul(m.sub(c.r, l), fl)), c.r);
    c.g = m.sel(low, m.add(l, m.mul(m.sub(c.g, l), fl)), c.g);
    c.b = m.sel(low, m.add(l, m.mul(m.sub(c.b, l), fl)), c.b);
    const V x = max3(c);
    const auto high = m.lt(k(1.0f), x);
    const V fh = m.div(m.sub(k(1.0f), l), m.sub(x, l));
    c.r = m.sel(high, m.add(l, m.mul(m.sub(c.r, l), fh)), c.r);
    c.g = m.sel(high, m.add(l, m.mul(m.sub(c.g, l), fh)), c.g);
    c.b = m.sel(high, m.add(l, m.mul(m.sub(c.b, l), fh)), c.b);
    return c;
  }
  Px<V> set_lum(Px<V> c, V l) const {
    const V d = m.sub(l, lum(c));
    c.r = m.add(c.r, d);
    c.g = m.add(c.g, d);
    c.b = m.add(c.b, d);
    return clip_color(c);
  }
  Px<V> set_sat(Px<V> c, V s) const {
    const V n = min3(c), x = max3(c);
    const V range = m.sub(x, n);
    const auto flat = m.eq(range, k(0.0f));
    auto one = [&](V v) { return m.sel(flat, k(0.0f), m.div(m.mul(m.sub(v, n), s), range)); };
    return {one(c.r), one(c.g), one(c.b), c.a};
  }

  Px<V> apply(CompositeOperand op, const Px<V>& A, const Px<V>& B) const {
    using O = CompositeOperand;
    const V one = k(1.0f);
    switch (op) {
      case O::Add: return rgba(A, B, [&](V x, V y) { return m.add(x, y); });
      case O::Subtract: return rgba(A, B, [&](V x, V y) { return m.sub(x, y); });
      case O::Average: return rgba(A, B, [&](V x, V y) { return m.mul(m.add(x, y), k(0.5f)); });
      case O::Multiply: return rgba(A, B, [&](V x, V y) { return m.mul(x, y); });
      case O::Maximum: return rgba(A, B, [&](V x, V y) { return m.max(x, y); });
      case O::Minimum: return rgba(A, B, [&](V x, V y) { return m.min(x, y); });
      case O::Divide: return rgba(A, B, [&](V x, V y) { return m.div(x, y); });
      case O::Screen:
        return rgba(A, B, [&](V x, V y) { return m.sub(one, m.mul(m.sub(one, x), m.sub(one, y))); });
      case O::Over: {
        const V ka = m.sub(one, A.a);
        return rgba(A, B, [&](V x, V y) { return m.add(x, m.mul(y, ka)); });
      }
      case O::Under: {
        const V kb = m.sub(one, B.a);
        return rgba(A, B, [&](V x, V y) { return m.add(m.mul(x, kb), y); });
      }
      case O::Atop: {
        const V ka = m.sub(one, A.a);
        return rgba(A, B, [&](V x, V y) { return m.add(m.mul(x, B.a), m.mul(y, ka)); });
      }
      case O::Xor: {
        const V ka = m.sub(one, A.a), kb = m.sub(one, B.a);
        return rgba(A, B, [&](V x, V y) { return m.add(m.mul(x, kb), m.mul(y, ka)); });
      }
      case O::Inside: return scaled(A, clamp01(B.a));
      case O::Outside: return scaled(A, m.sub(one, B.a));
      case O::InsideLuminance: return scaled(A, clamp01(lum(B)));
      case O::OutsideLuminance: return scaled(A, m.sub(one, clamp01(lum(B))));
      case O::StencilLuminance: return scaled(B, clamp01(lum(A)));
      case O::Difference: {
        Px<V> p = rgba(A, B, [&](V x, V y) { return m.abs(m.sub(x, y)); });
        p.a = one;
        return p;
      }
      case O::BurnColor: return rgb_union(A, B, [&](V s, V b) { return burn(s, b); });
      case O::Dodge: return rgb_union(A, B, [&](V s, V b) { return dodge(s, b); });
      case O::BurnLinear:
        return rgb_union(A, B, [&](V s, V b) { return m.max(k(0.0f), m.sub(m.add(s, b), one)); });
      case O::Subtractive: return rgb_union(A, B, [&](V s, V b) { return m.sub(m.add(s, b), one); });
      case O::Exclude:
        return rgb_union(A, B, [&](V s, V b) { return m.sub(m.add(s, b), m.mul(m.mul(k(2.0f), s), b)); });
      case O::Negate:
        return rgb_union(A, B, [&](V s, V b) { return m.sub(one, m.abs(m.sub(m.sub(one, s), b))); });
      case O::Inverse: return rgb_union(A, B, [&](V s, V b) { return m.sub(one, m.abs(m.sub(s, b))); });
      case O::HardLight: return rgb_union(A, B, [&](V s, V b) { return hardlight(s, b, s); });
      case O::Overlay: return rgb_union(A, B, [&](V s, V b) { return hardlight(s, b, b); });
      case O::SoftLight: return rgb_union(A, B, [&](V s, V b) { return softlight(s, b); });
      case O::HardMix:
        return rgb_union(A, B, [&](V s, V b) { return m.sel(m.le(one, m.add(s, b)), one, k(0.0f)); });
      case O::LinearLight:
        return rgb_union(A, B, [&](V s, V b) { return m.sub(m.add(b, m.mul(k(2.0f), s)), one); });
      case O::VividLight:
        return rgb_union(A, B, [&](V s, V b) {
          return m.sel(m.le(s, k(0.5f)), burn(m.mul(k(2.0f), s), b), dodge(m.sub(m.mul(k(2.0f), s), one), b));
        });
      case O::PinLight:
        return rgb_union(A, B, [&](V s, V b) {
          return m.sel(m.le(s, k(0.5f)), m.min(b, m.mul(k(2.0f), s)), m.max(b, m.sub(m.mul(k(2.0f), s), one)));
        });
      case O::Reflect:
        return rgb_union(A, B, [&](V s, V b) {
          return m.sel(m.eq(s, one), one, m.min(one, m.div(m.mul(b, b), m.sub(one, s))));
        });
      case O::Glow:
        return rgb_union(A, B, [&](V s, V b) {
          return m.sel(m.eq(b, one), one, m.min(one, m.div(m.mul(s, s), m.sub(one, b))));
        });
      case O::Freeze:
        return rgb_union(A, B, [&](V s, V b) {
          const V t = m.sub(one, b);
          return m.sel(m.eq(s, k(0.0f)), k(0.0f), m.max(k(0.0f), m.sub(one, m.div(m.mul(t, t), s))));
        });
      case O::Heat:
        return rgb_union(A, B, [&](V s, V b) {
          const V t = m.sub(one, s);
          return m.sel(m.eq(b, k(0.0f)), k(0.0f), m.max(k(0.0f), m.sub(one, m.div(m.mul(t, t), b))));
        });
      case O::Brightest: return choose(m.le(lum(B), lum(A)), A, B);
      case O::Dimmest: return choose(m.le(lum(A), lum(B)), A, B);
      case O::LighterColor:
        return choose(m.le(m.add(m.add(B.r, B.g), B.b), m.add(m.add(A.r, A.g), A.b)), A, B);
      case O::DarkerColor:
        return choose(m.le(m.add(m.add(A.r, A.g), A.b), m.add(m.add(B.r, B.g), B.b)), A, B);
      case O::Hue: {
        Px<V> p = set_lum(set_sat(A, m.sub(max3(B), min3(B))), lum(B));
        p.a = union_alpha(A, B);
        return p;
      }
      case O::Color: {
        Px<V> p = set_lum(A, lum(B));
        p.a = union_alpha(A, B);
        return p;
      }
      case O::LuminanceDifference: {
        const V d = m.abs(m.sub(lum(A), lum(B)));
        return {d, d, d, union_alpha(A, B)};
      }
      case O::ChromaDifference: {
        const V la = lum(A), lb = lum(B);
        return rgb_union(A, B, [&](V x, V y) { return m.abs(m.sub(m.sub(x, la), m.sub(y, lb))); });
      }
    }
    return A;
  }
};

