// Config parsing: every key's value rules, and errors that name the key and the value.
#include <gtest/gtest.h>

#include "glyph/config.hpp"
#include "glyph/error.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

std::string error_of(const std::string& json) {
  try {
    parse_config(json, "cfg.json");
  } catch (const error& e) {
    return e.what();
  }
  return "";
}

TEST(config, glyph_config_en_values) {
  auto c = config(R"({"page-size": "595,842", "dpi": 72, "margin-x": 10, "margin-y": 10, "font-size": 9,
    "line-height": 10, "font-color": "#000000", "alignment": "LEFT", "horizontal-scale": 1.0,
    "first-line-indent": 0, "left-indent": 0, "right-indent": 0, "space-after": 0, "space-before": 0,
    "border-width": 0, "border-padding": 0, "page-bg-color": "#FFFFFF", "para-bg-color": "#FFFFFF",
    "auto-crop-width": true, "auto-crop-last-page": true})");
  EXPECT_EQ(c.page_width, 595);
  EXPECT_EQ(c.page_height, 842);
  EXPECT_EQ(c.margin_x, 10);
  EXPECT_EQ(c.line_height, 10);
  EXPECT_EQ(c.align, alignment::left);
  EXPECT_TRUE(c.auto_crop_width);
  EXPECT_TRUE(c.newline.is_break);
}

TEST(config, reference_defaults) {
  auto c = config("{}");
  EXPECT_NEAR(c.page_width, 595.2756, 1e-3);  // reportlab's A4
  EXPECT_EQ(c.margin_x, 20);
  EXPECT_EQ(c.font_size, 9);
  EXPECT_EQ(c.line_height, 10);  // font-size + 1
  EXPECT_EQ(c.align, alignment::justify);
  EXPECT_FALSE(c.auto_crop_width);
  EXPECT_EQ(config(R"({"line-height": 0, "font-size": 12})").line_height, 13);
}

TEST(config, red_newline_markup) {
  auto c = config(R"({"newline-markup": "<font color=\"#FF0000\"> \\n </font>"})");
  EXPECT_FALSE(c.newline.is_break);
  EXPECT_EQ(c.newline.marker, U" \\n ");
  EXPECT_EQ(c.newline.marker_color, (rgb{255, 0, 0}));
}

TEST(config, page_size_as_array) {
  auto c = config(R"({"page-size": [300, 400]})");
  EXPECT_EQ(c.page_width, 300);
  EXPECT_EQ(c.page_height, 400);
}

TEST(config, errors_name_key_and_value) {
  const std::string fp = "\"font-path\": \"x.ttf\", ";
  struct bad_case {
    std::string json, expected;  // the message must contain `expected`
  };
  const bad_case cases[] = {
      {"{" + fp + "\"fontsize\": 9}", "\"fontsize\": unknown key"},
      {"{" + fp + "\"font-size\": -3}", "\"font-size\": must be > 0, got -3"},
      {"{" + fp + "\"font-size\": 0}", "font-size"},
      {"{" + fp + "\"dpi\": \"72\"}", "\"dpi\": expected a number"},
      {"{" + fp + "\"font-size\": 12, \"line-height\": 10}", "line-height"},
      {"{" + fp + "\"alignment\": \"left\"}", "\"alignment\""},
      {"{" + fp + "\"font-color\": \"red\"}", "\"font-color\""},
      {"{" + fp + "\"page-size\": \"10,10\"}", "page-size"},
      {"{" + fp + "\"page-size\": \"abc\"}", "page-size"},
      {"{" + fp + "\"margin-x\": -1}", "margin-x"},
      {"{" + fp + "\"newline-markup\": \"<p>\"}", "newline-markup"},
      {"{" + fp + "\"auto-crop-width\": \"yes\"}", "auto-crop-width"},
      {"{" + fp + "\"horizontal-scale\": 0}", "horizontal-scale"},
      {"{\"dpi\": 72}", "font-path"},
      {"{ not json", "not valid JSON"},
      {"[1]", "JSON object"},
      {"2e577757.", "not valid JSON"},  // found by fuzz_config
  };
  for (const auto& c : cases) EXPECT_NE(error_of(c.json).find(c.expected), std::string::npos) << c.json;
}

TEST(config, set_overrides) {
  auto c = config("{}");
  set_config_value(c, "font-size=12");
  set_config_value(c, "alignment=RIGHT");
  set_config_value(c, "line-height=14");
  EXPECT_EQ(c.font_size, 12);
  EXPECT_EQ(c.align, alignment::right);
  EXPECT_EQ(c.line_height, 14);
  EXPECT_THROW(set_config_value(c, "no-equals"), error);
  EXPECT_THROW(set_config_value(c, "dpi=-1"), error);
  EXPECT_THROW(set_config_value(c, "bogus=1"), error);
  set_config_value(c, "line-height=5");  // below font-size: caught once all overrides are in
  EXPECT_THROW(validate_config(c), error);
}

TEST(config, round_trips_through_json) {
  auto c = config(R"({"alignment": "CENTER", "font-size": 11, "line-height": 13})");
  auto d = parse_config(config_to_json(c), "round trip");
  EXPECT_EQ(d.align, alignment::center);
  EXPECT_EQ(d.font_size, 11);
  EXPECT_EQ(d.line_height, 13);
  EXPECT_EQ(d.page_width, c.page_width);  // A4 in points, every digit kept
  EXPECT_EQ(d.page_height, c.page_height);
}

TEST(config, dpi_limit_is_an_option) {
  auto c = config(R"({"dpi": 2000})");
  render_options o;
  EXPECT_THROW(renderer(c, o), error);
  o.limits.max_dpi = 3000;
  EXPECT_NO_THROW(renderer(c, o));
}

}  // namespace
}  // namespace glyph::test
