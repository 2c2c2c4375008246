// --fitness ocr: the audit's read-back accuracy (1 - CER) and the pages' compression.
#include <optional>

#include "content_hash.hpp"
#include "glyph/audit.hpp"
#include "glyph/error.hpp"
#include "glyph/search.hpp"
#include "glyph/tokens.hpp"
#include "glyph/vision.hpp"

namespace glyph {

namespace {

class ocr_fitness : public fitness_function {
 public:
  explicit ocr_fitness(const ocr_fitness_options& o) : o_(o), model_(find_vision_model(o.vision_model)) {
    if (o.texts.empty()) throw error(error_kind::invalid_input, "--fitness ocr needs at least one --input text");
    audit_options ao;
    ao.lang = o.lang;
    ao.tessdata_dir = o.tessdata_dir;
    ao.threads = o.threads;
    ao.sample_lines = o.sample_lines;
    ao.worst_lines = 0;
    ao.limits.max_pages = o.max_pages;
    auditor_.emplace(ao);
    std::optional<tokenizer> tok;
    if (!o.tokenizer_path.empty()) tok.emplace(tokenizer::from_file(o.tokenizer_path));
    for (const std::string& t : o.texts) {
      keys_.push_back(search::content_hash(t) + (o.sample_lines ? "-s" + std::to_string(o.sample_lines) : ""));
      text_tokens_.push_back(tok ? double(tok->count(t)) : 0.0);
    }
  }

  std::size_t items() const override { return o_.texts.size(); }
  std::string item_key(std::size_t i) const override { return keys_.at(i); }
  std::string describe() const override {
    return "ocr: Tesseract (" + o_.lang + ") reads the lines back; accuracy = 1 - CER" +
           (o_.sample_lines ? " on a sample of " + std::to_string(o_.sample_lines) + " lines per text" : "") +
           "; compression = " + (o_.tokenizer_path.empty() ? "characters" : "text tokens") + " per visual token (" +
           o_.vision_model + ")";
  }

  std::vector<fitness_sums> evaluate(const render_config& cfg, const std::vector<std::size_t>& items) override {
    std::vector<fitness_sums> out;
    for (std::size_t i : items) {
      fitness_sums s;
      audit_report r;
      try {
        r = auditor_->audit(cfg, o_.texts.at(i));
      } catch (const error&) {  // e.g. more pages than --max-pages: this candidate fails, the search goes on
        s.failed = 1;
        out.push_back(s);
        continue;
      }
      // Every line counts by its characters; a line read as garbage may cost more errors
      // than it has characters, capped at its length.
      s.correct = double(r.length) - std::min(double(r.errors), double(r.length));
      s.weight = double(r.length);
      s.text_tokens = o_.tokenizer_path.empty() ? double(r.characters) : text_tokens_[i];
      for (const auto& [w, h] : r.page_sizes) s.visual_tokens += double(visual_cost(model_, w, h).total());
      s.pages = r.pages;
      out.push_back(s);
    }
    return out;
  }

 private:
  ocr_fitness_options o_;
  vision_model model_;
  std::optional<auditor> auditor_;
  std::vector<std::string> keys_;
  std::vector<double> text_tokens_;
};

}  // namespace

std::unique_ptr<fitness_function> make_ocr_fitness(const ocr_fitness_options& o) {
  return std::make_unique<ocr_fitness>(o);
}

}  // namespace glyph
