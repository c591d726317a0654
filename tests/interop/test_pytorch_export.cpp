// netdim export --pytorch against PyTorch (Debian's python3-torch): the module computes what
// netdim computes, has netdim's parameter names, and its Jacobian is torch.autograd.grad's.
// The checks are in check_pytorch_export.py; this runs it on networks of every kind of layer.
#include <doctest/doctest.h>

#include <cstdlib>

#include "tests/cli/netdim_process.hpp"

namespace netdim::testing {

TEST_CASE("export --pytorch: PyTorch computes the same outputs and Jacobians from netdim's parameters") {
  if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0) {
    MESSAGE("python3-torch is not installed (scripts/setup installs it): export --pytorch is not checked against PyTorch");
    return;
  }
  const TempDir dir("pytorch_export");
  const fs::path script = fs::path(NETDIM_TEST_FIXTURES).parent_path() / "interop" / "check_pytorch_export.py";
  std::string command = "/usr/bin/python3 " + quoted(script.string()) + " " + quoted(NETDIM_EXE) + " " + quoted(dir.path.string());
  for (const char* net : {"esd2020/fig5_mlp.net:jacobian", "esd2020/fig5_add_shortcuts.net:jacobian",
                          "esd2020/sec53_resnet.net:jacobian", "esd2020/eq1_square.net:jacobian",
                          "layers/torchvision_blocks.net:jacobian", "zoo/mobilenet_v2.net", "zoo/shufflenet_v2_x1_0.net",
                          "zoo/squeezenet1_1.net", "zoo/googlenet.net"})
    command += " " + quoted((kExamples / net).string());
  command += " > " + quoted((dir / "out.txt").string()) + " 2>&1";
  const int status = std::system(command.c_str());
  const std::string out = read(dir / "out.txt");
  MESSAGE(out);
  CHECK_MESSAGE(status == 0, out);
}

}  // namespace netdim::testing
