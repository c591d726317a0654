// Writing a file so that nobody ever sees half of it: the bytes go to
// path + ".tmp", which is renamed into place only when complete. On any
// failure the temporary is removed and a DataError names the file and the
// cause; an existing file at `path` is left as it was.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>

namespace netdim::data {

// Appends n bytes to the file being written (throws DataError on failure).
using PutBytes = std::function<void(const void* bytes, std::size_t n)>;

void write_atomically(const std::filesystem::path& path, const std::function<void(const PutBytes& put)>& fill);

}  // namespace netdim::data
