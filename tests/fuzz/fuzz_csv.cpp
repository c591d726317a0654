// libFuzzer target for the two CSV readers of outside bytes: the sweep table that
// `netdim sweep --resume` reads (analysis/sweep/sweep_table) and the errors table of
// `netdim zoo --errors` (analysis/experiments/published_errors). Any file must read or be
// refused with one line (std::runtime_error or std::invalid_argument, the types they document),
// never a crash, a sanitizer report or another exception.
// The first byte picks what follows: odd, a valid sweep head (identity and header lines) is put
// before the rest, so that the rows themselves are fuzzed past the identity check.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "netdim/analysis/experiments/published_errors.hpp"
#include "netdim/analysis/sweep/sweep_table.hpp"
#include "netdim/analysis/sweep/width_sweep.hpp"
#include "tests/fuzz/fuzz_files.hpp"

namespace {

const std::filesystem::path& scratch() {
  static const netdim::fuzz::ScratchDir dir("netdim_fuzz_csv");
  static const std::filesystem::path file = dir / "input.csv";
  return file;
}

netdim::analysis::SweepGrid grid() {
  netdim::analysis::SweepGrid g;
  g.activations = {netdim::nn::Activation::Relu, netdim::nn::Activation::Tanh};
  g.widths1 = {1, 2};
  g.widths2 = {1, 3};
  return g;
}

netdim::analysis::EsdProtocol protocol() {
  netdim::analysis::EsdProtocol p;
  p.samples = 6;
  return p;
}

template <class Read>
void read_or_refuse(Read read) {
  try {
    read();
  } catch (const std::invalid_argument&) {
  } catch (const std::runtime_error&) {  // InputError, DataError and the readers' own refusals
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const std::string head = [] {
    const std::string csv = netdim::analysis::sweep_csv(grid(), protocol(), {});
    return csv;  // identity line and header, no rows
  }();
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 1) bytes = head + bytes;
  const std::filesystem::path& path = scratch();
  netdim::fuzz::write_file(path, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  read_or_refuse([&] { (void)netdim::analysis::read_sweep_csv(path, grid(), protocol()); });
  read_or_refuse([&] { (void)netdim::analysis::read_published_errors(path); });
  return 0;
}
