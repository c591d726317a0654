// libFuzzer target for the .net language: any byte sequence must load and format
// without a crash, a sanitizer report or a hang, and the formatter's promises must
// hold (formatting is idempotent, and the formatted text loads to the same graph).
// Built and run by scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "netdim/dsl/dsl.hpp"

namespace {

// Tighter than the defaults so that each input runs in milliseconds; the limit
// checks themselves are still exercised.
netdim::dsl::Limits fuzz_limits() {
  netdim::dsl::Limits l;
  l.max_source_bytes = 1 << 16;
  l.max_layers = 2000;
  l.max_loop_iterations = 1000;
  l.max_steps = 20000;
  return l;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace netdim::dsl;
  static const Limits limits = fuzz_limits();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const LoadResult loaded = load_source(text, "fuzz.net", limits);
  (void)render(loaded.diagnostics);
  const FormatResult formatted = format_source(text, "fuzz.net");
  if (!formatted.text) return 0;
  const FormatResult again = format_source(*formatted.text, "fuzz.net");
  if (!again.text || *again.text != *formatted.text) std::abort();  // format(format(x)) != format(x)
  if (loaded.ok()) {
    const LoadResult reloaded = load_source(*formatted.text, "fuzz.net", limits);
    if (!reloaded.ok() || reloaded.architecture->describe() != loaded.architecture->describe())
      std::abort();  // the formatted text builds another network
  }
  return 0;
}
