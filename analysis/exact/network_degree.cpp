#include "netdim/analysis/exact/network_degree.hpp"

#include <algorithm>
#include <vector>

#include "netdim/nn/layer_type.hpp"

namespace netdim::analysis {
namespace {

std::size_t saturating_mul(std::size_t a, std::size_t b, bool& saturated) {
  std::size_t r = 0;
  if (__builtin_mul_overflow(a, b, &r) || r > kDegreeCap) {
    saturated = true;
    return kDegreeCap;
  }
  return r;
}

struct LayerDegree {
  std::size_t theta = 0, x = 0;
};

}  // namespace

NetworkDegree network_degree(const nn::Architecture& architecture) {
  using nn::LayerKind;
  NetworkDegree out;
  const auto& layers = architecture.layers();
  std::vector<LayerDegree> d(layers.size());
  auto mark = [&](Exactness e, const nn::Layer& l, const std::string& why) {
    // The worst kind wins; the first layer of that kind is named.
    if (static_cast<int>(e) > static_cast<int>(out.exactness)) {
      out.exactness = e;
      out.culprit = "layer '" + l.name + "' (" + why + ")";
    }
  };
  // A layer applying a function of `exactness` and `degree` to its input of degree `in`.
  auto through = [&](nn::ActivationExactness exactness, unsigned degree, const nn::Layer& l, const std::string& why,
                     LayerDegree in) -> LayerDegree {
    switch (exactness) {
      case nn::ActivationExactness::Polynomial:
        return {saturating_mul(in.theta, degree, out.saturated), saturating_mul(in.x, degree, out.saturated)};
      case nn::ActivationExactness::PiecewiseLinear: mark(Exactness::PiecewisePolynomial, l, why); return in;
      case nn::ActivationExactness::NotExact: mark(Exactness::NotExact, l, why); return in;
    }
    return in;
  };
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const nn::Layer& l = layers[i];
    LayerDegree in;
    for (std::size_t j : l.inputs) {
      in.theta = std::max(in.theta, d[j].theta);
      in.x = std::max(in.x, d[j].x);
    }
    LayerDegree& o = d[i];
    switch (l.kind) {
      case LayerKind::Input:
        o = {0, 1};
        break;
      case LayerKind::Dense:
      case LayerKind::Conv2d:
      case LayerKind::Projection:
      case LayerKind::BatchNorm:
        o = {std::min(in.theta + 1, kDegreeCap), in.x};
        break;
      case LayerKind::MaxPool2d:
        mark(Exactness::PiecewisePolynomial, l, "max pooling");
        o = in;
        break;
      case LayerKind::AvgPool2d:
      case LayerKind::AdaptiveAvgPool2d:
      case LayerKind::GlobalAvgPool:
      case LayerKind::Dropout:
      case LayerKind::ChannelShuffle:
      case LayerKind::Chunk:
      case LayerKind::Flatten:
      case LayerKind::Sample:
      case LayerKind::Add:
      case LayerKind::Concat:
        o = in;
        break;
      case LayerKind::Activation: {
        const nn::ActivationKind& a = l.activation.kind();
        o = through(a.exactness, a.degree, l, a.name, in);
        break;
      }
      case LayerKind::Registered: {
        const nn::LayerType& t = nn::layer_type(l.type);
        o = through(t.exactness, nn::registered_degree(l), l, t.name, in);
        // Its own parameters enter at parameter_degree (an affine layer: theta degree + 1).
        if (t.exactness == nn::LayerExactness::Polynomial &&
            !nn::registered_parameter_blocks(l, i, layers[l.inputs[0]].shape).empty())
          o.theta = std::min(o.theta + t.parameter_degree, kDegreeCap);
        break;
      }
    }
  }
  if (!layers.empty()) {
    out.theta = d[architecture.output()].theta;
    out.x = d[architecture.output()].x;
  }
  return out;
}

std::string not_exact_message(const std::string& what, const NetworkDegree& degree) {
  return what + ": " + degree.culprit +
         " is not exact at rational points; exact analysis needs polynomial (" +
         nn::activation_names(nn::ActivationExactness::Polynomial) + ") or piecewise-linear (" +
         nn::activation_names(nn::ActivationExactness::PiecewiseLinear) +
         ") activations: use `netdim esd` for the expected spanning dimension";
}

}  // namespace netdim::analysis
