#include "glyph/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "glyph/error.hpp"

namespace glyph {

namespace {

struct fd_closer {
  int fd;
  ~fd_closer() {
    if (fd >= 0) ::close(fd);
  }
};

std::string mib(std::size_t bytes) { return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MiB"; }

}  // namespace

std::string read_regular_file(const std::string& path, std::size_t max_bytes, const std::string& what,
                              error_kind kind) {
  auto fail = [&](const std::string& why) { return error(kind, what + " \"" + path + "\": " + why); };
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) throw fail(std::string("cannot open: ") + std::strerror(errno));
  fd_closer closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw fail(std::string("cannot stat: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw fail("not a regular file (a directory, FIFO or device cannot be read as input)");
  if (static_cast<std::size_t>(st.st_size) > max_bytes)
    throw fail("the file has " + std::to_string(st.st_size) + " bytes, more than the limit of " + mib(max_bytes));
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw fail(std::string("read failed: ") + std::strerror(errno));
    if (n == 0) break;  // shrank while reading
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

void write_file(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw error(error_kind::io, path + ": cannot open for writing: " + std::strerror(errno));
  // Every byte reaches the file or the error says why (a full disk, a file size limit):
  // no buffer left to fail unseen at close.
  fd_closer closer{fd};
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw error(error_kind::io, path + ": write failed: " + (n < 0 ? std::strerror(errno) : "no progress"));
    bytes.remove_prefix(std::size_t(n));
  }
  if (::close(std::exchange(closer.fd, -1)) != 0)
    throw error(error_kind::io, path + ": write failed: " + std::strerror(errno));
}

void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  write_file(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace glyph
