#include "netdim/nn/layer_forward.hpp"

#include "netdim/autodiff/ops.hpp"
#include "netdim/autodiff/ops/conv2d.hpp"
#include "netdim/autodiff/ops/adaptive_pool2d.hpp"
#include "netdim/autodiff/ops/pool2d.hpp"
#include "netdim/nn/layer_type.hpp"

namespace netdim::nn {
namespace {

// Per-channel parameters broadcast over [N, C] or [N, C, H, W].
template <class T>
Var<T> per_channel(const Var<T>& p, std::size_t rank) {
  Shape s(rank, 1);
  s[1] = p.size();
  return reshape(p, s);
}

template <class T>
Var<T> zeros_channels(const Var<T>& like, std::size_t channels) {
  Shape s = like.shape();
  s[1] = channels;
  return like.tape().constant(zeros_of<T>(s));
}

}  // namespace

Conv2dGeometry conv_geometry(const Layer& l) {
  Conv2dGeometry g;
  g.stride_h = l.window.stride[0];
  g.stride_w = l.window.stride[1];
  g.pad_h = l.window.padding[0];
  g.pad_w = l.window.padding[1];
  g.dilation_h = l.window.dilation[0];
  g.dilation_w = l.window.dilation[1];
  g.groups = l.groups;
  return g;
}

namespace {

Size2d pair(const std::array<std::size_t, 2>& a) { return {a[0], a[1]}; }

}  // namespace

template <Scalar T>
Var<T> layer_forward(const Layer& l, const std::vector<Var<T>>& in, const LayerParameters<T>& p) {
  switch (l.kind) {
    case LayerKind::Input:
      return in[0];
    case LayerKind::Dense:
      return p.bias ? linear(in[0], *p.weight, *p.bias) : matmul(in[0], *p.weight, false, true);
    case LayerKind::Conv2d: {
      Var<T> y = conv2d(in[0], *p.weight, conv_geometry(l));
      return p.bias ? y + per_channel(*p.bias, 4) : y;
    }
    case LayerKind::MaxPool2d:
      if constexpr (OrderedScalar<T>)
        return max_pool2d(in[0], pair(l.window.kernel), pair(l.window.stride), pair(l.window.padding), l.ceil_mode);
      else
        throw std::invalid_argument("max pooling compares, which has no meaning mod p: a modular evaluation needs a "
                                    "polynomial network");
    case LayerKind::AvgPool2d:
      return avg_pool2d(in[0], pair(l.window.kernel), pair(l.window.stride), pair(l.window.padding), true, l.ceil_mode);
    case LayerKind::AdaptiveAvgPool2d:
      return adaptive_avg_pool2d(in[0], Size2d(l.shape[1], l.shape[2]));
    case LayerKind::Dropout:
      return in[0];  // torch's eval mode: netdim measures the deterministic network
    case LayerKind::ChannelShuffle: {  // torchvision's shufflenet: view (g, c/g), transpose, flatten
      const Shape& s = in[0].shape();
      const Var<T> split = reshape(in[0], Shape{s[0], l.groups, s[1] / l.groups, s[2], s[3]});
      return reshape(permute(split, {0, 2, 1, 3, 4}), s);
    }
    case LayerKind::Chunk: {
      const std::size_t part = l.shape[0];
      return slice(in[0], 1, l.chunk * part, (l.chunk + 1) * part);
    }
    case LayerKind::GlobalAvgPool:
      return mean(mean(in[0], 3), 2);
    case LayerKind::Flatten:
      return reshape(in[0], Shape{in[0].shape()[0], shape_size(l.shape)});
    case LayerKind::BatchNorm:
      return in[0] * per_channel(*p.weight, in[0].rank()) + per_channel(*p.bias, in[0].rank());
    case LayerKind::Activation:
      return activate(in[0], l.activation, l.slope);
    case LayerKind::Add: {
      Var<T> y = in[0];
      for (std::size_t i = 1; i < in.size(); ++i) y = y + in[i];
      return y;
    }
    case LayerKind::Concat:
      return concat(in, 1);
    case LayerKind::Projection:
      if (l.shape.size() == 1) return matmul(in[0], *p.weight, false, true);
      return conv2d(in[0], *p.weight, conv_geometry(l));
    case LayerKind::Sample: {
      Var<T> y = in[0];
      const std::size_t rank = y.rank();
      // Every s-th position along each spatial axis (or along the features of a vector).
      for (std::size_t axis = rank == 2 ? 1 : 2; axis < rank; ++axis) {
        const std::size_t s = l.window.stride[rank == 2 ? 0 : axis - 2];
        if (s > 1) y = slice(y, static_cast<long>(axis), 0, y.shape()[axis], s);
      }
      const std::size_t have = y.shape()[1], want = l.shape[0];
      return have < want ? concat(std::vector<Var<T>>{y, zeros_channels(y, want - have)}, 1) : y;
    }
    case LayerKind::Registered:
      return registered_forward(l, in[0], p);
  }
  throw std::logic_error("layer_forward: unhandled layer kind");
}

template Var<float> layer_forward(const Layer&, const std::vector<Var<float>>&, const LayerParameters<float>&);
template Var<double> layer_forward(const Layer&, const std::vector<Var<double>>&, const LayerParameters<double>&);
template Var<Rational> layer_forward(const Layer&, const std::vector<Var<Rational>>&, const LayerParameters<Rational>&);
template Var<Modular> layer_forward(const Layer&, const std::vector<Var<Modular>>&, const LayerParameters<Modular>&);

}  // namespace netdim::nn
