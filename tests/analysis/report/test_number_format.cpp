// How reports spell a double (analysis/report/number_format.hpp): each function's text
// pinned on the values where printf formats differ: a decimal fraction with no exact
// binary value, the extremes of the exponent, a negative zero, a large integer, and
// the non-finite values of either sign. And the mean (analysis/stats/mean.hpp).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "netdim/analysis/report/number_format.hpp"
#include "netdim/analysis/stats/mean.hpp"

namespace report = netdim::analysis::report;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();
// The NaN that 0.0 / 0.0 gives on x86: its sign bit is set, and printf says -nan.
const double kNegativeNaN = std::copysign(std::numeric_limits<double>::quiet_NaN(), -1.0);
}  // namespace

TEST_CASE("number format: round_trip is printf's %.17g and reads back as the same double") {
  CHECK(report::round_trip(0.1) == "0.10000000000000001");
  CHECK(report::round_trip(1e-300) == "1e-300");
  CHECK(report::round_trip(5e-324) == "4.9406564584124654e-324");
  CHECK(report::round_trip(1e300) == "1.0000000000000001e+300");
  CHECK(report::round_trip(-0.0) == "-0");
  CHECK(report::round_trip(0.0) == "0");
  CHECK(report::round_trip(1e21) == "1e+21");
  CHECK(report::round_trip(3) == "3");
  CHECK(report::round_trip(-27) == "-27");
  CHECK(report::round_trip(9007199254740993.0) == "9007199254740992");  // 2^53 + 1 is not a double
  CHECK(report::round_trip(kInf) == "inf");
  CHECK(report::round_trip(-kInf) == "-inf");
  CHECK(report::round_trip(kNaN) == "nan");
  CHECK(report::round_trip(kNegativeNaN) == "-nan");
  for (double v : {0.1, 1.0 / 3.0, 1e-300, 5e-324, 1e300, 123456.789, -2.5e-7})
    CHECK(std::strtod(report::round_trip(v).c_str(), nullptr) == v);
}

TEST_CASE("number format: round_trip_or_empty leaves a NaN's cell empty, round_trip_or_nan spells it nan") {
  CHECK(report::round_trip_or_empty(0.1) == "0.10000000000000001");
  CHECK(report::round_trip_or_empty(-0.0) == "-0");
  CHECK(report::round_trip_or_empty(1e21) == "1e+21");
  CHECK(report::round_trip_or_empty(kInf) == "inf");
  CHECK(report::round_trip_or_empty(-kInf) == "-inf");
  CHECK(report::round_trip_or_empty(kNaN).empty());
  CHECK(report::round_trip_or_empty(kNegativeNaN).empty());

  CHECK(report::round_trip_or_nan(0.1) == "0.10000000000000001");
  CHECK(report::round_trip_or_nan(1e-300) == "1e-300");
  CHECK(report::round_trip_or_nan(-0.0) == "-0");
  CHECK(report::round_trip_or_nan(kInf) == "inf");
  CHECK(report::round_trip_or_nan(kNaN) == "nan");
  CHECK(report::round_trip_or_nan(kNegativeNaN) == "nan");
}

TEST_CASE("number format: fixed is printf's %.*f, rounding half to even, never truncated") {
  CHECK(report::fixed(0.1, 3) == "0.100");
  CHECK(report::fixed(0.1, 0) == "0");
  CHECK(report::fixed(1e-300, 4) == "0.0000");
  CHECK(report::fixed(-0.0, 3) == "-0.000");
  CHECK(report::fixed(3, 1) == "3.0");
  CHECK(report::fixed(2.5, 0) == "2");     // exactly halfway: to even
  CHECK(report::fixed(0.125, 2) == "0.12");
  CHECK(report::fixed(0.9999, 3) == "1.000");
  CHECK(report::fixed(1e21, 3) == "1000000000000000000000.000");
  const std::string huge = report::fixed(1e300, 3);  // longer than any fixed buffer
  CHECK(huge.size() == 301 + 4);
  CHECK(huge.rfind("1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371", 0) == 0);
  CHECK(huge.substr(huge.size() - 4) == ".000");
  CHECK(report::fixed(kInf, 3) == "inf");
  CHECK(report::fixed(-kInf, 3) == "-inf");
  CHECK(report::fixed(kNaN, 3) == "nan");
  CHECK(report::fixed(kNegativeNaN, 3) == "-nan");
}

TEST_CASE("number format: significant is printf's %.*g") {
  CHECK(report::significant(0.1, 4) == "0.1");
  CHECK(report::significant(1e-300, 4) == "1e-300");
  CHECK(report::significant(-0.0, 4) == "-0");
  CHECK(report::significant(1e21, 4) == "1e+21");
  CHECK(report::significant(12345, 4) == "1.234e+04");  // exactly halfway: to even
  CHECK(report::significant(1234, 4) == "1234");
  CHECK(report::significant(0.125, 2) == "0.12");
  CHECK(report::significant(9007199254740993.0, 4) == "9.007e+15");
  CHECK(report::significant(kInf, 4) == "inf");
  CHECK(report::significant(kNaN, 4) == "nan");
}

TEST_CASE("number format: finite_or_null is the number in JSON, null when not finite") {
  using Json = nlohmann::ordered_json;
  CHECK(report::finite_or_null(0.1) == Json(0.1));
  CHECK(report::finite_or_null(0.1).dump() == "0.1");
  CHECK(report::finite_or_null(-0.0).dump() == "-0.0");
  CHECK(report::finite_or_null(1e21).dump() == "1e+21");
  CHECK(report::finite_or_null(1e-300).dump() == "1e-300");
  CHECK(report::finite_or_null(3).dump() == "3.0");
  CHECK(report::finite_or_null(3).is_number_float());
  CHECK(report::finite_or_null(kInf).is_null());
  CHECK(report::finite_or_null(-kInf).is_null());
  CHECK(report::finite_or_null(kNaN).is_null());
  CHECK(report::finite_or_null(kNegativeNaN).is_null());
}

TEST_CASE("mean_of: the values summed in order over their count; NaN for none") {
  using netdim::analysis::mean_of;
  CHECK(mean_of(std::vector<double>{1, 2, 3, 4}) == 2.5);
  CHECK(mean_of(std::vector<double>{0.1, 0.2, 0.3}) == (0.1 + 0.2 + 0.3) / 3);  // in order, not pairwise
  CHECK(mean_of(std::vector<double>{-0.0}) == 0.0);
  CHECK(mean_of(std::vector<double>{1e308, 1e308}) == kInf);  // no rescaling
  CHECK(std::isnan(mean_of(std::vector<double>{})));
  CHECK(std::isnan(mean_of(std::vector<double>{kInf, -kInf})));
}
