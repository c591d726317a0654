#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <csignal>

// The signal tests send SIGINT, SIGTERM and SIGHUP to netdim processes they start. A suite started
// under nohup (or from a shell's background) inherits those signals ignored, and its children would
// too: netdim then rightly keeps them ignored and runs on. The suite's children get them by default.
static const bool signals_by_default = [] {
  for (const int s : {SIGINT, SIGTERM, SIGHUP}) std::signal(s, SIG_DFL);
  return true;
}();
