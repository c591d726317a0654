#include "netdim/nn/data/dataset.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include "netdim/nn/data/data_error.hpp"
#include "netdim/nn/data/idx.hpp"

namespace netdim::data {

namespace {

namespace fs = std::filesystem;

constexpr const char* kInstallHint =
    "install Fashion-MNIST with `apt-get install dataset-fashion-mnist` or pass the directory that holds it";
constexpr std::size_t kSide = 28;
constexpr std::size_t kClasses = 10;

// The Debian package ships name.gz; a manual download may have been gunzipped to name.
fs::path find_file(const fs::path& dir, const std::string& name) {
  std::error_code ec;
  const fs::path gz = dir / (name + ".gz");
  // symlink_status: an entry that is there but cannot be followed (a symlink loop, a FIFO) is
  // returned, so that its reader names the real cause instead of "not found".
  if (fs::exists(fs::symlink_status(gz, ec))) return gz;
  const fs::path plain = dir / name;
  if (fs::exists(fs::symlink_status(plain, ec))) return plain;
  throw DataError(gz, std::string("Fashion-MNIST file not found; ") + kInstallHint);
}

}  // namespace

template <FloatingScalar T>
Dataset<T> load_fashion_mnist(std::string_view split, const fs::path& dir, bool flatten) {
  if (split != "train" && split != "test")
    throw std::invalid_argument("load_fashion_mnist: split must be \"train\" or \"test\", not \"" + std::string(split) +
                                "\"");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw DataError(dir, std::string("Fashion-MNIST directory not found; ") + kInstallHint);
  const std::string prefix = split == "train" ? "train" : "t10k";
  const fs::path image_path = find_file(dir, prefix + "-images-idx3-ubyte");
  const fs::path label_path = find_file(dir, prefix + "-labels-idx1-ubyte");
  const IdxData images = read_idx(image_path);
  const IdxData labels = read_idx(label_path);

  if (images.shape.size() != 3 || images.shape[1] != kSide || images.shape[2] != kSide)
    throw DataError(image_path, "expected images of shape [N, 28, 28], found " + shape_string(images.shape));
  if (labels.shape.size() != 1)
    throw DataError(label_path, "expected labels of shape [N], found " + shape_string(labels.shape));
  const std::size_t n = images.shape[0];
  if (labels.shape[0] != n)
    throw DataError(label_path, std::to_string(labels.shape[0]) + " labels for the " + std::to_string(n) +
                                    " images of " + image_path.string());

  Dataset<T> d;
  d.labels.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (labels.bytes[i] >= kClasses)
      throw DataError(label_path, "label " + std::to_string(labels.bytes[i]) + " at index " + std::to_string(i) +
                                      " is not a class 0..9");
    d.labels[i] = labels.bytes[i];
  }

  d.inputs = Tensor<T>::from_shape(flatten ? Shape{n, kSide * kSide} : Shape{n, 1, kSide, kSide});
  // One table entry per byte value: the same rounding of b / 255 for every pixel, and no division.
  std::array<T, 256> scaled{};
  for (std::size_t b = 0; b < scaled.size(); ++b) scaled[b] = static_cast<T>(b) / T(255);
  T* out = d.inputs.data();
  for (std::size_t i = 0; i < images.bytes.size(); ++i) out[i] = scaled[images.bytes[i]];
  return d;
}

template struct Dataset<float>;
template struct Dataset<double>;
template Dataset<float> load_fashion_mnist(std::string_view, const fs::path&, bool);
template Dataset<double> load_fashion_mnist(std::string_view, const fs::path&, bool);

}  // namespace netdim::data
