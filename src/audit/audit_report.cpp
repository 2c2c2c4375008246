// The audit's outputs: JSON for machines, a short table for people, an HTML page of the
// worst lines' crops beside their source text.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "encode/base64.hpp"
#include "glyph/audit.hpp"
#include "glyph/png.hpp"
#include "text/html_escape.hpp"

namespace glyph {

using encode::base64_encode;

namespace {

using text::html_escape;

std::string fixed(double v, int digits) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

// Pages' worth of lines read per second (a sample counts as its share of the pages).
double pages_per_second(const audit_report& r) {
  return r.read_seconds > 0
             ? double(r.pages) * double(r.lines_read) / double(std::max<std::size_t>(1, r.lines)) / r.read_seconds
             : 0.0;
}

}  // namespace

std::string audit_to_json(const audit_report& r) {
  using nlohmann::json;
  json exact = json::object();
  for (int k = 0; k < 3; ++k)
    exact[exact_kind_name(exact_kind(k))] = {
        {"total", r.exact[k].total}, {"hits", r.exact[k].hits}, {"rate", r.exact[k].rate()}};
  const exact_score all = r.exact_all();
  exact["all"] = {{"total", all.total}, {"hits", all.hits}, {"rate", all.rate()}};
  json pages = json::array();
  for (const page_score& p : r.page_scores)
    pages.push_back(
        {{"page", p.page}, {"lines_read", p.lines_read}, {"errors", p.errors}, {"length", p.length}, {"cer", p.cer()}});
  json worst = json::array();
  for (const line_reading& l : r.worst)
    worst.push_back({{"page", l.page},
                     {"line", l.line},
                     {"box", {l.x, l.y, l.width, l.height}},
                     {"cer", l.cer()},
                     {"errors", l.errors},
                     {"drawn", l.drawn},
                     {"read", l.read}});
  return json{{"lang", r.lang},
              {"pages", r.pages},
              {"lines", r.lines},
              {"lines_read", r.lines_read},
              {"characters", r.characters},
              {"errors", r.errors},
              {"compared", r.length},
              {"cer", r.cer()},
              {"accuracy", r.accuracy()},
              {"exact_strings", exact},
              {"render_seconds", r.render_seconds},
              {"read_seconds", r.read_seconds},
              {"pages_per_second", pages_per_second(r)},
              {"page_scores", pages},
              {"worst_lines", worst}}
      .dump();
}

std::string audit_to_table(const audit_report& r) {
  std::string out;
  out += "pages " + std::to_string(r.pages) + ", lines read " + std::to_string(r.lines_read) + " of " +
         std::to_string(r.lines) + " (" + r.lang + ")\n";
  out += "CER " + fixed(100 * r.cer(), 2) + "% (" + std::to_string(r.errors) + " errors in " +
         std::to_string(r.length) + " characters, whitespace ignored)\n";
  out += "exact strings read back:";
  for (int k = 0; k < 3; ++k)
    out += std::string(" ") + exact_kind_name(exact_kind(k)) + " " + std::to_string(r.exact[k].hits) + "/" +
           std::to_string(r.exact[k].total);
  out += "\n";
  out += "reading " + fixed(r.read_seconds, 2) + " s (" + fixed(pages_per_second(r), 2) + " pages/s), rendering " +
         fixed(r.render_seconds, 2) + " s\n";
  if (!r.worst.empty()) {
    out += "worst lines (page:line  CER  drawn | read):\n";
    for (const line_reading& l : r.worst)
      out += "  " + std::to_string(l.page) + ":" + std::to_string(l.line) + "  " + fixed(100 * l.cer(), 1) + "%  " +
             l.drawn + " | " + l.read + "\n";
  }
  return out;
}

std::string audit_to_html(const audit_report& r, const std::string& title) {
  std::string out = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
                    "</title><style>body{font-family:sans-serif;margin:2em}td{vertical-align:top;padding:4px 8px;"
                    "border-bottom:1px solid #ddd}img{image-rendering:pixelated;max-width:900px}"
                    ".read{color:#a00}</style></head><body>\n";
  audit_report figures = r;  // the table without the worst lines: they follow with their crops
  figures.worst.clear();
  out += "<h1>" + html_escape(title) + "</h1>\n<pre>" + html_escape(audit_to_table(figures)) + "</pre>\n";
  out +=
      "<h2>Worst lines</h2>\n<table><tr><th>page:line</th><th>box</th><th>CER</th><th>crop / drawn / read</th></tr>\n";
  for (const line_reading& l : r.worst) {
    out += "<tr><td>" + std::to_string(l.page) + ":" + std::to_string(l.line) + "</td><td>" + std::to_string(l.x) +
           "," + std::to_string(l.y) + " " + std::to_string(l.width) + "x" + std::to_string(l.height) + "</td><td>" +
           fixed(100 * l.cer(), 1) + "%</td><td>";
    if (!l.crop.pixels.empty()) {
      const std::vector<std::uint8_t> png = encode_png(l.crop, png_encoder::libdeflate, 6);
      out += "<img alt=\"crop\" src=\"data:image/png;base64," + base64_encode(png.data(), png.size()) + "\"><br>";
    }
    out += "<div>" + html_escape(l.drawn) + "</div><div class=\"read\">" + html_escape(l.read) + "</div></td></tr>\n";
  }
  out += "</table></body></html>\n";
  return out;
}

}  // namespace glyph
