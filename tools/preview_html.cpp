#include "preview_html.hpp"

#include "text/html_escape.hpp"

namespace glyph::cli {

using text::html_escape;

std::string preview_html(const std::string& title, const std::string& config_json, const nlohmann::json& accounting,
                         const std::vector<preview_page>& pages) {
  std::string h;
  h += "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>glyph preview: " + html_escape(title) +
       "</title>\n<style>\n"
       "body{font-family:sans-serif;margin:1em;background:#eee}\n"
       ".sheet{position:relative;display:inline-block;background:#fff;box-shadow:0 0 4px #999}\n"
       ".sheet img{display:block}\n"
       ".line{position:absolute}\n"
       ".line:hover{background:rgba(255,190,0,.3);outline:1px solid #e90}\n"
       "figure{display:inline-block;margin:0 1em 1em 0;vertical-align:top}\n"
       "pre{background:#fff;padding:.5em;white-space:pre-wrap}\n"
       "table{border-collapse:collapse;background:#fff}td{padding:2px 8px;border:1px solid #ccc}\n"
       "</style></head><body>\n<h1>" +
       html_escape(title) + "</h1>\n<p>Hover a line: its source character range [begin, end) and text.</p>\n";
  h += "<h2>Accounting</h2>\n<table id=\"accounting\">\n";
  for (const auto& [key, value] : accounting.items())
    h += "<tr><td>" + html_escape(key) + "</td><td>" +
         html_escape(value.is_string() ? value.get<std::string>() : value.dump()) + "</td></tr>\n";
  h += "</table>\n<h2>Config</h2>\n<pre id=\"config\">" + html_escape(config_json) + "</pre>\n<h2>Pages</h2>\n";
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const preview_page& p = pages[i];
    h += "<figure><div class=\"sheet\" style=\"width:" + std::to_string(p.width) +
         "px;height:" + std::to_string(p.height) + "px\"><img src=\"" + html_escape(p.src) + "\" width=\"" +
         std::to_string(p.width) + "\" height=\"" + std::to_string(p.height) + "\" alt=\"page " +
         std::to_string(i + 1) + "\">\n";
    for (const line_box& l : p.lines) {
      // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "[" + std::string.
      std::string range = "[";
      range.append(std::to_string(l.source_begin)).append(", ").append(std::to_string(l.source_end)).append(")");
      h += "<div class=\"line\" style=\"left:" + std::to_string(l.x) + "px;top:" + std::to_string(l.y) +
           "px;width:" + std::to_string(l.width) + "px;height:" + std::to_string(l.height) + "px\" data-source=\"" +
           std::to_string(l.source_begin) + "," + std::to_string(l.source_end) + "\" title=\"characters " + range +
           ": " + html_escape(l.text) + "\"></div>\n";
    }
    h += "</div><figcaption>page " + std::to_string(i + 1) + ": " + std::to_string(p.width) + "x" +
         std::to_string(p.height) + ", " + std::to_string(p.visual_tokens) + " visual tokens, " +
         std::to_string(p.lines.size()) + " lines</figcaption></figure>\n";
  }
  h += "</body></html>\n";
  return h;
}

}  // namespace glyph::cli
