// docs/config.md lists exactly the keys of the config key table, each with the table's default
// and meaning, in the table's order; and the built-in config is config/config_en.json.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/config_keys.hpp"
#include "glyph/config.hpp"
#include "support.hpp"

namespace {

struct doc_row {
  std::string key, default_text, meaning;
};

// The rows of the first Markdown table after the "| key | default | meaning |" header.
std::vector<doc_row> read_doc_table(const std::string& path) {
  std::ifstream in(path);
  std::vector<doc_row> rows;
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line == "| key | default | meaning |") {
      in_table = true;
      std::getline(in, line);  // |---|---|---|
      continue;
    }
    if (!in_table) continue;
    if (line.empty() || line[0] != '|') break;
    // Cells are separated by " | "; the meaning may hold '|' only inside backticks (it does not).
    const std::size_t a = line.find(" | ", 2), b = line.find(" | ", a + 3);
    rows.push_back({line.substr(2, a - 2), line.substr(a + 3, b - a - 3), line.substr(b + 3, line.size() - b - 5)});
  }
  return rows;
}

TEST(config_docs, lists_exactly_the_key_table_with_defaults_and_meanings) {
  const auto rows = read_doc_table(std::string(GLYPH_TEST_DIR) + "/../docs/config.md");
  const auto table = glyph::config::config_key_table();
  std::ostringstream expected;
  for (const auto& k : table) expected << "| " << k.name << " | " << k.default_text << " | " << k.meaning << " |\n";
  std::ostringstream got;
  for (const auto& r : rows) got << "| " << r.key << " | " << r.default_text << " | " << r.meaning << " |\n";
  EXPECT_EQ(got.str(), expected.str()) << "docs/config.md's table must be (paste it):\n" << expected.str();
  EXPECT_EQ(rows.size(), glyph::config_keys().size());
}

TEST(config_docs, every_key_round_trips_through_its_writer) {
  glyph::render_config c = glyph::default_config();
  const glyph::render_config back = glyph::parse_config(glyph::config_to_json(c), "round trip");
  EXPECT_EQ(glyph::config_to_json(back), glyph::config_to_json(c));
}

TEST(config_docs, the_built_in_config_is_config_en_json) {
  const glyph::render_config file = glyph::load_config_file(std::string(GLYPH_TEST_DIR) + "/../config/config_en.json");
  EXPECT_EQ(glyph::config_to_json(glyph::default_config()), glyph::config_to_json(file));
}

}  // namespace
