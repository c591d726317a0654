// The `netdim` command as a function, for a program of a user's own: register activations
// (nn::register_activation) or operations first, then hand over the command line.
//
//   int main(int argc, char** argv) {
//     netdim::nn::register_activation(my_activation());
//     return netdim::cli::run(argc, argv);
//   }
//
// Every subcommand then reads `.net` files that use what was registered. It is the same code
// the `netdim` executable runs (cli/main.cpp), with the same exit codes: 0, 1 bad input,
// 2 bad usage, 128 + n after signal n stopped the work.
#pragma once

namespace netdim::cli {

// Call once per process, from main: it installs netdim's handlers of SIGINT, SIGTERM and
// SIGHUP and, when built with MPI and run under mpirun, initialises and finalises MPI.
int run(int argc, char** argv);

}  // namespace netdim::cli
