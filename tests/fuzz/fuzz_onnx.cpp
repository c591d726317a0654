// libFuzzer target for the ONNX importer (netdim import, and every command given an .onnx file):
// any bytes must import or give a support::FileError naming the file, never another exception,
// a crash, a sanitizer report or an allocation beyond what the bytes justify (-rss_limit_mb).
// A model that imports must have its parameters laid out to the architecture's count.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "netdim/interop/onnx_import.hpp"
#include "netdim/support/file_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace netdim;
  try {
    const interop::OnnxImport m =
        interop::import_onnx_bytes(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.onnx");
    if (m.parameters.size() != m.architecture.parameter_count()) std::abort();
    (void)m.architecture.fingerprint();
  } catch (const support::FileError&) {
    return 0;  // a refusal naming the file: the expected outcome for almost every input
  }
  return 0;
}
