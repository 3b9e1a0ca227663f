#include "netcook/testing/reports.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

#include "netcook/core/json_text.h"
#include "netcook/io/text_file.h"

namespace netcook::testing {

using compare::Verdict;
using compare::verdict_name;

namespace {

int rank(CaseStatus s) {
  switch (s) {
    case CaseStatus::Error: return 0;
    case CaseStatus::Fail: return 0;
    case CaseStatus::Warn: return 1;
    case CaseStatus::Pass: return 2;
  }
  return 3;
}


std::string number(double d) {
  if (!std::isfinite(d)) return "null";
  char text[64];
  std::snprintf(text, sizeof text, "%.9g", d);
  return text;
}

// A number for people: "inf" for identical images' PSNR.
std::string figure(double d, const char* format = "%.4g") {
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (std::isnan(d)) return "nan";
  char text[64];
  std::snprintf(text, sizeof text, format, d);
  return text;
}

// A JSON string of any bytes: invalid UTF-8 becomes U+FFFD first.
std::string json_utf8(const std::string& raw) { return json_string(valid_utf8(raw)); }

// Text for XML 1.0 and HTML: escaped, and without the control characters
// XML forbids (they become U+FFFD).
std::string xml_escape(const std::string& raw) {
  const std::string s = valid_utf8(raw);
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') out += "\xEF\xBF\xBD";
        else out += static_cast<char>(c);
    }
  }
  return out;
}

std::string timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return text;
}

std::string hostname() {
  char name[256] = {0};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

}  // namespace

std::string valid_utf8(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= text.size() && !(c == 0xC0 || c == 0xC1 || c > 0xF4);
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (ok) {
      out.append(text, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

RunSummary summarize(const std::vector<CaseResult>& results, double seconds) {
  RunSummary s;
  s.cases = results.size();
  s.seconds = seconds;
  for (const auto& r : results) {
    switch (r.status) {
      case CaseStatus::Pass: ++s.passed; break;
      case CaseStatus::Warn: ++s.warned; break;
      case CaseStatus::Fail: ++s.failed; break;
      case CaseStatus::Error: ++s.errors; break;
    }
  }
  return s;
}

std::vector<const CaseResult*> failing_first(const std::vector<CaseResult>& results) {
  std::vector<const CaseResult*> order;
  for (const auto& r : results) order.push_back(&r);
  std::stable_sort(order.begin(), order.end(), [](const CaseResult* a, const CaseResult* b) {
    if (rank(a->status) != rank(b->status)) return rank(a->status) < rank(b->status);
    return a->name < b->name;
  });
  return order;
}

std::string json_report(const std::vector<CaseResult>& results, const RunSummary& s) {
  std::string o = "{\n  \"netcook_test\": 1,\n";
  o += "  \"summary\": {\"cases\": " + std::to_string(s.cases) + ", \"passed\": " + std::to_string(s.passed) +
       ", \"warned\": " + std::to_string(s.warned) + ", \"failed\": " + std::to_string(s.failed) +
       ", \"errors\": " + std::to_string(s.errors) + ", \"seconds\": " + number(s.seconds) + "},\n";
  o += "  \"cases\": [";
  bool first_case = true;
  for (const auto& r : results) {
    o += first_case ? "\n" : ",\n";
    first_case = false;
    o += "    {\"name\": " + json_utf8(r.name) + ", \"manifest\": " + json_utf8(r.manifest) +
         ", \"status\": \"" + status_name(r.status) + "\", \"reason\": " + json_utf8(r.reason) +
         ", \"details\": " + json_utf8(r.details) + ", \"seconds\": " + number(r.seconds) +
         ", \"frames_rendered\": " + std::to_string(r.frames_rendered) + ", \"output\": " + json_utf8(r.output) +
         ", \"report_dir\": " + json_utf8(r.report_dir) + ",\n     \"images\": [";
    bool first_image = true;
    for (const auto& c : r.images) {
      const auto& m = c.comparison;
      o += first_image ? "\n" : ",\n";
      first_image = false;
      o += "       {\"op\": " + json_utf8(c.op) + ", \"frame\": " + std::to_string(c.frame) + ", \"verdict\": \"" +
           verdict_name(m.verdict) + "\", \"reason\": " + json_utf8(m.reason) + ", \"golden\": " +
           json_utf8(c.golden) + ", \"golden_missing\": " + (c.golden_missing ? "true" : "false") +
           ", \"pixels\": " + std::to_string(m.pixels) + ", \"over_fail\": " + std::to_string(m.over_fail) +
           ", \"over_warn\": " + std::to_string(m.over_warn) + ", \"max_error\": " + number(m.max_error) +
           ", \"max_x\": " + std::to_string(m.max_x) + ", \"max_y\": " + std::to_string(m.max_y) +
           ", \"max_channel\": " + std::to_string(m.max_channel) + ", \"mean_error\": " + number(m.mean_error) +
           ", \"rms_error\": " + number(m.rms_error) + ", \"psnr\": " + number(m.psnr) +
           ", \"ssim\": " + (m.ssim ? number(*m.ssim) : "null") +
           ", \"flip_mean\": " + (m.flip_mean ? number(*m.flip_mean) : "null") +
           ", \"result_image\": " + json_utf8(c.result_png) + ", \"golden_image\": " + json_utf8(c.golden_png) +
           ", \"diff_image\": " + json_utf8(c.diff_png) + ", \"flip_image\": " + json_utf8(c.flip_png) +
           ", \"blessed\": " + json_utf8(c.blessed) + "}";
    }
    o += first_image ? "]}" : "\n     ]}";
  }
  o += first_case ? "]\n}\n" : "\n  ]\n}\n";
  return o;
}

std::string junit_report(const std::vector<CaseResult>& results, const RunSummary& s) {
  // One suite per manifest, in the order manifests first appear.
  std::vector<std::string> manifests;
  std::map<std::string, std::vector<const CaseResult*>> by_manifest;
  for (const auto& r : results) {
    if (!by_manifest.count(r.manifest)) manifests.push_back(r.manifest);
    by_manifest[r.manifest].push_back(&r);
  }
  const std::string stamp = timestamp(), host = xml_escape(hostname());
  std::string o = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o += "<testsuites name=\"netcook test\" tests=\"" + std::to_string(s.cases) + "\" failures=\"" +
       std::to_string(s.failed) + "\" errors=\"" + std::to_string(s.errors) + "\" time=\"" + figure(s.seconds, "%.3f") +
       "\">\n";
  int id = 0;
  for (const auto& manifest : manifests) {
    const auto& cases = by_manifest[manifest];
    std::size_t failures = 0, errors = 0;
    double seconds = 0;
    for (const auto* r : cases) {
      failures += r->status == CaseStatus::Fail;
      errors += r->status == CaseStatus::Error;
      seconds += r->seconds;
    }
    o += "  <testsuite name=\"" + xml_escape(manifest) + "\" tests=\"" + std::to_string(cases.size()) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
         "\" skipped=\"0\" time=\"" + figure(seconds, "%.3f") + "\" timestamp=\"" + stamp + "\" hostname=\"" + host +
         "\" id=\"" + std::to_string(id++) + "\" package=\"netcook\">\n";
    for (const auto* r : cases) {
      o += "    <testcase name=\"" + xml_escape(r->name) + "\" classname=\"" + xml_escape(manifest) + "\" time=\"" +
           figure(r->seconds, "%.3f") + "\"";
      std::string body;
      if (r->status == CaseStatus::Fail || r->status == CaseStatus::Error) {
        const char* element = r->status == CaseStatus::Fail ? "failure" : "error";
        const char* type = r->status == CaseStatus::Fail ? "mismatch" : "render";
        std::string text = r->reason + "\n";
        for (const auto& c : r->images)
          if (c.comparison.verdict == Verdict::Fail)
            text += c.op + " frame " + std::to_string(c.frame) + ": " + c.comparison.reason + "\n";
        if (!r->details.empty()) text += "\n" + r->details;
        body += std::string("      <") + element + " message=\"" + xml_escape(r->reason) + "\" type=\"" + type + "\">" +
                xml_escape(text) + "</" + element + ">\n";
      }
      if (!r->output.empty()) body += "      <system-out>" + xml_escape(r->output) + "</system-out>\n";
      std::string notes;
      if (r->status == CaseStatus::Warn) notes += "warning: " + r->reason + "\n";
      if (r->status == CaseStatus::Pass || r->status == CaseStatus::Warn) notes += r->details;
      if (!notes.empty()) body += "      <system-err>" + xml_escape(notes) + "</system-err>\n";
      o += body.empty() ? "/>\n" : ">\n" + body + "    </testcase>\n";
    }
    o += "  </testsuite>\n";
  }
  o += "</testsuites>\n";
  return o;
}

namespace {

const char* kStyle = R"CSS(
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #1e1e1e; color: #ddd; }
header { position: sticky; top: 0; background: #2b2b2b; padding: 8px 16px; border-bottom: 1px solid #444; z-index: 2; }
header h1 { font-size: 18px; margin: 0 0 4px 0; }
header label, header input { margin-right: 16px; }
section.case { margin: 12px 16px; padding: 8px 12px; background: #262626; border-left: 6px solid #3a3; }
section.case.fail, section.case.error { border-left-color: #d33; }
section.case.warn { border-left-color: #db3; }
section.case h2 { font-size: 16px; margin: 4px 0; }
.badge { display: inline-block; min-width: 44px; text-align: center; border-radius: 3px; padding: 0 4px; margin-right: 6px; font-size: 12px; }
.badge.pass { background: #3a3; color: #000; } .badge.warn { background: #db3; color: #000; }
.badge.fail, .badge.error { background: #d33; color: #fff; }
.reason { color: #f99; margin: 2px 0; white-space: pre-wrap; }
.strip { display: flex; gap: 4px; overflow-x: auto; padding: 4px 0; }
.strip a { display: block; border: 2px solid transparent; }
.strip a.fail { border-color: #d33; } .strip a.warn { border-color: #db3; }
.strip img { height: 48px; image-rendering: pixelated; display: block; background: #444; }
.frame { margin: 8px 0; padding: 6px; background: #202020; }
.frame h3 { font-size: 14px; margin: 2px 0 6px 0; }
.panels { display: flex; gap: 8px; flex-wrap: wrap; align-items: flex-start; }
figure { margin: 0; } figcaption { font-size: 12px; color: #aaa; }
.panels img, .flipper img, .wipe img { max-width: 480px; min-width: 96px; image-rendering: pixelated; display: block; background: repeating-conic-gradient(#555 0 25%, #333 0 50%) 0 0 / 16px 16px; }
.flipper, .wipe { display: none; position: relative; }
.frame[data-mode=flip] .flipper, .frame[data-mode=wipe] .wipe { display: inline-block; }
.frame[data-mode=flip] .side, .frame[data-mode=wipe] .side { display: none; }
.wipe .over { position: absolute; top: 0; left: 0; overflow: hidden; }
.wipe input { display: block; width: 100%; }
table.figures { border-collapse: collapse; margin-top: 6px; font-size: 12px; }
table.figures td { padding: 1px 8px 1px 0; } table.figures td:first-child { color: #aaa; }
pre { background: #181818; padding: 6px; overflow-x: auto; white-space: pre-wrap; }
.modes button { background: #333; color: #ddd; border: 1px solid #555; padding: 2px 8px; cursor: pointer; }
.modes button.on { background: #555; }
body.only-failed section.case.pass, body.only-failed section.case.warn { display: none; }
)CSS";

const char* kScript = R"JS(
function setMode(frame, mode) {
  frame.dataset.mode = mode;
  for (const b of frame.querySelectorAll('.modes button')) b.classList.toggle('on', b.dataset.mode === mode);
}
document.addEventListener('click', e => {
  const b = e.target.closest('.modes button');
  if (b) setMode(b.closest('.frame'), b.dataset.mode);
  const f = e.target.closest('.flipper');
  if (f) { const imgs = f.querySelectorAll('img'); f.dataset.shown = f.dataset.shown === '1' ? '0' : '1';
           imgs[0].style.display = f.dataset.shown === '1' ? 'none' : ''; imgs[1].style.display = f.dataset.shown === '1' ? '' : 'none';
           f.querySelector('figcaption').textContent = (f.dataset.shown === '1' ? 'result' : 'golden') + ' (click to flip)'; }
});
document.addEventListener('input', e => {
  if (e.target.matches('.wipe input')) {
    const over = e.target.closest('.wipe').querySelector('.over');
    over.style.width = e.target.value + '%';
  }
});
document.getElementById('only-failed').addEventListener('change', e => document.body.classList.toggle('only-failed', e.target.checked));
document.getElementById('name-filter').addEventListener('input', e => {
  const q = e.target.value.toLowerCase();
  for (const s of document.querySelectorAll('section.case')) s.style.display = s.dataset.name.toLowerCase().includes(q) ? '' : 'none';
});
window.addEventListener('load', () => {
  const imgs = [...document.images];
  const broken = imgs.filter(i => !(i.complete && i.naturalWidth > 0));
  document.body.dataset.imagesTotal = imgs.length;
  document.body.dataset.imagesLoaded = imgs.length - broken.length;
  document.body.dataset.imagesBroken = broken.map(i => i.getAttribute('src')).join(' ');
  for (const w of document.querySelectorAll('.wipe')) {
    const base = w.querySelector('img.base'); const over = w.querySelector('.over');
    over.style.height = base.clientHeight + 'px'; over.querySelector('img').style.width = base.clientWidth + 'px';
  }
});
)JS";

std::string img(const std::string& src, const std::string& alt, const std::string& extra = "") {
  return "<img src=\"" + xml_escape(src) + "\" alt=\"" + xml_escape(alt) + "\"" + extra + ">";
}

std::string frame_anchor(const CaseResult& r, const ImageCheck& c) {
  std::string id = "f-" + r.name + "-" + c.op + "-" + std::to_string(c.frame);
  for (char& ch : id)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_')) ch = '_';
  return id;
}

std::string figures_table(const ImageCheck& c) {
  const auto& m = c.comparison;
  static const char* channels = "RGBA";
  std::string t = "<table class=figures>";
  auto row = [&](const std::string& k, const std::string& v) { t += "<tr><td>" + k + "</td><td>" + v + "</td></tr>"; };
  if (c.golden_missing) {
    row("golden", "missing: " + xml_escape(c.golden));
  } else {
    const double pct = m.pixels > 0 ? 100.0 * static_cast<double>(m.over_fail) / static_cast<double>(m.pixels) : 0;
    row("pixels over fail", std::to_string(m.over_fail) + " of " + std::to_string(m.pixels) + " (" + figure(pct, "%.3g") + "%)");
    row("pixels over warn", std::to_string(m.over_warn));
    row("largest difference", figure(m.max_error) + " at (" + std::to_string(m.max_x) + ", " + std::to_string(m.max_y) +
                                  ") in " + std::string(1, channels[std::clamp(m.max_channel, 0, 3)]));
    row("mean / rms", figure(m.mean_error) + " / " + figure(m.rms_error));
    row("PSNR", figure(m.psnr, "%.2f") + " dB");
    if (m.ssim) row("SSIM", figure(*m.ssim, "%.5f"));
    if (m.flip_mean) row("FLIP mean", figure(*m.flip_mean, "%.5f"));
    if (!c.diff_png.empty()) row("diff scale", "0 .. " + figure(c.diff_scale));
    row("golden", xml_escape(c.golden));
  }
  if (!c.blessed.empty()) row("blessed", xml_escape(c.blessed));
  return t + "</table>";
}

}  // namespace

std::string html_report(const std::vector<CaseResult>& results, const RunSummary& s) {
  std::string o = "<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>netcook test report</title>\n<style>";
  o += kStyle;
  o += "</style></head>\n<body>\n<header><h1>netcook test: " + std::to_string(s.cases) + " cases, " +
       std::to_string(s.passed) + " passed, " + std::to_string(s.warned) + " warned, " + std::to_string(s.failed) +
       " failed, " + std::to_string(s.errors) + " errors (" + figure(s.seconds, "%.2f") + " s)</h1>\n" +
       "<label><input type=checkbox id=only-failed> only failed cases</label>"
       "<label>name <input type=search id=name-filter placeholder=filter></label></header>\n<main>\n";
  for (const CaseResult* r : failing_first(results)) {
    const std::string status = status_name(r->status);
    o += "<section class=\"case " + status + "\" data-status=" + status + " data-name=\"" + xml_escape(r->name) +
         "\" id=\"case-" + xml_escape(r->name) + "\">\n";
    o += "<h2><span class=\"badge " + status + "\">" + status + "</span>" + xml_escape(r->name) +
         " <small>(" + figure(r->seconds, "%.2f") + " s, " + xml_escape(r->manifest) + ")</small></h2>\n";
    if (!r->reason.empty()) o += "<p class=reason>" + xml_escape(r->reason) + "</p>\n";
    if (!r->images.empty()) {
      o += "<div class=strip>";
      for (const auto& c : r->images)
        o += "<a class=" + std::string(verdict_name(c.comparison.verdict)) + " href=\"#" + frame_anchor(*r, c) +
             "\" title=\"" + xml_escape(c.op) + " frame " + std::to_string(c.frame) + "\">" +
             img(c.result_png, c.op + " frame " + std::to_string(c.frame)) + "</a>";
      o += "</div>\n";
    }
    for (const auto& c : r->images) {
      if (c.comparison.verdict == Verdict::Pass && c.blessed.empty()) continue;
      o += "<div class=frame id=\"" + frame_anchor(*r, c) + "\" data-mode=side>\n<h3>" + xml_escape(c.op) + " frame " +
           std::to_string(c.frame) + ": " + verdict_name(c.comparison.verdict) +
           (c.comparison.reason.empty() ? "" : " &mdash; " + xml_escape(c.comparison.reason)) + "</h3>\n";
      const bool both = !c.golden_png.empty();
      if (both)
        o += "<div class=modes><button data-mode=side class=on>side by side</button><button data-mode=flip>flip</button>"
             "<button data-mode=wipe>wipe</button></div>\n";
      o += "<div class=\"panels side\">";
      if (both) o += "<figure>" + img(c.golden_png, "golden") + "<figcaption>golden</figcaption></figure>";
      o += "<figure>" + img(c.result_png, "result") + "<figcaption>result</figcaption></figure>";
      if (!c.diff_png.empty())
        o += "<figure>" + img(c.diff_png, "difference") + "<figcaption>difference (0 .. " + figure(c.diff_scale) +
             ")</figcaption></figure>";
      if (!c.flip_png.empty()) o += "<figure>" + img(c.flip_png, "FLIP") + "<figcaption>FLIP error</figcaption></figure>";
      o += "</div>\n";
      if (both) {
        o += "<figure class=flipper>" + img(c.golden_png, "golden") + img(c.result_png, "result", " style=\"display:none\"") +
             "<figcaption>golden (click to flip)</figcaption></figure>\n";
        o += "<div class=wipe>" + img(c.golden_png, "golden", " class=base") + "<div class=over style=\"width:50%\">" +
             img(c.result_png, "result") + "</div><input type=range min=0 max=100 value=50>"
             "<figcaption>result (left) | golden (right)</figcaption></div>\n";
      }
      o += figures_table(c) + "\n</div>\n";
    }
    if (!r->details.empty()) o += "<details><summary>details</summary><pre>" + xml_escape(r->details) + "</pre></details>\n";
    if (!r->output.empty()) o += "<details><summary>script output</summary><pre>" + xml_escape(r->output) + "</pre></details>\n";
    o += "</section>\n";
  }
  o += "</main>\n<script>";
  o += kScript;
  o += "</script>\n</body></html>\n";
  return o;
}

void write_text_file(const std::string& path, const std::string& text) { write_file_atomically(path, text); }

}  // namespace netcook::testing
