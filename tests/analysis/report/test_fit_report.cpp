// fitexp's reports without a subprocess (analysis/report/fit_report): the CSV and JSON of the
// rows, the correlation lines and the scatter with its least-squares line.
#include <doctest/doctest.h>

#include "netdim/analysis/report/fit_report.hpp"

namespace netdim {
namespace {

analysis::FitResult made_up_result() {
  analysis::FitResult r;
  analysis::FitRow a;
  a.index = 0;
  a.mlp = {{12}, {nn::Activation::Tanh}};
  a.parameters = 49;
  a.esd = 7.5, a.esd_stderr = 0.25, a.train_error = 0.125;
  analysis::FitRow b = a;
  b.index = 2;
  b.mlp = {{5, 3}, {nn::Activation::Relu, nn::Activation::Sigmoid}};
  b.parameters = 32;
  b.esd = 6, b.esd_stderr = std::nan(""), b.train_error = 0.5;
  r.rows = {a, std::nullopt, b};  // network 1 was stopped before it ran
  r.error_vs_esd = analysis::Correlation{3, -0.5, 0.25};
  return r;
}

}  // namespace

TEST_CASE("fit report: the rows as CSV and JSON, finished networks only") {
  const analysis::FitResult r = made_up_result();
  CHECK(analysis::report::fit_rows_csv(r) ==
        "network,layers,parameters,esd,esd_stderr,train_error\n"
        "0,\"12 tanh\",49,7.5,0.25,0.125\n"
        "2,\"5 relu, 3 sigmoid\",32,6,nan,0.5\n");  // a NaN stderr (one sample) as fitexp has always written it
  analysis::FitOptions options;
  options.networks = 3;
  const nlohmann::ordered_json j = analysis::report::fit_json(options, analysis::EsdProtocol{}, r);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"experiment", "error_vs_esd", "error_vs_parameters", "interrupted", "rows"});
  CHECK(j.at("experiment").at("networks") == 3);
  CHECK(j.at("experiment").at("protocol").at("points") == "min(m, 500)");
  CHECK(j.at("error_vs_esd").at("r") == -0.5);
  CHECK(j.at("error_vs_parameters").is_null());
  REQUIRE(j.at("rows").size() == 2);
  CHECK(j.at("rows").at(1).at("network") == 2);
  CHECK(j.at("rows").at(1).at("esd_stderr").is_null());
}

TEST_CASE("fit report: correlation lines and the scatter") {
  const analysis::FitResult r = made_up_result();
  CHECK(analysis::report::correlation_line("error against ESD", r.error_vs_esd) ==
        "error against ESD: r = -0.5000, p = 0.25 (n = 3)\n");
  CHECK(analysis::report::correlation_line("error against parameters", r.error_vs_parameters).find("no correlation") !=
        std::string::npos);
  const analysis::report::LinePlot esd = analysis::report::fit_scatter(r, true, r.error_vs_esd);
  REQUIRE(esd.series.size() == 2);  // the networks, then the least-squares line
  CHECK(esd.series[0].x == std::vector<double>{7.5, 6});
  CHECK(esd.series[0].y == std::vector<double>{0.125, 0.5});
  CHECK(esd.series[1].x == std::vector<double>{6, 7.5});
  CHECK(esd.x_label == "ESD");
  CHECK(esd.title.find("r = -0.500") != std::string::npos);
  const analysis::report::LinePlot p = analysis::report::fit_scatter(r, false, std::nullopt);
  CHECK(p.series[0].x == std::vector<double>{49, 32});
  CHECK(p.x_label == "parameters");
}

}  // namespace netdim
