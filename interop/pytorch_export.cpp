#include "netdim/interop/pytorch_export.hpp"

#include <charconv>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "netdim/nn/activation.hpp"
#include "netdim/nn/layer_type.hpp"

namespace netdim::interop {

namespace {

using nn::Layer;
using nn::LayerKind;

std::string number(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";  // a Python float
  return s;
}

std::string pair(const std::array<std::size_t, 2>& p) {
  return "(" + std::to_string(p[0]) + ", " + std::to_string(p[1]) + ")";
}

std::string shape_tuple(const Shape& s) {
  std::string t = "(";
  for (std::size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + (s.size() == 1 ? ",)" : ")");
}

// The Python expression of an activation on `v`.
std::string activation(const Layer& l, const std::string& v) {
  const std::string_view a = nn::activation_name(l.activation);
  if (a == "identity") return v;
  if (a == "relu") return "F.relu(" + v + ")";
  if (a == "leaky_relu") return "F.leaky_relu(" + v + ", " + number(l.slope) + ")";
  if (a == "sigmoid") return "torch.sigmoid(" + v + ")";
  if (a == "tanh") return "torch.tanh(" + v + ")";
  if (a == "softplus") return "F.softplus(" + v + ")";
  if (a == "square") return v + " * " + v;
  if (a == "cube") return v + " * " + v + " * " + v;
  if (a == "sin") return "torch.sin(" + v + ")";
  if (a == "relu6") return "F.relu6(" + v + ")";
  if (a == "silu") return "F.silu(" + v + ")";
  if (a == "mish") return "F.mish(" + v + ")";
  throw std::invalid_argument("export --pytorch: layer '" + l.name + "': activation " + std::string(a) +
                              " has no PyTorch spelling here");
}

}  // namespace

std::string export_pytorch(const nn::Architecture& a, const std::string& class_name) {
  const std::vector<Layer>& layers = a.layers();
  std::ostringstream init, fwd;
  // Modules with parameters, each at its dotted path (containers made on the way).
  std::set<std::string> containers, leaves;
  const auto module_at = [&](const std::string& path, const std::string& module) {
    std::string parent = "self";
    std::size_t start = 0;
    for (std::size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1) {
      const std::string prefix = path.substr(0, dot);
      if (leaves.count(prefix)) throw std::invalid_argument("export --pytorch: '" + path + "' is inside the layer '" + prefix + "'");
      if (containers.insert(prefix).second)
        init << "        " << parent << ".add_module(" << '"' << path.substr(start, dot - start) << '"' << ", nn.Module())\n";
      parent = "self.get_submodule(\"" + prefix + "\")";
    }
    if (containers.count(path)) throw std::invalid_argument("export --pytorch: the layer '" + path + "' is also a prefix of others");
    leaves.insert(path);
    init << "        " << parent << ".add_module(\"" << path.substr(start) << "\", " << module << ")\n";
    return "self.get_submodule(\"" + path + "\")";
  };
  std::vector<std::string> var(layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    var[i] = "v" + std::to_string(i);
    const auto in = [&](std::size_t k = 0) { return var.at(l.inputs.at(k)); };
    const Shape& ins = l.inputs.empty() ? l.shape : layers[l.inputs[0]].shape;
    std::string e;
    switch (l.kind) {
      case LayerKind::Input: e = "x"; break;
      case LayerKind::Dense:
        e = module_at(l.name, "nn.Linear(" + std::to_string(ins[0]) + ", " + std::to_string(l.units) +
                                  ", bias=" + (l.bias ? "True" : "False") + ")") + "(" + in() + ")";
        break;
      case LayerKind::Conv2d:
        e = module_at(l.name, "nn.Conv2d(" + std::to_string(ins[0]) + ", " + std::to_string(l.units) + ", " +
                                  pair(l.window.kernel) + ", stride=" + pair(l.window.stride) + ", padding=" +
                                  pair(l.window.padding) + ", dilation=" + pair(l.window.dilation) +
                                  ", groups=" + std::to_string(l.groups) + ", bias=" + (l.bias ? "True" : "False") + ")") +
            "(" + in() + ")";
        break;
      case LayerKind::Projection:
        if (l.shape.size() == 1)
          e = module_at(l.name, "nn.Linear(" + std::to_string(ins[0]) + ", " + std::to_string(l.units) + ", bias=False)") + "(" + in() + ")";
        else
          e = module_at(l.name, "nn.Conv2d(" + std::to_string(ins[0]) + ", " + std::to_string(l.units) + ", 1, stride=" +
                                    pair(l.window.stride) + ", bias=False)") + "(" + in() + ")";
        break;
      case LayerKind::BatchNorm:
        e = module_at(l.name, "ScaleShift(" + std::to_string(l.shape[0]) + ")") + "(" + in() + ")";
        break;
      case LayerKind::MaxPool2d:
        e = "F.max_pool2d(" + in() + ", " + pair(l.window.kernel) + ", " + pair(l.window.stride) + ", " + pair(l.window.padding) +
            ", " + pair(l.window.dilation) + ", ceil_mode=" + (l.ceil_mode ? "True" : "False") + ")";
        break;
      case LayerKind::AvgPool2d:
        e = "F.avg_pool2d(" + in() + ", " + pair(l.window.kernel) + ", " + pair(l.window.stride) + ", " + pair(l.window.padding) +
            ", ceil_mode=" + (l.ceil_mode ? "True" : "False") + ", count_include_pad=True)";
        break;
      case LayerKind::AdaptiveAvgPool2d: e = "F.adaptive_avg_pool2d(" + in() + ", " + pair({l.shape[1], l.shape[2]}) + ")"; break;
      case LayerKind::GlobalAvgPool: e = in() + ".mean(dim=(2, 3))"; break;
      case LayerKind::Flatten: e = "torch.flatten(" + in() + ", 1)"; break;
      case LayerKind::Activation: e = activation(l, in()); break;
      case LayerKind::Add:
        for (std::size_t k = 0; k < l.inputs.size(); ++k) e += (k ? " + " : "") + in(k);
        break;
      case LayerKind::Concat:
        e = "torch.cat([";
        for (std::size_t k = 0; k < l.inputs.size(); ++k) e += (k ? ", " : "") + in(k);
        e += "], 1)";
        break;
      case LayerKind::Dropout:
        // nn.Dropout drops only in train(): netdim's dropout is the identity always (eval mode).
        e = module_at(l.name, "nn.Dropout(" + number(l.p) + ")") + "(" + in() + ")";
        break;
      case LayerKind::ChannelShuffle: {
        const std::size_t g = l.groups, c = l.shape[0];
        e = in() + ".reshape(-1, " + std::to_string(g) + ", " + std::to_string(c / g) + ", " + std::to_string(l.shape[1]) + ", " +
            std::to_string(l.shape[2]) + ").transpose(1, 2).reshape(-1, " + std::to_string(c) + ", " +
            std::to_string(l.shape[1]) + ", " + std::to_string(l.shape[2]) + ")";
        break;
      }
      case LayerKind::Chunk:
        e = "torch.chunk(" + in() + ", " + std::to_string(l.chunks) + ", 1)[" + std::to_string(l.chunk) + "]";
        break;
      case LayerKind::Sample: {
        std::string sliced = in();
        if (l.shape.size() == 1) {
          if (l.window.stride[0] > 1) sliced += "[:, ::" + std::to_string(l.window.stride[0]) + "]";
        } else {
          sliced += "[:, :, ::" + std::to_string(l.window.stride[0]) + ", ::" + std::to_string(l.window.stride[1]) + "]";
        }
        const std::size_t missing = l.shape[0] - ins[0];
        e = missing == 0 ? sliced
                         : "F.pad(" + sliced + ", (" + std::string(l.shape.size() == 1 ? "" : "0, 0, 0, 0, ") + "0, " +
                               std::to_string(missing) + "))";
        break;
      }
      case LayerKind::Registered: {
        const std::string& type = nn::layer_type(l.type).name;
        if (type == "softmax") {
          e = "torch.softmax(" + in() + ", 1)";
        } else if (type == "layer_norm") {
          e = module_at(l.name, "nn.LayerNorm(" + shape_tuple(l.shape) + ", eps=" + number(l.attributes.real("eps")) +
                                    ", elementwise_affine=" + (l.attributes.boolean("affine") ? "True" : "False") + ")") +
              "(" + in() + ")";
        } else {
          throw std::invalid_argument("export --pytorch: layer '" + l.name + "' of type " + type + " has no PyTorch spelling here");
        }
        break;
      }
    }
    fwd << "        " << var[i] << " = " << e << "  # " << l.name << "\n";
  }

  std::ostringstream py;
  py << "# " << class_name << ": written by netdim (export --pytorch). Fingerprint " << a.fingerprint() << ", "
     << a.parameter_count() << " parameters.\n"
     << "# The state_dict has netdim's parameter names, in netdim's canonical order; load_netdim_npy and\n"
     << "# save_netdim_npy move the flat float64 .npy vector of netdim (--params, train --save-params) in and out.\n"
     << "# netdim's batch_norm is its inference form, a learned scale and shift per channel (ScaleShift).\n"
     << "# Dropout drops only in train(), as PyTorch's does; netdim computes the network as in eval().\n"
     << "import numpy\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n"
     << "class ScaleShift(nn.Module):\n"
     << "    \"\"\"y = weight * x + bias, per channel (axis 1): netdim's batch_norm.\"\"\"\n\n"
     << "    def __init__(self, channels):\n"
     << "        super().__init__()\n"
     << "        self.weight = nn.Parameter(torch.ones(channels))\n"
     << "        self.bias = nn.Parameter(torch.zeros(channels))\n\n"
     << "    def forward(self, x):\n"
     << "        shape = (1, -1) + (1,) * (x.dim() - 2)\n"
     << "        return x * self.weight.reshape(shape) + self.bias.reshape(shape)\n\n\n"
     << "# (name, shape) of every parameter block, in canonical order.\n"
     << "BLOCKS = [\n";
  for (const nn::ParameterBlock& b : a.parameter_blocks()) py << "    (\"" << b.name << "\", " << shape_tuple(b.shape) << "),\n";
  py << "]\n"
     << "INPUT_SHAPE = " << shape_tuple(a.input_shape()) << "\n\n\n"
     << "class " << class_name << "(nn.Module):\n"
     << "    def __init__(self):\n"
     << "        super().__init__()\n"
     << init.str() << "\n"
     << "    def forward(self, x):\n"
     << fwd.str() << "        return " << var.back() << "\n\n\n"
     << "def load_netdim_npy(model, path):\n"
     << "    \"\"\"Sets the model's parameters from netdim's flat .npy vector (canonical order).\"\"\"\n"
     << "    theta = numpy.load(path)\n"
     << "    count = sum(int(numpy.prod(shape)) for _, shape in BLOCKS)\n"
     << "    if theta.shape != (count,):\n"
     << "        raise ValueError(f\"{path}: shape {theta.shape}, the network has {count} parameters\")\n"
     << "    offset = 0\n"
     << "    with torch.no_grad():\n"
     << "        for name, shape in BLOCKS:\n"
     << "            n = int(numpy.prod(shape))\n"
     << "            p = model.get_parameter(name)\n"
     << "            p.copy_(torch.from_numpy(theta[offset:offset + n].reshape(shape)).to(p.dtype))\n"
     << "            offset += n\n\n\n"
     << "def save_netdim_npy(model, path):\n"
     << "    \"\"\"Writes the model's parameters as netdim's flat float64 .npy vector.\"\"\"\n"
     << "    parts = [model.get_parameter(name).detach().double().reshape(-1).cpu().numpy() for name, _ in BLOCKS]\n"
     << "    numpy.save(path, numpy.concatenate(parts) if parts else numpy.zeros(0))\n";
  return py.str();
}

}  // namespace netdim::interop
