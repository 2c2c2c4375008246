// A render's output folder holds exactly its pages: pages are written to a hidden folder
// beside it and moved in only when the render succeeded, replacing the page_NNN.png files
// of any earlier render. A render that fails leaves the folder as it was and no partial pages.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace glyph::cli {

class page_folder {
 public:
  explicit page_folder(std::filesystem::path dir);  // throws glyph::error(io)
  ~page_folder();                                   // not committed: the written files are removed
  page_folder(const page_folder&) = delete;
  page_folder& operator=(const page_folder&) = delete;

  // Writes `name` (a file name, no folders); returns the path it will have after commit().
  std::filesystem::path write(const std::string& name, const std::vector<std::uint8_t>& bytes);
  std::filesystem::path write(const std::string& name, const std::string& text);
  // Removes the earlier render's page_NNN.png files, then moves the new files in.
  void commit();

 private:
  std::filesystem::path dir_, staging_;
  std::vector<std::string> names_;
  bool committed_ = false;
};

}  // namespace glyph::cli
