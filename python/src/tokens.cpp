// glyph.Tokenizer: exact text tokens from a Hugging Face tokenizer.json. The GIL is released
// while encoding; encode_batch spreads the texts over threads.
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "bindings.hpp"
#include "glyph/error.hpp"
#include "glyph/tokens.hpp"

namespace glyph::python {

namespace {

// Runs job(i) for i in [0, n) on `threads` threads (0: all cores), without the GIL.
template <class Job>
void parallel_for(std::size_t n, unsigned threads, const Job& job) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = unsigned(std::min<std::size_t>(threads, std::max<std::size_t>(n, 1)));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next++) < n;) job(i);
  };
  py::gil_scoped_release nogil;
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

py::list ids_to_list(const std::vector<std::uint32_t>& ids) {
  py::list out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) out[i] = py::int_(ids[i]);
  return out;
}

python_tokenizer load(const std::string& path) { return {tokenizer::from_file(path), path, {}}; }

}  // namespace

void bind_tokens(py::module_& m) {
  py::class_<python_tokenizer>(m, "Tokenizer", R"doc(A byte-level BPE tokenizer from a Hugging Face tokenizer.json
(Qwen2/Qwen3, GLM-4, Llama-3 families), giving exactly the ids of HF tokenizers'
encode(text, add_special_tokens=False). Thread-safe; the GIL is released while encoding.
Picklable (by path, or by its JSON).)doc")
      .def_static(
          "from_file",
          [](py::object path) { return load(py::module_::import("os").attr("fspath")(path).cast<std::string>()); },
          py::arg("path"), "Loads tokenizer.json; glyph.InputError names the file and the field it cannot use.")
      .def_static(
          "from_json",
          [](std::string json) {
            python_tokenizer t{tokenizer::from_json(json), {}, {}};
            t.json = std::move(json);
            return t;
          },
          py::arg("json"), "Loads a tokenizer from the text of a tokenizer.json.")
      .def(
          "encode",
          [](const python_tokenizer& t, const std::string& text) {
            std::vector<std::uint32_t> ids;
            {
              py::gil_scoped_release nogil;
              ids = t.tok.encode(text);
            }
            return ids_to_list(ids);
          },
          py::arg("text"), "Token ids of `text` (list[int]).")
      .def(
          "encode_batch",
          [](const python_tokenizer& t, const std::vector<std::string>& texts, py::object threads) {
            std::vector<std::vector<std::uint32_t>> ids(texts.size());
            parallel_for(texts.size(), threads.is_none() ? 0 : threads.cast<unsigned>(),
                         [&](std::size_t i) { ids[i] = t.tok.encode(texts[i]); });
            py::list out;
            for (const auto& one : ids) out.append(ids_to_list(one));
            return out;
          },
          py::arg("texts"), py::kw_only(), py::arg("threads") = py::none(),
          "Token ids of each text, encoded on `threads` threads (None: all cores).")
      .def(
          "count",
          [](const python_tokenizer& t, const std::string& text) {
            py::gil_scoped_release nogil;
            return t.tok.count(text);
          },
          py::arg("text"), "The number of tokens of `text`.")
      .def(
          "count_batch",
          [](const python_tokenizer& t, const std::vector<std::string>& texts, py::object threads) {
            std::vector<std::size_t> counts(texts.size());
            parallel_for(texts.size(), threads.is_none() ? 0 : threads.cast<unsigned>(),
                         [&](std::size_t i) { counts[i] = t.tok.count(texts[i]); });
            return counts;
          },
          py::arg("texts"), py::kw_only(), py::arg("threads") = py::none(), "The number of tokens of each text.")
      .def(
          "decode",
          [](const python_tokenizer& t, const std::vector<std::uint32_t>& ids) {
            return utf8_to_str(t.tok.decode(ids));
          },
          py::arg("ids"), "The text of `ids` (bytes that are not UTF-8 become U+FFFD).")
      .def_property_readonly("vocab_size", [](const python_tokenizer& t) { return t.tok.vocab_size(); })
      .def(
          "token_to_id", [](const python_tokenizer& t, const std::string& token) { return t.tok.token_to_id(token); },
          py::arg("token"), "The id of an added token or a raw-byte token, else None.")
      .def(py::pickle([](const python_tokenizer& t) { return py::make_tuple(t.path, t.json); },
                      [](const py::tuple& s) {
                        if (s.size() != 2) throw py::value_error("glyph.Tokenizer: not a pickled tokenizer");
                        const std::string path = s[0].cast<std::string>();
                        if (!path.empty()) return load(path);
                        python_tokenizer t{tokenizer::from_json(s[1].cast<std::string>()), {}, {}};
                        t.json = s[1].cast<std::string>();
                        return t;
                      }));
}

}  // namespace glyph::python
