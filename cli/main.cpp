// netdim: the command (all of it is netdim::cli::run, which a user's own main can call too).
#include "netdim/cli/run.hpp"

int main(int argc, char** argv) { return netdim::cli::run(argc, argv); }
