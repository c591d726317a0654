#include "nn/data/atomic_write.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <system_error>

#include "nn/data/data_error.hpp"

namespace netdim::data {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::string errno_text() { return errno ? std::strerror(errno) : "unknown error"; }

}  // namespace

void write_atomically(const std::filesystem::path& path, const std::function<void(const PutBytes& put)>& fill) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  errno = 0;
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(tmp.c_str(), "wb"));
  if (!f) throw DataError(path, "cannot write " + tmp.string() + ": " + errno_text());
  const PutBytes put = [&](const void* bytes, std::size_t n) {
    if (std::fwrite(bytes, 1, n, f.get()) != n) throw DataError(path, "write failed: " + errno_text());
  };
  try {
    fill(put);
    if (std::fflush(f.get()) != 0) throw DataError(path, "write failed: " + errno_text());
    if (std::fclose(f.release()) != 0) throw DataError(path, "write failed on close: " + errno_text());
  } catch (...) {
    f.reset();
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw DataError(path, "cannot rename " + tmp.string() + " into place: " + ec.message());
  }
}

}  // namespace netdim::data
