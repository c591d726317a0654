#include "nn/checkpoint.hpp"

#include "nn/data/atomic_write.hpp"

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
  data::write_atomically(path, [&](const data::PutBytes& put) {
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
  char magic[8];
  std::uint32_t version = 0;
  char fp[16];
  std::uint64_t count = 0;
  in.read(magic, sizeof magic);
  if (!in || std::memcmp(magic, kMagic, sizeof magic) != 0) fail(path, "not a netdim checkpoint");
  in.read(reinterpret_cast<char*>(&version), sizeof version);
  if (!in || version != kVersion) fail(path, "unsupported checkpoint version " + std::to_string(version));
  in.read(fp, sizeof fp);
  in.read(reinterpret_cast<char*>(&count), sizeof count);
  if (!in) fail(path, "truncated header");
  const std::string expected = model.architecture().fingerprint();
  if (std::string(fp, 16) != expected)
    fail(path, "saved for architecture " + std::string(fp, 16) + ", but this model's architecture is " + expected);
  if (count != model.parameter_count())
    fail(path, "holds " + std::to_string(count) + " parameters, the model has " + std::to_string(model.parameter_count()));
  std::vector<double> values(count);
  in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(count * sizeof(double)));
  if (!in) fail(path, "truncated: fewer than " + std::to_string(count) + " parameters");
  if (in.peek() != std::char_traits<char>::eof()) fail(path, "trailing bytes after the parameters");
  Tensor<T> theta = Tensor<T>::from_shape({count});
  std::copy(values.begin(), values.end(), theta.begin());
  model.set_parameters(std::move(theta));
}

template void save_checkpoint(const std::filesystem::path&, const Model<float>&);
template void save_checkpoint(const std::filesystem::path&, const Model<double>&);
template void load_checkpoint(const std::filesystem::path&, Model<float>&);
template void load_checkpoint(const std::filesystem::path&, Model<double>&);

}  // namespace netdim::nn
