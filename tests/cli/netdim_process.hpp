// Running the `netdim` executable as a subprocess in tests: its exit code, stdout
// and stderr, a scratch directory per test case, and the one-line error check.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef NETDIM_EXE
#error "NETDIM_EXE (the path of the built netdim) is defined by tests/meson.build"
#endif

namespace netdim::testing {

namespace fs = std::filesystem;

inline const fs::path kExamples = NETDIM_EXAMPLES_DIR;

inline std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

inline std::size_t lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

inline std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// A fresh, empty directory for one test case, removed at the end.
struct TempDir {
  fs::path path;
  // The process id keeps two suites running at once out of each other's way.
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("netdim_test_cli_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  fs::path operator/(const std::string& name) const { return path / name; }
};

struct Run {
  int code = -1;
  std::string out, err;
};

// Runs netdim with the given arguments (each quoted for the shell), after `shell_prefix`
// (e.g. "timeout 20" so that a hang fails the test instead of stopping it, or "ulimit -v N;").
inline Run run_netdim_under(const std::string& shell_prefix, const std::vector<std::string>& args) {
  static const TempDir io("io");
  std::string command = shell_prefix + " " + quoted(NETDIM_EXE);
  for (const std::string& a : args) {
    command += ' ';
    command += quoted(a);
  }
  command += " >";
  command += quoted((io / "stdout").string());
  command += " 2>";
  command += quoted((io / "stderr").string());
  command += " </dev/null";
  const int status = std::system(command.c_str());
  Run r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read(io / "stdout");
  r.err = read(io / "stderr");
  return r;
}

inline Run run_netdim(const std::vector<std::string>& args) { return run_netdim_under("", args); }

// Starts netdim, sends it `signal_name` (TERM, INT, HUP) after `seconds`, and waits: its exit
// code (128 + n when the signal killed it), stdout and stderr.
// With `marker`, the delay starts once that text shows on its stderr (at most 20 s of waiting).
inline Run run_netdim_signalled(const std::vector<std::string>& args, const std::string& signal_name, double seconds,
                                const std::string& marker = "") {
  static const TempDir io("signal_io");
  std::string command = quoted(NETDIM_EXE);
  for (const std::string& a : args) command += ' ' + quoted(a);
  const std::string script = command + " >" + quoted((io / "stdout").string()) + " 2>" + quoted((io / "stderr").string()) +
                             " </dev/null & p=$!; " +
                             (marker.empty() ? std::string()
                                             : "i=0; while [ $i -lt 400 ] && ! grep -q " + quoted(marker) + " " +
                                                   quoted((io / "stderr").string()) + "; do sleep 0.05; i=$((i+1)); done; ") +
                             "sleep " + std::to_string(seconds) + "; kill -" + signal_name +
                             " $p; wait $p";
  const int status = std::system(("sh -c " + quoted(script)).c_str());
  Run r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read(io / "stdout");
  r.err = read(io / "stderr");
  return r;
}

// One line on stderr, naming the program, and nothing on stdout.
inline void check_one_line_error(const Run& r, int code) {
  CHECK(r.code == code);
  CHECK(r.out.empty());
  CHECK(lines(r.err) == 1);
  CHECK(r.err.rfind("netdim: ", 0) == 0);
}

}  // namespace netdim::testing
