// The one error type for bad data files: a single line naming the file and what is wrong with it,
// so a user can fix the file without a debugger. It is support's FileError (which atomic writes
// throw too), under the name the data readers and their callers use.
#pragma once

#include "netdim/support/file_error.hpp"

namespace netdim::data {

using DataError = support::FileError;

}  // namespace netdim::data
