// load_file and load_source: read, parse, evaluate. Bad input never throws:
// anything unexpected inside becomes a diagnostic.
#include <exception>

#include "netdim/dsl/dsl.hpp"
#include "netdim/dsl/evaluator.hpp"
#include "netdim/dsl/parser.hpp"
#include "netdim/dsl/read_file.hpp"

namespace netdim::dsl {
namespace {

Diagnostic unplaced_error(const std::string& file, std::string message) {
  Diagnostic d;
  d.span.file = file;
  d.message = std::move(message);
  return d;
}

}  // namespace

LoadResult load_source(std::string_view text, const std::string& file_name, const Limits& limits) {
  LoadResult result;
  if (text.size() > limits.max_source_bytes) {
    result.diagnostics.push_back(unplaced_error(
        file_name, "cannot read " + file_name + ": larger than the limit of " + std::to_string(limits.max_source_bytes) + " bytes"));
    return result;
  }
  Diagnostics diagnostics;
  try {
    const Program program = parse(std::make_shared<Source>(file_name, std::string(text)), limits, diagnostics);
    if (!diagnostics.has_errors()) {
      Evaluator evaluator(limits, diagnostics);
      evaluator.run(program, file_name);
      result.architecture = evaluator.result();
    }
  } catch (const std::bad_alloc&) {
    diagnostics.add(unplaced_error(file_name, "out of memory while reading " + file_name));
  } catch (const std::exception& e) {
    // A bug, not bad input; still a diagnostic rather than a crash.
    diagnostics.add(unplaced_error(file_name, std::string("internal error: ") + e.what()));
  }
  result.diagnostics = diagnostics.take();
  for (const Diagnostic& d : result.diagnostics)
    if (d.severity == Diagnostic::Severity::Error) result.architecture.reset();
  return result;
}

LoadResult load_file(const std::filesystem::path& path, const Limits& limits) {
  const ReadResult read = read_source_file(path, limits.max_source_bytes);
  if (!read.ok) {
    LoadResult result;
    result.diagnostics.push_back(unplaced_error(path.string(), "cannot read " + path.string() + ": " + read.error));
    return result;
  }
  return load_source(read.text, path.string(), limits);
}

}  // namespace netdim::dsl
