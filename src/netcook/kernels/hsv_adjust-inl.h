// The HSV adjust formulas of hsv.h over a math policy (scalar or Highway),
// included inside namespaces by hsv.cpp: once for the reference, once per
// SIMD target (see composite_blend-inl.h for why). No guard, no includes.
// NOLINT(build/header_guard)

template <class M, class V = typename M::V>
struct HsvAdjust {
  const M& m;
  // Start colour's H, S, V and the parameters, as the policy's values.
  float h0, s0, v0;
  const HsvAdjustParams& p;

  V k(float c) const { return m.set(c); }

  // Hue (degrees), saturation and value of r, g, b.
  void to_hsv(V r, V g, V b, V* h, V* s, V* v) const {
    const V mx = m.max(m.max(r, g), b);
    const V mn = m.min(m.min(r, g), b);
    const V c = m.sub(mx, mn);
    *v = mx;
    *s = m.sel(m.lt(k(0.0f), mx), m.div(c, mx), k(0.0f));
    const auto grey = m.eq(c, k(0.0f));
    // One division for the three sextant formulas: the numerator and the
    // offset are chosen first, each lane then computes exactly what its own
    // formula (60 (g - b) / c, 120 + 60 (b - r) / c, 240 + 60 (r - g) / c)
    // gives, with the same operations in the same order.
    const auto is_r = m.eq(mx, r), is_g = m.eq(mx, g);
    const V num = m.sel(is_r, m.sub(g, b), m.sel(is_g, m.sub(b, r), m.sub(r, g)));
    const V t = m.div(m.mul(k(60.0f), num), c);
    V hue = m.sel(is_r, t, m.add(m.sel(is_g, k(120.0f), k(240.0f)), t));
    hue = m.sel(m.lt(hue, k(0.0f)), m.add(hue, k(360.0f)), hue);
    *h = m.sel(grey, k(0.0f), hue);
  }
  V member(V d, float range, float falloff) const {
    const V outside = falloff > 0.0f
                          ? m.max(k(0.0f), m.sub(k(1.0f), m.div(m.sub(d, k(range)), k(falloff))))
                          : k(0.0f);
    return m.sel(m.le(d, k(range)), k(1.0f), outside);
  }
  // h60 = h / 60, computed once for the three channels.
  V channel(float n, V h60, V s, V v) const {
    V kk = m.add(k(n), h60);
    kk = m.sub(kk, m.mul(k(6.0f), m.floor(m.div(kk, k(6.0f)))));
    const V t = m.min(m.max(m.min(kk, m.sub(k(4.0f), kk)), k(0.0f)), k(1.0f));
    return m.sub(v, m.mul(m.mul(v, s), t));
  }
  void apply(V* r, V* g, V* b) const {
    V h, s, v;
    to_hsv(*r, *g, *b, &h, &s, &v);
    V dh = m.abs(m.sub(h, k(h0)));
    dh = m.min(dh, m.sub(k(360.0f), dh));
    const V w = m.mul(m.mul(member(dh, p.hue_range, p.hue_falloff),
                            member(m.abs(m.sub(s, k(s0))), p.saturation_range, p.saturation_falloff)),
                      member(m.abs(m.sub(v, k(v0))), p.value_range, p.value_falloff));
    V h2 = m.add(h, m.mul(k(p.hue_offset), w));
    h2 = m.sub(h2, m.mul(k(360.0f), m.floor(m.div(h2, k(360.0f)))));
    const V s2 = m.mul(s, m.add(k(1.0f), m.mul(k(p.saturation_mult - 1.0f), w)));
    const V v2 = m.mul(v, m.add(k(1.0f), m.mul(k(p.value_mult - 1.0f), w)));
    const V h60 = m.div(h2, k(60.0f));
    *r = channel(5.0f, h60, s2, v2);
    *g = channel(3.0f, h60, s2, v2);
    *b = channel(1.0f, h60, s2, v2);
  }
};
