// Runs a test body in a child process, so that what it registers (activations, layer types:
// the registries are process-wide) stays out of every other test. The child's first failure,
// or what it threw, comes back as the message; an empty message is a pass.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>
#include <functional>
#include <stdexcept>
#include <string>

namespace netdim::testing {

inline std::string in_child(const std::function<std::string()>& body) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(pipe_fds[0]);
    std::string failure;
    try {
      failure = body();
    } catch (const std::exception& e) {
      failure = std::string("threw: ") + e.what();
    }
    if (!failure.empty()) (void)!::write(pipe_fds[1], failure.data(), failure.size());
    ::_exit(failure.empty() ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  std::string message;
  char buffer[512];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) message.append(buffer, std::size_t(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status)) return "the child ended by a signal";
  if (WEXITSTATUS(status) != 0 && message.empty()) return "the child failed without a message";
  return message;
}

// "" when `attempt` throws std::invalid_argument whose message contains `part`, else what went
// wrong: the registries' refusals, checked inside in_child.
template <class Attempt>
std::string refusal(Attempt attempt, const std::string& part) {
  try {
    attempt();
  } catch (const std::invalid_argument& e) {
    return std::string(e.what()).find(part) == std::string::npos ? "wrong message: " + std::string(e.what()) : "";
  }
  return "accepted, expected a refusal with '" + part + "'";
}

}  // namespace netdim::testing
