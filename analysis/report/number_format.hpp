// How reports spell a double: the CSV and JSON cells that must read back as the
// same number, fixed-point and significant-digit text for tables, titles and tick
// labels, and JSON null where a value is not finite. One place, so that every
// command spells a number the same way. Non-finite values are spelled as C's
// printf spells them (inf, -inf, nan, -nan: on x86 0.0 / 0.0 is a NaN with its sign
// bit set, printed -nan), except where a function says otherwise.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace netdim::analysis::report {

// printf's "%.17g": seventeen significant digits, enough for the text to read back as
// the same double (not the shortest such text: 0.1 is 0.10000000000000001).
std::string round_trip(double v);

// round_trip, but "" for a NaN (of either sign): an empty CSV cell for a value that
// is not there.
std::string round_trip_or_empty(double v);

// round_trip, but "nan" for a NaN of either sign.
std::string round_trip_or_nan(double v);

// printf's "%.*f": `digits` digits after the point, never truncated.
std::string fixed(double v, int digits);

// printf's "%.*g": `digits` significant digits (tick labels: significant(v, 4)).
std::string significant(double v, int digits);

// The number in JSON, or null when it is not finite (JSON has no NaN or infinity).
nlohmann::ordered_json finite_or_null(double v);

}  // namespace netdim::analysis::report
