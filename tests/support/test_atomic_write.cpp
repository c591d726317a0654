// write_atomically and check_writable (issue 11, section 3): only regular files
// are ever replaced, a symlink at the target is written through, the temporary
// is created exclusively (an existing PATH.tmp symlink is never followed), and a
// failure leaves nothing behind. FIFOs, sockets and symlinks live in a
// temporary directory; no real device is touched.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

#include "netdim/support/atomic_write.hpp"
#include "tests/nn/data/data_files.hpp"

using namespace netdim;
using namespace netdim::testing;
using support::check_writable;
using support::write_atomically;

namespace {

void write_string(const fs::path& path, const std::string& text) {
  write_atomically(path, [&](const support::PutBytes& put) { put(text.data(), text.size()); });
}

std::string read_string(const fs::path& path) {
  const Bytes b = read_bytes(path);
  return std::string(b.begin(), b.end());
}

std::size_t entries(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

// Both the writer and the checker refuse `path` with a one-line DataError containing `cause`.
void expect_refused(const fs::path& path, const std::string& cause) {
  expect_data_error([&] { write_string(path, "new"); }, path, cause);
  expect_data_error([&] { check_writable(path); }, path, cause);
}

}  // namespace

TEST_SUITE_BEGIN("data");

TEST_CASE("atomic write: a FIFO, a socket or a directory at the target is refused and left alone") {
  TempDir dir;
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  expect_refused(dir / "fifo", "a FIFO, not a regular file: refusing to replace it");
  CHECK(fs::is_fifo(dir / "fifo"));

  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(s >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string socket_path = (dir / "sock").string();
  REQUIRE(socket_path.size() < sizeof address.sun_path);
  socket_path.copy(address.sun_path, socket_path.size());
  REQUIRE(::bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  expect_refused(dir / "sock", "a socket, not a regular file");
  CHECK(fs::is_socket(dir / "sock"));
  ::close(s);

  fs::create_directory(dir / "sub");
  expect_refused(dir / "sub", "a directory, not a regular file");
  CHECK(fs::is_directory(dir / "sub"));
  CHECK(entries(dir.path()) == 3);  // no temporary left behind
}

TEST_CASE("atomic write: a symlink at the target is written through to the regular file it names") {
  TempDir dir;
  write_string(dir / "real", "old");
  fs::create_symlink("real", dir / "link");
  fs::create_symlink(dir / "link", dir / "link2");  // a chain of links
  check_writable(dir / "link");
  write_string(dir / "link", "first");
  CHECK(fs::is_symlink(dir / "link"));
  CHECK(read_string(dir / "real") == "first");
  write_string(dir / "link2", "second");
  CHECK(fs::is_symlink(dir / "link2"));
  CHECK(fs::is_symlink(dir / "link"));
  CHECK(read_string(dir / "real") == "second");
  CHECK(entries(dir.path()) == 3);

  // A dangling link, or one to anything but a regular file, is refused.
  fs::create_symlink(dir / "absent", dir / "dangling");
  expect_refused(dir / "dangling", "a symlink to a missing file");
  CHECK_FALSE(fs::exists(dir / "absent"));
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  fs::create_symlink("fifo", dir / "to_fifo");
  expect_refused(dir / "to_fifo", "a symlink to a FIFO");
  CHECK(fs::is_fifo(dir / "fifo"));
  fs::create_directory(dir / "sub");
  fs::create_symlink("sub", dir / "to_dir");
  expect_refused(dir / "to_dir", "a symlink to a directory");
}

TEST_CASE("atomic write: an existing PATH.tmp symlink is never followed") {
  TempDir dir;
  write_string(dir / "victim", "precious");
  fs::create_symlink(dir / "victim", dir / "out.npy.tmp");
  write_string(dir / "out.npy", "data");
  CHECK(read_string(dir / "victim") == "precious");
  CHECK(fs::is_regular_file(fs::symlink_status(dir / "out.npy")));
  CHECK(read_string(dir / "out.npy") == "data");
  CHECK(fs::is_symlink(dir / "out.npy.tmp"));
  CHECK(entries(dir.path()) == 3);
}

TEST_CASE("atomic write: a failure leaves the old file and no temporary") {
  TempDir dir;
  write_string(dir / "f", "old");
  CHECK_THROWS_WITH_AS(write_atomically(dir / "f",
                                        [](const support::PutBytes& put) {
                                          put("partial", 7);
                                          throw std::runtime_error("fill failed");
                                        }),
                       "fill failed", std::runtime_error);
  CHECK(read_string(dir / "f") == "old");
  CHECK(entries(dir.path()) == 1);
  expect_data_error([&] { write_string(dir / "missing" / "f", "x"); }, dir / "missing" / "f", "cannot write");
  CHECK(entries(dir.path()) == 1);
}

TEST_CASE("output batch: every file or none; a failure on the last leaves the others as they were") {
  TempDir dir;
  write_string(dir / "rows.csv", "old rows");
  fs::create_directory(dir / "plot.svg");  // in the way of the last output
  support::OutputBatch batch;
  batch.add(dir / "rows.csv", "new rows").add(dir / "rows.json", "{}").add(dir / "plot.svg", "<svg/>");
  CHECK_THROWS_AS(batch.commit(), support::FileError);
  CHECK(read_string(dir / "rows.csv") == "old rows");  // not replaced
  CHECK_FALSE(fs::exists(dir / "rows.json"));          // not created
  CHECK(entries(dir.path()) == 2);                      // no temporary left behind
  fs::remove(dir / "plot.svg");
  support::OutputBatch again;
  again.add(dir / "rows.csv", "new rows").add(dir / "rows.json", "{}").add(dir / "plot.svg", "<svg/>");
  again.commit();
  CHECK(read_string(dir / "rows.csv") == "new rows");
  CHECK(read_string(dir / "rows.json") == "{}");
  CHECK(read_string(dir / "plot.svg") == "<svg/>");
  CHECK(entries(dir.path()) == 3);
  CHECK(again.empty());
}

TEST_CASE("atomic write: replacing a file keeps its permission bits") {
  TempDir dir;
  write_string(dir / "f", "old");
  fs::permissions(dir / "f", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  write_string(dir / "f", "new");
  CHECK(read_string(dir / "f") == "new");
  CHECK(fs::status(dir / "f").permissions() ==
        (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
}

TEST_CASE("check_writable: the same rules without writing") {
  TempDir dir;
  check_writable(dir / "new.csv");  // absent in an existing directory
  CHECK_FALSE(fs::exists(dir / "new.csv"));
  write_string(dir / "f", "x");
  check_writable(dir / "f");
  CHECK(read_string(dir / "f") == "x");
  expect_data_error([&] { check_writable(dir / "missing" / "f"); }, dir / "missing" / "f", "cannot write: directory");
  expect_data_error([&] { check_writable(dir / "f" / "g"); }, dir / "f" / "g", "cannot write");
  expect_data_error([&] { check_writable(""); }, "", "no file name given");
  if (::geteuid() != 0) {  // root may write anywhere: this part only means something for other users
    fs::create_directory(dir / "ro");
    fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    expect_data_error([&] { check_writable(dir / "ro" / "f"); }, dir / "ro" / "f", "cannot write in directory");
    fs::permissions(dir / "ro", fs::perms::owner_all);
  }
  CHECK(entries(dir.path()) <= 2);
}

TEST_SUITE_END();
