#include "netdim/nn/checkpoint.hpp"

#include "netdim/support/atomic_write.hpp"
#include "netdim/support/quote.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <vector>

namespace netdim::nn {
namespace {

// Layout: magic "NETDIMCK", u32 version, 16-byte fingerprint, u64 count,
// then count little-endian float64 values (whatever the model's scalar type).
constexpr char kMagic[8] = {'N', 'E', 'T', 'D', 'I', 'M', 'C', 'K'};
constexpr std::uint32_t kVersion = 1;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& cause) {
  throw CheckpointError(path.string() + ": " + cause);
}

}  // namespace

template <FloatingScalar T>
void save_checkpoint(const std::filesystem::path& path, const Model<T>& model) {
  const std::string fp = model.architecture().fingerprint();
  const std::uint64_t count = model.parameter_count();
  const std::vector<double> values(model.parameters().begin(), model.parameters().end());
  support::write_atomically(path, [&](const support::PutBytes& put) {
    put(kMagic, sizeof kMagic);
    put(&kVersion, sizeof kVersion);
    put(fp.data(), 16);
    put(&count, sizeof count);
    put(values.data(), values.size() * sizeof(double));
  });
}

template <FloatingScalar T>
void load_checkpoint(const std::filesystem::path& path, Model<T>& model) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open checkpoint (missing or unreadable)");
  // Reads exactly n bytes or says where the file ended.
  const auto read_exactly = [&](void* into, std::size_t n, const char* what) {
    in.read(static_cast<char*>(into), static_cast<std::streamsize>(n));
    if (static_cast<std::size_t>(in.gcount()) != n) fail(path, std::string("truncated: the file ends inside ") + what);
  };
  char magic[8];
  in.read(magic, sizeof magic);
  const auto got = static_cast<std::size_t>(in.gcount());
  if (got == 0) fail(path, "truncated: the file is empty, not a netdim checkpoint");
  if (std::memcmp(magic, kMagic, got) != 0) fail(path, "not a netdim checkpoint");
  if (got < sizeof magic) fail(path, "truncated: the file ends inside the magic number");
  std::uint32_t version = 0;
  read_exactly(&version, sizeof version, "the header (version)");
  if (version != kVersion) fail(path, "unsupported checkpoint version " + std::to_string(version));
  char fp[16];
  std::uint64_t count = 0;
  read_exactly(fp, sizeof fp, "the header (architecture fingerprint)");
  read_exactly(&count, sizeof count, "the header (parameter count)");
  const std::string expected = model.architecture().fingerprint();
  if (std::string(fp, 16) != expected)
    fail(path, "saved for architecture " + support::printable_excerpt(std::string_view(fp, 16)) +
                   ", but this model's architecture is " + expected);
  if (count != model.parameter_count())
    fail(path, "holds " + std::to_string(count) + " parameters, the model has " + std::to_string(model.parameter_count()));
  std::vector<double> values(count);
  read_exactly(values.data(), count * sizeof(double), ("the parameters (fewer than " + std::to_string(count) + ")").c_str());
  if (in.peek() != std::char_traits<char>::eof()) fail(path, "trailing bytes after the parameters");
  for (const ParameterBlock& b : model.blocks())
    for (std::size_t i = 0; i < b.size(); ++i)
      if (const double v = values[b.offset + i]; !std::isfinite(v))
        fail(path, "parameter " + b.name + "[" + std::to_string(i) + "] is " + std::to_string(v) +
                       ": refusing a checkpoint with non-finite parameters");
  Tensor<T> theta = Tensor<T>::from_shape({count});
  std::copy(values.begin(), values.end(), theta.begin());
  model.set_parameters(std::move(theta));
}

template void save_checkpoint(const std::filesystem::path&, const Model<float>&);
template void save_checkpoint(const std::filesystem::path&, const Model<double>&);
template void load_checkpoint(const std::filesystem::path&, Model<float>&);
template void load_checkpoint(const std::filesystem::path&, Model<double>&);

}  // namespace netdim::nn
