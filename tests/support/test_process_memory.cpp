// What the memory checks read: the cgroup limits of v2 (memory.max) and of v1's memory
// controller (memory.limit_in_bytes), parsed from a /proc/self/cgroup text and a file system
// laid out like /sys/fs/cgroup in a scratch directory; and the machine's own numbers.
#include <doctest/doctest.h>

#include <fstream>

#include "netdim/support/process_memory.hpp"
#include "tests/nn/data/data_files.hpp"

namespace netdim {
namespace {

void write_number(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << text << "\n";
}

}  // namespace

TEST_CASE("process memory: a cgroup v2 limit less its usage; max is no limit") {
  const testing::TempDir sys;
  write_number(sys / "user.slice/job/memory.max", "1000000");
  write_number(sys / "user.slice/job/memory.current", "250000");
  CHECK(support::cgroup_memory_left("0::/user.slice/job\n", sys.path()) == 750000);
  write_number(sys / "user.slice/job/memory.current", "2000000");  // over the limit: nothing left
  CHECK(support::cgroup_memory_left("0::/user.slice/job\n", sys.path()) == 0);
  write_number(sys / "user.slice/job/memory.max", "max");
  CHECK_FALSE(support::cgroup_memory_left("0::/user.slice/job\n", sys.path()).has_value());
  // A container sees its group at the mount's root: a path that is not there means the root.
  write_number(sys / "memory.max", "4096");
  CHECK(support::cgroup_memory_left("0::/docker/abc\n", sys.path()) == 4096);
}

TEST_CASE("process memory: a parent group's limit binds its children; droppable page cache is not used memory") {
  const testing::TempDir sys;
  // systemd's MemoryMax on the slice, none on the session scope below it.
  write_number(sys / "user.slice/memory.max", "4000000");
  write_number(sys / "user.slice/memory.current", "1000000");
  write_number(sys / "user.slice/session.scope/memory.max", "max");
  write_number(sys / "user.slice/session.scope/memory.current", "500000");
  CHECK(support::cgroup_memory_left("0::/user.slice/session.scope\n", sys.path()) == 3000000);
  // 800000 of the slice's usage is inactive page cache, which the kernel drops on demand.
  write_number(sys / "user.slice/memory.stat", "anon 150000\ninactive_file 800000\nactive_file 50000");
  CHECK(support::cgroup_memory_left("0::/user.slice/session.scope\n", sys.path()) == 3800000);
  // A tighter limit on the leaf wins.
  write_number(sys / "user.slice/session.scope/memory.max", "600000");
  CHECK(support::cgroup_memory_left("0::/user.slice/session.scope\n", sys.path()) == 100000);
  // v1 reads total_inactive_file.
  write_number(sys / "memory/job/memory.limit_in_bytes", "1000000");
  write_number(sys / "memory/job/memory.usage_in_bytes", "900000");
  write_number(sys / "memory/job/memory.stat", "cache 500000\ntotal_inactive_file 400000\n");
  CHECK(support::cgroup_memory_left("5:memory:/job\n", sys.path()) == 500000);
}

TEST_CASE("process memory: a cgroup v1 memory controller's limit; its unlimited value is no limit") {
  const testing::TempDir sys;
  write_number(sys / "memory/batch/memory.limit_in_bytes", "8000000");
  write_number(sys / "memory/batch/memory.usage_in_bytes", "3000000");
  const std::string v1 = "12:pids:/batch\n11:cpu,cpuacct:/batch\n4:memory:/batch\n";
  CHECK(support::cgroup_memory_left(v1, sys.path()) == 5000000);
  CHECK(support::cgroup_memory_left("3:blkio,memory:/batch\n", sys.path()) == 5000000);  // among others
  write_number(sys / "memory/batch/memory.limit_in_bytes", "9223372036854771712");  // v1's "unlimited"
  CHECK_FALSE(support::cgroup_memory_left(v1, sys.path()).has_value());
  // Both hierarchies (a hybrid system): the lesser of what each leaves.
  write_number(sys / "memory/batch/memory.limit_in_bytes", "8000000");
  write_number(sys / "batch/memory.max", "4000000");
  write_number(sys / "batch/memory.current", "1000000");
  CHECK(support::cgroup_memory_left(v1 + "0::/batch\n", sys.path()) == 3000000);
  // Nothing about memory, or a malformed line: no limit.
  CHECK_FALSE(support::cgroup_memory_left("12:pids:/batch\nnot a line\n", sys.path()).has_value());
  CHECK_FALSE(support::cgroup_memory_left("", sys.path()).has_value());
}

TEST_CASE("process memory: this machine's available memory is known and below its total") {
  const auto available = support::available_memory();
  REQUIRE(available.has_value());
  CHECK(*available > 0);
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::size_t kib = 0;
  meminfo >> key >> kib;  // MemTotal: first
  REQUIRE(key == "MemTotal:");
  CHECK(*available <= kib * 1024);
}

}  // namespace netdim
