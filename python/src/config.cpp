// glyph.Config (render_config), the config argument every function accepts, presets.
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "glyph/compression.hpp"
#include "glyph/error.hpp"

namespace glyph::python {

namespace {

std::string to_json_text(py::handle value) {
  return py::module_::import("json").attr("dumps")(value).cast<std::string>();
}

render_config default_config() {
  // The package ships the repository's config/config_en.json beside its modules.
  py::object here = py::module_::import("os.path").attr("dirname")(py::module_::import("glyph").attr("__file__"));
  return load_config_file(py::module_::import("os.path").attr("join")(here, "config_en.json").cast<std::string>());
}

render_config base_config(py::handle source) {
  if (source.is_none()) return default_config();
  if (py::isinstance<render_config>(source)) return source.cast<render_config>();
  if (py::isinstance<py::dict>(source)) return parse_config(to_json_text(source), "config dict");
  if (py::isinstance<py::str>(source)) {
    const std::string s = source.cast<std::string>();
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && s[first] == '{') return parse_config(s, "config JSON");
    return load_config_file(s);
  }
  if (py::hasattr(source, "__fspath__"))
    return load_config_file(py::module_::import("os").attr("fspath")(source).cast<std::string>());
  throw py::type_error("config: expected None, a glyph.Config, a dict, a path or a JSON string, got " +
                       py::repr(py::type::of(source)).cast<std::string>());
}

void apply_overrides(render_config& cfg, py::handle overrides) {
  if (overrides.is_none()) return;
  if (py::isinstance<py::dict>(overrides)) {
    for (auto [key, value] : overrides.cast<py::dict>())
      set_config_value(cfg, py::str(key).cast<std::string>() + "=" + to_json_text(value));
  } else if (py::isinstance<py::str>(overrides)) {
    set_config_value(cfg, overrides.cast<std::string>());
  } else {
    for (py::handle item : overrides) set_config_value(cfg, py::str(item).cast<std::string>());
  }
}

}  // namespace

render_config config_from(py::handle source, py::handle preset, py::handle overrides) {
  render_config cfg = base_config(source);
  if (!preset.is_none()) cfg = apply_preset(cfg, find_preset(preset.cast<std::string>()));
  apply_overrides(cfg, overrides);
  validate_config(cfg);
  return cfg;
}

void bind_config(py::module_& m) {
  py::class_<render_config>(m, "Config", R"doc(A rendering config: Glyph's JSON config keys (docs/config.md).

Config(source=None, *, preset=None, set=None)
  source: None (the package's config_en.json: DejaVu Sans 9 pt, A4, 72 dpi), a Config, a dict,
          a path to a JSON file (a relative font-path resolves against the file's folder) or
          a JSON string; a dict's or a string's relative font-path resolves against the
          working directory.
  preset: a built-in preset applied on top ("dpi96", "dpi72", ..., "eval"; see glyph.presets()).
  set:    overrides, {"dpi": 96} or ["dpi=96", ...].
Raises glyph.ConfigError naming the key and value. Picklable; equal when their JSON is.)doc")
      .def(py::init(
               [](py::object source, py::object preset, py::object set) { return config_from(source, preset, set); }),
           py::arg("source") = py::none(), py::kw_only(), py::arg("preset") = py::none(), py::arg("set") = py::none())
      .def("to_json", &config_to_json, "The config as Glyph JSON, every key.")
      .def(
          "to_dict",
          [](const render_config& c) { return py::module_::import("json").attr("loads")(config_to_json(c)); },
          "The config as a dict of Glyph keys.")
      .def(
          "replace",
          [](const render_config& c, py::kwargs kw) {
            py::dict overrides;
            for (auto [k, v] : kw) overrides[py::str(py::str(k).attr("replace")("_", "-"))] = v;
            return config_from(py::cast(c), py::none(), overrides);
          },
          "A copy with keys changed: cfg.replace(dpi=96, font_size=10) (underscores for dashes).")
      .def_property_readonly("dpi", [](const render_config& c) { return c.dpi; })
      .def_property_readonly("font_path", [](const render_config& c) { return c.font_path; })
      .def_property_readonly("font_size", [](const render_config& c) { return c.font_size; })
      .def("__eq__",
           [](const render_config& a, py::object b) {
             return py::isinstance<render_config>(b) && config_to_json(a) == config_to_json(b.cast<render_config>());
           })
      .def("__repr__",
           [](const render_config& c) {
             return "glyph.Config(" +
                    py::repr(py::module_::import("json").attr("loads")(config_to_json(c))).cast<std::string>() + ")";
           })
      .def(py::pickle([](const render_config& c) { return config_to_json(c); },
                      [](const std::string& json) { return parse_config(json, "pickled glyph.Config"); }));

  m.def(
      "presets",
      [] {
        py::list out;
        for (const auto* list : {&builtin_presets(), &layout_presets()})
          for (const preset& p : *list) {
            py::dict d;
            d["name"] = p.name;
            d["description"] = p.description;
            d["overrides"] = p.overrides;
            out.append(d);
          }
        return out;
      },
      "The built-in presets: name, description and the config overrides each applies.");
  m.def("config_keys", &config_keys, "The config keys this implementation understands.");
}

}  // namespace glyph::python
