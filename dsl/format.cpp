// The canonical printer: one statement per line, two-space indentation, single
// spaces around binary operators and `=`, `k=v` attributes, no redundant
// parentheses, comments kept (a comment inside a multi-line statement moves above
// it), runs of blank lines collapsed to one.
#include "netdim/dsl/dsl.hpp"
#include "netdim/dsl/parser.hpp"
#include "netdim/dsl/read_file.hpp"

namespace netdim::dsl {
namespace {

int precedence(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::Pipe: return 1;
    case Expr::Kind::Binary:
      if (e.text == "+" || e.text == "-") return 2;
      if (e.text == "^") return 5;
      return 3;
    case Expr::Kind::Negate: return 4;
    default: return 6;
  }
}

std::string print(const Expr& e, int min_precedence);

std::string print_name(const std::vector<NamePart>& parts) {
  std::string out;
  for (const NamePart& p : parts) {
    if (!p.expr) {
      out += p.text;
      continue;
    }
    out += '{';
    out += print(*p.expr, 0);
    out += '}';
  }
  return out;
}

std::string print_arguments(const std::vector<Argument>& args) {
  std::string out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i) out += ", ";
    if (!args[i].keyword.empty()) out += args[i].keyword + "=";
    out += print(*args[i].value, 0);
  }
  return out;
}

std::string print(const Expr& e, int min_precedence) {
  std::string out;
  switch (e.kind) {
    case Expr::Kind::Int: out = std::to_string(e.integer); break;
    case Expr::Kind::Real: out = e.text; break;
    case Expr::Kind::String: {
      out = "\"";
      for (char c : e.text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += "\"";
      break;
    }
    case Expr::Kind::Name: out = e.text; break;
    case Expr::Kind::Negate: out = "-" + print(*e.operands[0], 4); break;
    case Expr::Kind::Binary: {
      const int p = precedence(e);
      if (e.text == "^") out = print(*e.operands[0], 6) + "^" + print(*e.operands[1], 4);
      else out = print(*e.operands[0], p) + " " + e.text + " " + print(*e.operands[1], p + 1);
      break;
    }
    case Expr::Kind::Pipe: out = print(*e.operands[0], 1) + " | " + print(*e.operands[1], 6); break;
    case Expr::Kind::Call: out = e.text + "(" + print_arguments(e.arguments) + ")"; break;
    case Expr::Kind::Tuple: {
      out = "(";
      for (std::size_t i = 0; i < e.operands.size(); ++i) out += (i ? ", " : "") + print(*e.operands[i], 0);
      out += ")";
      break;
    }
  }
  if (!e.as_name.empty()) out += " as " + print_name(e.as_name);
  if (precedence(e) < min_precedence) out = "(" + out + ")";
  return out;
}

class Printer {
 public:
  std::string program(const Program& p) {
    for (const std::string& c : p.header_comments) line(0, "#" + c);
    line(0, "netdim " + std::to_string(p.version) + (p.version_comment ? "  #" + *p.version_comment : ""));
    body(p.body, 0, /*top=*/true);
    return out_;
  }

 private:
  void line(int indent, const std::string& text) {
    out_ += std::string(static_cast<std::size_t>(indent) * 2, ' ') + text + "\n";
  }

  // A comment list marks blank lines with "\n" (see the parser).
  void comments(const std::vector<std::string>& list, int indent) {
    for (const std::string& c : list) {
      if (c == "\n") out_ += "\n";
      else line(indent, "#" + c);
    }
  }

  void body(const Body& b, int indent, bool top) {
    for (std::size_t i = 0; i < b.statements.size(); ++i) {
      const Statement& s = *b.statements[i];
      if (s.blank_before && (i > 0 || top)) out_ += "\n";
      statement(s, indent);
    }
    if (!b.end_comments.empty()) {
      if (b.blank_before_end_comments) out_ += "\n";
      comments(b.end_comments, indent);
    }
  }

  void statement(const Statement& s, int indent) {
    comments(s.leading_comments, indent);
    const std::string trailing = s.trailing_comment ? "  #" + *s.trailing_comment : "";
    switch (s.kind) {
      case Statement::Kind::Assign: line(indent, s.name + " = " + print(*s.value, 0) + trailing); break;
      case Statement::Kind::Expression: line(indent, print(*s.value, 0) + trailing); break;
      case Statement::Kind::Return: line(indent, "return " + print(*s.value, 0) + trailing); break;
      case Statement::Kind::Include: {
        Expr path;
        path.kind = Expr::Kind::String;
        path.text = s.name;
        line(indent, "include " + print(path, 0) + trailing);
        break;
      }
      case Statement::Kind::Shortcuts: {
        std::string text = "shortcuts " + s.name;
        for (const Argument& a : s.arguments) text += " " + a.keyword + "=" + print(*a.value, 0);
        line(indent, text + trailing);
        break;
      }
      case Statement::Kind::Block: {
        std::string head = "block " + s.name + "(";
        for (std::size_t i = 0; i < s.parameters.size(); ++i) {
          head += (i ? ", " : "") + s.parameters[i].name;
          if (s.parameters[i].default_value) {
            head += '=';
            head += print(*s.parameters[i].default_value, 0);
          }
        }
        line(indent, head + ") {");
        body(s.body, indent + 1, false);
        line(indent, "}" + trailing);
        break;
      }
      case Statement::Kind::For:
        line(indent, "for " + s.name + " in " + print(*s.value, 2) + ".." + print(*s.last, 2) + " {");
        body(s.body, indent + 1, false);
        line(indent, "}" + trailing);
        break;
    }
  }

  std::string out_;
};

}  // namespace

FormatResult format_source(std::string_view text, const std::string& file_name) {
  FormatResult result;
  const Limits limits;
  if (text.size() > limits.max_source_bytes) {
    Diagnostic d;
    d.span.file = file_name;
    d.message = "cannot read " + file_name + ": larger than the limit of " + std::to_string(limits.max_source_bytes) + " bytes";
    result.diagnostics.push_back(std::move(d));
    return result;
  }
  Diagnostics diagnostics;
  const Program program = parse(std::make_shared<Source>(file_name, std::string(text)), limits, diagnostics);
  if (!diagnostics.has_errors()) result.text = Printer().program(program);
  result.diagnostics = diagnostics.take();
  return result;
}

FormatResult format_file(const std::filesystem::path& path) {
  const ReadResult read = read_source_file(path, Limits{}.max_source_bytes);
  if (!read.ok) {
    FormatResult result;
    Diagnostic d;
    d.span.file = path.string();
    d.message = "cannot read " + path.string() + ": " + read.error;
    result.diagnostics.push_back(std::move(d));
    return result;
  }
  return format_source(read.text, path.string());
}

}  // namespace netdim::dsl
